"""`kg serve`: the real server process on a free localhost port, queried over HTTP with urllib."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
import rdflib

from kg import rdf
from sparql_samples import DOC_ZONE, seed_facts

pytestmark = pytest.mark.slow

ZONES = "SELECT ?l WHERE { ?z a kg:DevelopmentZone ; rdfs:label ?l } ORDER BY ?l"
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
HTTP_TIMEOUT = 60  # a hang guard for the test itself, not a speed check


@contextmanager
def kg_serve(*args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Start `kg serve --port 0 ARGS`, yield (endpoint URL, process); terminate it afterwards."""
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--port", "0", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()

    def read_stderr() -> None:
        for line in process.stderr:  # type: ignore[union-attr]
            lines.put(line)

    threading.Thread(target=read_stderr, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + 120  # a hang guard: starting takes a second or two
    try:
        while True:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                assert process.poll() is None, f"kg serve exited: {''.join(seen)}"
                assert time.monotonic() < deadline, f"kg serve did not start: {''.join(seen)}"
                continue
            seen.append(line)
            if "SPARQL endpoint at" in line:
                yield line.split(" at ")[1].split()[0], process
                return
    finally:
        process.terminate()
        process.wait(timeout=30)


def request(url: str, *, data: bytes | None = None, method: str | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=HTTP_TIMEOUT) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def form(query: str, **extra: str) -> bytes:
    return urlencode({"query": query, **extra}).encode()


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def graph_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("served")
    rdf.write(rdf.build_rdf(seed_facts()), out, formats=("ttl", "nq"))
    return out


@pytest.fixture(scope="module")
def endpoint(graph_dir: Path) -> Iterator[str]:
    with kg_serve("-g", str(graph_dir), "--timeout", "1", "--workers", "2") as (url, _):
        yield url


def labels(body: bytes) -> list[str]:
    return [b["l"]["value"] for b in json.loads(body)["results"]["bindings"]]


def test_get_query_answers_sparql_results_json(endpoint: str) -> None:
    status, headers, body = request(f"{endpoint}?{urlencode({'query': ZONES})}")
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert labels(body) == ["济宁经济技术开发区", "济宁高新区"]


@pytest.mark.parametrize(("accept", "media", "fmt"), [
    ("application/sparql-results+xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/tab-separated-values", "text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ("text/csv;q=0.9, application/sparql-results+json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("*/*", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
])
def test_post_form_negotiates_the_results_format(endpoint: str, accept: str, media: str,
                                                  fmt: ox.QueryResultsFormat) -> None:
    status, headers, body = request(endpoint, data=form(ZONES), headers={**FORM, "Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(media)
    parsed = ox.parse_query_results(body, format=fmt)
    assert isinstance(parsed, ox.QuerySolutions)
    assert [s["l"].value for s in parsed] == ["济宁经济技术开发区", "济宁高新区"]


def test_csv_results(endpoint: str) -> None:
    status, headers, body = request(endpoint, data=form(ZONES), headers={**FORM, "Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert body.decode() == "l\r\n济宁经济技术开发区\r\n济宁高新区\r\n"


def test_post_direct_query_body_and_ask(endpoint: str) -> None:
    status, _, body = request(endpoint, data="ASK { ?p a kg:Person }".encode(),
                              headers={"Content-Type": "application/sparql-query"})
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}


def test_construct_is_turtle_or_ntriples(endpoint: str) -> None:
    construct = "CONSTRUCT { ?z rdfs:label ?l } WHERE { ?z a kg:DevelopmentZone ; rdfs:label ?l }"
    status, headers, body = request(endpoint, data=form(construct), headers=FORM)
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=body.decode(), format="turtle")) == 2
    status, headers, body = request(endpoint, data=form(construct), headers={**FORM, "Accept": "application/n-triples"})
    assert headers["Content-Type"].startswith("application/n-triples") and len(body.splitlines()) == 2


def test_dataset_from_protocol_parameters(endpoint: str) -> None:
    """named-graph-uri restricts GRAPH ?g to the articles asked for."""
    article = f"https://w3id.org/kg-cn/id/article/{DOC_ZONE}"
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    _, _, body = request(endpoint, data=form(query, **{"named-graph-uri": article}), headers=FORM)
    assert [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]] == [article]
    _, _, body = request(endpoint, data=form(query), headers=FORM)
    assert len(json.loads(body)["results"]["bindings"]) == 2


@pytest.mark.parametrize(("data", "method", "headers"), [
    (urlencode({"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}).encode(), "POST", FORM),
    (b"INSERT DATA { <urn:a> <urn:b> <urn:c> }", "POST", {"Content-Type": "application/sparql-update"}),
    (b"<urn:a> <urn:b> <urn:c> .", "PUT", {"Content-Type": "text/turtle"}),
    (None, "DELETE", {}),
], ids=["form-update", "direct-update", "put", "delete"])
def test_updates_are_refused_and_change_nothing(endpoint: str, data: bytes | None, method: str,
                                                headers: dict[str, str]) -> None:
    status, _, body = request(endpoint, data=data, method=method, headers=headers)
    assert status == 403 and b"read-only" in body
    _, _, answer = request(endpoint, data=form("ASK { <urn:a> ?p ?o }"), headers=FORM)
    assert json.loads(answer)["boolean"] is False
    _, _, count = request(endpoint, data=form("SELECT (COUNT(*) AS ?n) WHERE { ?z a kg:DevelopmentZone }"), headers=FORM)
    assert json.loads(count)["results"]["bindings"][0]["n"]["value"] == "2"


def test_an_update_sent_as_a_query_is_a_syntax_error(endpoint: str) -> None:
    status, _, body = request(endpoint, data=form("INSERT DATA { <urn:a> <urn:b> <urn:c> }"), headers=FORM)
    assert status == 400 and b"syntax error at line 1" in body


def test_a_syntax_error_is_400_naming_line_and_column(endpoint: str) -> None:
    status, headers, body = request(endpoint, data=form("SELECT ?x WHERE {\n ?x ?y }"), headers=FORM)
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert "line 2, column" in body.decode()


def test_unacceptable_media_type_is_406(endpoint: str) -> None:
    status, _, body = request(endpoint, data=form(ZONES), headers={**FORM, "Accept": "image/png"})
    assert status == 406 and b"application/sparql-results+json" in body


def test_cors_for_browser_clients(endpoint: str) -> None:
    status, headers, _ = request(endpoint, method="OPTIONS", headers={
        "Origin": "http://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, x-requested-with"})
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*" and "POST" in headers["Access-Control-Allow-Methods"]
    assert headers["Access-Control-Allow-Headers"] == "content-type, x-requested-with"
    _, headers, _ = request(f"{endpoint}?{urlencode({'query': ZONES})}")
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_a_query_past_the_time_limit_gets_503_and_the_server_goes_on(endpoint: str) -> None:
    status, _, body = request(endpoint, data=form(ENDLESS), headers=FORM)
    assert status == 503 and b"time limit is 1 s" in body
    status, _, body = request(endpoint, data=form(ZONES), headers=FORM)
    assert status == 200 and labels(body) == ["济宁经济技术开发区", "济宁高新区"]


def test_a_long_query_does_not_hold_up_others(graph_dir: Path) -> None:
    # a server of its own: after a timeout elsewhere, a replacement worker may still be loading
    with kg_serve("-g", str(graph_dir), "--timeout", "1", "--workers", "2") as (url, _):
        slow: list[int] = []
        worker = threading.Thread(target=lambda: slow.append(request(url, data=form(ENDLESS), headers=FORM)[0]))
        worker.start()
        status, _, body = request(url, data=form(ZONES), headers=FORM)
        still_running = worker.is_alive()
        worker.join(HTTP_TIMEOUT)
    assert status == 200 and labels(body) == ["济宁经济技术开发区", "济宁高新区"]
    assert still_running and slow == [503]


def query_workers(server_pid: int) -> list[int]:
    children = subprocess.run(["ps", "--ppid", str(server_pid), "-o", "pid="], capture_output=True,
                              text=True).stdout.split()
    return [int(pid) for pid in children
            if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")]


def test_a_worker_that_dies_is_replaced(graph_dir: Path) -> None:
    with kg_serve("-g", str(graph_dir), "--workers", "1") as (url, process):
        (worker,) = query_workers(process.pid)
        os.kill(worker, signal.SIGKILL)  # as the kernel's OOM killer would
        status, _, body = request(url, data=form(ZONES), headers=FORM)
        assert status == 503 and b"stopped unexpectedly" in body
        for _ in range(600):  # the replacement loads the graph first
            status, _, body = request(url, data=form(ZONES), headers=FORM)
            if status == 200:
                break
            time.sleep(0.1)
        assert status == 200 and labels(body) == ["济宁经济技术开发区", "济宁高新区"]
        assert query_workers(process.pid) != [worker]


def test_missing_graph_is_an_error_naming_kg_build(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "kg.cli", "serve", "--port", "0", "-g", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "kg build" in done.stderr and str(tmp_path) in done.stderr


def test_a_taken_port_is_an_error(graph_dir: Path, endpoint: str) -> None:
    port = endpoint.split(":")[2].split("/")[0]
    done = subprocess.run([sys.executable, "-m", "kg.cli", "serve", "--port", port, "-g", str(graph_dir),
                           "--workers", "1"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in done.stderr


def test_terminating_the_server_ends_its_workers(graph_dir: Path) -> None:
    with kg_serve("-g", str(graph_dir), "--workers", "2") as (url, process):
        children = subprocess.run(["ps", "--ppid", str(process.pid), "-o", "pid="],
                                  capture_output=True, text=True).stdout.split()
        assert len(children) >= 2  # the query workers (and multiprocessing's resource tracker)
        assert request(f"{url}?{urlencode({'query': 'ASK {}'})}")[0] == 200
    assert process.returncode == 0

    def alive(pid: str) -> bool:
        status = Path(f"/proc/{pid}/status")
        return status.exists() and "zombie" not in status.read_text().lower()

    for _ in range(100):  # multiprocessing's resource tracker leaves once it sees its parent gone
        if not any(alive(pid) for pid in children):
            break
        time.sleep(0.1)
    assert not [pid for pid in children if alive(pid)]


def test_the_endpoint_without_a_query_says_how_to_use_it(endpoint: str) -> None:
    status, headers, body = request(endpoint)
    assert status == 200 and headers["Content-Type"].startswith("text/plain") and b"read-only" in body
    base = endpoint.rsplit("/", 1)[0]
    assert request(f"{base}/elsewhere")[0] == 404
    assert request(f"{base}/query?{urlencode({'query': 'ASK {}'})}")[0] == 200  # Oxigraph's path works too
    status, _, _ = request(endpoint, data=b"query=ASK%20%7B%7D", headers={"Content-Type": "text/plain"})
    assert status == 415


def test_the_competency_queries_answer_over_http_as_in_kg_query(endpoint: str, graph_dir: Path) -> None:
    from kg.query import run_query

    for path in sorted((Path(__file__).resolve().parent.parent / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        status, _, body = request(endpoint, data=text.encode(), headers={"Content-Type": "application/sparql-query"})
        assert status == 200, (path.name, body)
        served, local = json.loads(body), json.loads(run_query(text, graph_dir=graph_dir).serialize("json"))
        assert served["head"] == local["head"], path.name
        # ties in ORDER BY may come in either order from two processes: compare as multisets
        assert sorted(map(json.dumps, served["results"]["bindings"])) == \
            sorted(map(json.dumps, local["results"]["bindings"])), path.name
