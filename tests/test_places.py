"""kg.places against cpca's division list: codes, parents, prefixes and levels of place names."""

from __future__ import annotations

import pytest

from kg import places


@pytest.mark.parametrize(("name", "context", "code"), [
    ("杭州市", (), "330100"),
    ("杭州", (), "330100"),             # short name of a city
    ("浙江", (), "330000"),             # short name of a province
    ("北京", (), "110000"),             # a municipality is province-level
    ("上海市", (), "310000"),
    ("余杭区", (), "330110"),
    ("朝阳区", (), None),               # two cities have one: ambiguous without context
    ("朝阳区", ("北京市",), "110105"),  # the context picks Beijing's
    ("朝阳区", ("长春",), "220104"),
    ("乌镇", (), None),                 # towns are not in the list
    ("澳门地区", (), "820000"),         # a short name plus a level word
    ("不存在的地方", (), None),
])
def test_division_of(name: str, context: tuple[str, ...], code: str | None) -> None:
    division = places.division_of(name, context=context)
    assert (division.code if division else None) == code


def test_ancestors_climb_to_the_province() -> None:
    county = places.division_of("余杭区")
    assert county is not None and county.level == "county"
    assert [d.name for d in places.ancestors(county)] == ["杭州市", "浙江省"]
    assert places.ancestors(places.division_of("浙江省")) == []


@pytest.mark.parametrize(("name", "context", "expected"), [
    ("杭州高新区", (), ("杭州市", 2)),
    ("湖北省农业科学院", (), ("湖北省", 3)),
    ("成都天府新区", (), ("成都市", 2)),
    ("萧山经开区", (), None),           # a county short name needs support from the article
    ("萧山经开区", ("杭州",), ("萧山区", 2)),
    ("余杭街道", (), None),             # prefix + bare level word: a name of its own
    ("中山路", (), None),               # prefix + road word: a road, not in 中山市
    ("绿源科技产业园", (), None),
])
def test_division_prefix(name: str, context: tuple[str, ...], expected: tuple[str, int] | None) -> None:
    found = places.division_prefix(name, context=context)
    assert ((found[0].name, found[1]) if found else None) == expected


@pytest.mark.parametrize(("name", "level"), [
    ("浙江省", "province"),
    ("宁波市", "city"),
    ("余杭区", "county"),
    ("长河街道", "town"),
    ("练市镇", "town"),
    ("荻港村", "village"),
    ("江南社区", "village"),
    ("常州经开区", "zone"),
    ("合肥高新区", "zone"),
    ("滨江片区", "area"),
    ("杭州钱塘新区", "zone"),          # a city's new area is a zone of its own
    ("翠湖新区", "area"),              # a new quarter inside a zone
    ("无锡工业园区", "zone"),          # a city's 工业园区 is a zone of its own
    ("鹤山工业园区", "area"),          # a park named without a division is an area
    ("长沙临空经济综合实验区", "zone"),
    ("临空港区", "zone"),
    ("未来科技城", "area"),
    ("特色小镇", "area"),              # 小镇 is an area, not a town
    ("钱塘江", None),
])
def test_place_level(name: str, level: str | None) -> None:
    assert places.place_level(name) == level


@pytest.mark.parametrize(("name", "expected"), [
    ("市委", ("市", "city")),
    ("区城管局", ("区", "zone")),
    ("镇综治办", ("镇", "town")),
    ("街道综合执法办公室", ("街道", "town")),
    ("市场服务中心", None),               # 市场 is a word, not the city
    ("区域协作办", None),
    ("宏达公司", None),
])
def test_bare_level_prefix(name: str, expected: tuple[str, str] | None) -> None:
    assert places.bare_level_prefix(name) == expected


def test_suffix_of() -> None:
    assert places.suffix_of("未来科技城", "area") == "城"
    assert places.suffix_of("滨江片区", "area") == "片区"
    assert places.suffix_of("练市镇", "area") is None


@pytest.mark.parametrize(("name", "road"), [
    ("开创大道", True), ("新港路", True), ("长岭街道", False), ("中山市", False), ("路", False),
])
def test_is_road(name: str, road: bool) -> None:
    assert places.is_road(name) is road
