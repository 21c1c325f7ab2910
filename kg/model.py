"""Plain, frozen records that flow one way through the pipeline.

Character offsets into a document's *original* text are the source of truth: every
mention and relation can be traced back to the exact characters that state it.

Stage by stage::

    corpus.read_documents  -> Document
    nlp.Tagger.tag         -> TaggedSentence (per Sentence)
    extract.extract        -> Mention
    relations.extract      -> RelationCandidate (between mentions of one document)
    resolve.resolve        -> Entity, Relation (corpus-wide ids)
    graph / rdf / viz      -> NetworkX, rdflib, HTML
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

EntityType = Literal["Organization", "Place", "Program", "Project", "Person"]
ENTITY_TYPES: tuple[EntityType, ...] = get_args(EntityType)

Predicate = Literal["locatedIn", "partOf", "holdsPosition", "implements", "participatesIn",
                    "cooperatesWith", "recognizedAs"]
PREDICATES: tuple[Predicate, ...] = get_args(Predicate)


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document; ``text`` has page breaks rejoined."""

    index: int
    start: int  # offset of the first character in Document.text
    end: int  # offset one past the last character in Document.text
    text: str
    # Where page breaks were removed: (position in ``text``, number of original
    # characters dropped just before that position), in ascending order.
    gaps: tuple[tuple[int, int], ...] = ()

    def doc_offset(self, i: int) -> int:
        """Map an offset in ``text`` to an offset in Document.text."""
        shift = sum(dropped for pos, dropped in self.gaps if pos <= i)
        return self.start + i + shift

    def text_offset(self, offset: int) -> int:
        """Map an offset in Document.text of a character kept in ``text`` back to ``text`` (doc_offset reversed)."""
        i = offset - self.start
        for position, dropped in self.gaps:
            if i - dropped < position:
                break
            i -= dropped
        return i


@dataclass(frozen=True)
class Document:
    """One article as read from disk."""

    id: str  # stable id: the file name relative to the input root, e.g. "000_c6f7.txt"
    path: str  # the source file as given by the user
    text: str  # the original text (after decoding), offsets point here
    title: str = ""
    bylines: tuple[str, ...] = ()  # person names after 通讯员/记者
    sentences: tuple[Sentence, ...] = ()
    year: int | None = None  # publication year when the text or file name states it
    encoding: str = "utf-8"
    sha256: str = ""  # of the raw bytes; the cache key
    # Where this document starts in its file's text: > 0 for the later parts of a
    # file too big to read at once (ids "big.txt#2", "big.txt#3", ...).
    offset: int = 0
    # Every byline occurrence: (name, role, start, end) with offsets into ``text``,
    # e.g. ("王婷婷", "通讯员", 120, 123); ``bylines`` holds the unique names.
    byline_mentions: tuple[tuple[str, str, int, int], ...] = ()
    keywords: tuple[str, ...] = ()  # what the article is about (kg.keywords), set by the analysis


@dataclass(frozen=True)
class Token:
    """A word from a segmenter/tagger; offsets are into Sentence.text."""

    text: str
    start: int
    end: int
    tag: str  # LAC tag set: PER LOC ORG TIME n nz v ... w


@dataclass(frozen=True)
class TaggedSentence:
    sentence: Sentence
    tokens: tuple[Token, ...]


@dataclass(frozen=True)
class Mention:
    """A span of a document that names an entity."""

    text: str  # the name as it should be labelled (quotation marks removed)
    start: int  # offsets into Document.text (original), covering the surface span
    end: int
    type: EntityType
    rule: str  # the signal that found it, e.g. "lac:ORG", "program:quoted+head"
    doc_id: str
    sentence: int  # Sentence.index
    subtype: str | None = None
    # For a short form that the text ties to a fuller name (the quoted core “双倍增” of
    # “双倍增”计划): that fuller name, so that resolve makes both one entity.
    canonical: str | None = None


@dataclass(frozen=True)
class RelationCandidate:
    """A relation between two mentions of one document, with its evidence."""

    head: Mention
    predicate: Predicate
    tail: Mention | None  # None for recognizedAs: the status is attrs["value"]
    sentence: Sentence
    doc_id: str
    rule: str
    attrs: tuple[tuple[str, str], ...] = ()  # role, amount, date, value ... as text


@dataclass(frozen=True)
class MentionGroup:
    """The mentions of one thing in one document, and the keys that name it in any document
    (full name, zone-qualified name, division code): resolve joins groups across documents by them."""

    mentions: tuple[Mention, ...]
    links: frozenset[str]


@dataclass(frozen=True)
class DocumentAnalysis:
    """Everything the per-document stages learn; what the cache stores."""

    document: Document
    mentions: tuple[Mention, ...]
    relations: tuple[RelationCandidate, ...]
    groups: tuple[MentionGroup, ...] = ()  # the mentions grouped per real thing (resolve.group_mentions)


@dataclass(frozen=True)
class Entity:
    """One real thing, with all the names the corpus gives it."""

    id: str  # stable, minted from type + canonical name, e.g. "Place/济宁经济技术开发区"
    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    subtype: str | None = None
    mentions: tuple[Mention, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()  # e.g. ("division_code", "370800")

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(sorted({m.doc_id for m in self.mentions}))


@dataclass(frozen=True)
class Relation:
    """A relation between resolved entities, with the sentence that states it."""

    head: str  # Entity.id
    predicate: Predicate
    tail: str | None  # Entity.id; None for recognizedAs
    evidence: str  # the sentence text
    doc_id: str
    start: int  # sentence offsets into Document.text
    end: int
    rule: str = ""
    attrs: tuple[tuple[str, str], ...] = ()

    def attr(self, key: str) -> str | None:
        return dict(self.attrs).get(key)


@dataclass(frozen=True)
class Problem:
    """A document that was skipped or failed, and why."""

    path: str
    reason: str


@dataclass
class Corpus:
    """The resolved corpus: what the graph, RDF and HTML stages consume."""

    documents: list[Document] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
