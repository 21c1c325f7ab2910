"""Places against China's administrative divisions (the list shipped by ``cpca``).

The division list gives a code and a parent to provinces, cities and counties, so a place
named in an article gets its ``division_code`` and its locatedIn chain up to the province.
Below the county (towns, villages, development zones) the data says nothing: there the
hierarchy comes from the text, read by name suffix (镇, 街道, 村, 经开区 ...).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from kg.errors import KgError
from kg.resources import read_json

Level = Literal["province", "city", "county", "zone", "area", "town", "village"]

_RESOURCE = "places.json"


class PlaceDataError(KgError):
    """The division list or kg/resources/places.json cannot be read."""


@dataclass(frozen=True)
class Division:
    """One province, city or county of the cpca list."""

    code: str  # six digits, e.g. "370800"
    name: str  # full name, e.g. "常州市"
    level: Level  # province, city or county
    parent: str | None  # code of the enclosing division
    short: str  # the name without its level suffix, e.g. "常州"


@dataclass(frozen=True)
class _Tables:
    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]  # full and short names
    level_suffixes: dict[str, tuple[str, ...]]
    sub_county: dict[str, tuple[str, ...]]
    bare_prefixes: tuple[tuple[str, str], ...]  # (prefix, level), longest prefix first
    road_words: tuple[str, ...]
    level_words: frozenset[str]  # bare level and road words: 余杭|街道 is a name of its own
    zone_if_division_prefix: tuple[str, ...]  # 新区 after a division's name: a zone
    not_bare_words: tuple[str, ...]  # 市场… starts with 市 but names no 市-level body


@lru_cache(maxsize=1)
def _config() -> dict:
    return read_json(_RESOURCE)


def _level_of(code: str) -> Level:
    if code.endswith("0000"):
        return "province"
    return "city" if code.endswith("00") else "county"


def _strip_suffix(name: str, suffixes: Iterable[str]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    config = _config()
    level_suffixes = {k: tuple(v) for k, v in config["level_suffixes"].items()}
    skip = set(config["not_divisions"])
    try:
        raw = resources.files("cpca.resources").joinpath("adcodes.csv").read_text(encoding="utf-8")
    except (OSError, ModuleNotFoundError) as error:
        raise PlaceDataError(f"cpca's adcodes.csv: {error}; install the dependencies (make venv)") from error
    rows = [(row["adcode"][:6], row["name"]) for row in csv.DictReader(io.StringIO(raw))]
    codes = {code for code, name in rows if name not in skip}
    by_code: dict[str, Division] = {}
    for code, name in rows:
        if name in skip:
            continue
        level = _level_of(code)
        parent = None
        if level == "county":
            parent = code[:4] + "00" if code[:4] + "00" in codes else code[:2] + "0000"
        elif level == "city":
            parent = code[:2] + "0000"
        parent = parent if parent in codes else None
        by_code[code] = Division(code, name, level, parent, _strip_suffix(name, level_suffixes[level]))
    by_name: dict[str, list[Division]] = {}
    for division in sorted(by_code.values(), key=lambda d: d.code):
        for key in {division.name, division.short}:
            by_name.setdefault(key, []).append(division)
    sub_county = {k: tuple(v) for k, v in config["sub_county_suffixes"].items()}
    bare_prefixes = [(k, v) for k, v in config["bare_level_prefixes"].items() if not k.startswith("_")]
    level_words = {s for v in level_suffixes.values() for s in v} | set(config["road_suffixes"]) | {
        s for level in ("town", "village", "area") for s in sub_county[level]}
    return _Tables(by_code=by_code, by_name={k: tuple(v) for k, v in by_name.items()},
                   level_suffixes=level_suffixes, sub_county=sub_county,
                   bare_prefixes=tuple(sorted(bare_prefixes, key=lambda kv: -len(kv[0]))),
                   road_words=tuple(config["road_suffixes"]), level_words=frozenset(level_words),
                   zone_if_division_prefix=tuple(config["zone_if_division_prefix"]),
                   not_bare_words=tuple(config["not_bare_words"]))


def ancestors(division: Division) -> list[Division]:
    """The enclosing divisions, nearest first (county → city → province)."""
    tables = _tables()
    chain: list[Division] = []
    code = division.parent
    while code and code in tables.by_code:
        chain.append(tables.by_code[code])
        code = tables.by_code[code].parent
    return chain


@lru_cache(maxsize=None)
def _ancestor_names(division: Division) -> frozenset[str]:
    """The full and short names of a division's ancestors, asked for on every ambiguous name."""
    return frozenset(n for a in ancestors(division) for n in (a.name, a.short))


def supported(division: Division, context: Sequence[str]) -> bool:
    """True when a name in ``context`` is one of the division's ancestors."""
    names = _ancestor_names(division)
    return any(any(name in text for name in names) for text in context)


def _choose(candidates: Sequence[Division], context: Sequence[str]) -> Division | None:
    """The one candidate the context supports, else the larger unit; None if still ambiguous."""
    if len(candidates) == 1:
        return candidates[0]  # nothing to choose: the context is not read
    pool = [d for d in candidates if supported(d, context)] or list(candidates)
    for level in ("province", "city", "county"):  # a bare short name (吉林) means the larger unit
        at_level = [d for d in pool if d.level == level]
        if at_level:
            return at_level[0] if len(at_level) == 1 else None  # 朝阳区 of two cities: unresolved
    return None


def division_of(name: str, *, context: Sequence[str] = ()) -> Division | None:
    """The division a place name denotes (常州 → 常州市 320400), or None.

    ``context`` holds other texts of the article (place names, the dateline); they pick among
    same-named divisions (朝阳区 of Beijing or of Changchun).
    """
    candidates = _named(name.strip())
    return _choose(candidates, context) if candidates else None


@lru_cache(maxsize=1 << 16)
def _named(name: str) -> tuple[Division, ...]:
    """The divisions a name may denote, those of that full name first; read for every name tried."""
    tables = _tables()
    candidates = tables.by_name.get(name, ())
    if not candidates:  # 澳门地区, 常州市区: a known short name plus a level word
        for level in ("province", "city", "county"):
            stripped = _strip_suffix(name, tables.level_suffixes[level])
            candidates = tuple(d for d in tables.by_name.get(stripped, ()) if stripped != name)
            if candidates:
                break
    return tuple(d for d in candidates if d.name == name) or candidates


def division_prefix(name: str, *, context: Sequence[str] = ()) -> tuple[Division, int] | None:
    """The division that a longer name starts with, and the prefix length.

    常州经开区 → (常州市, 2); 浙江省地质勘查局 → (浙江省, 3). A county short name counts only
    with support from ``context``; a prefix followed by nothing but a level word
    (余杭街道 is a subdistrict, not something in 济阳) does not count.
    """
    tables = _tables()
    for length in range(min(len(name) - 1, 12), 1, -1):
        prefix, rest = name[:length], name[length:]
        # 余杭街道, 中山路: the prefix plus a bare level or road word is a name of its own
        if rest in tables.level_words or prefix not in tables.by_name:
            continue
        candidates = tables.by_name[prefix]
        full = [d for d in candidates if d.name == prefix]
        pool = full or [d for d in candidates if d.level != "county" or supported(d, context)]
        if not pool:
            continue
        division = _choose(pool, context)
        if division is not None:
            return division, length
    return None


def place_level(name: str, *, context: Sequence[str] = ()) -> Level | None:
    """The administrative level a place name shows: from the division list or its suffix."""
    division = division_of(name, context=context)
    if division is not None:
        return division.level
    level = _suffix_level(name)
    if level == "area" and name.endswith(_tables().zone_if_division_prefix) and \
            division_prefix(name, context=context) is not None:
        return "zone"  # 杭州钱塘新区, 成都天府新区: a city's new area is a zone of its own
    return level


@lru_cache(maxsize=1 << 16)
def _suffix_level(name: str) -> Level | None:
    """The sub-county level a name's suffix shows; read for every name and prefix tried."""
    tables = _tables()
    for level in ("zone", "area", "village", "town"):  # 梦想小镇 is an area, not a 镇
        if any(name.endswith(s) and len(name) > len(s) for s in tables.sub_county[level]):
            return level  # type: ignore[return-value]
    return None


def is_road(name: str) -> bool:
    """A road's name: a stem and a road word (开创大道, 新港路), and not a town (长岭街道) or a division."""
    return any(name.endswith(w) and len(name) > len(w) + 1 for w in _tables().road_words) and place_level(name) is None


def suffix_of(name: str, level: Level) -> str | None:
    """The suffix by which a sub-county name shows its level (滨江新城 → 新城), if any."""
    return next((s for s in _tables().sub_county.get(level, ()) if name.endswith(s) and len(name) > len(s)), None)


def bare_level_prefix(name: str) -> tuple[str, Level] | None:
    """(prefix, level) when an organization's name starts with a bare level word: 镇综治办 → ("镇", "town")."""
    if name.startswith(_tables().not_bare_words):
        return None  # 市场服务中心 is no 市-level body by its first character
    for prefix, level in _tables().bare_prefixes:
        if name.startswith(prefix) and len(name) > len(prefix):
            return prefix, level  # type: ignore[return-value]
    return None
