"""`kg load`: uploads into a real `oxigraph serve` process on localhost, queried back over HTTP."""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest
import rdflib
from click.testing import CliRunner

from kg import rdf
from kg.cli import main
from kg.errors import LoadError
from kg.query import PREFIXES
from kg.store import load
from sparql_samples import DOC_ZONE, seed_facts

pytestmark = pytest.mark.slow

OXIGRAPH = Path(sys.executable).parent / "oxigraph"  # the `oxigraph` PyPI package (dev extra)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A read-write Oxigraph server with its own store; yields its base URL."""
    assert OXIGRAPH.exists(), "install the dev extras (make venv): the oxigraph package ships the server"
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-db")
    process = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/query?{urlencode({'query': 'ASK {}'})}", timeout=5).close()
                break
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None, process.stderr.read().decode()  # type: ignore[union-attr]
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("to-load")
    rdf.write(rdf.build_rdf(seed_facts()), out, formats=("ttl", "nq"))
    return out


def select(base: str, query: str) -> list[dict[str, str]]:
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    req = urllib.request.Request(f"{base}/query", data=urlencode({"query": prologue + query}).encode(),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=60) as response:
        data = json.load(response)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def count(base: str, graph: str | None) -> int:
    pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    return int(select(base, f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")[0]["n"])


def turtle_of(triples: Sequence[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]], path: Path) -> Path:
    graph = rdflib.Graph()
    for triple in triples:
        graph.add(triple)
    graph.serialize(path, format="turtle")
    return path


def test_load_into_a_named_graph_round_trips(oxigraph: str, build_dir: Path) -> None:
    iri = "https://example.org/graph/round-trip"
    report = load(build_dir, endpoint=f"{oxigraph}/store", graph=iri, replace=True)
    assert report.method == "PUT" and report.status in (201, 204) and report.source.name == "graph.ttl"
    assert count(oxigraph, iri) == len(rdflib.Graph().parse(build_dir / "graph.ttl"))
    rows = select(oxigraph, f"""SELECT ?partner ?amount WHERE {{ GRAPH <{iri}> {{
        ?a a kg:Agreement ; kg:party ?zone, ?p ; kg:amount ?amount . ?zone rdfs:label "济宁经济技术开发区"@zh .
        ?p rdfs:label ?partner FILTER(?p != ?zone) }} }}""")
    assert rows == [{"partner": "中建钢构有限公司", "amount": "1000000000"}]


def test_replace_drops_the_old_content_append_keeps_it(oxigraph: str, build_dir: Path, tmp_path: Path) -> None:
    iri = "https://example.org/graph/replace-append"
    triples = sorted(rdflib.Graph().parse(build_dir / "graph.ttl"))
    first = turtle_of(triples[:100], tmp_path / "first.ttl")
    second = turtle_of(triples[100:250], tmp_path / "second.ttl")
    load(first, endpoint=f"{oxigraph}/store", graph=iri, replace=True)
    assert count(oxigraph, iri) == 100
    report = load(second, endpoint=f"{oxigraph}/store", graph=iri, replace=False)
    assert report.method == "POST" and count(oxigraph, iri) == 250
    load(second, endpoint=f"{oxigraph}/store", graph=iri, replace=True)
    assert count(oxigraph, iri) == 150


def test_default_graph_and_other_graphs_untouched(oxigraph: str, build_dir: Path) -> None:
    other = "https://example.org/graph/untouched"
    load(build_dir / "graph.ttl", endpoint=f"{oxigraph}/store", graph=other)
    before = count(oxigraph, other)
    load(build_dir / "graph.ttl", endpoint=f"{oxigraph}/store", graph=None, replace=True)
    default = select(oxigraph, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # Oxigraph: default graph only
    assert int(default[0]["n"]) == len(rdflib.Graph().parse(build_dir / "graph.ttl"))
    assert count(oxigraph, other) == before


def test_nquads_keep_one_graph_per_article(oxigraph: str, build_dir: Path) -> None:
    load(build_dir / "graph.nq", endpoint=f"{oxigraph}/store", replace=False)
    graphs = {row["g"] for row in select(oxigraph, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s kg:implements ?o } }")}
    assert f"https://w3id.org/kg-cn/id/article/{DOC_ZONE}" in graphs
    with pytest.raises(LoadError, match="names its own graphs"):
        load(build_dir / "graph.nq", endpoint=f"{oxigraph}/store", graph="https://example.org/g")


def test_http_failures_name_status_and_body(oxigraph: str, build_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"HTTP 404 .*not supported"):
        load(build_dir, endpoint=f"{oxigraph}/no-such-service")
    broken = tmp_path / "broken.ttl"
    broken.write_text("<urn:a> <urn:b> \n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"HTTP 400 Bad Request: .*[Pp]arser error"):
        load(broken, endpoint=f"{oxigraph}/store")


def test_unreachable_store_and_bad_arguments(build_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="cannot reach .*is the store running"):
        load(build_dir, endpoint=f"http://127.0.0.1:{free_port()}/store")
    with pytest.raises(LoadError, match="not an absolute IRI"):
        load(build_dir, endpoint="http://127.0.0.1:1/store", graph="relative")
    with pytest.raises(LoadError, match="not an http"):
        load(build_dir, endpoint="ftp://example.org/store")
    with pytest.raises(LoadError, match="kg build"):
        load(tmp_path, endpoint="http://127.0.0.1:1/store")


def test_cli_load_reports_and_fails_in_one_line(oxigraph: str, build_dir: Path) -> None:
    runner = CliRunner()
    iri = "https://example.org/graph/cli"
    done = runner.invoke(main, ["load", str(build_dir), "--endpoint", f"{oxigraph}/store", "--graph", iri])
    assert done.exit_code == 0, done.output
    assert "PUT" in done.stderr and "HTTP 20" in done.stderr
    assert count(oxigraph, iri) > 0
    failed = runner.invoke(main, ["load", str(build_dir), "--endpoint", f"{oxigraph}/nope", "--append"])
    assert failed.exit_code == 1 and failed.stderr.startswith("kg: error: ") and "POST" in failed.stderr


class _AuthStore(BaseHTTPRequestHandler):
    """A store front that wants HTTP Basic credentials, as Fuseki and GraphDB may; keeps what it gets."""

    received: list[tuple[str, str, bytes]] = []

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Authorization") != "Basic " + base64.b64encode(b"kg:s3cret").decode():
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
            self.end_headers()
            return
        self.received.append((self.path, self.headers["Content-Type"], body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def test_basic_credentials_are_sent(build_dir: Path) -> None:
    server = HTTPServer(("127.0.0.1", 0), _AuthStore)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}/ds/data"
    try:
        with pytest.raises(LoadError, match="HTTP 401"):
            load(build_dir, endpoint=endpoint)
        load(build_dir, endpoint=endpoint, graph="https://example.org/g", user="kg:s3cret")
    finally:
        server.shutdown()
        server.server_close()
    ((path, media, body),) = _AuthStore.received
    assert path == "/ds/data?graph=https%3A%2F%2Fexample.org%2Fg" and media.startswith("text/turtle")
    assert body == (build_dir / "graph.ttl").read_bytes()
