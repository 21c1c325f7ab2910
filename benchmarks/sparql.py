"""How fast the built graph answers SPARQL: loading, the competency queries, and `kg serve` over HTTP.

Builds the inputs (seeds/ by default; the analysis cache makes repeats quick) with N-Quads,
then prints a Markdown table to stdout:

    .venv/bin/python benchmarks/sparql.py [--runs 20] [--clients 4] [INPUT ...]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.pipeline import build  # noqa: E402
from kg.query import load_store, run_query  # noqa: E402


def timed(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """(median, max) wall time in milliseconds over ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def http_rate(url: str, query: str, requests: int, clients: int) -> tuple[float, float]:
    """(requests per second, median latency ms) for ``clients`` threads sharing ``requests`` GETs."""
    latencies: list[float] = []
    lock = threading.Lock()
    target = f"{url}?{urlencode({'query': query})}"

    def client(count: int) -> None:
        for _ in range(count):
            start = time.perf_counter()
            with urllib.request.urlopen(target, timeout=60) as response:
                response.read()
            with lock:
                latencies.append((time.perf_counter() - start) * 1000)

    threads = [threading.Thread(target=client, args=(requests // clients,)) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - start), statistics.median(latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", default=[str(ROOT / "seeds")])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    out = Path(tempfile.mkdtemp(prefix="kg-sparql-bench-"))
    result = build(args.inputs, out_dir=out, formats=("nq",), html=False)
    print(f"graph: {result.summary()}; {result.triples} triples\n")
    print("| what | median ms | max ms |\n|---|---:|---:|")
    for name in ("graph.ttl", "graph.nq"):
        median, worst = timed(lambda: load_store(out / name), max(args.runs // 4, 3))
        print(f"| load {name} into pyoxigraph | {median:.1f} | {worst:.1f} |")
    store = load_store(out)
    for path in sorted((ROOT / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        rows = len(run_query(text, store=store).rows)
        median, worst = timed(lambda: run_query(text, store=store).serialize("json"), args.runs)
        print(f"| {path.stem} ({rows} rows) | {median:.1f} | {worst:.1f} |")

    server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--port", "0", "-q", "-g", str(out),
                               "--workers", str(args.clients)], stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        while "SPARQL endpoint at" not in line:
            line = server.stderr.readline()  # type: ignore[union-attr]
            if not line:
                raise SystemExit("kg serve did not start")
        url = line.split(" at ")[1].split()[0]
        query = (ROOT / "queries" / "programs_by_zone.rq").read_text(encoding="utf-8")
        rate, latency = http_rate(url, query, args.runs * args.clients * 5, args.clients)
        print(f"\n`kg serve` ({args.clients} workers, {args.clients} clients, programs_by_zone): "
              f"{rate:.0f} requests/s, median latency {latency:.1f} ms")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
