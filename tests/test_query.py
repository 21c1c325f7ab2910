"""kg.query and `kg query`: SPARQL over the built graph, output formats, and the competency queries.

The competency queries run twice: on facts of the seeds written by kg.rdf (exact answers,
whatever the extractor finds) and on the seeds' real build (facts the seeds state).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from kg import rdf
from kg.cli import main
from kg.corpus import read_documents
from kg.errors import GraphNotFoundError, QueryError
from kg.model import Document
from kg.query import PREFIXES, QueryResult, graph_source, load_store, parse_term, run_query
from sparql_samples import DOC_ZONE, LAUNCH, SEEDS, SIGNING, TALENT, seed_facts

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """graph.ttl and graph.nq of the seed facts, written by the project's RDF writer."""
    out = tmp_path_factory.mktemp("sample-graph")
    rdf.write(rdf.build_rdf(seed_facts()), out, formats=("ttl", "nq"))
    return out


@pytest.fixture(scope="module")
def sample_store(sample_dir: Path) -> ox.Store:
    return load_store(sample_dir)


def competency(query: str, store: ox.Store, /, **bindings: str) -> QueryResult:
    return run_query((QUERIES / f"{query}.rq").read_text(encoding="utf-8"), store=store, bindings=bindings)


def column(result: QueryResult, name: str) -> set[str]:
    return {row[name] for row in result.values() if name in row}


def rows_with(result: QueryResult, **expected: str) -> list[dict[str, str]]:
    return [row for row in result.values() if all(row.get(k) == v for k, v in expected.items())]


# --- the competency queries themselves ------------------------------------------------------

def test_there_are_at_least_ten_competency_queries_each_asking_in_chinese_and_english() -> None:
    files = sorted(QUERIES.glob("*.rq"))
    assert len(files) >= 10
    for path in files:
        header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        assert any(line.startswith("# 问题:") for line in header), path.name
        assert any(line.startswith("# Question:") for line in header), path.name


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.stem)
def test_every_competency_query_parses_and_answers_on_the_sample(path: Path, sample_store: ox.Store) -> None:
    result = run_query(path.read_text(encoding="utf-8"), store=sample_store)
    assert result.kind == "select" and result.rows, path.name


def test_programs_by_zone_lists_what_the_zone_implements_and_nothing_else(sample_store: ox.Store) -> None:
    result = competency("programs_by_zone", sample_store, zoneName="济宁经开区")
    assert column(result, "zoneLabel") == {"济宁经济技术开发区"}
    assert column(result, "programLabel") == {"三抢四争攻坚行动"}  # 新旧动能转换 is the 高新区's here


def test_programs_by_zone_includes_programs_of_the_zones_own_bodies(sample_dir: Path, tmp_path: Path) -> None:
    extra = rdf.build_rdf(seed_facts())
    body = rdf.entity_iri("Organization", "济宁高新区党工委")
    extra.add((body, rdf.KG.implements, rdf.entity_iri("Program", "三抢四争攻坚行动")))
    rdf.write(extra, tmp_path)
    result = run_query((QUERIES / "programs_by_zone.rq").read_text(encoding="utf-8"), graph_dir=tmp_path,
                       bindings={"zoneName": "济宁高新区"})
    assert rows_with(result, programLabel="三抢四争攻坚行动", implementedBy="济宁高新区党工委")
    assert rows_with(result, programLabel="新旧动能转换", implementedBy="济宁高新区")


def test_cooperation_agreements_give_partner_amount_currency_date_and_sentence(sample_store: ox.Store) -> None:
    result = competency("cooperation_agreements", sample_store, zoneName="经开区")
    assert rows_with(result, partnerLabel="中建钢构有限公司", amount="1000000000", currency="CNY",
                     date="2018-05-12", evidence=SIGNING)
    amount = next(row[3] for row in result.rows)
    assert isinstance(amount, ox.Literal) and amount.datatype == ox.NamedNode(PREFIXES["xsd"] + "decimal")


def test_projects_in_zone_with_their_participants(sample_store: ox.Store) -> None:
    result = competency("projects_in_zone", sample_store, zoneName="济宁经开区")
    assert rows_with(result, projectLabel="节能环保产业园", participants="中建钢构有限公司")
    assert rows_with(result, projectLabel="济宁经开区圣祥数据智能服务中心项目", participants="济宁经济技术开发区")
    assert column(result, "zoneLabel") == {"济宁经济技术开发区"}


def test_people_positions_give_role_and_organization(sample_store: ox.Store) -> None:
    result = competency("people_positions", sample_store, personName="石光亮")
    assert rows_with(result, personLabel="石光亮", role="党工委书记", organizationLabel="济宁高新区党工委")


def test_places_under_a_city_follow_located_in_transitively(sample_store: ox.Store) -> None:
    result = competency("places_under", sample_store, placeName="济宁")
    assert column(result, "placeLabel") == {"济宁经济技术开发区", "济宁高新区", "马集镇", "下花林村"}
    assert rows_with(result, placeLabel="下花林村", parentLabel="马集镇", subtype="Village")
    assert not competency("places_under", sample_store, placeName="下花林村").rows


def test_evidence_for_a_fact_is_the_sentence_at_its_offsets_in_the_seed(sample_store: ox.Store) -> None:
    result = competency("evidence_for_fact", sample_store, subjectName="济宁经开区", objectName="三抢四争",
                        relation="kg:implements")
    (row,) = result.values()
    text = (SEEDS / DOC_ZONE).read_text(encoding="utf-8")
    assert LAUNCH in row["evidence"]
    assert text[int(row["begin"]):int(row["end"])] == row["evidence"]
    assert row["article"].endswith(DOC_ZONE)


def test_evidence_for_a_recognition_is_found_by_its_value(sample_store: ox.Store) -> None:
    result = competency("evidence_for_fact", sample_store, subjectName="高新区", objectName="省级人才改革试验区")
    (row,) = result.values()
    assert TALENT in row["evidence"] and row["value"] == "省级人才改革试验区"


def test_entities_by_articles_ranks_the_ones_both_articles_mention_first(sample_store: ox.Store) -> None:
    result = competency("entities_by_articles", sample_store)
    top = [row for row in result.values() if row["articles"] == "2"]
    assert {row["entityLabel"] for row in top} == {"济宁", "新旧动能转换"}
    assert [row["articles"] for row in result.values()][: len(top)] == ["2"] * len(top)
    programs = competency("entities_by_articles", sample_store, type="kg:Program")
    assert column(programs, "entityLabel") == {"新旧动能转换", "三抢四争攻坚行动"}


def test_recognitions_with_their_sentence(sample_store: ox.Store) -> None:
    result = competency("recognitions", sample_store, name="济宁高新区")
    (row,) = result.values()
    assert row["recognition"] == "省级人才改革试验区" and TALENT in row["evidence"]


def test_articles_mentioning_both(sample_store: ox.Store) -> None:
    both = competency("articles_mentioning_both", sample_store, x="经开区", y="中建钢构")
    assert {row["article"].rsplit("/", 1)[1] for row in both.values()} == {DOC_ZONE}
    assert not competency("articles_mentioning_both", sample_store, x="济宁经开区", y="石光亮").rows


def test_aliases_found_from_any_name(sample_store: ox.Store) -> None:
    (row,) = competency("aliases", sample_store, name="经开区").values()
    assert row["label"] == "济宁经济技术开发区"
    assert set(row["aliases"].split("、")) == {"济宁经开区", "济宁经济开发区", "经开区"}


def test_zone_bodies(sample_store: ox.Store) -> None:
    result = competency("zone_bodies", sample_store, zoneName="高新区")
    assert rows_with(result, organizationLabel="济宁高新区党工委", relation=PREFIXES["kg"] + "locatedIn")


def test_zone_overview_counts_do_not_multiply(sample_store: ox.Store) -> None:
    (row,) = rows_with(competency("zone_overview", sample_store), zoneLabel="济宁经济技术开发区")
    assert (row["programs"], row["projects"], row["partners"], row["articles"]) == ("1", "1", "1", "1")


# --- the same questions on the seeds' real build ------------------------------------------

@pytest.fixture(scope="module")
def seed_store(seed_build) -> ox.Store:  # type: ignore[no-untyped-def]
    return load_store(seed_build.out_dir)


SEED_FACTS = [
    # (query, bindings, a row the answer must contain)
    pytest.param("programs_by_zone", {"zoneName": "济宁经开区"}, {"programLabel": "三抢四争攻坚行动"},
                 id="zone-implements-campaign"),
    pytest.param("programs_by_zone", {"zoneName": "济宁高新区"}, {"programLabel": "三次创业"},
                 id="zone-body-implements"),  # stated of the zone's 党工委 in the text
    pytest.param("programs_by_zone", {"zoneName": "济北开发区"}, {"programLabel": "链长制"},
                 id="zone-implements-chain-chief"),
    pytest.param("cooperation_agreements", {"zoneName": "济宁经开区"},
                 {"partnerLabel": "中建钢构有限公司", "amount": "1000000000", "currency": "CNY"},
                 id="agreement-amount"),
    pytest.param("cooperation_agreements", {"zoneName": "经开区"}, {"partnerLabel": "北京大学"},
                 id="cooperates-university"),
    pytest.param("projects_in_zone", {"zoneName": "济宁经开区"}, {"projectLabel": "节能环保产业园"},
                 id="project-in-zone"),
    pytest.param("projects_in_zone", {"zoneName": "济宁高新区"}, {"projectLabel": "华为云数据中心"},
                 id="project-in-hitech-zone"),
    pytest.param("people_positions", {"personName": "石光亮"}, {"organizationLabel": "济宁高新区党工委"},
                 id="position-party-secretary"),
    # the zone's 交警大队 is named more or less fully (济宁经开区交警大队 / 经开区交警大队): check the role
    pytest.param("people_positions", {"personName": "孟庆东"}, {"role": "大队长"}, id="position-police-chief"),
    pytest.param("places_under", {"placeName": "济宁"}, {"placeLabel": "马集镇"}, id="under-city-town"),
    pytest.param("places_under", {"placeName": "济宁"}, {"placeLabel": "下花林村", "parentLabel": "马集镇"},
                 id="under-city-village"),
    pytest.param("evidence_for_fact", {"subjectName": "济宁经开区", "objectName": "三抢四争攻坚行动"},
                 {"predicate": PREFIXES["kg"] + "implements"}, id="evidence-of-implements"),
    pytest.param("entities_by_articles", {}, {"entityLabel": "济宁经济技术开发区", "articles": "3"},
                 id="zone-in-3-articles"),
    pytest.param("recognitions", {"name": "华隆机械"}, {"recognition": "省级专精特新企业"}, id="award-company"),
    pytest.param("recognitions", {"name": "济宁高新区"}, {"recognition": "省级人才改革试验区"},
                 id="award-zone"),
    pytest.param("recognitions", {"name": "经开区双创孵化基地"}, {"recognition": "省级创新创业示范综合体"},
                 id="award-incubator"),
    pytest.param("articles_mentioning_both", {"x": "济宁经开区", "y": "中建钢构"},
                 {"article": f"https://w3id.org/kg-cn/id/article/{DOC_ZONE}", "yLabel": "中建钢构有限公司"},
                 id="articles-mentioning-both"),
    pytest.param("aliases", {"name": "经开区"}, {"label": "济宁经济技术开发区"}, id="aliases-of-zone"),
    pytest.param("zone_bodies", {"zoneName": "济宁高新区"}, {"organizationLabel": "济宁高新区党工委"},
                 id="zone-body"),
    pytest.param("zone_overview", {}, {"zoneLabel": "济宁经济技术开发区"}, id="overview"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "bindings", "expected"), SEED_FACTS)
def test_competency_queries_answer_what_the_seeds_state(name: str, bindings: dict[str, str],
                                                       expected: dict[str, str], seed_store: ox.Store) -> None:
    result = competency(name, seed_store, **bindings)
    assert rows_with(result, **expected), result.serialize("table").decode()


@pytest.mark.slow
def test_seed_zone_overview_counts_what_the_seeds_say_of_the_zone(seed_store: ox.Store) -> None:
    (row,) = rows_with(competency("zone_overview", seed_store), zoneLabel="济宁经济技术开发区")
    # articles 000, 001 and 003 are about the zone; they name a dozen of its programs and, among
    # others, 中建钢构, 中国科学院, 北京大学 and three Jining groups as partners
    assert row["articles"] == "3"
    assert int(row["programs"]) >= 10 and int(row["projects"]) >= 5 and int(row["partners"]) >= 5


@pytest.mark.slow
def test_seed_evidence_offsets_point_at_the_sentence_in_the_article(seed_store: ox.Store) -> None:
    result = competency("evidence_for_fact", seed_store, subjectName="济宁经开区")
    assert result.rows
    texts = {d.id: d.text for d in read_documents([SEEDS]) if isinstance(d, Document)}  # the build keeps no text
    for row in result.values():
        text = texts[row["article"].rsplit("/", 1)[1]]
        stated = text[int(row["begin"]):int(row["end"])]
        # the evidence is the sentence with page breaks rejoined: the same characters bar whitespace
        assert "".join(stated.split()) == "".join(row["evidence"].split())


# --- query mechanics ------------------------------------------------------------------------

def test_project_prefixes_are_predeclared(sample_store: ox.Store) -> None:
    result = run_query("SELECT ?z WHERE { ?z a kg:DevelopmentZone ; skos:altLabel ?a }", store=sample_store)
    assert len({row[0] for row in result.rows}) == 2
    for prefix in ("kg", "rdf", "rdfs", "owl", "xsd", "skos", "prov", "nif", "oa", "schema", "org", "foaf", "dcterms"):
        assert prefix in PREFIXES


def test_a_syntax_error_names_line_and_column_and_points_at_it(sample_store: ox.Store) -> None:
    with pytest.raises(QueryError) as caught:
        run_query("SELECT ?z WHERE {\n  ?z a kg:DevelopmentZone\n  ?z rdfs:label }", store=sample_store)
    message = str(caught.value)
    assert "line 3, column" in message
    assert "  ?z rdfs:label }" in message and "^" in message


def test_an_unknown_prefix_is_a_query_error(sample_store: ox.Store) -> None:
    with pytest.raises(QueryError, match="line 1"):
        run_query("SELECT ?s WHERE { ?s nope:p ?o }", store=sample_store)


def test_a_missing_graph_names_the_folder_and_says_to_build(tmp_path: Path) -> None:
    with pytest.raises(GraphNotFoundError) as caught:
        run_query("ASK {}", graph_dir=tmp_path / "nothing")
    assert str(tmp_path / "nothing") in str(caught.value) and "kg build" in str(caught.value)


def test_bound_values_are_values_not_query_text(sample_store: ox.Store) -> None:
    hostile = '济宁经开区") || true) } UNION { ?zone ?p ?o FILTER(true'
    assert not competency("programs_by_zone", sample_store, zoneName=hostile).rows
    with pytest.raises(QueryError, match=r"bound to \?o, which the query does not select; add \?o"):
        run_query("SELECT ?s WHERE { ?s ?p ?o }", store=sample_store, bindings={"o": "x"})


def test_a_bad_bound_value_or_graph_file_is_a_query_error(sample_store: ox.Store, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match="query failed"):
        run_query("SELECT ?z WHERE { ?z ?p ?o }", store=sample_store, bindings={"z": "<not an iri>"})
    (tmp_path / "graph.ttl").write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(QueryError, match=r"graph.ttl: cannot be read as RDF .*kg build"):
        load_store(tmp_path)


@pytest.mark.parametrize(("text", "expected"), [
    ("济宁经开区", ox.Literal("济宁经开区")),
    ('"经开区"@zh', ox.Literal("经开区", language="zh")),
    ('"42"', ox.Literal("42")),
    ("42", ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
    ("1.5", ox.Literal("1.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))),
    ("kg:implements", ox.NamedNode("https://w3id.org/kg-cn/ontology#implements")),
    ("<https://example.org/x>", ox.NamedNode("https://example.org/x")),
    ("http://example.org/x", ox.Literal("http://example.org/x")),  # an IRI needs <…>
    ("nope:x", ox.Literal("nope:x")),  # unknown prefix: just text
])
def test_bind_values_use_turtle_term_syntax(text: str, expected: object) -> None:
    assert parse_term(text) == expected


def test_results_formats_follow_the_sparql_specs(sample_store: ox.Store) -> None:
    result = run_query("SELECT ?label ?count WHERE { ?z a kg:DevelopmentZone ; rdfs:label ?label ; "
                       "kg:mentionCount ?count } ORDER BY ?label", store=sample_store)
    expected = [tuple(row) for row in result.rows]
    for fmt in ("json", "xml", "tsv"):  # lossless formats: parse them back with pyoxigraph
        parsed = ox.parse_query_results(result.serialize(fmt), format=getattr(ox.QueryResultsFormat, fmt.upper()))
        assert isinstance(parsed, ox.QuerySolutions)
        assert [tuple(s[v] for v in ("label", "count")) for s in parsed] == expected, fmt
    data = json.loads(result.serialize("json"))
    assert data["head"]["vars"] == ["label", "count"]
    assert data["results"]["bindings"][0]["label"] == {"type": "literal", "value": "济宁经济技术开发区", "xml:lang": "zh"}
    csv = result.serialize("csv").decode("utf-8")
    assert csv.split("\r\n")[:2] == ["label,count", f"济宁经济技术开发区,{result.values()[0]['count']}"]
    tsv = result.serialize("tsv").decode("utf-8").splitlines()
    assert tsv[0] == "?label\t?count" and tsv[1].startswith('"济宁经济技术开发区"@zh\t')


def test_ask_and_construct(sample_store: ox.Store) -> None:
    ask = run_query("ASK { ?p a kg:Person }", store=sample_store)
    assert ask.boolean is True and ask.serialize("table") == b"true\n"
    assert json.loads(ask.serialize("json")) == {"head": {}, "boolean": True}
    assert run_query("ASK { ?p a kg:Agreement ; kg:amount 7 }", store=sample_store).serialize("table") == b"false\n"
    graph = run_query("CONSTRUCT { ?z rdfs:label ?l } WHERE { ?z a kg:DevelopmentZone ; rdfs:label ?l }",
                      store=sample_store)
    turtle = graph.serialize("table")
    parsed = rdflib.Graph().parse(data=turtle, format="turtle")
    assert len(parsed) == 2 and rdflib.Literal("济宁高新区", lang="zh") in set(parsed.objects())
    with pytest.raises(QueryError, match="CONSTRUCT"):
        graph.serialize("csv")


def test_table_aligns_chinese_by_display_width(sample_store: ox.Store) -> None:
    table = competency("aliases", sample_store).serialize("table").decode()
    lines = table.splitlines()
    assert lines[0].startswith("?name") and lines[-1] == f"({len(lines) - 3} rows)"
    # the ?label column starts at the same display column on every row
    starts = set()
    for line in lines[2:-1]:
        label = next(l for l in ("济宁经济技术开发区", "济宁高新区", "三抢四争攻坚行动", "中建钢构有限公司", "节能环保产业园") if l in line)
        prefix = line[: line.index(label)]
        starts.add(sum(2 if ord(c) > 0x2E80 else 1 for c in prefix))
    assert len(starts) == 1


def test_nquads_and_turtle_give_the_same_answers(sample_dir: Path, tmp_path: Path) -> None:
    """graph.nq is preferred; its triples are also in the default graph, once each."""
    assert graph_source(sample_dir).name == "graph.nq"
    (tmp_path / "graph.ttl").write_bytes((sample_dir / "graph.ttl").read_bytes())
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    from_quads = run_query(count, graph_dir=sample_dir).values()[0]["n"]
    from_turtle = run_query(count, graph_dir=tmp_path).values()[0]["n"]
    assert from_quads == from_turtle == str(len(rdflib.Graph().parse(tmp_path / "graph.ttl")))
    per_article = run_query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s kg:implements ?o } } GROUP BY ?g",
                            graph_dir=sample_dir)
    assert {row["g"].rsplit("/", 1)[1] for row in per_article.values()} == {DOC_ZONE, "002_56085dc09034c60c.txt"}


def test_any_written_rdf_file_can_be_queried_alike(tmp_path: Path) -> None:
    rdf.write(rdf.build_rdf(seed_facts()), tmp_path, formats=("nt", "nq", "jsonld"))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    counts = {name: run_query(count, graph_dir=tmp_path / name).values()[0]["n"]
              for name in ("graph.ttl", "graph.nt", "graph.nq", "graph.jsonld")}
    assert len(set(counts.values())) == 1, counts


def test_an_old_graph_nq_is_not_preferred_over_a_newer_graph_ttl(sample_dir: Path, tmp_path: Path) -> None:
    for name in ("graph.nq", "graph.ttl"):
        (tmp_path / name).write_bytes((sample_dir / name).read_bytes())
    old = time.time() - 3600
    os.utime(tmp_path / "graph.nq", (old, old))
    assert graph_source(tmp_path).name == "graph.ttl"


# --- the command ------------------------------------------------------------------------------

def test_cli_query_from_argument_file_and_stdin(sample_dir: Path) -> None:
    runner = CliRunner()
    text = "SELECT ?l WHERE { ?z a kg:DevelopmentZone ; rdfs:label ?l } ORDER BY ?l"
    by_argument = runner.invoke(main, ["query", "-g", str(sample_dir), "--format", "csv", text])
    assert by_argument.exit_code == 0, by_argument.output
    assert by_argument.stdout_bytes == "l\r\n济宁经济技术开发区\r\n济宁高新区\r\n".encode()
    by_stdin = runner.invoke(main, ["query", "-g", str(sample_dir), "--format", "csv", "-"], input=text)
    assert by_stdin.stdout_bytes == by_argument.stdout_bytes
    by_file = runner.invoke(main, ["query", "-g", str(sample_dir), "--file", str(QUERIES / "aliases.rq"),
                                   "--bind", "name=中建钢构", "--format", "json"])
    assert by_file.exit_code == 0, by_file.output
    (binding,) = json.loads(by_file.stdout)["results"]["bindings"]
    assert binding["label"]["value"] == "中建钢构有限公司"


def test_cli_query_errors_are_one_line_messages_and_exit_1(sample_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(main, ["query", "-g", str(sample_dir), "SELECT ?x WHERE {\n ?x ?y }"])
    assert bad.exit_code == 1 and "kg: error: SPARQL syntax error at line 2, column" in bad.stderr
    missing = runner.invoke(main, ["query", "-g", str(tmp_path), "ASK {}"])
    assert missing.exit_code == 1 and "kg build" in missing.stderr
    unbound = runner.invoke(main, ["query", "-g", str(sample_dir), "--bind", "oops", "ASK {}"])
    assert unbound.exit_code == 1 and "NAME=VALUE" in unbound.stderr
    neither = runner.invoke(main, ["query", "-g", str(sample_dir)])
    assert neither.exit_code == 2
