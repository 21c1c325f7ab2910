"""resolve: aliases within and across documents, type vote, stable ids, relations onto entities."""

from __future__ import annotations

import pytest

from kg.model import Document, DocumentAnalysis, EntityType, Mention, RelationCandidate, Sentence
from kg.resolve import alias_key, resolve


def mentions_of(doc_id: str, text: str, names: list[tuple[str, EntityType]]) -> tuple[Mention, ...]:
    """A mention at every occurrence of each name (the longest names claim their spans first)."""
    found: list[Mention] = []
    for name, kind in names:
        at = text.find(name)
        while at != -1:
            found.append(Mention(name, at, at + len(name), kind, "test", doc_id, 0))
            at = text.find(name, at + 1)
    return tuple(found)


def analysis(doc_id: str, text: str, names: list[tuple[str, EntityType]],
             relations: tuple[RelationCandidate, ...] = ()) -> DocumentAnalysis:
    document = Document(id=doc_id, path=doc_id, text=text, sentences=(Sentence(0, 0, len(text), text),))
    return DocumentAnalysis(document, mentions_of(doc_id, text, names), relations)


def by_name(entities) -> dict[str, object]:
    return {e.name: e for e in entities}


@pytest.mark.parametrize("name, key", [
    ("宿州经济技术开发区", "宿州经开区"),
    ("宿州经济开发区", "宿州经开区"),
    ("洛阳高新技术产业开发区", "洛阳高新区"),
    ("苏州火炬高技术产业开发区", "苏州火炬高新区"),  # the official long form of some high-tech zones (Jiangsu)
    ("华为技术有限公司", "华为技术"),
    ("美的集团股份有限公司", "美的"),
    ("中国建材集团", "中国建材"),
    ("岳阳纸业集团股份公司", "岳阳纸业"),  # 股份公司 is a legal form too (Hunan)
    ("“双倍增”计划", "双倍增计划"),
    ("有限公司", "有限公司"),  # nothing left to name: kept whole
])
def test_alias_key(name: str, key: str) -> None:
    assert alias_key(name) == key


ZONE_TEXT = ("宿州经济技术开发区召开大会。宿州经开区与华为技术有限公司签约,华为技术将参与建设。"
             "经开区财政局、区财政局负责资金。宿州经济开发区党工委书记讲话,经开区市场监管局参加。")


def zone_analysis() -> DocumentAnalysis:
    return analysis("a.txt", ZONE_TEXT, [
        ("宿州经济技术开发区", "Place"), ("宿州经开区", "Place"), ("宿州经济开发区党工委", "Organization"),
        ("宿州经济开发区", "Place"), ("经开区财政局", "Organization"), ("区财政局", "Organization"),
        ("经开区市场监管局", "Organization"), ("华为技术有限公司", "Organization"), ("华为技术", "Organization"),
    ] + [("经开区", "Place")])


def test_zone_names_and_bare_abbreviation_are_one_place() -> None:
    entities, _ = resolve([zone_analysis()])
    zone = by_name(entities)["宿州经济技术开发区"]
    assert zone.id == "Place/宿州经济技术开发区"
    assert set(zone.aliases) == {"宿州经开区", "宿州经济开发区", "经开区"}


def test_company_without_legal_form_is_the_company() -> None:
    entities, _ = resolve([zone_analysis()])
    assert by_name(entities)["华为技术有限公司"].aliases == ("华为技术",)


def test_body_with_and_without_its_place_is_one_body() -> None:
    entities, _ = resolve([zone_analysis()])
    assert set(by_name(entities)["经开区财政局"].aliases) == {"区财政局"}


def test_distinct_units_stay_distinct() -> None:
    entities, _ = resolve([zone_analysis()])
    names = by_name(entities)
    assert names["宿州经济开发区党工委"].type == "Organization"
    assert names["经开区市场监管局"].type == "Organization"
    assert names["宿州经济技术开发区"].type == "Place"
    assert len({names[n].id for n in ("宿州经济开发区党工委", "经开区市场监管局", "宿州经济技术开发区")}) == 3


def test_bodies_of_different_places_stay_apart() -> None:
    text = "市环保局和经开区环保局联合检查。"
    entities, _ = resolve([analysis("b.txt", text, [("市环保局", "Organization"), ("经开区环保局", "Organization"),
                                                    ("经开区", "Place")])])
    assert {"市环保局", "经开区环保局"} <= set(by_name(entities))


def test_bare_zone_means_the_zone_of_its_own_article() -> None:
    one = analysis("1.txt", "蚌埠经开区加快发展,经开区招商成效明显。", [("蚌埠经开区", "Place"), ("经开区", "Place")])
    two = analysis("2.txt", "滁州经开区召开大会,经开区全体干部参加。", [("滁州经开区", "Place"), ("经开区", "Place")])
    entities, _ = resolve([one, two])
    names = by_name(entities)
    assert "经开区" in names["蚌埠经开区"].aliases and "经开区" in names["滁州经开区"].aliases
    assert names["蚌埠经开区"].documents == ("1.txt",) and names["滁州经开区"].documents == ("2.txt",)


def test_documents_share_entities_by_name_and_division() -> None:
    one = analysis("1.txt", "合肥加快建设。中建钢构参与。", [("合肥", "Place"), ("中建钢构", "Organization")])
    two = analysis("2.txt", "合肥市与中建钢构有限公司签约。", [("合肥市", "Place"), ("中建钢构有限公司", "Organization")])
    entities, _ = resolve([one, two])
    names = by_name(entities)
    assert names["合肥市"].aliases == ("合肥",) and names["合肥市"].documents == ("1.txt", "2.txt")
    assert dict(names["合肥市"].attrs)["division_code"] == "340100"
    assert names["中建钢构有限公司"].aliases == ("中建钢构",)


def test_place_short_form_in_one_article() -> None:
    text = "三河镇位于肥西县,三河古镇游人如织,三河的米饺有名。"
    entities, _ = resolve([analysis("c.txt", text, [("三河镇", "Place"), ("三河", "Person")])])
    town = by_name(entities)["三河镇"]
    assert town.type == "Place" and town.aliases == ("三河",)


def test_type_is_the_majority_of_mentions() -> None:
    text = "庐阳区、庐阳区、庐阳区"
    found = mentions_of("d.txt", text, [("庐阳区", "Place")])
    found = found[:2] + (Mention("庐阳区", found[2].start, found[2].end, "Organization", "lac:ORG", "d.txt", 0),)
    document = Document(id="d.txt", path="d.txt", text=text)
    entities, _ = resolve([DocumentAnalysis(document, found, ())])
    assert [(e.type, e.name, len(e.mentions)) for e in entities] == [("Place", "庐阳区", 3)]


def test_canonical_field_joins_a_quoted_core_to_its_name() -> None:
    text = "实施“强链”计划,“强链”成效明显。"
    plan = Mention("强链计划", 2, 8, "Program", "program:x", "e.txt", 0)
    core = Mention("强链", 10, 14, "Program", "program:x", "e.txt", 0, canonical="强链计划")
    entities, _ = resolve([DocumentAnalysis(Document(id="e.txt", path="e.txt", text=text), (plan, core), ())])
    assert [(e.name, e.aliases) for e in entities] == [("强链计划", ("强链",))]


def test_relations_are_mapped_onto_entities() -> None:
    text = "宿州经开区与华为技术有限公司签订协议。"
    sentence = Sentence(0, 0, len(text), text)
    base = analysis("r.txt", text, [("宿州经开区", "Place"), ("华为技术有限公司", "Organization")])
    zone, company = sorted(base.mentions, key=lambda x: x.start)
    stray = Mention("不存在", 0, 3, "Place", "x", "r.txt", 0)
    candidates = (
        RelationCandidate(zone, "cooperatesWith", company, sentence, "r.txt", "rule", (("date", "5月"),)),
        RelationCandidate(zone, "cooperatesWith", company, sentence, "r.txt", "rule", (("date", "5月"),)),  # duplicate
        RelationCandidate(zone, "locatedIn", zone, sentence, "r.txt", "rule"),  # self-loop
        RelationCandidate(company, "recognizedAs", None, sentence, "r.txt", "rule", (("value", "省级专精特新企业"),)),
        RelationCandidate(stray, "locatedIn", zone, sentence, "r.txt", "rule"),  # a mention no entity has
    )
    entities, relations = resolve([DocumentAnalysis(base.document, base.mentions, candidates)])
    assert [(r.head, r.predicate, r.tail, r.attr("date") or r.attr("value")) for r in relations] == [
        ("Organization/华为技术有限公司", "recognizedAs", None, "省级专精特新企业"),
        ("Place/宿州经开区", "cooperatesWith", "Organization/华为技术有限公司", "5月"),
    ]
    assert relations[1].evidence == text and (relations[0].start, relations[0].end) == (0, len(text))


def test_same_input_same_output() -> None:
    first = resolve([zone_analysis()])
    second = resolve([zone_analysis()])
    assert first == second
    assert [e.id for e in first[0]] == sorted(e.id for e in first[0])


def test_bare_body_whose_name_starts_like_a_level_word() -> None:
    # 市场监管局 is no 市 + 场监管局: the bare name is the core of 经开区市场监管局
    text = "芜湖经开区召开会议,经开区市场监管局通报情况,市场监管局将加强检查。"
    entities, _ = resolve([analysis("m.txt", text, [("芜湖经开区", "Place"), ("经开区市场监管局", "Organization"),
                                                    ("市场监管局", "Organization")])])
    assert by_name(entities)["经开区市场监管局"].aliases == ("市场监管局",)


@pytest.mark.parametrize("names, merged, apart", [
    # the end of a longer name with the same head word
    ([("秦州区交警大队", "Organization"), ("大队", "Organization")], ("秦州区交警大队", "大队"), None),
    ([("阳光爱心义工团", "Organization"), ("爱心义工团", "Organization")], ("阳光爱心义工团", "爱心义工团"), None),
    # 市委 ends 团市委 but names another body
    ([("天水团市委", "Organization"), ("市委", "Organization")], None, ("天水团市委", "市委")),
    # a quoted core before a program head
    ([("十四五发展规划", "Program"), ("十四五", "Program")], ("十四五发展规划", "十四五"), None),
    # two longer names fit: the short one stays apart
    ([("联盟办公室", "Organization"), ("城市更新办公室", "Organization"), ("办公室", "Organization")], None,
     ("联盟办公室", "办公室")),
    # a short form keeping a few characters of the middle of the name (Hainan, Hubei)
    ([("海南国际旅游消费改革示范区", "Place"), ("海南旅消示范区", "Place")], ("海南国际旅游消费改革示范区", "海南旅消示范区"),
     None),
    # another middle, or another head, names another thing
    ([("武汉东湖新技术开发区", "Place"), ("武汉临空港经开区", "Place")], None, ("武汉东湖新技术开发区", "武汉临空港经开区")),
    ([("湖北省交通运输厅", "Organization"), ("湖北省交通局", "Organization")], None, ("湖北省交通运输厅", "湖北省交通局")),
    # a park or building and its construction phase are one thing, named with the phase (Jiangsu, Hunan)
    ([("常州科教城二期", "Project"), ("常州科教城", "Place")], ("常州科教城二期", "常州科教城"), None),
    ([("湘江金融广场三期", "Project"), ("湘江金融广场", "Place")], ("湘江金融广场三期", "湘江金融广场"), None),
    # a road's phase is a works on the road (Hunan)
    ([("洋湖大道二期", "Project"), ("洋湖大道", "Place")], None, ("洋湖大道二期", "洋湖大道")),
])
def test_short_forms_within_an_article(names, merged, apart) -> None:
    text = "、".join(n for n, _ in names) + "。"
    entities, _ = resolve([analysis("s.txt", text, names)])
    found = by_name(entities)
    if merged:
        assert merged[1] in found[merged[0]].aliases
    if apart:
        assert apart[0] in found and apart[1] in found


def test_zone_qualified_body_is_one_across_articles() -> None:
    one = analysis("1.txt", "芜湖经开区交警大队开展整治。", [("芜湖经开区交警大队", "Organization")])
    two = analysis("2.txt", "芜湖经开区召开大会,经开区交警大队参加。",
                   [("芜湖经开区", "Place"), ("经开区交警大队", "Organization"), ("经开区", "Place")])
    entities, _ = resolve([one, two])
    body = by_name(entities)["芜湖经开区交警大队"]
    assert body.aliases == ("经开区交警大队",) and body.documents == ("1.txt", "2.txt")
