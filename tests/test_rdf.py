"""kg.rdf: the RDF graph of a corpus, its IRIs, n-ary facts, and the written files."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import RDF, RDFS, SKOS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV

from kg import rdf
from kg.errors import RdfError
from kg.model import Corpus, Relation
from kg.rdf import KG, NIF, Money, article_iri, entity_iri, parse_date, parse_money
from rdf_samples import DOC_A, DOC_B, SENTENCE_AWARD, SENTENCE_SIGN, small_corpus

ROOT = Path(__file__).resolve().parent.parent

ZONE = entity_iri("Place", "青山经济技术开发区")
COMPANY = entity_iri("Organization", "绿水科技有限公司")
COMMITTEE = entity_iri("Organization", "青山经开区党工委")
PERSON = entity_iri("Person", "李明远")


@pytest.fixture(scope="module")
def graph() -> Graph:
    return rdf.build_rdf(small_corpus())


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


# --- IRIs ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "name", "expected"), [
    ("Place", "青山经济技术开发区", "place/青山经济技术开发区"),
    ("Organization", "绿水科技（集团）有限公司", "organization/绿水科技(集团)有限公司"),  # NFKC full-width
    ("Project", "Ａ区 一期/二期", "project/A区%20一期%2F二期"),
    ("Program", "1+X+N运行机制", "program/1+X+N运行机制"),
    ("Program", "“双提升”计划", "program/“双提升”计划"),
    ("Organization", "50%股权#1?", "organization/50%25股权%231%3F"),
    ("Person", "<李>", "person/%3C李%3E"),
    ("Place", "白鹭\u200b镇", "place/白鹭%E2%80%8B镇"),  # zero-width space: escaped, not invisible
])
def test_entity_iri_is_type_and_nfkc_name_percent_encoded(kind: str, name: str, expected: str) -> None:
    iri = entity_iri(kind, name)  # type: ignore[arg-type]
    assert iri == URIRef("https://w3id.org/kg-cn/id/" + expected)
    # a strict IRI parser accepts it
    assert pyoxigraph.NamedNode(str(iri)).value == str(iri)


def test_article_iri_percent_encodes_the_doc_id() -> None:
    assert article_iri("sub dir/x#2.txt") == URIRef("https://w3id.org/kg-cn/id/article/sub%20dir%2Fx%232.txt")


# --- money and dates ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("10亿", Money(Decimal("1000000000"), "CNY")),
    ("3000万", Money(Decimal("30000000"), "CNY")),
    ("5.06亿元", Money(Decimal("506000000"), "CNY")),
    ("4421万美元", Money(Decimal("44210000"), "USD")),
    ("12000元", Money(Decimal("12000"), "CNY")),
    ("1,500万元", Money(Decimal("15000000"), "CNY")),
    ("人民币2亿元", Money(Decimal("200000000"), "CNY")),
    ("1.2万亿", Money(Decimal("1200000000000"), "CNY")),
    ("3亿5000万", Money(Decimal("350000000"), "CNY")),
    ("十亿", Money(Decimal("1000000000"), "CNY")),
    ("三千万元", Money(Decimal("30000000"), "CNY")),
    ("两百万欧元", Money(Decimal("2000000"), "EUR")),
    ("一亿三千万", Money(Decimal("130000000"), "CNY")),
    ("0.5万港元", Money(Decimal("5000"), "HKD")),
    ("2.75元", Money(Decimal("2.75"), "CNY")),
    ("10多亿", None),  # an estimate is not a number
    ("近3000万", None),
    ("数亿元", None),
    ("", None),
    ("亿元", None),
])
def test_parse_money(text: str, expected: Money | None) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize(("text", "year", "expected"), [
    ("5月12日", 2021, datetime.date(2021, 5, 12)),
    ("5月12日", None, None),  # no year known: the text is kept instead
    ("2022年10月13日", None, datetime.date(2022, 10, 13)),
    ("2022年10月13日", 2019, datetime.date(2022, 10, 13)),  # the text's year wins
    ("十月二十四日", 2020, datetime.date(2020, 10, 24)),
    ("9月19号", 2023, datetime.date(2023, 9, 19)),
    ("2021-3-8", None, datetime.date(2021, 3, 8)),
    ("2月30日", 2021, None),
    ("2020年12月", 2020, None),  # a month, not a day
    ("2020年", 2020, None),
    ("今年5月", 2020, None),
])
def test_parse_date(text: str, year: int | None, expected: datetime.date | None) -> None:
    assert parse_date(text, year) == expected


# --- the graph ----------------------------------------------------------------------------

def test_entity_description(graph: Graph) -> None:
    assert set(graph.objects(ZONE, RDF.type)) == {KG.Place, KG.DevelopmentZone}
    assert list(graph.objects(ZONE, RDFS.label)) == [zh("青山经济技术开发区")]
    assert set(graph.objects(ZONE, SKOS.altLabel)) == {zh("青山经开区"), zh("经开区")}
    assert graph.value(ZONE, KG.mentionCount) == Literal(2)
    assert graph.value(ZONE, KG.subtype) == Literal("DevelopmentZone")
    assert graph.value(ZONE, KG.divisionCode) == Literal("379901")
    assert set(graph.objects(COMPANY, KG.mentionedIn)) == {article_iri(DOC_A), article_iri(DOC_B)}
    assert set(graph.objects(COMPANY, RDF.type)) == {KG.Organization}


def test_no_blank_nodes(graph: Graph) -> None:
    assert not [triple for triple in graph if any(isinstance(term, BNode) for term in triple)]


def test_every_mention_has_nif_offsets_and_article(graph: Graph) -> None:
    mentions = set(graph.subjects(RDF.type, KG.Mention))
    assert len(mentions) == sum(len(e.mentions) for e in small_corpus().entities)
    found = {(graph.value(m, KG.refersTo), graph.value(m, NIF.referenceContext),
              graph.value(m, NIF.beginIndex).toPython(), graph.value(m, NIF.endIndex).toPython(),
              str(graph.value(m, NIF.anchorOf))) for m in mentions}
    assert (COMPANY, article_iri(DOC_B), 0, 8, "绿水科技有限公司") in found
    assert (ZONE, article_iri(DOC_A), 40, 45, "青山经开区") in found
    assert graph.value(next(iter(mentions)), NIF.beginIndex).datatype == XSD.nonNegativeInteger


def _assertions(graph: Graph, predicate: URIRef) -> list[URIRef]:
    return sorted(graph.subjects(KG.predicate, predicate))


def test_relation_is_direct_triple_plus_assertion_with_evidence(graph: Graph) -> None:
    assert (ZONE, KG.cooperatesWith, COMPANY) in graph
    [assertion] = _assertions(graph, KG.cooperatesWith)
    assert (assertion, RDF.type, KG.Assertion) in graph
    assert graph.value(assertion, KG.subject) == ZONE
    assert graph.value(assertion, KG.object) == COMPANY
    assert graph.value(assertion, KG.evidence) == zh(SENTENCE_SIGN)
    assert graph.value(assertion, PROV.wasDerivedFrom) == article_iri(DOC_A)
    assert graph.value(assertion, NIF.beginIndex).toPython() == 0
    assert graph.value(assertion, NIF.endIndex).toPython() == len(SENTENCE_SIGN)
    assert graph.value(assertion, KG.rule) == Literal("test:sign")


def test_fact_stated_twice_is_one_triple_with_one_assertion_per_sentence(graph: Graph) -> None:
    assert len(list(graph.triples((COMPANY, KG.locatedIn, ZONE)))) == 1
    located = [a for a in _assertions(graph, KG.locatedIn) if graph.value(a, KG.subject) == COMPANY]
    assert {graph.value(a, PROV.wasDerivedFrom) for a in located} == {article_iri(DOC_A), article_iri(DOC_B)}


def test_recognized_as_is_chinese_text_with_assertion(graph: Graph) -> None:
    assert list(graph.objects(COMPANY, KG.recognizedAs)) == [zh("省级专精特新企业")]
    [assertion] = _assertions(graph, KG.recognizedAs)
    assert graph.value(assertion, KG.value) == zh("省级专精特新企业")
    assert graph.value(assertion, KG.object) is None
    assert graph.value(assertion, KG.evidence) == zh(SENTENCE_AWARD)


def test_signing_with_amount_and_date_is_one_agreement_node(graph: Graph) -> None:
    [agreement] = graph.subjects(RDF.type, KG.Agreement)
    assert set(graph.objects(agreement, KG.party)) == {ZONE, COMPANY}
    amount = graph.value(agreement, KG.amount)
    assert amount.datatype == XSD.decimal and amount.toPython() == Decimal(1_000_000_000)
    assert graph.value(agreement, KG.currency) == Literal("CNY")
    assert graph.value(agreement, KG.date) == Literal("2021-05-12", datatype=XSD.date)
    assert graph.value(agreement, KG.evidence) == zh(SENTENCE_SIGN)
    assert graph.value(agreement, PROV.wasDerivedFrom) == article_iri(DOC_A)


def test_agreement_keeps_texts_it_cannot_type() -> None:
    corpus = small_corpus()
    corpus.relations[0] = Relation(**{**corpus.relations[0].__dict__, "doc_id": DOC_B,
                                      "attrs": (("amount", "10多亿"), ("date", "5月12日"))})
    graph = rdf.build_rdf(corpus)
    [agreement] = graph.subjects(RDF.type, KG.Agreement)
    assert graph.value(agreement, KG.amountText) == zh("10多亿")
    assert graph.value(agreement, KG.dateText) == zh("5月12日")  # DOC_B has no year
    assert graph.value(agreement, KG.amount) is None and graph.value(agreement, KG.date) is None


def test_cooperation_without_amount_or_date_has_no_agreement() -> None:
    corpus = small_corpus()
    corpus.relations[0] = Relation(**{**corpus.relations[0].__dict__, "attrs": ()})
    graph = rdf.build_rdf(corpus)
    assert (ZONE, KG.cooperatesWith, COMPANY) in graph
    assert not list(graph.subjects(RDF.type, KG.Agreement))


def test_position_node(graph: Graph) -> None:
    assert (PERSON, KG.holdsPosition, COMMITTEE) in graph
    [position] = graph.subjects(RDF.type, KG.Position)
    assert graph.value(position, KG.holder) == PERSON
    assert graph.value(position, KG.organization) == COMMITTEE
    assert graph.value(position, KG.role) == zh("党工委书记")


def test_article_node(graph: Graph) -> None:
    a, b = article_iri(DOC_A), article_iri(DOC_B)
    assert (a, RDF.type, KG.Article) in graph
    assert graph.value(a, KG.title) == zh("青山经开区签约绿水科技")
    assert graph.value(a, KG.sourceFile) == Literal(f"news/{DOC_A}")
    assert set(graph.objects(a, KG.byline)) == {zh("赵晓雨"), zh("李明远")}
    assert list(graph.objects(a, KG.author)) == [PERSON]  # only the byline that is a person entity
    assert graph.value(a, KG.year) == Literal("2021", datatype=XSD.gYear)
    assert graph.value(b, KG.encoding) == Literal("gb18030")
    assert graph.value(b, KG.textOffset).toPython() == 4096
    assert graph.value(b, KG.year) is None


def test_relation_naming_an_unknown_entity_is_an_error() -> None:
    corpus = small_corpus()
    corpus.relations.append(Relation(head="Place/无名", predicate="locatedIn", tail=corpus.entities[0].id,
                                     evidence="…", doc_id=DOC_A, start=0, end=1))
    with pytest.raises(RdfError, match="Place/无名"):
        rdf.build_rdf(corpus)


def test_empty_corpus_gives_empty_graph_and_valid_files(tmp_path: Path) -> None:
    graph = rdf.build_rdf(Corpus())
    assert len(graph) == 0
    paths = rdf.write(graph, tmp_path, formats=("nt", "nq", "jsonld"))
    assert [p.name for p in paths] == ["graph.ttl", "graph.nt", "graph.nq", "graph.jsonld"]
    assert len(Graph().parse(tmp_path / "graph.ttl")) == 0


# --- files --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def written(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rdf")
    rdf.write(graph, out, formats=("nt", "nq", "jsonld"))
    return out


def test_write_leaves_only_the_files(written: Path) -> None:
    assert sorted(p.name for p in written.iterdir()) == ["graph.jsonld", "graph.nq", "graph.nt", "graph.ttl"]


def test_unknown_format_is_an_error(graph: Graph, tmp_path: Path) -> None:
    with pytest.raises(RdfError, match="rdfxml"):
        rdf.write(graph, tmp_path, formats=("rdfxml",))
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(("name", "rdflib_format"), [
    ("graph.ttl", "turtle"), ("graph.nt", "nt"), ("graph.jsonld", "json-ld")])
def test_files_parse_back_with_rdflib_to_the_same_graph(graph: Graph, written: Path, name: str,
                                                        rdflib_format: str) -> None:
    assert isomorphic(Graph().parse(written / name, format=rdflib_format), graph)


@pytest.mark.parametrize(("name", "fmt"), [
    ("graph.ttl", pyoxigraph.RdfFormat.TURTLE), ("graph.nt", pyoxigraph.RdfFormat.N_TRIPLES),
    ("graph.nq", pyoxigraph.RdfFormat.N_QUADS), ("graph.jsonld", pyoxigraph.RdfFormat.JSON_LD)])
def test_files_parse_with_pyoxigraph(graph: Graph, written: Path, name: str, fmt: pyoxigraph.RdfFormat) -> None:
    store = pyoxigraph.Store()
    store.load(path=written / name, format=fmt)
    triples = {(q.subject, q.predicate, q.object) for q in store}
    assert len(triples) == len(graph)
    rows = list(store.query("""
        PREFIX kg: <https://w3id.org/kg-cn/ontology#>
        SELECT ?amount ?currency ?date WHERE {
          GRAPH ?g { ?a a kg:Agreement ; kg:amount ?amount ; kg:currency ?currency ; kg:date ?date }
        }""" if name == "graph.nq" else """
        PREFIX kg: <https://w3id.org/kg-cn/ontology#>
        SELECT ?amount ?currency ?date WHERE { ?a a kg:Agreement ; kg:amount ?amount ;
          kg:currency ?currency ; kg:date ?date }"""))
    assert [(Decimal(r["amount"].value), r["amount"].datatype.value, r["currency"].value, r["date"].value)
            for r in rows] == [(Decimal(1_000_000_000), str(XSD.decimal), "CNY", "2021-05-12")]


def test_nquads_put_each_articles_facts_in_its_own_graph(written: Path) -> None:
    dataset = Dataset()
    dataset.parse(written / "graph.nq", format="nquads")
    a, b = article_iri(DOC_A), article_iri(DOC_B)
    in_a, in_b = dataset.graph(a), dataset.graph(b)
    default = dataset.default_graph
    # the relation stated in A, its assertion and the agreement are in A's graph only
    assert (ZONE, KG.cooperatesWith, COMPANY) in in_a and (ZONE, KG.cooperatesWith, COMPANY) not in in_b
    assert len(list(in_a.subjects(RDF.type, KG.Agreement))) == 1
    assert not list(in_b.subjects(RDF.type, KG.Agreement))
    # a fact both articles state is in both graphs
    assert (COMPANY, KG.locatedIn, ZONE) in in_a and (COMPANY, KG.locatedIn, ZONE) in in_b
    # mentions go with their article
    assert {in_b.value(m, NIF.referenceContext) for m in in_b.subjects(RDF.type, KG.Mention)} == {b}
    # entity and article descriptions are in the default graph
    assert (ZONE, RDFS.label, zh("青山经济技术开发区")) in default
    assert (a, KG.title, zh("青山经开区签约绿水科技")) in default
    assert (ZONE, RDFS.label, zh("青山经济技术开发区")) not in in_a
    # every triple of the graph is somewhere
    everything = {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}
    assert everything == set(Graph().parse(written / "graph.ttl"))


# --- determinism --------------------------------------------------------------------------

_WRITE_IN_SUBPROCESS = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from rdf_samples import small_corpus
from kg import rdf
rdf.write(rdf.build_rdf(small_corpus()), Path(sys.argv[1]), formats=("nt", "nq", "jsonld"))
"""


def test_two_independent_builds_write_byte_identical_files(written: Path, tmp_path: Path) -> None:
    """Each build in its own interpreter with a different hash seed, so set order differs."""
    script = _WRITE_IN_SUBPROCESS.format(tests=str(ROOT / "tests"))
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(out)], check=True, env=env, cwd=ROOT)
        outs.append(out)
    for name in ("graph.ttl", "graph.nt", "graph.nq", "graph.jsonld"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes() == (written / name).read_bytes(), name


def test_turtle_does_not_depend_on_record_order(graph: Graph, tmp_path: Path) -> None:
    corpus = small_corpus()
    reordered = Corpus(documents=corpus.documents[::-1], entities=corpus.entities[::-1],
                       relations=corpus.relations[::-1])
    rdf.write(graph, tmp_path / "a")
    rdf.write(rdf.build_rdf(reordered), tmp_path / "b")
    assert (tmp_path / "a" / "graph.ttl").read_bytes() == (tmp_path / "b" / "graph.ttl").read_bytes()


# --- the seeds' build ---------------------------------------------------------------------

@pytest.mark.slow
def test_seed_build_has_one_assertion_per_relation_and_the_10yi_agreement(seed_build) -> None:  # type: ignore[no-untyped-def]
    graph = Graph().parse(seed_build.out_dir / "graph.ttl")
    relations = {(r.head, r.predicate, r.tail, r.attr("value"), r.doc_id, r.start, r.end)
                 for r in seed_build.corpus.relations}
    assertions = set(graph.subjects(RDF.type, KG.Assertion))
    assert len(assertions) == len(relations) > 0
    assert all(graph.value(a, KG.evidence) and graph.value(a, NIF.beginIndex) is not None for a in assertions)
    zone = entity_iri("Place", "济宁经济技术开发区")
    company = entity_iri("Organization", "中建钢构有限公司")
    agreements = [a for a in graph.subjects(RDF.type, KG.Agreement)
                  if set(graph.objects(a, KG.party)) == {zone, company}]
    assert len(agreements) == 1
    [agreement] = agreements
    assert graph.value(agreement, KG.amount).toPython() == Decimal(1_000_000_000)
    assert graph.value(agreement, KG.currency) == Literal("CNY")
    date = graph.value(agreement, KG.date) or graph.value(agreement, KG.dateText)
    assert str(date).endswith("-05-12") or str(date) == "5月12日"


# --- the build's lines: runs, parts written side by side -------------------------------------

@pytest.mark.parametrize("parts", [1, 2, 3, 7])
def test_line_runs_split_into_consecutive_parts_with_each_subject_in_one(parts: int) -> None:
    lines = rdf.ntriples(small_corpus())
    runs = rdf.LineRuns([lines[0::3], lines[1::3], lines[2::3]])  # interleaved, each sorted
    pieces = [piece.merged() for piece in runs.split(parts)]
    assert [line for piece in pieces for line in piece] == lines == runs.merged()
    subjects = [{line.split(" ", 1)[0] for line in piece} for piece in pieces]
    assert all(not (a & b) for i, a in enumerate(subjects) for b in subjects[i + 1:])
    assert len(pieces) <= parts


@pytest.mark.parametrize("corpus", [small_corpus(), Corpus()], ids=["small", "empty"])
@pytest.mark.parametrize("workers", [2, 3])
def test_turtle_written_in_parts_side_by_side_is_the_same_file(tmp_path: Path, corpus: Corpus,
                                                               workers: int) -> None:
    lines = rdf.ntriples(corpus)
    one, count = rdf.write_graph(rdf.LineRuns([lines]), tmp_path / "one", ("nt", "nq"))
    many, count_many = rdf.write_graph(rdf.LineRuns([lines]), tmp_path / "many", ("nt", "nq"), workers=workers)
    assert count == count_many == len(lines)
    for a, b in zip(one, many):
        assert a.read_bytes() == b.read_bytes(), a.name
