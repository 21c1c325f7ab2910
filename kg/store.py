"""Upload a built graph to a triple store over the SPARQL 1.1 Graph Store Protocol.

Works with any GSP endpoint: Oxigraph (http://host:7878/store), Apache Jena Fuseki
(http://host:3030/DATASET/data), GraphDB (http://host:7200/repositories/REPO/rdf-graphs/service).
PUT replaces the target graph, POST adds to it. Quad files (N-Quads, TriG) keep their own
graphs and go to the dataset itself, which Oxigraph and Fuseki accept.
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from kg.errors import LoadError

MEDIA_TYPES: dict[str, str] = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
}
QUAD_SUFFIXES = (".nq", ".trig")
BODY_EXCERPT = 300  # characters of an error response worth showing


@dataclass(frozen=True)
class LoadReport:
    """What was sent where, and what the store answered."""

    source: Path
    url: str
    method: str
    status: int
    size: int  # bytes sent


def source_file(source: Path) -> Path:
    """The file to upload: ``source`` itself, or graph.ttl of a build folder."""
    path = source / "graph.ttl" if source.is_dir() else source
    if not path.is_file():
        hint = f"run `kg build <inputs> -o {source}` first" if source.is_dir() else "check the path"
        raise LoadError(f"no graph file {path}: {hint}")
    if path.suffix not in MEDIA_TYPES:
        raise LoadError(f"{path}: unknown RDF file type; use one of {', '.join(MEDIA_TYPES)}")
    return path


def target_url(endpoint: str, graph: str | None, quads: bool) -> str:
    """The GSP request URL: ?graph=IRI, ?default, or the bare endpoint for a whole dataset."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LoadError(f"--endpoint {endpoint!r} is not an http(s) URL, e.g. http://127.0.0.1:7878/store")
    if quads:
        if graph is not None:
            raise LoadError("a quad file (N-Quads, TriG) names its own graphs; load it without --graph, "
                            "or load graph.ttl into the named graph")
        return endpoint
    if graph is not None and not urlsplit(graph).scheme:
        raise LoadError(f"--graph {graph!r} is not an absolute IRI, e.g. https://example.org/graph/kg")
    separator = "&" if parts.query else "?"
    return f"{endpoint}{separator}{'graph=' + quote(graph, safe='') if graph else 'default'}"


def load(source: Path, *, endpoint: str, graph: str | None = None, replace: bool = True,
         user: str | None = None, timeout_s: float = 300.0) -> LoadReport:
    """Send ``source`` (a graph file, or a build folder's graph.ttl) to the GSP ``endpoint``.

    ``graph`` None targets the default graph; ``replace`` uses PUT (the graph's old content
    goes), otherwise POST (triples are added). ``user`` is "name:password" for HTTP Basic auth.
    """
    path = source_file(source)
    url = target_url(endpoint, graph, path.suffix in QUAD_SUFFIXES)
    method = "PUT" if replace else "POST"
    size = path.stat().st_size
    headers = {"Content-Type": f"{MEDIA_TYPES[path.suffix]}; charset=utf-8", "Content-Length": str(size)}
    if user:
        headers["Authorization"] = "Basic " + base64.b64encode(user.encode("utf-8")).decode("ascii")
    with path.open("rb") as body:
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as response:
                return LoadReport(path, url, method, response.status, size)
        except urllib.error.HTTPError as error:
            detail = " ".join(error.read().decode("utf-8", errors="replace").split())[:BODY_EXCERPT]
            raise LoadError(f"{endpoint} refused {method} of {path}: HTTP {error.code} {error.reason}"
                            f"{': ' + detail if detail else ''}") from error
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise LoadError(f"cannot reach {endpoint} ({reason}); is the store running and the URL "
                            f"its Graph Store Protocol endpoint?") from error
