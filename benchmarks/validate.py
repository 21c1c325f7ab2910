"""Time of `kg validate` per inference mode, and of building/writing the RDF, on a built graph.

Validates GRAPH (default: builds seeds/ into a temporary folder first) with pySHACL's
inference "none" and "rdfs", REPEAT times each, and prints a Markdown table of median
wall and CPU seconds with the verdict (under "rdfs" a relation's rdfs:range can give its
tail a second type, turning a domain/range warning into a violation). Also times
kg.rdf.build_rdf and writing all four formats.

    .venv/bin/python benchmarks/validate.py [GRAPH.ttl] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import rdf  # noqa: E402
from kg.pipeline import build  # noqa: E402
from kg.validate import load_graph, validate_graph  # noqa: E402


def median_seconds(action: Callable[[], object], repeat: int) -> tuple[str, object]:
    """Median wall and CPU seconds (CPU time is what a busy machine does not inflate)."""
    wall, cpu, result = [], [], None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = action()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return f"{statistics.median(wall):.2f} | {statistics.median(cpu):.2f}", result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = None
        if args.graph is None:
            result = build([ROOT / "seeds"], out_dir=Path(tmp), html=False, cache=False)
            corpus, args.graph = result.corpus, Path(tmp) / "graph.ttl"
        graph = load_graph(args.graph)
        print(f"{args.graph}: {len(graph)} triples\n")
        print("| step | median wall s | median CPU s | result |\n|---|---|---|---|")
        seconds, _ = median_seconds(lambda: load_graph(args.graph), args.repeat)
        print(f"| parse (pyoxigraph check + rdflib) | {seconds} | |")
        for mode in ("none", "rdfs"):
            seconds, report = median_seconds(lambda: validate_graph(graph, inference=mode), args.repeat)
            print(f"| pySHACL, inference={mode} | {seconds} | conforms={report.conforms} "  # type: ignore[attr-defined]
                  f"({len(report.violations)} results) |")  # type: ignore[attr-defined]
        if corpus is not None:
            seconds, _ = median_seconds(lambda: rdf.build_rdf(corpus), args.repeat)
            print(f"| build_rdf | {seconds} | |")
            out = Path(tmp) / "formats"
            seconds, _ = median_seconds(lambda: rdf.write(graph, out, ("nt", "nq", "jsonld")), args.repeat)
            print(f"| write ttl+nt+nq+jsonld | {seconds} | |")


if __name__ == "__main__":
    main()
