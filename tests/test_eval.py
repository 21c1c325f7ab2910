"""kg.eval: gold validation, the scoring rules of GUIDELINES.md, the report, the `kg eval` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import GoldError
from kg.eval import evaluate, load_gold
from kg.model import Corpus, Document, Entity, EntityType, Mention, Relation

TEXT = "蚌埠经济技术开发区与华为有限公司签订协议。“蚌埠经开区”负责人李明说,经开区将建设“智算中心”项目。"
DOC = "a.txt"


def write_gold(folder: Path, entities: list[dict], relations: list[dict] | None = None, doc: str = DOC) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{Path(doc).stem}.json"
    path.write_text(json.dumps({"doc": doc, "entities": entities, "relations": relations or []}, ensure_ascii=False),
                    encoding="utf-8")
    return path


GOLD_ENTITIES = [
    {"id": "e1", "name": "蚌埠经济技术开发区", "type": "Place", "subtype": "DevelopmentZone",
     "aliases": ["蚌埠经开区", "经开区"]},
    {"id": "e2", "name": "华为有限公司", "type": "Organization", "alt_types": ["Project"], "aliases": []},
    {"id": "e3", "name": "李明", "type": "Person"},
    {"id": "e4", "name": "智算中心项目", "type": "Project", "aliases": ["“智算中心”项目"]},
]
GOLD_RELATIONS = [
    {"head": "e2", "relation": "cooperatesWith", "tail": "e1", "evidence": "蚌埠经济技术开发区与华为有限公司签订协议。"},
    {"head": "e4", "relation": "locatedIn", "tail": "e1", "evidence": "…"},
    {"head": "e2", "relation": "recognizedAs", "tail": None, "evidence": "…", "value": "省级专精特新企业"},
]


def entity(name: str, kind: EntityType, *aliases: str) -> Entity:
    mention = Mention(name, 0, 1, kind, "test", DOC, 0)
    return Entity(id=f"{kind}/{name}", name=name, type=kind, aliases=aliases, mentions=(mention,))


def corpus(entities: list[Entity], relations: list[Relation] = ()) -> Corpus:
    return Corpus(documents=[Document(id=DOC, path=DOC, text=TEXT)], entities=entities, relations=list(relations))


def relation(head: str, predicate: str, tail: str | None, **attrs: str) -> Relation:
    return Relation(head=head, predicate=predicate, tail=tail, evidence="", doc_id=DOC, start=0, end=1,
                    attrs=tuple(attrs.items()))


@pytest.fixture()
def gold_dir(tmp_path: Path) -> Path:
    write_gold(tmp_path / "gold", GOLD_ENTITIES, GOLD_RELATIONS)
    return tmp_path / "gold"


def test_scores_follow_the_guidelines(gold_dir: Path) -> None:
    zone = entity("蚌埠经开区", "Place", "经开区")  # matches e1 through an alias
    zone_again = entity("蚌埠经济技术开发区", "Place")  # e1 again: a fragment
    company = entity("华为有限公司", "Project")  # an alt type of e2: typed match
    person = entity("李明", "Organization")  # e3, wrong type: untyped only
    stray = entity("协议", "Program")  # spurious
    report = evaluate(corpus([zone, zone_again, company, person, stray], [
        relation(company.id, "cooperatesWith", zone.id),  # direction does not count for cooperatesWith
        relation(person.id, "locatedIn", zone.id),  # not in the gold
        relation(company.id, "recognizedAs", None, value="省级“专精特新”企业"),
    ]), gold_dir)
    assert (report.untyped.correct_extracted, report.untyped.extracted) == (4, 5)
    assert (report.untyped.matched_gold, report.untyped.gold) == (3, 4)
    assert (report.typed.correct_extracted, report.typed.matched_gold) == (3, 2)
    assert report.typed.precision == pytest.approx(3 / 5) and report.typed.recall == pytest.approx(2 / 4)
    assert report.typed.f1 == pytest.approx(2 * 0.6 * 0.5 / 1.1)
    assert report.fragmentation == pytest.approx(4 / 3)
    assert report.per_type["Person"].recall == 0.0 and report.per_type["Place"].recall == 1.0
    assert report.per_type["Organization"].precision == 0.0 and report.per_type["Project"].precision == 1.0
    assert (report.relations.correct_extracted, report.relations.extracted) == (2, 3)
    assert (report.relations.matched_gold, report.relations.gold) == (2, 3)
    assert report.per_relation["locatedIn"].precision == 0.0
    assert {m.name for m in report.missed} == {"李明", "智算中心项目"}
    assert {m.name for m in report.spurious} == {"李明", "协议"}


def test_each_status_of_a_head_counts(tmp_path: Path) -> None:
    """recognizedAs has no tail: two statuses of one head are two gold relations, keyed by value."""
    statuses = [{"head": "e2", "relation": "recognizedAs", "tail": None, "evidence": "…", "value": v}
                for v in ("省级专精特新企业", "国家级高新技术企业")]
    gold = write_gold(tmp_path / "gold", GOLD_ENTITIES, statuses).parent
    company = entity("华为有限公司", "Organization")
    report = evaluate(corpus([company], [relation(company.id, "recognizedAs", None, value="国家级高新技术企业"),
                                         relation(company.id, "recognizedAs", None, value="省级“专精特新”企业"),
                                         relation(company.id, "recognizedAs", None, value="市级瞪羚企业")]), gold)
    score = report.per_relation["recognizedAs"]
    assert (score.matched_gold, score.gold) == (2, 2)
    assert (score.correct_extracted, score.extracted) == (2, 3)


def test_direction_counts_except_for_cooperation(gold_dir: Path) -> None:
    zone, project = entity("蚌埠经开区", "Place"), entity("智算中心项目", "Project")
    report = evaluate(corpus([zone, project], [relation(zone.id, "locatedIn", project.id)]), gold_dir)
    assert report.relations.correct_extracted == 0


def test_labels_are_compared_after_nfkc(gold_dir: Path) -> None:
    report = evaluate(corpus([entity("李明 ", "Person")]), gold_dir)  # trailing space trimmed
    assert report.per_type["Person"].recall == 1.0


def test_report_text(gold_dir: Path) -> None:
    text = evaluate(corpus([entity("李明", "Person"), entity("协议", "Program")]), gold_dir).format(show=1)
    for part in ("typed", "fragmentation", "Person", "cooperatesWith", "missed (3, first 1)", "spurious (1, first 1)",
                 "协议"):
        assert part in text
    assert "missed" not in evaluate(corpus([]), gold_dir).format()


@pytest.mark.parametrize("content, message", [
    ("{not json", "not valid JSON"),
    (json.dumps({"entities": []}), "string 'doc'"),
    (json.dumps({"doc": DOC, "entities": [{"id": "e1", "name": "李明", "type": "Human"}]}), "unknown type 'Human'"),
    (json.dumps({"doc": DOC, "entities": [{"id": "e1", "name": "李明", "type": "Person"}] * 2}), "duplicate entity ids e1"),
    (json.dumps({"doc": DOC, "entities": [{"id": "e1", "name": "李明", "type": "Person", "aliases": "李"}]}),
     "aliases must be a list"),
    (json.dumps({"doc": DOC, "entities": [{"id": "e1", "name": "李明", "type": "Person"}],
                 "relations": [{"head": "e1", "relation": "knows", "tail": "e1", "evidence": ""}]}), "unknown relation"),
    (json.dumps({"doc": DOC, "entities": [{"id": "e1", "name": "李明", "type": "Person"}],
                 "relations": [{"head": "e1", "relation": "partOf", "tail": "e9", "evidence": ""}]}), "tail 'e9'"),
    (json.dumps({"doc": DOC, "entities": [{"id": "e1", "name": "李明", "type": "Person"}],
                 "relations": [{"head": "e1", "relation": "recognizedAs", "tail": None, "evidence": ""}]}),
     "recognizedAs needs"),
])
def test_bad_gold_files_are_named(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "bad.json").write_text(content, encoding="utf-8")
    with pytest.raises(GoldError, match=message) as caught:
        load_gold(tmp_path)
    assert "bad.json" in str(caught.value)


def test_gold_names_must_occur_in_the_text(tmp_path: Path) -> None:
    path = write_gold(tmp_path, [{"id": "e1", "name": "合肥经开区", "type": "Place"}])
    with pytest.raises(GoldError, match="does not occur") as caught:
        evaluate(corpus([]), tmp_path)
    assert str(path) in str(caught.value)


def test_gold_folder_problems(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match="not found"):
        load_gold(tmp_path / "missing")
    with pytest.raises(GoldError, match="no \\*.json"):
        load_gold(tmp_path)
    write_gold(tmp_path, [], doc="other.txt")
    with pytest.raises(GoldError, match="no gold file names any of the input documents"):
        evaluate(corpus([]), tmp_path)


def test_kg_eval_command(tmp_path: Path) -> None:
    article = tmp_path / "in" / DOC
    article.parent.mkdir()
    article.write_text(TEXT, encoding="utf-8")
    write_gold(tmp_path / "gold", GOLD_ENTITIES, GOLD_RELATIONS)
    result = CliRunner().invoke(main, ["eval", "--gold", str(tmp_path / "gold"), "--show", "5", str(article.parent)])
    assert result.exit_code == 0, result.output
    assert "documents scored: 1" in result.stdout and "typed" in result.stdout
    missed = result.stdout.split("missed (")[1].split("spurious (")[0]
    assert "李明" not in missed and "蚌埠经济技术开发区" not in missed  # the build found them
    (tmp_path / "gold" / "broken.json").write_text("[]", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--gold", str(tmp_path / "gold"), str(article.parent)])
    assert result.exit_code == 1 and "broken.json" in result.output
