"""The pipeline as a whole: incremental builds, parallel builds, crash safety."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import rdflib

from kg.errors import OutputError, RdfError
from kg.pipeline import build

from conftest import SEEDS

OUTPUTS = ("graph.ttl", "graph.graphml", "graph.html")


@pytest.fixture()
def three_seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:3]:
        shutil.copy(seed, folder / seed.name)
    return folder


def test_seed_build_writes_every_output(seed_build) -> None:
    for name in (*OUTPUTS, "graph.nt", "graph.nq", "graph.jsonld"):
        assert (seed_build.out_dir / name).stat().st_size > 0, name
    assert len(seed_build.corpus.documents) == 5
    assert "5 documents" in seed_build.summary()


def test_one_zone_node_across_articles(seed_build) -> None:
    zones = [e for e in seed_build.corpus.entities if e.name == "济宁经济技术开发区"]
    assert len(zones) == 1
    zone = zones[0]
    assert zone.type == "Place" and {"济宁经开区", "经开区"} <= set(zone.aliases)
    assert len(zone.documents) >= 3


def test_adding_an_article_reprocesses_only_that_article(three_seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build([three_seeds], out_dir=out, html=False)
    assert first.reused == 0
    extra = sorted(SEEDS.glob("*.txt"))[3]
    shutil.copy(extra, three_seeds / extra.name)
    second = build([three_seeds], out_dir=out, html=False)
    assert second.reused == 3 and len(second.corpus.documents) == 4
    full = build([three_seeds], out_dir=tmp_path / "full", html=False, cache=False)
    assert (out / "graph.ttl").read_bytes() == (tmp_path / "full" / "graph.ttl").read_bytes()


def test_two_workers_build_the_same_graph(three_seeds: Path, tmp_path: Path) -> None:
    """Two workers also write GraphML and HTML in a process of their own, beside the RDF."""
    build([three_seeds], out_dir=tmp_path / "one", cache=False)
    two = build([three_seeds], out_dir=tmp_path / "two", cache=False, workers=2)
    assert [path.name for path in two.files] == list(OUTPUTS)
    for name in OUTPUTS:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


@pytest.mark.parametrize("workers", [1, 2])
def test_an_output_that_cannot_be_written_is_an_error_naming_it(three_seeds: Path, tmp_path: Path,
                                                               workers: int) -> None:
    out = tmp_path / "out"
    (out / "graph.html" / "in-the-way").mkdir(parents=True)
    with pytest.raises(OutputError, match=r"graph\.html: cannot write it"):
        build([three_seeds], out_dir=out, cache=False, workers=workers)
    assert (out / "graph.ttl").stat().st_size > 0  # the other outputs are written
    assert sorted(p.name for p in out.iterdir()) == ["graph.graphml", "graph.html", "graph.ttl"]  # no temporary files


def test_a_killed_build_leaves_the_previous_outputs_intact(three_seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([three_seeds], out_dir=out, cache=False)
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    # A bigger corpus, so that the second build takes a while and writes different files.
    for copy in range(6):
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, three_seeds / f"{copy}_{seed.name}")
    command = [sys.executable, "-m", "kg.cli", "build", str(three_seeds), "-o", str(out), "--no-cache", "-q"]
    for delay in (0.5, 2.0, 4.0):
        process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        for name in OUTPUTS:
            assert (out / name).read_bytes() == before[name], f"{name} changed after a kill at {delay} s"
    rdflib.Graph().parse(out / "graph.ttl", format="turtle")
    assert not [p for p in os.listdir(out) if p.endswith(".tmp") and not p.startswith(".")]


def test_a_moved_corpus_is_reused_with_its_new_paths(three_seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([three_seeds], out_dir=out, html=False)
    moved = three_seeds.rename(tmp_path / "moved")
    again = build([moved], out_dir=out, html=False)
    assert again.reused == 3
    assert all(Path(d.path).parent == moved for d in again.corpus.documents)


def test_outputs_are_readable_by_other_users(seed_build) -> None:
    for path in seed_build.files:
        assert path.stat().st_mode & 0o044 == 0o044, path


def test_mentions_and_assertions_point_to_their_sentence(seed_build) -> None:
    outside = seed_build.rdf.query("""
        PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
        PREFIX kg: <https://w3id.org/kg-cn/ontology#>
        SELECT ?m WHERE {
          ?m a kg:Mention ; nif:beginIndex ?b ; nif:endIndex ?e ; nif:sentence ?s ; nif:referenceContext ?a .
          ?s nif:beginIndex ?sb ; nif:endIndex ?se ; nif:referenceContext ?sa .
          FILTER (?b < ?sb || ?e > ?se || ?a != ?sa)
        }""")
    assert not list(outside)
    counts = seed_build.rdf.query("""
        PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
        PREFIX kg: <https://w3id.org/kg-cn/ontology#>
        SELECT (COUNT(?m) AS ?all) (COUNT(?s) AS ?placed) WHERE {
          { ?m a kg:Mention } UNION { ?m a kg:Assertion } OPTIONAL { ?m nif:sentence ?s } }""")
    [(total, placed)] = list(counts)
    assert int(total) > 0 and int(total) == int(placed)


def test_an_unknown_format_is_refused_before_any_work(three_seeds: Path, tmp_path: Path) -> None:
    with pytest.raises(RdfError, match="rdfxml"):
        build([three_seeds], out_dir=tmp_path / "out", formats=("rdfxml",), workers=2)
    assert not (tmp_path / "out").exists()
