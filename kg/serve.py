"""A read-only SPARQL 1.1 Protocol endpoint over a built graph, for YASGUI, SPARQLWrapper & co.

pyoxigraph cannot cancel a running query, so queries run in worker processes that each
hold the graph: a query that outlives the time limit is stopped by ending its process
(the client gets 503) and a fresh worker takes its place. The HTTP side is the standard
library's ThreadingHTTPServer; results are written by kg.query (pyoxigraph serializers).
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kg.errors import KgError, QueryError, ServeError
from kg.query import QueryResult, graph_source, load_store, run_query

QUERY_PATHS = ("/sparql", "/query")
MAX_BODY = 1 << 20  # bytes; a SPARQL query longer than this is not a query people write
WORKER_START_S = 300.0  # loading the graph into a worker; generous for big graphs

# Media types we answer with, per result kind, the first being the default (SPARQL 1.1 Protocol §2.1.5).
RESULT_MEDIA: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
GRAPH_MEDIA: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "json",
    "application/rdf+xml": "xml",
    "text/plain": "ntriples",
}


@dataclass(frozen=True)
class QueryRequest:
    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


class QueryTimeout(Exception):
    """The query (or the wait for a free worker) outlived the time limit."""


class WorkerLost(Exception):
    """A query worker ended unexpectedly (e.g. out of memory); it is being replaced."""


def negotiate(accept: str, kind: str) -> tuple[str, str] | None:
    """(output format, media type) for an Accept header, or None when nothing offered is acceptable."""
    offers = GRAPH_MEDIA if kind == "graph" else RESULT_MEDIA
    ranges: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept.split(",")):
        media, *params = [part.strip() for part in item.split(";")]
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((quality, position, media.lower()))
    if not ranges:
        media = next(iter(offers))
        return offers[media], media
    for quality, _, media_range in sorted(ranges, key=lambda r: (-r[0], r[1])):
        if quality <= 0:
            break
        for media in offers:
            if media_range in (media, "*/*") or media_range == media.split("/")[0] + "/*":
                return offers[media], media
    return None


def _worker_main(conn: Connection, graph: str) -> None:
    """A worker process: load the graph once, then answer queries until the pipe closes."""
    try:
        store = load_store(Path(graph))
    except KgError as error:
        conn.send(("failed", str(error)))
        return
    conn.send(("ready", ""))
    while True:
        try:
            request: QueryRequest = conn.recv()
        except (EOFError, OSError):  # the server went away
            return
        try:
            result = run_query(request.query, store=store, default_graphs=request.default_graphs,
                               named_graphs=request.named_graphs)
            conn.send(("ok", result.kind, result.payload))
        except KgError as error:
            conn.send(("error", str(error), b""))


@dataclass(eq=False)  # identity: workers live in a set
class _Worker:
    process: BaseProcess
    conn: Connection


class WorkerPool:
    """Processes holding the graph; one query at a time each, killed and replaced on timeout."""

    def __init__(self, graph: Path, size: int) -> None:
        self._graph = graph
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: set[_Worker] = set()
        self._closed = False
        self.last_error = ""
        starting = [self._start() for _ in range(size)]
        try:
            for worker in starting:
                self._await_ready(worker)
        except ServeError:
            self.close()
            raise

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child, str(self._graph)),
                                        name="kg-serve-worker", daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        try:
            if not worker.conn.poll(WORKER_START_S):
                raise ServeError(f"loading {self._graph} took over {WORKER_START_S:.0f} s")
            status, message = worker.conn.recv()
        except (EOFError, OSError) as error:
            raise ServeError(f"a query worker died while loading {self._graph}: {error}") from error
        if status != "ready":
            raise ServeError(message)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        """End ``worker`` and start another in the background (loading takes a while)."""
        self._end(worker)

        def restart() -> None:
            if self._closed:
                return
            try:
                self._await_ready(self._start())
            except ServeError as error:
                self.last_error = str(error)

        threading.Thread(target=restart, name="kg-serve-restart", daemon=True).start()

    def _end(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        with self._lock:
            self._workers.discard(worker)

    def run(self, request: QueryRequest, timeout_s: float) -> QueryResult:
        """Answer ``request`` within ``timeout_s`` (waiting for a free worker included)."""
        deadline = time.monotonic() + timeout_s
        try:
            worker = self._idle.get(timeout=timeout_s)
        except queue.Empty:
            raise QueryTimeout("every query worker stayed busy") from None
        try:
            worker.conn.send(request)
            if not worker.conn.poll(max(deadline - time.monotonic(), 0.0)):
                self._replace(worker)
                raise QueryTimeout("the query ran too long")
            reply = worker.conn.recv()
        except (EOFError, OSError) as error:
            self._replace(worker)
            raise WorkerLost(f"the query worker stopped unexpectedly ({error or type(error).__name__}); "
                             "try again") from error
        self._idle.put(worker)
        if reply[0] == "error":
            raise QueryError(reply[1])
        return QueryResult(reply[1], reply[2])

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._workers)
        for worker in workers:
            self._end(worker)


class SparqlServer(ThreadingHTTPServer):
    """One thread per connection; the threads only wait on the worker pool."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], pool: WorkerPool, timeout_s: float,
                 log: Callable[[str], None] | None) -> None:
        super().__init__(address, SparqlHandler)
        self.pool, self.timeout_s, self.log = pool, timeout_s, log


class SparqlHandler(BaseHTTPRequestHandler):
    """SPARQL 1.1 Protocol: query via GET or POST (form or direct); updates are refused."""

    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = "kg-sparql"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib signature)
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} {format % args}")

    def do_OPTIONS(self) -> None:
        """CORS preflight, so that YASGUI in a browser may POST queries here."""
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain",
                   allow_headers=self.headers.get("Access-Control-Request-Headers") or "Content-Type, Accept")

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path not in (*QUERY_PATHS, "/"):
            return self._send_text(HTTPStatus.NOT_FOUND, f"no such endpoint {url.path}; query {QUERY_PATHS[0]}")
        params = parse_qs(url.query, keep_blank_values=True)
        if "update" in params:
            return self._refuse_update()
        if "query" not in params:
            return self._send_text(HTTPStatus.OK, USAGE)
        self._query(params)

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path not in QUERY_PATHS:
            if url.path in ("/update", "/store", "/data"):
                return self._refuse_update()
            return self._send_text(HTTPStatus.NOT_FOUND, f"no such endpoint {url.path}; query {QUERY_PATHS[0]}")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self._send_text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the request body exceeds {MAX_BODY} bytes")
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        params = parse_qs(url.query, keep_blank_values=True)
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media == "application/x-www-form-urlencoded":
            for key, values in parse_qs(body, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        elif media == "application/sparql-query":
            params["query"] = [body]
        elif media == "application/sparql-update":
            return self._refuse_update()
        else:
            return self._send_text(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                                   "send application/x-www-form-urlencoded or application/sparql-query")
        if "update" in params:
            return self._refuse_update()
        self._query(params)

    def do_PUT(self) -> None:
        self._refuse_update()

    def do_DELETE(self) -> None:
        self._refuse_update()

    def do_PATCH(self) -> None:
        self._refuse_update()

    def _refuse_update(self) -> None:
        self._send_text(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL updates and graph "
                                              "uploads are refused (load the graph into a store with `kg load`)")

    def _query(self, params: dict[str, list[str]]) -> None:
        if len(params.get("query", [])) != 1:
            return self._send_text(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
        request = QueryRequest(params["query"][0], tuple(params.get("default-graph-uri", ())),
                               tuple(params.get("named-graph-uri", ())))
        try:
            result = self.server.pool.run(request, self.server.timeout_s)
        except QueryTimeout as error:
            return self._send_text(HTTPStatus.SERVICE_UNAVAILABLE,
                                   f"{error}: the time limit is {self.server.timeout_s:g} s")
        except WorkerLost as error:
            return self._send_text(HTTPStatus.SERVICE_UNAVAILABLE, str(error))
        except QueryError as error:
            return self._send_text(HTTPStatus.BAD_REQUEST, str(error))
        chosen = negotiate(self.headers.get("Accept", ""), result.kind)
        if chosen is None:
            offers = GRAPH_MEDIA if result.kind == "graph" else RESULT_MEDIA
            return self._send_text(HTTPStatus.NOT_ACCEPTABLE, f"this result can be sent as {', '.join(offers)}")
        fmt, media = chosen
        self._send(HTTPStatus.OK, result.serialize(fmt), media)

    def _send_text(self, status: HTTPStatus, text: str) -> None:
        self._send(status, (text + "\n").encode("utf-8"), "text/plain")

    def _send(self, status: HTTPStatus, body: bytes, media: str, *,
              allow_headers: str = "Content-Type, Accept") -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{media}; charset=utf-8" if "charset" not in media else media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", allow_headers)
        self.send_header("Vary", "Accept")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


USAGE = f"""kg SPARQL endpoint (read-only, SPARQL 1.1 Protocol)
Query with GET {QUERY_PATHS[0]}?query=... or POST {QUERY_PATHS[0]} (form field query=, or a body of
type application/sparql-query). Results: SPARQL JSON (default), XML, CSV or TSV by Accept header;
CONSTRUCT/DESCRIBE: Turtle (default), N-Triples, JSON-LD or RDF/XML.
The prefixes kg:, rdfs:, skos:, prov:, nif:, xsd: ... are predeclared."""


def serve(graph_dir: Path, *, host: str = "127.0.0.1", port: int = 7878, timeout_s: float = 10.0,
          workers: int = 2, on_ready: Callable[[str], None] | None = None,
          log: Callable[[str], None] | None = None) -> None:
    """Serve the graph in ``graph_dir`` until interrupted; ``on_ready`` gets the endpoint URL."""
    graph_source(graph_dir)  # a missing graph fails here, with the `kg build` hint
    pool = WorkerPool(graph_dir, workers)
    try:
        try:
            server = SparqlServer((host, port), pool, timeout_s, log)
        except OSError as error:
            raise ServeError(f"cannot listen on {host}:{port} ({error.strerror}); "
                             f"choose another port with --port") from error
        with server:
            if on_ready is not None:
                on_ready(f"http://{host}:{server.server_address[1]}{QUERY_PATHS[0]}")
            server.serve_forever()
    finally:
        pool.close()
