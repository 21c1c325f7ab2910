"""kg.validate and `kg validate`: pySHACL with ontology/shapes.ttl on good and broken graphs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV

from kg import rdf
from kg.cli import main
from kg.errors import ValidationError
from kg.rdf import KG, NIF, article_iri, entity_iri
from kg.validate import ValidationReport, validate, validate_graph
from rdf_samples import DOC_A, small_corpus

ZONE = entity_iri("Place", "青山经济技术开发区")
COMPANY = entity_iri("Organization", "绿水科技有限公司")
PERSON = entity_iri("Person", "李明远")
PLAN = entity_iri("Program", "双提升计划")
COMMITTEE = entity_iri("Organization", "青山经开区党工委")
ARTICLE = article_iri(DOC_A)


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("good")
    rdf.write(rdf.build_rdf(small_corpus()), out, formats=("nt", "nq", "jsonld"))
    return out


@pytest.mark.parametrize("name", ["graph.ttl", "graph.nt", "graph.nq", "graph.jsonld"])
def test_built_graph_conforms_in_every_format(good: Path, name: str) -> None:
    report = validate(good / name)
    assert report.conforms, report.text
    assert report.violations == ()


def test_rdfs_inference_gives_the_same_verdict(good: Path) -> None:
    assert validate(good / "graph.ttl", inference="rdfs").conforms


# --- broken graphs ------------------------------------------------------------------------

def _one(graph: Graph, kind: URIRef, predicate: URIRef | None = None) -> URIRef:
    """The first node of a type (that states ``predicate``, when given)."""
    return sorted(n for n in graph.subjects(RDF.type, kind)
                  if predicate is None or graph.value(n, KG.predicate) == predicate)[0]


def drop_label(g: Graph) -> URIRef:
    g.remove((ZONE, RDFS.label, None))
    return ZONE


def english_label_only(g: Graph) -> URIRef:
    g.set((ZONE, RDFS.label, Literal("Qingshan zone", lang="en")))
    return ZONE


def two_labels(g: Graph) -> URIRef:
    g.add((ZONE, RDFS.label, Literal("青山区", lang="zh")))
    return ZONE


def two_types(g: Graph) -> URIRef:
    g.add((COMPANY, RDF.type, KG.Program))
    return COMPANY


def untyped_entity(g: Graph) -> URIRef:
    g.remove((PERSON, RDF.type, None))
    return PERSON


def no_article_link(g: Graph) -> URIRef:
    g.remove((PLAN, KG.mentionedIn, None))
    return PLAN


def new_entity_without_label(g: Graph) -> URIRef:
    node = entity_iri("Place", "无名镇")
    g.add((node, RDF.type, KG.Place))
    g.add((node, KG.mentionedIn, ARTICLE))
    g.add((node, KG.mentionCount, Literal(1)))
    return node


def begin_not_below_end(g: Graph) -> URIRef:
    node = _one(g, KG.Assertion, KG.implements)
    g.set((node, NIF.endIndex, g.value(node, NIF.beginIndex)))
    return node


def offset_as_text(g: Graph) -> URIRef:
    node = _one(g, KG.Assertion, KG.implements)
    g.set((node, NIF.beginIndex, Literal("70")))
    return node


def no_evidence(g: Graph) -> URIRef:
    node = _one(g, KG.Assertion, KG.partOf)
    g.remove((node, KG.evidence, None))
    return node


def no_source_article(g: Graph) -> URIRef:
    node = _one(g, KG.Assertion, KG.partOf)
    g.remove((node, PROV.wasDerivedFrom, None))
    return node


def unknown_predicate(g: Graph) -> URIRef:
    node = _one(g, KG.Assertion, KG.partOf)
    g.set((node, KG.predicate, KG.mentionedIn))
    return node


def assertion_without_triple(g: Graph) -> URIRef:
    g.remove((ZONE, KG.implements, PLAN))
    return _one(g, KG.Assertion, KG.implements)


def assertion_with_object_and_value(g: Graph) -> URIRef:
    node = _one(g, KG.Assertion, KG.implements)
    g.add((node, KG.value, Literal("省级", lang="zh")))
    return node


def article_without_title(g: Graph) -> URIRef:
    g.remove((ARTICLE, KG.title, None))
    return ARTICLE


def article_without_source(g: Graph) -> URIRef:
    g.remove((ARTICLE, KG.sourceFile, None))
    return ARTICLE


def mention_without_article(g: Graph) -> URIRef:
    node = _one(g, KG.Mention)
    g.remove((node, NIF.referenceContext, None))
    return node


def agreement_with_one_party(g: Graph) -> URIRef:
    node = _one(g, KG.Agreement)
    g.remove((node, KG.party, ZONE))
    return node


def amount_as_text(g: Graph) -> URIRef:
    node = _one(g, KG.Agreement)
    g.set((node, KG.amount, Literal("10亿")))
    return node


def amount_without_currency(g: Graph) -> URIRef:
    node = _one(g, KG.Agreement)
    g.remove((node, KG.currency, None))
    return node


def agreement_without_amount_or_date(g: Graph) -> URIRef:
    node = _one(g, KG.Agreement)
    for prop in (KG.amount, KG.currency, KG.date):
        g.remove((node, prop, None))
    return node


def date_as_text(g: Graph) -> URIRef:
    node = _one(g, KG.Agreement)
    g.set((node, KG.date, Literal("5月12日", datatype=XSD.string)))
    return node


def position_without_role(g: Graph) -> URIRef:
    node = _one(g, KG.Position)
    g.remove((node, KG.role, None))
    return node


def located_in_a_program(g: Graph) -> URIRef:
    g.add((COMPANY, KG.locatedIn, PLAN))
    return COMPANY


def organization_holds_position(g: Graph) -> URIRef:
    g.add((COMPANY, KG.holdsPosition, COMMITTEE))
    return COMPANY


def zone_in_a_program(g: Graph) -> URIRef:
    g.add((ZONE, KG.participatesIn, PLAN))
    return ZONE


def program_cooperates(g: Graph) -> URIRef:
    g.add((COMPANY, KG.cooperatesWith, PLAN))
    return PLAN


def recognition_not_in_chinese(g: Graph) -> URIRef:
    g.add((COMPANY, KG.recognizedAs, Literal("national award")))
    return COMPANY


def bad_division_code(g: Graph) -> URIRef:
    g.set((ZONE, KG.divisionCode, Literal("37-99")))
    return ZONE


BREAKAGES: list[Callable[[Graph], URIRef]] = [
    drop_label, english_label_only, two_labels, two_types, untyped_entity, no_article_link,
    new_entity_without_label, begin_not_below_end, offset_as_text, no_evidence, no_source_article,
    unknown_predicate, assertion_without_triple, assertion_with_object_and_value, article_without_title,
    article_without_source, mention_without_article, agreement_with_one_party, amount_as_text,
    amount_without_currency, agreement_without_amount_or_date, date_as_text, position_without_role,
    recognition_not_in_chinese, bad_division_code,
]
DOUBTFUL: list[Callable[[Graph], URIRef]] = [located_in_a_program, organization_holds_position, zone_in_a_program,
                                             program_cooperates]


@pytest.mark.parametrize("breakage", BREAKAGES, ids=[b.__name__ for b in BREAKAGES])
def test_broken_graph_is_reported_at_the_broken_node(breakage: Callable[[Graph], URIRef]) -> None:
    graph = rdf.build_rdf(small_corpus())
    focus = breakage(graph)
    report = validate_graph(graph)
    assert not report.conforms
    assert str(focus) in {v.focus for v in report.violations if v.severity == "Violation"}, report.text
    assert all(v.message for v in report.violations)


@pytest.mark.parametrize("breakage", DOUBTFUL, ids=[b.__name__ for b in DOUBTFUL])
def test_relation_outside_domain_or_range_is_a_warning(breakage: Callable[[Graph], URIRef]) -> None:
    """The guidelines allow alternative types, so a type mismatch is reported but conforms."""
    graph = rdf.build_rdf(small_corpus())
    focus = breakage(graph)
    report = validate_graph(graph)
    assert report.conforms, report.text
    assert [(v.focus, v.severity) for v in report.violations] == [(str(focus), "Warning")]
    assert report.warnings == report.violations


# --- files that do not parse --------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "line"), [
    ("bad.ttl", '@prefix kg: <https://w3id.org/kg-cn/ontology#> .\n<http://x/a> a kg:Place .\n'
                '<http://x/a> kg:title "unterminated .\n', 3),
    ("bad.nq", '<http://x/a> <http://x/b> <http://x/c> .\n<http://x/a> <http://x/b> .\n', 2),
    ("bad.jsonld", '{"@id": "http://x/a",\n "http://x/b": [}\n', 2),
])
def test_syntax_error_names_file_and_line(tmp_path: Path, name: str, content: str, line: int) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError, match=rf"{name}, line {line}, column \d+"):
        validate(path)


def test_missing_file_and_unknown_suffix_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no such file"):
        validate(tmp_path / "absent.ttl")
    (tmp_path / "graph.xyz").write_text("", encoding="utf-8")
    with pytest.raises(ValidationError, match="unknown RDF file type"):
        validate(tmp_path / "graph.xyz")


# --- the command --------------------------------------------------------------------------

def test_cli_conforming_graph_exits_0(good: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(good / "graph.ttl")])
    assert result.exit_code == 0, result.output
    assert "Conforms: True" in result.stdout
    assert "conforms to the shapes" in result.stderr


def test_cli_broken_graph_prints_violations_and_exits_1(tmp_path: Path) -> None:
    graph = rdf.build_rdf(small_corpus())
    drop_label(graph)
    rdf.write(graph, tmp_path)
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "graph.ttl")])
    assert result.exit_code == 1
    assert "Conforms: False" in result.stdout and "青山经济技术开发区" in result.stdout
    assert "does not conform: 1 result" in result.stderr


def test_cli_unparsable_file_is_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_text("<http://x/a> <http://x/b> .\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"kg: error: {path}, line 1, column")
    assert result.stdout == ""


# --- the seeds' build ---------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name", ["graph.ttl", "graph.nq"])
def test_seed_build_conforms(seed_build, name: str) -> None:  # type: ignore[no-untyped-def]
    report: ValidationReport = validate(seed_build.out_dir / name)
    assert report.conforms, "\n".join(f"{v.focus} {v.path} {v.message}" for v in report.violations[:20])
