"""Scoring a built corpus against gold annotations (tests/gold/GUIDELINES.md, "How extraction is scored").

Scores are per document and micro-averaged: an extracted entity takes part in the scoring
of every gold document it is mentioned in, with all of its labels (name and aliases).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from kg.corpus import SUFFIXES
from kg.errors import GoldError
from kg.model import ENTITY_TYPES, PREDICATES, Corpus, Document, Entity, Relation

_QUOTES_AND_SPACE = re.compile(r"[“”\"'‘’《》「」『』\s]")


def normalize(label: str) -> str:
    """The form labels are compared in: Unicode NFKC, trimmed."""
    return unicodedata.normalize("NFKC", label).strip()


def _unquote(text: str) -> str:
    return _QUOTES_AND_SPACE.sub("", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class GoldEntity:
    id: str
    name: str
    type: str
    alt_types: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    subtype: str | None = None

    @property
    def labels(self) -> frozenset[str]:
        return frozenset(normalize(n) for n in (self.name, *self.aliases))

    def accepts(self, entity_type: str) -> bool:
        return entity_type == self.type or entity_type in self.alt_types


@dataclass(frozen=True)
class GoldRelation:
    head: str
    relation: str
    tail: str | None
    evidence: str
    value: str | None = None


@dataclass(frozen=True)
class GoldDocument:
    doc: str
    path: Path
    entities: tuple[GoldEntity, ...]
    relations: tuple[GoldRelation, ...]


def _fail(path: Path, what: str) -> GoldError:
    return GoldError(f"{path}: {what} (see tests/gold/GUIDELINES.md, 'File format')")


def _strings(path: Path, where: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, f"{where} must be a list of strings")
    return tuple(value)


def _parse_entity(path: Path, raw: object, index: int) -> GoldEntity:
    if not isinstance(raw, dict):
        raise _fail(path, f"entities[{index}] is not an object")
    for key in ("id", "name", "type"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise _fail(path, f"entities[{index}] needs a non-empty string '{key}'")
    where = f"entity {raw['id']} ({raw['name']})"
    alt_types = _strings(path, f"{where}: alt_types", raw.get("alt_types", []))
    for t in (raw["type"], *alt_types):
        if t not in ENTITY_TYPES:
            raise _fail(path, f"{where}: unknown type {t!r}; use one of {', '.join(ENTITY_TYPES)}")
    subtype = raw.get("subtype")
    if subtype is not None and not isinstance(subtype, str):
        raise _fail(path, f"{where}: subtype must be a string")
    return GoldEntity(id=raw["id"], name=raw["name"], type=raw["type"], alt_types=alt_types,
                      aliases=_strings(path, f"{where}: aliases", raw.get("aliases", [])), subtype=subtype)


def _parse_relation(path: Path, raw: object, index: int, ids: set[str]) -> GoldRelation:
    if not isinstance(raw, dict):
        raise _fail(path, f"relations[{index}] is not an object")
    relation, head, tail = raw.get("relation"), raw.get("head"), raw.get("tail")
    where = f"relations[{index}]"
    if relation not in PREDICATES:
        raise _fail(path, f"{where}: unknown relation {relation!r}; use one of {', '.join(PREDICATES)}")
    if head not in ids:
        raise _fail(path, f"{where}: head {head!r} is not an entity id of this file")
    if relation == "recognizedAs":
        if tail is not None or not isinstance(raw.get("value"), str):
            raise _fail(path, f"{where}: recognizedAs needs \"tail\": null and a string 'value'")
    elif tail not in ids:
        raise _fail(path, f"{where}: tail {tail!r} is not an entity id of this file")
    evidence = raw.get("evidence")
    if not isinstance(evidence, str):
        raise _fail(path, f"{where}: needs a string 'evidence'")
    return GoldRelation(head=head, relation=relation, tail=tail, evidence=evidence, value=raw.get("value"))


def load_gold_file(path: Path) -> GoldDocument:
    """Read and validate one gold file; every defect is a GoldError naming the file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise GoldError(f"{path}: cannot read gold file ({error})") from error
    except json.JSONDecodeError as error:
        raise GoldError(f"{path}: not valid JSON (line {error.lineno}: {error.msg})") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("doc"), str):
        raise _fail(path, "top level must be an object with a string 'doc'")
    raw_entities, raw_relations = raw.get("entities"), raw.get("relations", [])
    if not isinstance(raw_entities, list) or not isinstance(raw_relations, list):
        raise _fail(path, "'entities' and 'relations' must be lists")
    entities = tuple(_parse_entity(path, e, i) for i, e in enumerate(raw_entities))
    ids = [e.id for e in entities]
    duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)
    if duplicates:
        raise _fail(path, f"duplicate entity ids {', '.join(duplicates)}")
    relations = tuple(_parse_relation(path, r, i, set(ids)) for i, r in enumerate(raw_relations))
    return GoldDocument(doc=raw["doc"], path=path, entities=entities, relations=relations)


def load_gold(gold_dir: Path) -> list[GoldDocument]:
    """All *.json gold files of a folder, validated."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise GoldError(f"{gold_dir}: gold folder not found; pass --gold with a folder of *.json gold files")
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        raise GoldError(f"{gold_dir}: no *.json gold files in this folder")
    golds = [load_gold_file(f) for f in files]
    seen: dict[str, Path] = {}
    for gold in golds:
        if gold.doc in seen:
            raise GoldError(f"{gold.path}: document {gold.doc} is also annotated in {seen[gold.doc]}")
        seen[gold.doc] = gold.path
    return golds


def _document_text(document: Document) -> str | None:
    """The document's text; built corpora keep documents without text, so it is re-read then."""
    if document.text:
        return document.text
    if SUFFIXES.get(Path(document.path).suffix.lower()) not in ("txt", "md"):
        return None  # an HTML page's text is not its bytes: nothing to check against
    try:
        return Path(document.path).read_bytes().decode(document.encoding)
    except (OSError, UnicodeDecodeError, LookupError):
        return None


def check_against_text(gold: GoldDocument, document: Document) -> None:
    """Every gold name and alias must occur in the text (quotation marks and whitespace removed)."""
    raw = _document_text(document)
    if raw is None:  # unreadable now: the build reported it already
        return
    text = _unquote(raw)
    for entity in gold.entities:
        for label in (entity.name, *entity.aliases):
            if _unquote(label) not in text:
                raise _fail(gold.path, f"entity {entity.id}: {label!r} does not occur in {document.path}")


@dataclass(frozen=True)
class Score:
    """Counts behind a precision/recall pair (they differ: P counts extracted, R counts gold)."""

    correct_extracted: int = 0
    extracted: int = 0
    matched_gold: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.correct_extracted / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.correct_extracted + other.correct_extracted, self.extracted + other.extracted,
                     self.matched_gold + other.matched_gold, self.gold + other.gold)


@dataclass(frozen=True)
class Miss:
    """A gold entity not found (missed) or an extracted entity matching no gold (spurious)."""

    doc: str
    name: str
    type: str
    note: str = ""


@dataclass
class EvalReport:
    """Entity and relation scores of a corpus against gold files."""

    documents: list[str] = field(default_factory=list)
    untyped: Score = Score()
    typed: Score = Score()
    per_type: dict[str, Score] = field(default_factory=dict)
    fragments: int = 0  # extracted entities counted over matched gold entities
    relations: Score = Score()
    per_relation: dict[str, Score] = field(default_factory=dict)
    missed: list[Miss] = field(default_factory=list)
    spurious: list[Miss] = field(default_factory=list)
    unmatched_gold_files: list[str] = field(default_factory=list)

    @property
    def fragmentation(self) -> float:
        """Extracted entities per matched gold entity; 1.0 means every alias was resolved."""
        return self.fragments / self.untyped.matched_gold if self.untyped.matched_gold else 0.0

    def format(self, show: int = 0) -> str:
        """A plain-text report; with ``show`` the first N missed and spurious entities."""
        def row(name: str, s: Score) -> str:
            return (f"{name:<16}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}"
                    f"{s.correct_extracted:>7}/{s.extracted:<5}{s.matched_gold:>5}/{s.gold}")

        head = f"{'':<16}{'P':>7}{'R':>7}{'F1':>7}  extracted  gold"
        lines = [f"documents scored: {len(self.documents)}", "", "entities", head,
                 row("untyped", self.untyped), row("typed", self.typed)]
        lines += [row(f"  {t}", self.per_type[t]) for t in ENTITY_TYPES if t in self.per_type]
        lines += [f"fragmentation    {self.fragmentation:.3f}", "", "relations", head, row("all", self.relations)]
        lines += [row(f"  {p}", self.per_relation[p]) for p in PREDICATES if p in self.per_relation]
        if self.unmatched_gold_files:
            lines += ["", "gold files with no input document: " + ", ".join(self.unmatched_gold_files)]
        if show:
            for title, items in (("missed", self.missed), ("spurious", self.spurious)):
                lines += ["", f"{title} ({len(items)}, first {min(show, len(items))}):"]
                lines += [f"  {m.doc}  {m.type:<12} {m.name}" + (f"  ({m.note})" if m.note else "")
                          for m in items[:show]]
        return "\n".join(lines)


def _labels(entity: Entity) -> frozenset[str]:
    return frozenset(normalize(n) for n in (entity.name, *entity.aliases))


def _value_matches(extracted: str | None, gold: str | None) -> bool:
    a, b = _unquote(extracted or ""), _unquote(gold or "")
    return bool(a and b) and (a in b or b in a)


def _relation_key(head: str, predicate: str, tail: str | None, value: str | None) -> tuple[str, str, str | None]:
    """A relation's identity: recognizedAs has no tail, so its (normalized) value tells a head's statuses apart."""
    return (head, predicate, _unquote(value or "") if predicate == "recognizedAs" else tail)


class _DocScorer:
    """Matching of one document's extracted entities and relations to its gold."""

    def __init__(self, gold: GoldDocument, entities: Sequence[Entity], relations: Sequence[Relation]) -> None:
        self.gold, self.entities, self.relations = gold, entities, relations
        by_label: dict[str, list[GoldEntity]] = {}
        for g in gold.entities:
            for label in g.labels:
                by_label.setdefault(label, []).append(g)
        # extracted entity id -> gold entities whose labels it carries
        self.matches: dict[str, list[GoldEntity]] = {
            e.id: list({g.id: g for label in _labels(e) for g in by_label.get(label, [])}.values())
            for e in entities
        }

    def typed_matches(self, entity: Entity) -> list[GoldEntity]:
        return [g for g in self.matches[entity.id] if g.accepts(entity.type)]

    def score_entities(self, report: EvalReport) -> None:
        doc = self.gold.doc
        found_untyped: Counter[str] = Counter()
        found_typed: set[str] = set()
        for e in self.entities:
            found_untyped.update(g.id for g in self.matches[e.id])
            found_typed.update(g.id for g in self.typed_matches(e))
        report.untyped += Score(sum(1 for e in self.entities if self.matches[e.id]), len(self.entities),
                                len(found_untyped), len(self.gold.entities))
        report.typed += Score(sum(1 for e in self.entities if self.typed_matches(e)), len(self.entities),
                              len(found_typed), len(self.gold.entities))
        report.fragments += sum(found_untyped.values())
        for t in ENTITY_TYPES:
            extracted = [e for e in self.entities if e.type == t]
            gold = [g for g in self.gold.entities if g.type == t]
            if extracted or gold:
                report.per_type[t] = report.per_type.get(t, Score()) + Score(
                    sum(1 for e in extracted if self.typed_matches(e)), len(extracted),
                    sum(1 for g in gold if g.id in found_typed), len(gold))
        for g in self.gold.entities:
            if g.id not in found_typed:
                wrong = [e for e in self.entities if g in self.matches[e.id]]
                note = "typed " + ", ".join(sorted({e.type for e in wrong})) if wrong else ""
                report.missed.append(Miss(doc, g.name, g.type, note))
        for e in self.entities:
            if not self.typed_matches(e):
                note = "gold type " + ", ".join(sorted({g.type for g in self.matches[e.id]})) if self.matches[e.id] else ""
                report.spurious.append(Miss(doc, e.name, e.type, note))

    def score_relations(self, report: EvalReport) -> None:
        gold_keys: dict[tuple[str, str, str | None], GoldRelation] = {}
        for r in self.gold.relations:
            gold_keys.setdefault(_relation_key(r.head, r.relation, r.tail, r.value), r)
        matched: set[tuple[str, str, str | None]] = set()
        extracted: dict[tuple[str, str, str | None], bool] = {}
        for rel in self.relations:
            hit = self._relation_hits(rel, gold_keys)
            key = _relation_key(rel.head, rel.predicate, rel.tail, rel.attr("value"))
            extracted[key] = extracted.get(key, False) or bool(hit)
            matched.update(hit)
        for p in PREDICATES:
            n_extracted = [ok for (h, pred, t), ok in extracted.items() if pred == p]
            n_gold = [k for k in gold_keys if k[1] == p]
            if n_extracted or n_gold:
                score = Score(sum(n_extracted), len(n_extracted), sum(1 for k in n_gold if k in matched), len(n_gold))
                report.per_relation[p] = report.per_relation.get(p, Score()) + score
                report.relations += score

    def _relation_hits(self, r: Relation, gold_keys: dict[tuple[str, str, str | None], GoldRelation]
                       ) -> set[tuple[str, str, str | None]]:
        heads = self.matches.get(r.head, [])
        if r.predicate == "recognizedAs":
            return {k for h in heads for k, g in gold_keys.items()
                    if k[0] == h.id and k[1] == "recognizedAs" and _value_matches(r.attr("value"), g.value)}
        tails = self.matches.get(r.tail or "", [])
        hits: set[tuple[str, str, str | None]] = set()
        for h in heads:
            for t in tails:
                for key in ((h.id, r.predicate, t.id), (t.id, r.predicate, h.id)):
                    if key in gold_keys and (key[0] == h.id or r.predicate == "cooperatesWith"):
                        hits.add(key)
        return hits


def _document_key(doc_id: str) -> str:
    return Path(doc_id).name


def score_corpus(corpus: Corpus, golds: Iterable[GoldDocument]) -> EvalReport:
    """Score the entities and relations of ``corpus`` against already loaded gold documents."""
    documents = {_document_key(d.id): d for d in corpus.documents}
    entities_by_doc: dict[str, list[Entity]] = {}
    for entity in corpus.entities:
        for doc_id in entity.documents:
            entities_by_doc.setdefault(_document_key(doc_id), []).append(entity)
    relations_by_doc: dict[str, list[Relation]] = {}
    for relation in corpus.relations:
        relations_by_doc.setdefault(_document_key(relation.doc_id), []).append(relation)
    report = EvalReport()
    for gold in golds:
        key = _document_key(gold.doc)
        if key not in documents:
            report.unmatched_gold_files.append(gold.path.name)
            continue
        check_against_text(gold, documents[key])
        report.documents.append(key)
        scorer = _DocScorer(gold, entities_by_doc.get(key, []), relations_by_doc.get(key, []))
        scorer.score_entities(report)
        scorer.score_relations(report)
    if not report.documents:
        raise GoldError("no gold file names any of the input documents (the gold 'doc' field must be the "
                        "input file name); check the INPUT paths and --gold folder")
    return report


def evaluate(corpus: Corpus, gold_dir: Path) -> EvalReport:
    """Score a built corpus against the gold files of ``gold_dir``."""
    return score_corpus(corpus, load_gold(Path(gold_dir)))
