"""SPARQL over a built graph: load it into pyoxigraph, run a query, write the answer.

The answer is kept as the SPARQL 1.1 Query Results JSON (SELECT/ASK) or N-Triples
(CONSTRUCT/DESCRIBE) that pyoxigraph itself writes, so that every output format (JSON, XML,
CSV, TSV, Turtle) comes from pyoxigraph's own spec-conformant serializers; only the
human-readable table is ours.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal as TypingLiteral
from typing import Union

import pyoxigraph as ox

from kg.errors import GraphNotFoundError, QueryError
from kg.rdf import PREFIXES as GRAPH_PREFIXES

Term = Union[ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple]
ResultKind = TypingLiteral["select", "ask", "graph"]

# The prefixes every query may use without declaring them: those of the written graph
# files (kg/rdf.py) and the vocabularies people commonly write queries with.
PREFIXES: dict[str, str] = {
    **GRAPH_PREFIXES,
    "owl": "http://www.w3.org/2002/07/owl#",
    "oa": "http://www.w3.org/ns/oa#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcterms": "http://purl.org/dc/terms/",
}

# RDF files a query can run over, by suffix (kg build writes graph.ttl, and graph.nt/.nq/.jsonld on request).
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
}

# Output formats. SELECT/ASK: the SPARQL 1.1 results formats; CONSTRUCT/DESCRIBE: RDF formats,
# where "json" and "xml" mean JSON-LD and RDF/XML. "table" is for people (Turtle for graphs).
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_OUTPUT_FORMATS: dict[str, ox.RdfFormat] = {
    "table": ox.RdfFormat.TURTLE,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "json": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
TABLE_CELL_WIDTH = 60  # display columns; longer values are cut with "…" (csv/json keep them whole)


@dataclass(frozen=True)
class QueryResult:
    """A query's answer: ``payload`` is results JSON (select/ask) or N-Triples (graph)."""

    kind: ResultKind
    payload: bytes

    def _parsed(self) -> ox.QuerySolutions | ox.QueryBoolean:
        return ox.parse_query_results(self.payload, format=ox.QueryResultsFormat.JSON)

    @cached_property
    def _solutions(self) -> tuple[tuple[str, ...], tuple[tuple[Term | None, ...], ...]]:
        parsed = self._parsed()
        if not isinstance(parsed, ox.QuerySolutions):
            return (), ()
        names = tuple(v.value for v in parsed.variables)
        return names, tuple(tuple(solution[name] for name in names) for solution in parsed)

    @property
    def variables(self) -> tuple[str, ...]:
        return self._solutions[0] if self.kind == "select" else ()

    @property
    def rows(self) -> tuple[tuple[Term | None, ...], ...]:
        return self._solutions[1] if self.kind == "select" else ()

    @property
    def boolean(self) -> bool | None:
        if self.kind != "ask":
            return None
        return bool(self._parsed())

    @cached_property
    def triples(self) -> tuple[ox.Triple, ...]:
        if self.kind != "graph":
            return ()
        return tuple(ox.parse(self.payload, format=ox.RdfFormat.N_TRIPLES))

    def values(self) -> list[dict[str, str]]:
        """Rows as {variable: lexical value}, unbound variables left out (handy in tests and notebooks)."""
        return [{name: str(term) if isinstance(term, ox.Triple) else term.value
                 for name, term in zip(self.variables, row) if term is not None}
                for row in self.rows]

    def serialize(self, fmt: str) -> bytes:
        """The answer as table (for people) or one of RESULT_FORMATS / GRAPH_OUTPUT_FORMATS, by query form."""
        if self.kind == "graph":
            if fmt not in GRAPH_OUTPUT_FORMATS:
                raise QueryError(f"a CONSTRUCT/DESCRIBE result cannot be written as {fmt}; "
                                 f"use one of {', '.join(GRAPH_OUTPUT_FORMATS)}")
            return _bytes(ox.serialize(self.triples, format=GRAPH_OUTPUT_FORMATS[fmt], prefixes=PREFIXES))
        if fmt == "table":
            return self._table().encode()
        if fmt not in RESULT_FORMATS:
            raise QueryError(f"a SELECT/ASK result cannot be written as {fmt}; "
                             f"use one of table, {', '.join(RESULT_FORMATS)}")
        if fmt == "json":
            return self.payload
        return _bytes(self._parsed().serialize(format=RESULT_FORMATS[fmt]))

    def _table(self) -> str:
        """A plain-text table for people: prefixed IRIs, literal values, CJK-aware column widths."""
        if self.kind == "ask":
            return "true\n" if self.boolean else "false\n"
        header = [f"?{name}" for name in self.variables]
        cells = [[_clip(display(term)) for term in row] for row in self.rows]
        widths = [max([_width(h)] + [_width(row[i]) for row in cells]) for i, h in enumerate(header)]
        lines = [_table_line(header, widths), "  ".join("-" * w for w in widths)]
        lines += [_table_line(row, widths) for row in cells]
        lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
        return "\n".join(lines) + "\n"


def graph_source(graph: Path) -> Path:
    """The RDF file to load for ``graph``: the file itself, or the best graph file in a build folder."""
    if graph.is_file():
        if graph.suffix not in GRAPH_FORMATS:
            raise QueryError(f"{graph}: unknown RDF file type; use one of {', '.join(GRAPH_FORMATS)}")
        return graph
    turtle, quads = graph / "graph.ttl", graph / "graph.nq"
    # graph.nq only when it is as new as graph.ttl: a build without --format nq leaves an old one behind.
    if quads.is_file() and (not turtle.is_file() or quads.stat().st_mtime >= turtle.stat().st_mtime):
        return quads
    if turtle.is_file():
        return turtle
    raise GraphNotFoundError(f"no graph.ttl in {graph}/: run `kg build <inputs> -o {graph}` first")


def load_store(graph: Path = Path("output")) -> ox.Store:
    """An in-memory store holding the built graph.

    Quads are also copied into the default graph (as a set), so that queries without GRAPH
    see every triple once, exactly as with graph.ttl, while GRAPH ?article still works.
    """
    source = graph_source(graph)
    store = ox.Store()
    rdf_format = GRAPH_FORMATS[source.suffix]
    try:
        store.bulk_load(path=source, format=rdf_format)
    except (SyntaxError, ValueError, OSError) as error:
        raise QueryError(f"{source}: cannot be read as RDF ({error}); rebuild it with `kg build`") from error
    if rdf_format.supports_datasets:
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store


def parse_term(text: str) -> Term:
    """A --bind value: <iri>, prefix:name, "text"@lang, a number, true/false, else a plain string."""
    if text.startswith("<") and text.endswith(">"):
        return ox.NamedNode(text[1:-1])
    if match := re.fullmatch(r'"(.*)"@([A-Za-z]+(?:-[A-Za-z0-9]+)*)', text, re.DOTALL):
        return ox.Literal(match.group(1), language=match.group(2))
    if match := re.fullmatch(r"([A-Za-z][\w-]*):(\S*)", text):
        if match.group(1) in PREFIXES:
            return ox.NamedNode(PREFIXES[match.group(1)] + match.group(2))
    if re.fullmatch(r"[+-]?\d+", text):
        return ox.Literal(text, datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))
    if re.fullmatch(r"[+-]?\d*\.\d+", text):
        return ox.Literal(text, datatype=ox.NamedNode(PREFIXES["xsd"] + "decimal"))
    if text in ("true", "false"):
        return ox.Literal(text, datatype=ox.NamedNode(PREFIXES["xsd"] + "boolean"))
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return ox.Literal(text[1:-1])
    return ox.Literal(text)


def run_query(query: str, *, graph_dir: Path = Path("output"),
              bindings: Mapping[str, Term | str] | None = None,
              store: ox.Store | None = None,
              default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()) -> QueryResult:
    """Evaluate a SPARQL query over the built graph in ``graph_dir`` (or an already loaded ``store``).

    ``bindings`` give variables a value through pyoxigraph substitutions: user values never
    become part of the query text. A str value is read with :func:`parse_term`. A bound
    variable must be selected by the query (SPARQL SEP-0007). ``default_graphs`` and
    ``named_graphs`` set the dataset (SPARQL protocol default-graph-uri / named-graph-uri).
    """
    store = store if store is not None else load_store(graph_dir)
    try:
        substitutions = {ox.Variable(name.lstrip("?$")): parse_term(value) if isinstance(value, str) else value
                         for name, value in (bindings or {}).items()}
        answer = store.query(query, prefixes=PREFIXES, substitutions=substitutions or None,
                             default_graph=[ox.NamedNode(iri) for iri in default_graphs] or None,
                             named_graphs=[ox.NamedNode(iri) for iri in named_graphs] or None)
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ask", _bytes(answer.serialize(format=ox.QueryResultsFormat.JSON)))
        if isinstance(answer, ox.QuerySolutions):
            return QueryResult("select", _bytes(answer.serialize(format=ox.QueryResultsFormat.JSON)))
        return QueryResult("graph", _bytes(ox.serialize(answer, format=ox.RdfFormat.N_TRIPLES)))
    except SyntaxError as error:
        raise QueryError(syntax_message(query, str(error))) from error
    except (RuntimeError, OSError, ValueError) as error:
        unselected = re.search(r"does not contains? variable \?(\w+)", str(error))
        if unselected:  # pyoxigraph substitutes only variables the query selects
            raise QueryError(f"a value is bound to ?{unselected.group(1)}, which the query does not "
                             f"select; add ?{unselected.group(1)} to its SELECT clause") from error
        raise QueryError(f"the query failed: {error}") from error


def syntax_message(query: str, message: str) -> str:
    """pyoxigraph says 'error at L:C: expected …'; name line and column and point at the spot."""
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if not match:
        return f"SPARQL syntax error: {message}"
    line, column, detail = int(match.group(1)), int(match.group(2)), match.group(3)
    detail = " ".join(detail.split())
    if len(detail) > 160:  # the "expected one of" lists of character classes run long
        detail = detail[:160] + "…"
    lines = query.splitlines() or [""]
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    caret = " " * (_width(source[: max(column - 1, 0)])) + "^"
    return f"SPARQL syntax error at line {line}, column {column}: {detail}\n  {source}\n  {caret}"


def display(term: Term | None) -> str:
    """A term as people read it: prefixed IRI, literal value, _:blank."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace) and len(term.value) > len(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _bytes(data: bytes | None) -> bytes:
    """pyoxigraph's serializers return bytes when given no output file."""
    if data is None:
        raise QueryError("pyoxigraph wrote no bytes")  # only when an output file is given
    return data


def _width(text: str) -> int:
    """Display columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str) -> str:
    text = " ".join(text.split())  # evidence sentences may hold line breaks
    if _width(text) <= TABLE_CELL_WIDTH:
        return text
    out, used = [], 0
    for ch in text:
        used += _width(ch)
        if used > TABLE_CELL_WIDTH - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def _table_line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell + " " * (width - _width(cell)) for cell, width in zip(cells, widths)).rstrip()
