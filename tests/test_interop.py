"""graph.ttl is read the same by four independent parsers: rdflib, pyoxigraph, serd and Raptor.

Each parser's reading is turned into N-Triples and compared with rdflib's graph, so a
parser that silently drops or alters triples fails as surely as one that rejects the file.
serdi and rapper come from Debian (`make sysdeps`).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg import rdf
from sparql_samples import seed_facts

TOOLS = {"serdi": "serdi (Debian package serdi)", "rapper": "rapper (Debian package raptor2-utils)"}


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{TOOLS[name]} is missing: run `make sysdeps`"
    return path


def serd(path: Path, syntax: str) -> str:
    done = subprocess.run([tool("serdi"), "-i", syntax, "-o", "ntriples" if syntax in ("turtle", "ntriples") else "nquads",
                           str(path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    return done.stdout


def raptor(path: Path, syntax: str) -> str:
    output = "ntriples" if syntax in ("turtle", "ntriples") else "nquads"
    done = subprocess.run([tool("rapper"), "-q", "-i", syntax, "-o", output, str(path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    return done.stdout


def oxigraph(path: Path) -> str:
    triples = ox.parse(path=path, format=ox.RdfFormat.TURTLE)
    return bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")


READERS: dict[str, Callable[[Path], str]] = {"pyoxigraph": oxigraph, "serd": partial(serd, syntax="turtle"),
           "raptor": partial(raptor, syntax="turtle")}


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("interop")
    rdf.write(rdf.build_rdf(seed_facts()), out, formats=("ttl", "nt", "nq"))
    return out


def assert_same_graph(path: Path, reader: str) -> None:
    reference = rdflib.Graph().parse(path, format="turtle")
    assert len(reference) > 0
    read = rdflib.Graph().parse(data=READERS[reader](path), format="nt")
    assert len(read) == len(reference), f"{reader} read {len(read)} triples, rdflib {len(reference)}"
    assert isomorphic(read, reference), f"{reader} reads {path} differently from rdflib"


@pytest.mark.parametrize("reader", READERS)
def test_sample_graph_ttl_is_read_alike_by_every_parser(sample_dir: Path, reader: str) -> None:
    assert_same_graph(sample_dir / "graph.ttl", reader)


@pytest.mark.slow
@pytest.mark.parametrize("reader", READERS)
def test_seed_graph_ttl_is_read_alike_by_every_parser(seed_build, reader: str) -> None:  # type: ignore[no-untyped-def]
    assert_same_graph(seed_build.out_dir / "graph.ttl", reader)


@pytest.mark.parametrize(("name", "syntax"), [("graph.nt", "ntriples"), ("graph.nq", "nquads")])
def test_line_formats_are_accepted_by_serd_and_raptor(sample_dir: Path, name: str, syntax: str) -> None:
    expected = {line for line in (sample_dir / name).read_text(encoding="utf-8").splitlines() if line.strip()}
    for read in (serd, raptor):
        statements = [line for line in read(sample_dir / name, syntax).splitlines() if line.strip()]
        assert len(statements) == len(expected), read.__name__
    oxigraph_format = ox.RdfFormat.N_QUADS if syntax == "nquads" else ox.RdfFormat.N_TRIPLES
    assert len(expected) == sum(1 for _ in ox.parse(path=sample_dir / name, format=oxigraph_format))
