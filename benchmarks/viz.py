"""How long graph.html takes to make and to open, as graphs grow (headless Chromium, no network).

For each size, a synthetic graph of made-up names (tests/test_viz.py's generator: chains of
relations over articles) is rendered with ``kg.viz.render_html`` and opened in Debian's
headless Chromium; measured, in wall seconds:

- render: ``render_html`` (pyvis data, inlining, writing);
- open → ready: navigation until the first layout has settled and physics is off;
- show all → ready: the page's "show all" button, which lays out the rest;
- search: typing a name + Enter until the node is selected (neighbour highlight included).

Also the seeds' build when ``--seeds-graph output/graph.graphml`` is given. Prints a Markdown table.

    python benchmarks/viz.py --sizes 400 2000 5000
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from chromium import Chromium  # noqa: E402
from test_viz import synthetic_corpus  # noqa: E402

from kg.graph import build_graph, read_graphml  # noqa: E402
from kg.viz import render_html  # noqa: E402


def measure(name: str, graph, out: Path) -> dict[str, object]:
    start = time.perf_counter()
    render_html(graph, out)
    row: dict[str, object] = {"graph": name, "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
                              "render s": time.perf_counter() - start, "html MB": out.stat().st_size / 1e6}
    with Chromium(width=1400, height=900, timeout_s=600) as browser:
        start = time.perf_counter()
        browser.open(out.resolve().as_uri())
        browser.wait_for("window.kg && window.kg.ready")
        row["open→ready s"] = time.perf_counter() - start
        row["shown first"] = browser.evaluate("kg.network.body.nodeIndices.length")
        label = graph.nodes[next(n for n in graph.nodes if not n.startswith("article:"))]["label"]
        start = time.perf_counter()
        browser.type_text("#kg-search", label, enter=True)
        browser.wait_for("kg.network.getSelectedNodes().length === 1")
        row["search s"] = time.perf_counter() - start
        if browser.evaluate("!document.getElementById('kg-show-all').hidden"):
            start = time.perf_counter()
            browser.click("#kg-show-all")
            browser.wait_for("window.kg.ready")
            row["show all→ready s"] = time.perf_counter() - start
        assert not browser.errors(), browser.errors()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[400, 2000, 5000], help="Entities per synthetic graph.")
    parser.add_argument("--seeds-graph", type=Path, help="A built graph.graphml to measure as well.")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.seeds_graph:
            print("seeds …", file=sys.stderr)
            rows.append(measure("seeds", read_graphml(args.seeds_graph), Path(tmp) / "seeds.html"))
        for size in args.sizes:
            print(f"{size} entities …", file=sys.stderr)
            graph = build_graph(synthetic_corpus(size, max(5, size // 60)))
            rows.append(measure(f"synthetic {size}", graph, Path(tmp) / f"{size}.html"))
    columns = ["graph", "nodes", "edges", "render s", "html MB", "open→ready s", "shown first", "search s",
               "show all→ready s"]
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}\n")
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        cells = [f"{v:.2f}" if isinstance(v, float) else str(v) for v in (row.get(c, "–") for c in columns)]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
