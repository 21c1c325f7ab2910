"""resolve_overlaps: one reading per span, nested names kept, crossing spans settled."""

from __future__ import annotations

import pytest

from kg.extract import resolve_overlaps, title_spans
from kg.model import EntityType, Mention

TEXT = "合肥经开区管委会与《合肥市优化营商环境实施方案》和张三丰路，观看《湄公河行动》"


def m(name: str, kind: EntityType, rule: str = "names:x", at: int | None = None) -> Mention:
    start = TEXT.index(name) if at is None else at
    return Mention(text=name, start=start, end=start + len(name), type=kind, rule=rule, doc_id="d", sentence=0)


def kept(*mentions: Mention) -> list[tuple[str, str]]:
    return [(x.type, x.text) for x in resolve_overlaps(mentions, titles=title_spans(TEXT))]


@pytest.mark.parametrize("mentions, expected", [
    # names inside names count (guidelines): the zone inside its committee stays
    ([m("合肥经开区管委会", "Organization"), m("合肥经开区", "Place"), m("合肥", "Place")],
     [("Place", "合肥"), ("Place", "合肥经开区"), ("Organization", "合肥经开区管委会")]),
    # same span, two readings: a rule-made Program beats an Organization, a rule beats bare LAC
    ([m("合肥经开区管委会", "Organization", "lac:Organization"), m("合肥经开区管委会", "Program", "program:x")],
     [("Program", "合肥经开区管委会")]),
    ([m("合肥经开区", "Organization", "lac:Organization"), m("合肥经开区", "Place", "names:Place")],
     [("Place", "合肥经开区")]),
    # crossing spans: the longer wins
    ([m("经开区管委会", "Organization"), m("合肥经开", "Place")], [("Organization", "经开区管委会")]),
    # a person-like word inside a road name is part of the road
    ([m("张三丰路", "Place"), m("张三丰", "Person", "lac:PER")], [("Place", "张三丰路")]),
    # LAC's unchecked organization inside a rule-made name is a piece of it
    ([m("合肥经开区管委会", "Organization"), m("经开区管", "Organization", "lac:Organization")],
     [("Organization", "合肥经开区管委会")]),
    # names inside the title of a work (a film) are not entities; a policy document is no work: its names count
    ([m("湄公河", "Place")], []),
    ([m("合肥市优化营商环境实施方案", "Program"), m("合肥市", "Place")],
     [("Place", "合肥市"), ("Program", "合肥市优化营商环境实施方案")]),
    # empty spans are dropped
    ([Mention(text="", start=3, end=3, type="Place", rule="x", doc_id="d", sentence=0)], []),
])
def test_resolve_overlaps(mentions: list[Mention], expected: list[tuple[str, str]]) -> None:
    assert kept(*mentions) == expected


def test_project_named_after_its_facility_is_one_mention() -> None:
    text = "建设锦江数据中心项目"
    project = Mention("锦江数据中心项目", 2, 10, "Project", "project:x", "d", 0)
    facility = Mention("锦江数据中心", 2, 8, "Organization", "names:x", "d", 0)
    assert resolve_overlaps([project, facility]) == [project]
    assert text[project.start:project.end] == project.text


def test_order_is_deterministic() -> None:
    mentions = [m("合肥", "Place"), m("合肥经开区管委会", "Organization"), m("合肥经开区", "Place")]
    assert resolve_overlaps(mentions) == resolve_overlaps(list(reversed(mentions)))


def test_title_spans() -> None:
    # titles of works only: policy documents (…实施方案, 条例, a plan with its period) are Programs, not works
    assert title_spans("按照《实施方案》和《条例》观看《湄公河行动》") == [(16, 21)]
    assert title_spans("印发《某某发展规划（2021—2025年）》") == []


def test_a_film_title_is_no_entity() -> None:
    text = "组织观看电影《巢湖》和《合肥市优化营商环境实施方案》宣讲"
    film = Mention("巢湖", 7, 9, "Place", "names:Place", "d", 0)
    policy = Mention("合肥市优化营商环境实施方案", 12, 25, "Program", "program:title", "d", 0)
    city = Mention("合肥市", 12, 15, "Place", "names:Place", "d", 0)
    assert text[film.start:film.end] == "巢湖" and text[policy.start:policy.end] == policy.text
    assert resolve_overlaps([film, policy, city], titles=title_spans(text)) == [city, policy]


def test_a_region_inside_a_program_counts() -> None:
    # names inside names count: 长三角 of 长三角一体化发展战略 (a checked region word, not bare LAC)
    program = Mention("长三角一体化发展战略", 0, 10, "Program", "program:head", "d", 0)
    region = Mention("长三角", 0, 3, "Place", "names:region", "d", 0)
    guess = Mention("长三角", 0, 3, "Place", "lac:division", "d", 0)
    assert resolve_overlaps([program, region]) == [region, program]
    assert resolve_overlaps([program, guess]) == [program]
