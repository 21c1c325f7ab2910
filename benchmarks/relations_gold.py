"""Relation rules measured in isolation: mentions built from the gold entity names.

Scores kg.relations.extract_relations on tests/gold as `kg eval` does (per document, on
(head, relation, tail) after entity matching, cooperatesWith undirected, recognizedAs by
value), but with the extracted mentions replaced by every occurrence of a gold name or
alias in the text (longest first, not overlapping), so that the figure depends on the
relation rules alone.

    .venv/bin/python benchmarks/relations_gold.py [--show PREDICATE] [--real] [--heldout]

With --real the mentions come from the real extractor (kg.extract), still scored by
mention text: the figure then shows what the relation rules make of real mentions before
kg.resolve merges aliases (`kg eval` gives the end-to-end figure).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the working tree, not an installed copy

from kg.model import PREDICATES, Document, Mention, RelationCandidate, Sentence
from kg.relations import extract_relations

QUOTES = "“”\"'‘’《》「」『』"


def norm(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c not in QUOTES and not c.isspace())


def read_document(path: Path) -> Document:
    """The corpus stage's reading when it exists; else a plain split at 。！？ and line ends."""
    try:
        from kg.corpus import read_documents
    except ImportError:
        text = path.read_text(encoding="utf-8-sig")
        sentences = []
        for match in re.finditer(r"[^。！？!?\n]+[。！？!?]*", text):
            if match.group().strip():
                sentences.append(Sentence(len(sentences), match.start(), match.end(), match.group()))
        return Document(id=path.name, path=str(path), text=text, sentences=tuple(sentences))
    return next(d for d in read_documents([path]) if isinstance(d, Document))


def gold_mentions(document: Document, gold: dict) -> list[Mention]:
    """Every occurrence of a gold label, longest first, quotes and whitespace ignored."""
    kept = [(i, c) for i, c in enumerate(document.text) if c not in QUOTES and not c.isspace()]
    flat = "".join(c for _, c in kept)
    labels = sorted({(norm(label), e["type"], e.get("subtype"))
                     for e in gold["entities"] for label in (e["name"], *e.get("aliases", ())) if norm(label)},
                    key=lambda x: -len(x[0]))
    taken = [False] * len(flat)
    mentions = []
    starts = [s.start for s in document.sentences]
    for label, etype, subtype in labels:
        for m in re.finditer(re.escape(label), flat):
            if any(taken[m.start():m.end()]):
                continue
            for k in range(m.start(), m.end()):
                taken[k] = True
            start, end = kept[m.start()][0], kept[m.end() - 1][0] + 1
            index = max(i for i, s in enumerate(starts) if s <= start)
            mentions.append(Mention(label, start, end, etype, "gold", document.id, index, subtype))
    return sorted(mentions, key=lambda m: m.start)


def score(documents: list[tuple[Document, dict, list[RelationCandidate]]], show: str | None) -> dict:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tp_p, n_p, tp_r, n_r
    for document, gold, candidates in documents:
        ids = defaultdict(set)
        names = {}
        for e in gold["entities"]:
            names[e["id"]] = e["name"]
            for label in (e["name"], *e.get("aliases", ())):
                ids[norm(label)].add(e["id"])
        gold_keys = {}
        for r in gold["relations"]:  # recognizedAs by value: a head may hold several statuses
            other = norm(r.get("value") or "") if r["relation"] == "recognizedAs" else r["tail"]
            gold_keys.setdefault((r["head"], r["relation"], other), r)
        extracted: dict[tuple, bool] = {}
        matched = set()
        for c in candidates:
            attrs = dict(c.attrs)
            heads = ids.get(norm(c.head.text), set())
            tails = ids.get(norm(c.tail.text), set()) if c.tail else set()
            hits = set()
            if c.predicate == "recognizedAs":
                value = norm(attrs.get("value", ""))
                hits = {k for k, g in gold_keys.items() if k[0] in heads and k[1] == "recognizedAs"
                        and value and (value in norm(g.get("value", "")) or norm(g.get("value", "")) in value)}
                key = (norm(c.head.text), c.predicate, value)
            else:
                for h in heads:
                    for t in tails:
                        for k in ((h, c.predicate, t), (t, c.predicate, h)):
                            if k in gold_keys and (k[0] == h or c.predicate == "cooperatesWith"):
                                hits.add(k)
                key = (norm(c.head.text), c.predicate, norm(c.tail.text) if c.tail else None)
            extracted[key] = extracted.get(key, False) or bool(hits)
            matched |= hits
            if show == c.predicate and not hits:
                print(f"FP {document.id[:3]} {c.rule:<24} {c.head.text} -> {c.tail.text if c.tail else attrs}"
                      f" | {c.sentence.text[:70]!r}")
        for (h, p, t), r in gold_keys.items():
            if show == p and (h, p, t) not in matched:
                print(f"FN {document.id[:3]} {names[h]} -> {names.get(t) or r.get('value')} | {r['evidence'][:70]!r}")
        for p in PREDICATES:
            e = [ok for (_, pp, _), ok in extracted.items() if pp == p]
            g = [k for k in gold_keys if k[1] == p]
            t = totals[p]
            t[0] += sum(e); t[1] += len(e); t[2] += sum(1 for k in g if k in matched); t[3] += len(g)
    return totals


def report(totals: dict) -> str:
    def row(name: str, t: list[int]) -> str:
        p = t[0] / t[1] if t[1] else 0.0
        r = t[2] / t[3] if t[3] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return f"{name:<16} P {p:.3f} ({t[0]}/{t[1]})  R {r:.3f} ({t[2]}/{t[3]})  F1 {f:.3f}"
    all_ = [sum(t[i] for t in totals.values()) for i in range(4)]
    return "\n".join([row("all", all_)] + [row(p, totals[p]) for p in PREDICATES if p in totals])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", choices=PREDICATES, help="list false positives/negatives of one relation")
    parser.add_argument("--real", action="store_true", help="mentions from kg.extract instead of the gold names")
    parser.add_argument("--heldout", action="store_true", help="score tests/heldout (gold in tests/heldout/gold)")
    args = parser.parse_args()
    if args.real:
        from kg.extract import extract_mentions
        from kg.nlp import get_tagger
        tagger = get_tagger()
    runs = []
    texts = ROOT / "tests" / "heldout" if args.heldout else ROOT / "seeds"
    for gold_path in sorted((texts / "gold" if args.heldout else ROOT / "tests" / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        document = read_document(texts / gold["doc"])
        if args.real:
            tagged = tagger.tag(document.sentences)
            runs.append((document, gold, extract_relations(document, tagged, extract_mentions(document, tagged))))
        else:
            runs.append((document, gold, extract_relations(document, [], gold_mentions(document, gold))))
    print(report(score(runs, args.show)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
