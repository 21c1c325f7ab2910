"""The RDF view of a resolved corpus, against the project's ontology (ontology/kg.ttl).

Every fact leads back to its source: entities link to the articles that name them,
each mention is a kg:Mention with NIF offsets into the article's original text, and each
relation is a direct triple plus a kg:Assertion carrying the evidence sentence, the
article (prov:wasDerivedFrom) and the sentence's offsets. IRIs are minted from content
only, and every file is written in a canonical order, so the same input gives the same
bytes run after run.
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import io
import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, NamedTuple

import pyoxigraph
from rdflib import RDF, RDFS, SKOS, XSD, Graph, Namespace, URIRef
from rdflib.namespace import PROV, DefinedNamespace

from kg.errors import RdfError
from kg.fileio import atomic_path
from kg.forked import Forked, can_fork
from kg.model import Corpus, Document, Entity, EntityType, Mention, Relation
from kg.resources import read_json

ONTOLOGY_IRI = URIRef("https://w3id.org/kg-cn/ontology")
ID_BASE = "https://w3id.org/kg-cn/id/"
ONTOLOGY_DIR = Path(__file__).parent / "ontology"  # a link to the repository's ontology/, packaged with kg
ONTOLOGY_FILE = ONTOLOGY_DIR / "kg.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"


class KG(DefinedNamespace):
    """The terms of ontology/kg.ttl; an unknown name raises, so a typo cannot mint a term."""

    _NS = Namespace("https://w3id.org/kg-cn/ontology#")
    _fail = True

    # Classes
    Organization: URIRef
    Place: URIRef
    DevelopmentZone: URIRef
    Program: URIRef
    Project: URIRef
    Person: URIRef
    Article: URIRef
    Mention: URIRef
    Assertion: URIRef
    Agreement: URIRef
    Position: URIRef
    # Relations between entities
    locatedIn: URIRef
    partOf: URIRef
    holdsPosition: URIRef
    implements: URIRef
    participatesIn: URIRef
    cooperatesWith: URIRef
    recognizedAs: URIRef
    # Entity descriptions
    mentionedIn: URIRef
    mentionCount: URIRef
    subtype: URIRef
    divisionCode: URIRef
    # Articles
    title: URIRef
    byline: URIRef
    keyword: URIRef
    author: URIRef
    sourceFile: URIRef
    encoding: URIRef
    sha256: URIRef
    year: URIRef
    textOffset: URIRef
    # Mentions
    refersTo: URIRef
    rule: URIRef
    # Assertions
    subject: URIRef
    predicate: URIRef
    object: URIRef
    value: URIRef
    evidence: URIRef
    # Agreements and positions
    party: URIRef
    amount: URIRef
    amountText: URIRef
    currency: URIRef
    date: URIRef
    dateText: URIRef
    holder: URIRef
    organization: URIRef
    role: URIRef


class NIF(DefinedNamespace):
    """The NIF 2.0 Core terms used for character offsets."""

    _NS = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    _fail = True

    OffsetBasedString: URIRef
    beginIndex: URIRef
    endIndex: URIRef
    anchorOf: URIRef
    referenceContext: URIRef
    Sentence: URIRef
    sentence: URIRef


PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "nif": str(NIF._NS),
    **{kind: f"{ID_BASE}{kind}/" for kind in
       ("organization", "place", "program", "project", "person", "article",
        "mention", "sentence", "assertion", "agreement", "position")},
}
"""Prefixes of the written files (and of SPARQL queries over them)."""

_ENTITY_CLASS: dict[str, URIRef] = {t: KG[t] for t in ("Organization", "Place", "Program", "Project", "Person")}
_ENTITY_ATTRS: dict[str, URIRef] = {"division_code": KG.divisionCode}  # Entity.attrs key → property


# --- IRIs -------------------------------------------------------------------------------

def _iri_char(char: str) -> bool:
    """True for characters RFC 3987 allows unescaped in a path segment (ipchar minus '%').

    Invisible characters (spaces, zero-width and bidi controls) are escaped even where
    RFC 3987 would allow them, so that no two IRIs look the same.
    """
    code = ord(char)
    if code < 0x80:
        return char.isalnum() or char in "-._~!$&'()*+,;=:@"
    if unicodedata.category(char) in {"Cc", "Cf", "Co", "Cn", "Zs", "Zl", "Zp"}:
        return False
    return (0xA0 <= code <= 0xD7FF or 0xF900 <= code <= 0xFDCF or 0xFDF0 <= code <= 0xFFEF
            or (0x10000 <= code <= 0xEFFFD and code & 0xFFFF < 0xFFFE))


def iri_segment(text: str) -> str:
    """NFKC-normalize ``text`` and percent-encode what an IRI path segment cannot hold."""
    return "".join(c if _iri_char(c) else "".join(f"%{b:02X}" for b in c.encode("utf-8"))
                   for c in unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=65536)  # asked by the NetworkX and the RDF stage for every entity
def entity_iri(entity_type: EntityType, name: str) -> URIRef:
    """``…/id/{type lowercase}/{NFKC name}``: the same type and name give the same IRI."""
    return URIRef(f"{ID_BASE}{entity_type.lower()}/{iri_segment(name)}")


@lru_cache(maxsize=65536)  # asked for every mention and sentence of the article
def article_iri(doc_id: str) -> URIRef:
    return URIRef(f"{ID_BASE}article/{iri_segment(doc_id)}")


def _minted(kind: str, *parts: object) -> URIRef:
    """An IRI for a node that has no name: a hash of everything that makes it what it is."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]
    return URIRef(f"{ID_BASE}{kind}/{digest}")


# --- money and dates ----------------------------------------------------------------------

class Money(NamedTuple):
    amount: Decimal
    currency: str  # ISO 4217


@lru_cache(maxsize=1)
def _tables() -> dict[str, Any]:
    tables: dict[str, Any] = read_json("rdf_money_dates.json")
    tables["date_res"] = [re.compile(p) for p in tables["date_patterns"]]
    return tables


def _chinese_number(text: str) -> Decimal | None:
    """Read 10亿, 5.06亿, 3000万, 一亿三千万, 十二 as a number; None if any character is not part of one."""
    tables = _tables()
    digits, small, large = tables["digits"], tables["small_units"], tables["large_units"]
    total = section = number = Decimal(0)
    seen = False
    for token in re.findall(r"\d+(?:\.\d+)?|\D", text.replace(",", "").replace("，", "")):
        if token[0].isdigit():
            number, seen = Decimal(token), True
        elif token in digits:
            number, seen = Decimal(digits[token]), True
        elif token in small:
            seen = seen or small[token] == 10  # 十亿 = 1×10×10⁸, but 亿 or 百万 alone is no amount
            section += (number or 1) * small[token]  # 十二 = 1×10 + 2
            number = Decimal(0)
        elif token in large:
            if large[token] > max(large.values()) - 1:  # 亿 closes everything before it
                total = (total + section + number) * large[token]
            else:  # 万 closes the section since the last 亿
                total += (section + number) * large[token]
            section = number = Decimal(0)
        else:
            return None
    return total + section + number if seen else None


def parse_money(text: str) -> Money | None:
    """``"10亿"`` → (1000000000, CNY); ``"4421万美元"`` → (44210000, USD); None for vague or unknown text.

    Amounts with 多/余/约/近 are estimates, not numbers, so they are not parsed.
    """
    tables = _tables()
    currencies: dict[str, str] = tables["currencies"]
    words = sorted(currencies, key=len, reverse=True)  # 人民币元 before 元
    rest, found = text.strip(), []
    prefix = next((w for w in words if rest.startswith(w)), None)  # 人民币10亿
    if prefix:
        rest, found = rest[len(prefix):], [currencies[prefix]]
    suffix = next((w for w in words if rest.endswith(w)), None)  # 4421万美元
    if suffix:
        rest, found = rest[:-len(suffix)], [*found, currencies[suffix]]
    if len(set(found)) > 1:  # 人民币…美元: contradictory
        return None
    currency = found[0] if found else None
    number = _chinese_number(rest.strip())
    if number is None:
        return None
    try:
        amount = number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
    except InvalidOperation:
        return None
    return Money(amount, currency or tables["default_currency"])


def parse_date(text: str, year: int | None = None) -> datetime.date | None:
    """``"5月12日"`` with year 2020 → 2020-05-12; None when the text is not one whole day."""
    for pattern in _tables()["date_res"]:
        match = pattern.match(text.strip())
        if not match:
            continue
        parts = match.groupdict()
        values = [_chinese_number(parts[k]) if parts.get(k) else None for k in ("year", "month", "day")]
        y = values[0] if values[0] is not None else year
        if y is None or values[1] is None or values[2] is None:
            return None
        try:
            return datetime.date(int(y), int(values[1]), int(values[2]))
        except ValueError:  # 2月30日
            return None
    return None


# --- N-Triples terms ------------------------------------------------------------------------
# The graph is held as N-Triples lines, not as an rdflib store: a line costs a fifth of an
# rdflib triple's memory and time, sorting the lines gives the canonical order, and every
# file format is written from them (rdflib is built only for callers that ask for it).

# pyoxigraph's escapes, so that a line here equals pyoxigraph's own writing of the triple.
_ESCAPES = {**{code: f"\\u{code:04X}" for code in (*range(0x20), 0x7F)},
            0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}


def _quoted(text: str) -> str:
    return f'"{text.translate(_ESCAPES)}"'


def _zh(text: str) -> str:
    return f"{_quoted(text)}@zh"


def _typed(text: str, datatype: str) -> str:
    return f"{_quoted(text)}^^<{datatype}>"


def _offset(value: int) -> str:
    return _typed(str(value), XSD.nonNegativeInteger)


def _decimal_literal(amount: Decimal) -> str:
    """xsd:decimal in its canonical form (1000000000.0, never 1E+9), which Turtle's shorthand keeps."""
    text = format(amount, "f")
    return _typed(text if "." in text else f"{text}.0", XSD.decimal)


# --- the graph ----------------------------------------------------------------------------

def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound (and no others)."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def ntriples(source: Corpus | Graph) -> list[str]:
    """The graph of a corpus (or any rdflib graph) as sorted, distinct N-Triples lines."""
    if isinstance(source, Graph):
        data = source.serialize(format="nt", encoding="utf-8")
        return sorted({f"{triple} ." for triple in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES)})
    graph = GraphLines()
    mentions: dict[str, list[Mention]] = {document.id: [] for document in source.documents}
    for entity in source.entities:
        for mention in entity.mentions:
            mentions.setdefault(mention.doc_id, []).append(mention)
    for document in source.documents:
        graph.add_document(document, mentions.pop(document.id))
    if mentions:  # mentions of documents the corpus lacks
        raise RdfError(f"document {min(mentions)!r} is referenced but not in the corpus; rebuild without the cache")
    return graph.finish(source).merged()


def build_rdf(corpus: Corpus) -> Graph:
    """The corpus's graph in rdflib, for callers that work with rdflib; `write` does not need it."""
    graph = new_graph()
    graph.parse(data="\n".join(ntriples(corpus)), format="nt")
    return graph


class GraphLines:
    """The graph's distinct triples as N-Triples lines, made in two steps so that the larger part
    can be made while documents are still being analyzed: each document's article, sentences and
    mentions as soon as it is analyzed, then what needs the whole corpus (entities, what mentions
    refer to, relations, authors).

    Each document's lines are kept sorted apart: the final sort then only merges these runs.
    """

    def __init__(self) -> None:
        self.lines: set[str] = set()
        self.sentences: dict[tuple[str, int, int], URIRef] = {}  # (article, start, end) → node, once described
        self._runs: list[list[str]] = []

    def add(self, subject: str, predicate: str, obj: str) -> None:
        """Subject and predicate are bare IRIs; the object a bare IRI or a literal already in
        N-Triples form (it starts with a quote, an IRI never does)."""
        term = obj if obj.startswith('"') else f"<{obj}>"
        self.lines.add(f"<{subject}> <{predicate}> {term} .")

    def add_document(self, document: Document, mentions: Sequence[Mention]) -> None:
        """The article node and the document's mention and sentence nodes."""
        article = article_iri(document.id)
        _add_article(self, document)
        for mention in mentions:
            if mention.doc_id != document.id:
                raise RdfError(f"a mention of {mention.doc_id!r} was given as one of {document.id!r}")
            _add_mention(self, mention, document, article)
        self._runs.append(sorted(self.lines))
        self.lines = set()

    def finish(self, corpus: Corpus) -> LineRuns:
        """Adds the corpus-level facts; returns all lines and keeps none (they are the graph's bulk)."""
        iris = {entity.id: entity_iri(entity.type, entity.name) for entity in corpus.entities}
        documents = {document.id: document for document in corpus.documents}
        persons = {name: iris[e.id] for e in corpus.entities if e.type == "Person" for name in (e.name, *e.aliases)}
        for document in corpus.documents:
            for name in document.bylines:
                if name in persons:  # the byline names a person entity of the corpus
                    self.add(article_iri(document.id), KG.author, persons[name])
        for entity in corpus.entities:
            _add_entity(self, entity, iris[entity.id], documents)
        for relation in corpus.relations:
            _add_relation(self, relation, iris, documents)
        runs = LineRuns([*self._runs, sorted(self.lines)])
        self._runs, self.lines, self.sentences = [], set(), {}
        return runs


class LineRuns:
    """A graph's N-Triples lines as sorted runs (one per document, one of corpus-level facts):
    merging them is cheaper than sorting, and cut at the same subjects they give parts of
    the graph that can be written side by side."""

    def __init__(self, runs: Iterable[list[str]]) -> None:
        self.runs = [run for run in runs if run]

    def merged(self) -> list[str]:
        """All lines, sorted and distinct (Timsort merges the runs)."""
        return [line for line, _ in itertools.groupby(sorted(itertools.chain.from_iterable(self.runs)))]

    def split(self, parts: int) -> list[LineRuns]:
        """``parts`` consecutive ranges of the sorted lines, of about equal size, each subject's lines in one."""
        sample = sorted(itertools.chain.from_iterable(run[::64] for run in self.runs))
        # "<subject>" sorts before every line of that subject and after every line of a smaller one
        pivots = sorted({sample[len(sample) * k // parts].split(" ", 1)[0] for k in range(1, parts)} if sample else ())
        cuts = [[0, *(bisect.bisect_left(run, pivot) for pivot in pivots), len(run)] for run in self.runs]
        return [LineRuns(run[cut[k]:cut[k + 1]] for run, cut in zip(self.runs, cuts)) for k in range(len(pivots) + 1)]


def _article(doc_id: str, documents: dict[str, Document]) -> URIRef:
    if doc_id not in documents:
        raise RdfError(f"document {doc_id!r} is referenced but not in the corpus; rebuild without the cache")
    return article_iri(doc_id)


def _add_article(graph: GraphLines, document: Document) -> None:
    node = article_iri(document.id)
    graph.add(node, RDF.type, KG.Article)
    graph.add(node, RDFS.label, _quoted(document.id))
    if document.title:
        graph.add(node, KG.title, _zh(document.title))
    graph.add(node, KG.sourceFile, _quoted(str(document.path)))
    graph.add(node, KG.encoding, _quoted(document.encoding))
    if document.sha256:
        graph.add(node, KG.sha256, _quoted(document.sha256))
    if document.year is not None:
        graph.add(node, KG.year, _typed(f"{document.year:04d}", XSD.gYear))
    if document.offset:
        graph.add(node, KG.textOffset, _offset(document.offset))
    for keyword in document.keywords:
        graph.add(node, KG.keyword, _zh(keyword))
    for name in document.bylines:
        graph.add(node, KG.byline, _zh(name))


def _add_entity(graph: GraphLines, entity: Entity, node: URIRef, documents: dict[str, Document]) -> None:
    graph.add(node, RDF.type, _ENTITY_CLASS[entity.type])
    if entity.subtype == "DevelopmentZone":
        graph.add(node, RDF.type, KG.DevelopmentZone)
    graph.add(node, RDFS.label, _zh(entity.name))
    for alias in entity.aliases:
        graph.add(node, SKOS.altLabel, _zh(alias))
    if entity.subtype:
        graph.add(node, KG.subtype, _quoted(entity.subtype))
    graph.add(node, KG.mentionCount, _typed(str(len(entity.mentions)), XSD.integer))
    for key, value in entity.attrs:
        if key in _ENTITY_ATTRS:
            graph.add(node, _ENTITY_ATTRS[key], _quoted(value))
    for doc_id in entity.documents:
        graph.add(node, KG.mentionedIn, _article(doc_id, documents))
    for mention in entity.mentions:
        graph.add(_mention_iri(mention), KG.refersTo, node)


def _mention_iri(mention: Mention) -> URIRef:
    return _minted("mention", mention.doc_id, mention.start, mention.end, mention.type, mention.text)


def _add_mention(graph: GraphLines, mention: Mention, document: Document, article: URIRef) -> None:
    node = _mention_iri(mention)
    graph.add(node, RDF.type, KG.Mention)
    graph.add(node, NIF.referenceContext, article)
    graph.add(node, NIF.beginIndex, _offset(mention.start))
    graph.add(node, NIF.endIndex, _offset(mention.end))
    graph.add(node, NIF.anchorOf, _zh(mention.text))
    graph.add(node, KG.rule, _quoted(mention.rule))
    sentences = document.sentences
    if 0 <= mention.sentence < len(sentences):
        spans = sentences[mention.sentence]
        graph.add(node, NIF.sentence, _add_sentence(graph, article, mention.doc_id, spans.start, spans.end))


def _add_sentence(graph: GraphLines, article: URIRef, doc_id: str, start: int, end: int) -> URIRef:
    """The sentence a mention or an assertion stands in, by its offsets in the article."""
    node = graph.sentences.get((doc_id, start, end))
    if node is not None:
        return node
    node = graph.sentences[doc_id, start, end] = _minted("sentence", doc_id, start, end)
    graph.add(node, RDF.type, NIF.Sentence)
    graph.add(node, NIF.referenceContext, article)
    graph.add(node, NIF.beginIndex, _offset(start))
    graph.add(node, NIF.endIndex, _offset(end))
    return node


def _add_relation(graph: GraphLines, relation: Relation, iris: dict[str, URIRef],
                  documents: dict[str, Document]) -> None:
    missing = [i for i in (relation.head, relation.tail) if i is not None and i not in iris]
    if missing:
        raise RdfError(f"relation {relation.predicate} in {relation.doc_id} names unknown entities {missing}")
    head, predicate = iris[relation.head], KG[relation.predicate]
    article = _article(relation.doc_id, documents)
    value = relation.attr("value")
    tail = iris[relation.tail] if relation.tail is not None else None
    # recognizedAs has no tail entity: the status is Chinese text, on the assertion as kg:value
    obj = tail if tail is not None else _zh(value or "")
    graph.add(head, predicate, obj)
    node = _minted("assertion", relation.head, relation.predicate, relation.tail, value,
                   relation.doc_id, relation.start, relation.end)
    graph.add(node, RDF.type, KG.Assertion)
    graph.add(node, KG.subject, head)
    graph.add(node, KG.predicate, predicate)
    graph.add(node, KG.object if tail is not None else KG.value, obj)
    _add_source(graph, node, relation, article)
    if relation.rule:
        graph.add(node, KG.rule, _quoted(relation.rule))
    if relation.predicate == "cooperatesWith" and tail is not None and (relation.attr("amount") or relation.attr("date")):
        _add_agreement(graph, relation, head, tail, article, documents[relation.doc_id].year)
    if relation.predicate == "holdsPosition" and tail is not None and relation.attr("role"):
        _add_position(graph, relation, head, tail, article)


def _add_source(graph: GraphLines, node: URIRef, relation: Relation, article: URIRef) -> None:
    """The evidence sentence, its article and its offsets."""
    graph.add(node, KG.evidence, _zh(relation.evidence))
    graph.add(node, PROV.wasDerivedFrom, article)
    graph.add(node, NIF.beginIndex, _offset(relation.start))
    graph.add(node, NIF.endIndex, _offset(relation.end))
    graph.add(node, NIF.sentence, _add_sentence(graph, article, relation.doc_id, relation.start, relation.end))


def _add_agreement(graph: GraphLines, relation: Relation, head: URIRef, tail: URIRef, article: URIRef,
                   year: int | None) -> None:
    """与B签订10亿协议 → one kg:Agreement node with both parties, the amount and the date."""
    amount, date = relation.attr("amount") or "", relation.attr("date") or ""
    parties = sorted((head, tail))  # the relation is symmetric: A与B and B与A are one signing
    node = _minted("agreement", *parties, amount, date, relation.doc_id, relation.start)
    graph.add(node, RDF.type, KG.Agreement)
    for party in parties:
        graph.add(node, KG.party, party)
    if amount:
        money = parse_money(amount)
        if money is not None:
            graph.add(node, KG.amount, _decimal_literal(money.amount))
            graph.add(node, KG.currency, _quoted(money.currency))
        else:
            graph.add(node, KG.amountText, _zh(amount))
    if date:
        day = parse_date(date, year)
        if day is not None:
            graph.add(node, KG.date, _typed(day.isoformat(), XSD.date))
        else:
            graph.add(node, KG.dateText, _zh(date))
    _add_source(graph, node, relation, article)


def _add_position(graph: GraphLines, relation: Relation, holder: URIRef, organization: URIRef,
                  article: URIRef) -> None:
    """党工委书记石光亮 → one kg:Position (person, organization, role), whichever sentences state it."""
    role = relation.attr("role") or ""
    node = _minted("position", holder, organization, role)
    graph.add(node, RDF.type, KG.Position)
    graph.add(node, KG.holder, holder)
    graph.add(node, KG.organization, organization)
    graph.add(node, KG.role, _zh(role))
    graph.add(node, KG.evidence, _zh(relation.evidence))
    graph.add(node, PROV.wasDerivedFrom, article)


# --- named graphs and files ---------------------------------------------------------------

def _terms(line: str) -> tuple[str, str, str]:
    """Subject, predicate and object of an N-Triples line (subject and predicate hold no spaces)."""
    subject, predicate, rest = line.split(" ", 2)
    return subject, predicate, rest[:-2]


def article_quads(lines: Sequence[str]) -> list[str]:
    """N-Quads: each article's facts in the article's named graph, the rest in the default graph.

    An article's graph holds its mentions, assertions, agreements and positions, and the
    direct relation triples its assertions state; entity and article descriptions stay
    in the default graph. A fact stated by two articles is in both of their graphs.
    """
    sources: dict[str, set[str]] = {}  # node → the articles it comes from
    statements: dict[str, dict[str, str]] = {}  # assertion node → its kg:subject, kg:predicate, ...
    assertion_parts = {f"<{KG.subject}>", f"<{KG.predicate}>", f"<{KG.object}>", f"<{KG.value}>"}
    origins = {f"<{PROV.wasDerivedFrom}>", f"<{NIF.referenceContext}>"}
    for line in lines:
        subject, predicate, obj = _terms(line)
        if predicate in origins:
            sources.setdefault(subject, set()).add(obj)
        elif predicate in assertion_parts:
            statements.setdefault(subject, {})[predicate] = obj
    is_assertion = f"<{RDF.type}> <{KG.Assertion}> ."
    stated: dict[str, set[str]] = {}  # a direct triple's line → the articles whose assertions state it
    for line in lines:
        if line.endswith(is_assertion):
            node = _terms(line)[0]
            parts = statements.get(node, {})
            target = parts.get(f"<{KG.object}>") or parts.get(f"<{KG.value}>")
            direct = f"{parts.get(f'<{KG.subject}>')} {parts.get(f'<{KG.predicate}>')} {target} ."
            stated.setdefault(direct, set()).update(sources.get(node, ()))
    quads = set()
    for line in lines:
        homes = sources.get(_terms(line)[0]) or stated.get(line)
        if not homes:
            quads.add(line)
        for article in homes or ():
            quads.add(f"{line[:-1]}{article} .")
    return sorted(quads)


FORMATS: dict[str, str] = {"ttl": "graph.ttl", "nt": "graph.nt", "nq": "graph.nq", "jsonld": "graph.jsonld"}


def check_formats(formats: Sequence[str]) -> None:
    """RdfError for a format `write` does not know (a build checks before it starts)."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise RdfError(f"unknown RDF format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}")


def write(source: Corpus | Graph | list[str], out_dir: Path, formats: Sequence[str] = ("ttl",)) -> list[Path]:
    """Write the graph of a corpus (or an rdflib graph, or the corpus's `ntriples`) to ``out_dir``
    as graph.ttl plus the other ``formats``; each file atomically.

    Every serialization is canonical (sorted), so equal graphs give byte-identical files.
    """
    lines = source if isinstance(source, list) else ntriples(source)
    return write_graph(LineRuns([lines]), Path(out_dir), formats)[0]


def write_graph(runs: LineRuns, out_dir: Path, formats: Sequence[str] = ("ttl",), *,
                workers: int = 1) -> tuple[list[Path], int]:
    """`write` for the lines a build gathered; with ``workers`` > 1 the Turtle is written in
    parts side by side. Returns the files and the number of triples."""
    check_formats(formats)
    first, *rest = runs.split(workers) if workers > 1 and can_fork() else [runs]
    others = [Forked(_turtle_body, part) for part in rest]  # each returns its Turtle and its line count
    lines = first.merged()
    turtle, triples = _turtle(lines), len(lines)
    for other in others:
        body, count = other.result()
        turtle, triples = turtle + body, triples + count
    if set(formats) - {"ttl"} and rest:  # the other formats are written from all the lines
        lines += LineRuns(run for part in rest for run in part.runs).merged()
    written = []
    for fmt in FORMATS:
        if fmt == "ttl" or fmt in formats:
            path = out_dir / FORMATS[fmt]
            with atomic_path(path) as tmp:
                if fmt == "ttl":
                    tmp.write_bytes(turtle)
                else:
                    _write_format(lines, fmt, tmp)
            written.append(path)
    return written, triples


def _turtle_body(part: LineRuns) -> tuple[bytes, int]:
    """The Turtle of a part of the graph without its @prefix lines (the first part has them)."""
    lines = part.merged()
    return _turtle_parts(lines)[1], len(lines)


def _write_format(lines: list[str], fmt: str, path: Path) -> None:
    """Streams the sorted lines into ``path`` as N-Triples or N-Quads (JSON-LD is made whole)."""
    if fmt == "jsonld":
        path.write_bytes(_jsonld(lines))
    else:
        with path.open("wb") as handle:
            _NTriplesReader(article_quads(lines) if fmt == "nq" else lines).copy_to(handle)


class _NTriplesReader(io.RawIOBase):
    """The lines as a binary file of UTF-8 N-Triples, encoded a block at a time as it is read."""

    BLOCK = 4096  # lines encoded at once

    def __init__(self, lines: Iterable[str]) -> None:
        super().__init__()
        self._lines = iter(lines)
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def _next_block(self) -> bytes:
        return "".join(f"{line}\n" for line in itertools.islice(self._lines, self.BLOCK)).encode("utf-8")

    def readinto(self, buffer: Any) -> int:
        if not self._pending:
            self._pending = memoryview(self._next_block())
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def copy_to(self, handle: IO[bytes]) -> None:
        while block := self._next_block():
            handle.write(block)


def _turtle(lines: list[str]) -> bytes:
    """Turtle written by pyoxigraph from the sorted triples: the same bytes for the same graph,
    ten times faster than rdflib's serializer, which spends its time abbreviating names."""
    header, body = _turtle_parts(lines)
    return b"".join(sorted(header)) + body  # pyoxigraph's order of the @prefix lines varies


def _turtle_parts(lines: list[str]) -> tuple[list[bytes], bytes]:
    """pyoxigraph's Turtle of the lines: its @prefix lines, and the rest."""
    source = io.BufferedReader(_NTriplesReader(lines), buffer_size=1 << 16)
    triples = pyoxigraph.parse(source, format=pyoxigraph.RdfFormat.N_TRIPLES)
    turtle = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES)
    assert turtle is not None  # given no output file, pyoxigraph returns the bytes
    header, position = [], 0
    while turtle.startswith(b"@prefix", position):
        end = turtle.index(b"\n", position) + 1
        header.append(turtle[position:end])
        position = end
    return header, turtle[position:]


def _jsonld(lines: list[str]) -> bytes:
    """JSON-LD with the project's prefixes as context, nodes and values sorted."""
    graph = new_graph()
    graph.parse(data="\n".join(lines), format="nt")
    data = json.loads(graph.serialize(format="json-ld", context=PREFIXES, auto_compact=True))
    nodes = data.get("@graph", [data])
    for node in nodes:
        for key, values in node.items():
            if isinstance(values, list):
                node[key] = sorted(values, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    canonical = {"@context": data.get("@context", PREFIXES),
                 "@graph": sorted(nodes, key=lambda n: str(n.get("@id", "")))}
    return (json.dumps(canonical, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
