"""The `kg` command: thin click commands over the library; errors become one line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

import click

from kg.errors import KgError


class KgGroup(click.Group):
    """Turns KgError into a one-line message and exit code 1, in exactly one place."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KgError as error:
            click.echo(f"kg: error: {error}", err=True)
            sys.exit(1)


def _print_progress(done: int, doc_id: str) -> None:
    click.echo(f"\r\033[Kkg: {done} documents analyzed ({doc_id})", nl=False, err=True)


@click.group(cls=KgGroup)
@click.version_option(package_name="kg")
def main() -> None:
    """Build and query knowledge graphs of Chinese regional-development news."""


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", default="output", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder for the graph files.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1), help="Documents processed in parallel.")
@click.option("--encoding", default=None, help="Force an input encoding (default: detect).")
@click.option("--format", "formats", multiple=True,
              type=click.Choice(["nt", "nq", "jsonld"]), help="Extra RDF formats beside Turtle (repeatable).")
@click.option("--no-html", is_flag=True, help="Skip graph.html.")
@click.option("--no-cache", is_flag=True, help="Reprocess every document.")
@click.option("--strict", is_flag=True, help="Exit 1 if any document was skipped or failed.")
@click.option("--tagger", default="lac", show_default=True, type=click.Choice(["lac", "pkuseg"]),
              help="Segmenter/NER backend: LAC (ships with kg) or a spacy-pkuseg model (--model).")
@click.option("--model", "model_dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Folder of the spacy-pkuseg model, with --tagger pkuseg.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def build(inputs: tuple[Path, ...], out_dir: Path, workers: int, encoding: str | None,
          formats: tuple[str, ...], no_html: bool, no_cache: bool, strict: bool,
          tagger: str, model_dir: Path | None, quiet: bool) -> None:
    """Build the graph of INPUT files or folders (*.txt, *.md, *.html).

    Example: kg build seeds -o output
    """
    from kg.pipeline import TaggerSpec
    from kg.pipeline import build as run_build

    if (tagger == "pkuseg") != (model_dir is not None):
        raise click.UsageError("--model goes with --tagger pkuseg, and --tagger pkuseg needs --model")
    show_progress = not quiet and sys.stderr.isatty()
    result = run_build(list(inputs), out_dir=out_dir, workers=workers, encoding=encoding,
                       formats=formats, html=not no_html, cache=not no_cache,
                       tagger=TaggerSpec(tagger, str(model_dir) if model_dir else None),
                       progress=_print_progress if show_progress else None)
    if show_progress:
        click.echo("\r\033[K", nl=False, err=True)
    for problem in result.corpus.problems:
        click.echo(f"kg: skipped {problem.path}: {problem.reason}", err=True)
    click.echo(result.summary(), err=True)
    if strict and result.corpus.problems:
        sys.exit(1)


@main.command("eval")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--gold", "gold_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder of gold *.json files (format: tests/gold/GUIDELINES.md).")
@click.option("--show", default=0, show_default=True, type=click.IntRange(0),
              help="List the first N missed and spurious entities.")
def eval_command(inputs: tuple[Path, ...], gold_dir: Path, show: int) -> None:
    """Build the graph of INPUT files or folders and score it against gold annotations.

    Example: kg eval --gold tests/gold seeds --show 30
    """
    from kg.eval import load_gold, score_corpus
    from kg.pipeline import build as run_build

    golds = load_gold(gold_dir)  # a bad gold file fails before the (slower) build
    result = run_build(list(inputs), html=False, cache=False)
    for problem in result.corpus.problems:
        click.echo(f"kg: skipped {problem.path}: {problem.reason}", err=True)
    click.echo(score_corpus(result.corpus, golds).format(show=show))


@main.command("query")
@click.argument("query_text", metavar="QUERY", required=False)
@click.option("-f", "--file", "query_file", type=click.File("r", encoding="utf-8"),
              help="Read the query from a file (e.g. queries/programs_by_zone.rq); - reads stdin.")
@click.option("-g", "--graph", default="output", show_default=True, type=click.Path(path_type=Path),
              help="Build folder (graph.nq or graph.ttl) or an RDF file to query.")
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "ntriples"]),
              help="SELECT/ASK: table or a SPARQL results format; CONSTRUCT/DESCRIBE: Turtle (table), "
                   "N-Triples, JSON-LD (json) or RDF/XML (xml).")
@click.option("-b", "--bind", "binds", multiple=True, metavar="NAME=VALUE",
              help="Give the selected variable ?NAME a value (repeatable): text, a number, <iri>, "
                   "prefix:name or \"text\"@lang.")
def query_command(query_text: str | None, query_file: TextIO | None, graph: Path,
                  fmt: str, binds: tuple[str, ...]) -> None:
    """Run a SPARQL QUERY (text, or - for stdin) over a built graph; kg:, rdfs:, skos: … are predeclared.

    Example: kg query --file queries/programs_by_zone.rq --bind zoneName=济宁经开区
    """
    from kg.errors import QueryError
    from kg.query import run_query

    if (query_text is None) == (query_file is None):
        raise click.UsageError("give the query as an argument, - for stdin, or --file F (one of them)")
    if query_file is not None:
        text = query_file.read()
    elif query_text == "-":
        text = sys.stdin.read()
    else:
        text = str(query_text)
    bindings = {}
    for bind in binds:
        name, sep, value = bind.partition("=")
        if not sep or not name:
            raise QueryError(f"--bind {bind!r}: write it as NAME=VALUE, e.g. --bind zoneName=经开区")
        bindings[name] = value
    result = run_query(text, graph_dir=graph, bindings=bindings)
    sys.stdout.buffer.write(result.serialize(fmt))
    sys.stdout.flush()


@main.command("serve")
@click.option("-g", "--graph", default="output", show_default=True, type=click.Path(path_type=Path),
              help="Build folder (graph.nq or graph.ttl) or an RDF file to serve.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--timeout", "timeout_s", default=10.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run before it is stopped (HTTP 503).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1),
              help="Queries answered at the same time (each worker holds the graph in memory).")
@click.option("-q", "--quiet", is_flag=True, help="No request log on stderr.")
def serve_command(graph: Path, port: int, timeout_s: float, workers: int, quiet: bool) -> None:
    """Serve a built graph as a read-only SPARQL 1.1 endpoint (for YASGUI, SPARQLWrapper, …).

    Example: kg serve --port 7878, then query http://127.0.0.1:7878/sparql
    """
    import signal

    from kg.serve import serve

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # `kill` ends the query workers too
    try:
        serve(graph, port=port, timeout_s=timeout_s, workers=workers,
              on_ready=lambda url: click.echo(f"kg: SPARQL endpoint at {url} (Ctrl-C stops it)", err=True),
              log=None if quiet else lambda line: click.echo(f"kg: {line}", err=True))
    except KeyboardInterrupt:
        click.echo("kg: stopped", err=True)


@main.command("load")
@click.argument("source", default="output", required=False, type=click.Path(path_type=Path))
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (Oxigraph), "
                   "http://127.0.0.1:3030/DATASET/data (Fuseki).")
@click.option("--graph", "graph_iri", metavar="IRI", help="Named graph to fill (default: the default graph).")
@click.option("--replace/--append", default=True, show_default=True,
              help="Replace the graph's content (PUT) or add to it (POST).")
@click.option("--user", envvar="KG_STORE_USER", metavar="NAME:PASSWORD",
              help="HTTP Basic credentials (or set KG_STORE_USER).")
def load_command(source: Path, endpoint: str, graph_iri: str | None, replace: bool, user: str | None) -> None:
    """Upload a built graph (SOURCE: build folder → graph.ttl, or an RDF file) to a triple store.

    Example: kg load --endpoint http://127.0.0.1:7878/store --graph https://example.org/kg
    """
    from kg.store import load

    report = load(source, endpoint=endpoint, graph=graph_iri, replace=replace, user=user)
    click.echo(f"kg: {report.method} {report.source} ({report.size} bytes) → {report.url}: "
               f"HTTP {report.status}", err=True)


@main.command("viz")
@click.argument("graph", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out_file", default="graph.html", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="HTML file to write.")
@click.option("--initial-nodes", default=None, type=click.IntRange(1),
              help="Entities visible on opening (default 500); the rest behind the page's 'show all'.")
def viz_command(graph: Path, out_file: Path, initial_nodes: int | None) -> None:
    """Render the interactive HTML view of a built GRAPH (graph.graphml); works offline.

    Example: kg viz output/graph.graphml -o /tmp/graph.html
    """
    from kg.graph import read_graphml
    from kg.viz import INITIAL_NODES, render_html

    nx_graph = read_graphml(graph)
    render_html(nx_graph, out_file, initial_nodes=initial_nodes or INITIAL_NODES)
    click.echo(f"kg: wrote {out_file} ({nx_graph.number_of_nodes()} nodes, {nx_graph.number_of_edges()} edges)",
               err=True)


@main.command("validate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--inference", default="none", show_default=True, type=click.Choice(["none", "rdfs"]),
              help="Reasoning before the check (the shapes need none).")
def validate_command(file: Path, inference: str) -> None:
    """Check a graph FILE (.ttl, .nt, .nq, .jsonld) against ontology/shapes.ttl with pySHACL.

    Prints the report; exits 1 when the graph does not conform.

    Example: kg validate output/graph.ttl
    """
    from kg.validate import validate

    report = validate(file, inference="rdfs" if inference == "rdfs" else "none")
    click.echo(report.text.rstrip())
    if report.conforms:
        click.echo(f"kg: {file} conforms to the shapes", err=True)
        return
    click.echo(f"kg: {file} does not conform: {len(report.violations)} result(s)", err=True)
    sys.exit(1)

if __name__ == "__main__":
    main()
