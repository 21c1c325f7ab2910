"""Organization, Place and Person names: LAC's PER/LOC/ORG tags completed by head-word rules.

LAC finds many names but cuts them badly (济宁/LOC 经开区/LOC, 区/n 党工委) and misses names
made of common nouns (人力资源行业党建联盟). So names are read from *runs* of name-like
tokens, cut after the head words of kg/resources/names.json (局, 党工委, 公司 … → Organization;
省, 镇, 村, 经开区, 大道 … → Place). A run yields its place units, the division it starts
with, and its organizations; names inside names count (山东省煤田地质局第二勘探队 →
山东省, 山东省煤田地质局, 山东省煤田地质局第二勘探队). Persons come from bylines, from
LAC's PER tag checked against a surname table, and from title + name (主任王某某).
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from kg import places
from kg.extract.spans import left_extent, token_at
from kg.model import Document, EntityType, Mention, Sentence, TaggedSentence, Token
from kg.resources import read_json, word_set

_QUOTES = "“”\"'‘’「」『』"
_NO_QUOTES = str.maketrans("", "", _QUOTES)


@dataclass(frozen=True)
class _Tables:
    org_heads: dict[str, str]
    long_org_heads: dict[str, tuple[tuple[int, str], ...]]  # first character → (rank in org_heads, head), 2+ characters
    place_heads: dict[str, str]
    head_sizes: tuple[int, ...]  # the lengths of the heads, longest first: ends are looked up, not scanned
    unit_ends: frozenset[str]  # last characters of the heads, zone words and acting heads: where a first unit can end
    any_unit_end: re.Pattern[str]  # one of unit_ends
    false_heads: frozenset[str]
    false_head_sizes: tuple[int, ...]  # longest first
    zone_words: frozenset[str]
    attachments: frozenset[str]
    named_after_road: tuple[str, ...]
    leading_verbs: tuple[str, ...]
    weak_org_heads: frozenset[str]
    strong_org_heads: tuple[str, ...]  # the organization heads of two characters or more
    acting_heads: dict[str, str]  # longest first
    acting_verbs: tuple[str, ...]
    subunit_heads: tuple[str, ...]
    list_categories: tuple[str, ...]
    branch_heads: tuple[str, ...]
    natural_after_division: str
    weak_place_heads: frozenset[str]
    bare_bodies: frozenset[str]
    bare_body_starts: frozenset[str]  # every prefix of a bare body: a longer spelling is worth trying
    bare_prefixes: tuple[str, ...]
    road_code: re.Pattern[str]
    regions: frozenset[str]
    region_names: frozenset[str]
    lac_org_stop_tails: tuple[str, ...]
    titles: tuple[str, ...]
    title_ends: frozenset[str]  # last characters of the titles, a quick test before the titles themselves
    byline_roles: frozenset[str]
    honorifics: tuple[str, ...]
    surnames: frozenset[str]
    compound_surnames: tuple[str, ...]
    not_person: frozenset[str]
    generic_starts: tuple[str, ...]
    generic_whole: frozenset[str]
    stop_tokens: frozenset[str]
    name_tags: frozenset[str]
    proper_tags: frozenset[str]
    max_chars: int


def _entries(table: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in table.items() if not k.startswith("_")}


def _long_heads_by_first(heads: Iterable[str]) -> dict[str, tuple[tuple[int, str], ...]]:
    """The heads of two or more characters by their first character, each with its rank in ``heads``:
    a name is searched for all of them in one pass over its characters."""
    index: dict[str, list[tuple[int, str]]] = {}
    for rank, head in enumerate(heads):
        if len(head) >= 2:
            index.setdefault(head[0], []).append((rank, head))
    return {char: tuple(found) for char, found in index.items()}


@lru_cache(maxsize=1)
def tables() -> _Tables:
    """The tables of kg/resources/names.json."""
    raw = read_json("names.json")
    org, place = _entries(raw["org_heads"]), _entries(raw["place_heads"])
    regions = raw["region_words"]
    unit_ends = {word[-1] for word in (*org, *place, *raw["zone_words"], *raw["acting_heads"]["heads"])}
    return _Tables(
        org_heads=org, place_heads=place,
        long_org_heads=_long_heads_by_first(org),
        head_sizes=tuple(sorted({len(h) for h in {*org, *place}}, reverse=True)),
        unit_ends=frozenset(unit_ends),
        any_unit_end=re.compile(f"[{re.escape(''.join(sorted(unit_ends)))}]"),
        false_heads=frozenset(raw["false_heads"]["words"]),
        false_head_sizes=tuple(sorted({len(w) for w in raw["false_heads"]["words"]}, reverse=True)),
        zone_words=frozenset(raw["zone_words"]),
        attachments=frozenset(raw["attachments"]["words"]),
        named_after_road=tuple(raw["named_after_road"]["heads"]),
        leading_verbs=tuple(raw["leading_verbs"]["words"]),
        weak_org_heads=frozenset(raw["weak_org_heads"]["heads"]),
        strong_org_heads=tuple(h for h in org if len(h) >= 2),
        acting_heads=dict(sorted(raw["acting_heads"]["heads"].items(), key=lambda kv: len(kv[0]), reverse=True)),
        acting_verbs=tuple(raw["acting_heads"]["verbs"]),
        subunit_heads=tuple(sorted(raw["subunit_heads"]["heads"], key=len, reverse=True)),
        list_categories=tuple(raw["list_categories"]["words"]),
        branch_heads=tuple(raw["branch_heads"]["heads"]),
        natural_after_division=raw["natural_after_division"]["chars"],
        weak_place_heads=frozenset(raw["weak_place_heads"]["heads"]),
        bare_bodies=frozenset(raw["bare_bodies"]["names"]),
        bare_body_starts=frozenset(body[:size] for body in raw["bare_bodies"]["names"] for size in range(1, len(body) + 1)),
        bare_prefixes=tuple(sorted(raw["bare_level_prefixes"], key=len, reverse=True)),
        road_code=re.compile(raw["road_code"]),
        regions=frozenset(regions["words"]),
        # 鲁西, 苏北, 皖南: a province's one-character name and a direction
        region_names=frozenset(a + d for a in regions["province_abbreviations"] for d in regions["directions"]),
        lac_org_stop_tails=tuple(raw["lac_org_stop_tails"]["tails"]),
        titles=tuple(sorted(raw["person_titles"], key=len, reverse=True)),
        title_ends=frozenset(title[-1] for title in raw["person_titles"]),
        byline_roles=frozenset(raw["byline_roles"]["words"]),
        honorifics=tuple(raw["person_honorifics"]),
        surnames=frozenset(raw["surnames"]),
        compound_surnames=tuple(raw["compound_surnames"]),
        not_person=frozenset(raw["not_person"]),
        generic_starts=tuple(sorted(raw["generic_words"]["starts"], key=len, reverse=True)),
        generic_whole=frozenset(raw["generic_words"]["whole"]),
        stop_tokens=frozenset(raw["stop_tokens"]["tokens"]),
        name_tags=frozenset(raw["name_tags"]),
        proper_tags=frozenset(raw["proper_tags"]),
        max_chars=int(raw["max_name_chars"]),
    )


@lru_cache(maxsize=8192)
def _lookup_division(name: str, *, context: tuple[str, ...] = ()) -> places.Division | None:
    """places.division_of, remembered within a document, where the same pieces are looked up again and
    again; extract_names forgets them at each new document (the context is the document)."""
    return places.division_of(name, context=context)


@lru_cache(maxsize=8192)
def _lookup_prefix(name: str, *, context: tuple[str, ...] = ()) -> tuple[places.Division, int] | None:
    """places.division_prefix, remembered like :func:`_lookup_division`."""
    return places.division_prefix(name, context=context)


@lru_cache(maxsize=65536)
def head_of(name: str) -> tuple[str, EntityType, str] | None:
    """(head, type, subtype) of the longest head word that ends ``name`` (and is not all of it)."""
    t = tables()
    if name in t.zone_words:  # 高新区 is bare
        return None
    # 发展格局, 党员干部: ordinary words, unless a longer head covers them (科技|创新局 vs 开创|新局)
    false = next((size for size in t.false_head_sizes if size <= len(name) and name[-size:] in t.false_heads), 0)
    for size in t.head_sizes:
        if size <= false:
            return None
        head = name[-size:]
        if len(name) > size and (head in t.org_heads or head in t.place_heads):
            if head in t.org_heads and (head not in t.place_heads or len(head) > 1):
                return head, "Organization", t.org_heads[head]
            return head, "Place", t.place_heads[head]
    return None


_COUNTED = re.compile(r"^[\d.一二三四五六七八九十百千万亿两几多]+[个家所次项批名位条座户类大部台辆]")  # 7所小学, 2.58亿部


_NUMBERED_PLACES = re.compile(r"(?:[一二三四五六七八九十百千万两]+[省市县区镇乡村])+")


@lru_cache(maxsize=65536)
def is_generic(name: str) -> bool:
    """True for generic references (各级党组织, 区有关部门, 全市, 7所小学) rather than names.
    Cached: every rule asks it of the same short names."""
    t = tables()
    if name in t.generic_whole or len(name) < 2 or name in t.false_heads or _COUNTED.match(name):
        return True
    if _NUMBERED_PLACES.fullmatch(name):
        return True  # 百县千镇万村: counted levels of places, a slogan's parts
    if name.count("（") + name.count("(") != name.count("）") + name.count(")"):
        return True  # 合肥）技术有限公司: a piece cut out of a name with a bracketed seat
    if name.startswith(t.generic_starts):
        return True
    body = name
    for prefix in t.bare_prefixes:  # 区有关部门: a bare level word, then a generic phrase
        if body.startswith(prefix) and len(body) > len(prefix):
            body = body[len(prefix):]
            break
    return body != name and (body in t.generic_whole or body.startswith(t.generic_starts))


def _unquote(text: str) -> str:
    return text.translate(_NO_QUOTES)


# ----------------------------------------------------------------------------- runs of name tokens


class _Run(NamedTuple):
    """Consecutive name-like tokens of a sentence (quotation marks allowed inside)."""

    tokens: tuple[Token, ...]
    next_word: str = ""  # the token right after the run: 获评 makes 孵化基地 act

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end


_NUMERALS = set("一二三四五六七八九十百千万亿两零〇0123456789.%")
_CLASSIFIERS = set("个家项名年月日大批次届期位条座所户类种多余")
Found = tuple[int, int, str, EntityType, str]
_TRADE_NAME_FEATURES = ("River", "Lake", "Mountain")  # natural names that bodies take as trade names
_NATURAL_SUBTYPES = ("River", "Lake", "Bay")  # names of waters, which may follow the division they are in  # start, end (sentence offsets), name, type, subtype


@lru_cache(maxsize=65536)
def _name_like(word: str, tag: str) -> bool:
    """Whether a word with its tag may be part of a name. Cached: a sentence's words are mostly
    words the corpus has seen before."""
    t = tables()
    text = word.strip()
    if not text or text in t.stop_tokens:
        return False
    if tag in t.name_tags or t.road_code.match(text):
        return True
    if tag == "m":
        # 三贾 (a numeral-looking place word) and 第二 of 第二勘探队 belong to names; 第五届 does not
        if text.startswith("第"):
            return not text.endswith(("届", "次", "期", "批", "年", "个", "名", "位"))
        return any(ch not in _NUMERALS and ch not in _CLASSIFIERS for ch in text)
    return False


def _joins_name(tokens: Sequence[Token], i: int) -> bool:
    """与/和 inside a body's name: 城乡建设与交通局 (common nouns around it, the next ends with a head)."""
    if tokens[i].text not in ("与", "和") or i == 0 or i + 1 >= len(tokens):
        return False
    before, after = tokens[i - 1], tokens[i + 1]
    head = head_of("X" + after.text)
    return before.tag in ("n", "vn") and after.tag == "n" and head_of(before.text) is None \
        and head is not None and head[1] == "Organization"


def _quoted(tokens: Sequence[Token], like: Sequence[bool]) -> set[int]:
    """Indexes of the tokens of short quoted stretches (“经心服务”, at most 8 characters inside);
    ``like[i]`` is :func:`_name_like` of ``tokens[i]``."""
    inside: set[int] = set()
    for i in [k for k, token in enumerate(tokens) if token.text.strip() == "“"]:
        for j in range(i + 1, min(i + 9, len(tokens))):
            if tokens[j].text.strip() == "”":
                # only a quoted core right before more of the name (“经心服务”联盟), not a quoted clause
                after = tokens[j + 1] if j + 1 < len(tokens) else None
                opens = i == 0 or not like[i - 1]  # 许可登记“住进”政务…: a verb in a clause
                if opens and tokens[j].start - tokens[i].end <= 8 and after is not None \
                        and after.start == tokens[j].end and like[j + 1]:
                    inside.update(range(i, j + 1))
                break
    return inside


def _verb_inside_name(tokens: Sequence[Token], i: int, current: Sequence[Token], like: Sequence[bool]) -> bool:
    """Whether the verb ``tokens[i]`` continues the (non-empty) run ``current``. A verb inside a body's name
    (城市/n 更新/v 办公室/n, 乡村/n 振兴/v 办公室/n): after a noun of the run, and a long organization head
    within the next three name-like tokens. After a place, a verb that introduces no name may start a
    zone's name (某省/LOC 转型/v 综合改革示范区)."""
    t = tables()
    if tokens[i].text in t.stop_tokens:
        return False
    after_place = current[-1].tag in ("LOC", "ORG") and _lookup_division(current[-1].text) is not None \
        and tokens[i].text not in word_set("name_left_boundaries.tsv")
    if current[-1].tag not in ("n", "vn") and not after_place:
        return False
    joined = ""
    for k, after in enumerate(tokens[i + 1:i + 5], start=i + 1):
        if not like[k] or after.tag not in ("n", "vn", "nz", *(("ORG",) if after_place else ())):
            return False  # 中科泰阳获山东产研院: two names
        head = head_of("X" + after.text)
        if head is not None and head[1] == "Organization" and len(head[0]) >= 3 and not after_place:
            return True
        joined += after.text
        zone = next((z for z in _ZONE_HEADS if z in joined[1:]), None)
        if after_place and zone is not None and head_of("X" + joined) is not None:
            return True  # 山西/LOC 转型/v 综合/vn 改革/vn 示范/vn 区/n: one zone (and its 区管委会/ORG)
    return False


# Zone words long enough to show that a verb after a place begins the zone's name (转型|综合改革示范区).
_ZONE_HEADS = ("示范区", "试验区", "先行区", "开发区", "经开区", "高新区", "新区")


def _quote_mark(word: str) -> bool:
    """Nothing but quotation marks."""
    mark = word.strip()
    return bool(mark) and not mark.strip(_QUOTES)


def runs(tokens: Sequence[Token]) -> Iterator[_Run]:
    """Maximal runs of name-like tokens; a short quoted stretch counts as name-like whatever its tags
    (“经/vd 心/n 服务/vn”联盟)."""
    current: list[Token] = []
    like = [_name_like(token.text, token.tag) for token in tokens]  # once per token: the rules look at neighbours
    quoted = _quoted(tokens, like)
    for i, token in enumerate(tokens):
        if like[i] or i in quoted or (token.tag == "v" and current and _verb_inside_name(tokens, i, current, like)) \
                or (len(current) >= 2 and _joins_name(tokens, i)) \
                or (i + 1 < len(tokens) and like[i + 1] and _quote_mark(token.text)):
            current.append(token)  # “经心”服务联盟: the quotes sit inside the name
            continue
        if current:
            yield _Run(tuple(current), token.text.strip())
        current = []
    if current:
        yield _Run(tuple(current))


@dataclass(frozen=True)
class _Unit:
    """A piece of a run that ends with a head word: a place or an organization."""

    start: int  # offsets into Sentence.text
    end: int
    text: str  # quotation marks removed
    type: EntityType
    subtype: str
    head: str
    part: bool = False  # a place that a following attachment continued (黄河 of 黄河滩区): named, not cut


def _inner_head_end(piece: str, after_place: bool, context: tuple[str, ...]) -> bool:
    """Whether a LAC ORG/LOC token may be cut after ``piece`` (山东省|煤田地质局, 工信部|国际…, 黄河|滩区);
    ``after_place``: the token was already cut after a place (顺德区|北滘镇|政府)."""
    t = tables()
    division = _lookup_division(piece, context=context)
    if piece in t.bare_bodies or (division is not None and _supported(division, piece, context)) \
            or (len(piece) > 1 and (piece in t.org_heads or piece in t.place_heads)) or piece in t.attachments:
        return True
    head = head_of(piece)
    if head is None or is_generic(piece):
        return False
    # 河湖江 end natural names; 镇乡 end towns (横林镇|崔桥村); 村局委办 follow a larger place
    return len(head[0]) >= 2 or head[0] in "河湖江湾" or (len(piece) >= 3 and head[0] in "镇乡") \
        or (after_place and head[0] in "镇乡村局委办")


def _is_division(name: str) -> bool:
    """Exactly the full or short name of a division (佛山市, 佛山), not a division plus more (西安市市)."""
    division = _lookup_division(name)
    return division is not None and name in (division.name, division.short)


def _head_continues(text: str, i: int) -> bool:
    """A longer head runs on past ``i`` (发展和改革委|员会): no cut there."""
    t = tables()
    for more in (1, 2):
        before = text[: i + more]
        for size in t.head_sizes:
            ending = before[-size:]
            if size > max(more, 1) and size <= len(before) and (ending in t.org_heads or ending in t.place_heads):
                return True
    return False


def _boundaries(run: _Run, context: tuple[str, ...]) -> list[int]:
    """Offsets where a name may end: token ends, plus head ends inside LAC's ORG/LOC tokens."""
    t = tables()
    ends = {tok.end for tok in run.tokens}
    for tok in run.tokens:
        if len(tok.text) > 3:  # LAC glues names: 山东省煤田地质局…/ORG, 志愿者服务队经开区/n
            previous = 0
            for i in range(2, len(tok.text) - 1):
                piece = tok.text[previous:i]
                rest = tok.text[i:]
                # the cheap tests on characters first (no cut before a park word: 张江|科技园), the division
                # and head look-ups last
                if len(piece) >= 2 and rest[0] not in t.natural_after_division \
                        and not (piece[-1] in "河湖江" and rest[0] in "路街") \
                        and not (rest in t.place_heads and rest not in t.attachments) \
                        and _inner_head_end(piece, previous > 0, context) and not _is_division(tok.text[previous:i + 1]) \
                        and not _head_continues(tok.text[previous:], i - previous):
                    ends.add(tok.start + i)  # 佛山|市 is no cut: 佛山市 is the longer division; nor 长江|路, a road
                    previous = i
    return sorted(ends)


def _is_attachment(piece: str) -> bool:
    """A piece that only continues the place before it: 经开区 of 济宁|经开区, 片区 of 郁湖|片区."""
    return piece in tables().attachments


def _units(run: _Run, text: str, context: tuple[str, ...]) -> list[_Unit]:
    """Cut a run after each head word into units, left to right."""
    t = tables()
    units: list[_Unit] = []
    start = run.start
    for end in _boundaries(run, context):
        if end <= start:
            continue
        piece = _unquote(text[start:end]).strip()
        if not units and piece[-1:] not in t.unit_ends:
            continue  # only a head word, a zone word or an acting head ends the first unit (fast path)
        if units and units[-1].type == "Place" and units[-1].end == start and _is_attachment(piece) \
                and not (piece == "社区" and units[-1].subtype in ("Subdistrict", "Town", "County", "City", "District")):
            # 五和居|社区 is one community; 张家堡街道|社区卫生服务中心 is a sub-district's service
            prev = units.pop()  # 济宁市 + 经开区, 黄河 + 滩区: one place
            seat = units[-1] if units and units[-1].part and units[-1].end == prev.start else None
            if seat is not None:  # 宁波|杭州湾|新区: the zone's name keeps the division before the bay
                prev = dataclasses.replace(prev, start=seat.start, text=seat.text + prev.text)
            if _lookup_division(prev.text, context=context) is not None:
                units.append(dataclasses.replace(prev, part=True))  # 济宁市 is a place of its own
            elif prev.head in "河江湾":
                units.extend(_natural_part(prev, context))  # 黄河 of 黄河滩区; not 重庆两江 of 重庆两江新区
            units.append(_Unit(prev.start, end, prev.text + piece, "Place", t.place_heads.get(piece, prev.subtype), piece))
            start = end
            continue
        head = head_of(piece)
        if (head is None or len(head[0]) < len(piece)) and piece in t.org_heads and len(piece) > 1 and units \
                and units[-1].end == start:
            head = (piece, "Organization", t.org_heads[piece])  # 坂田街道|办事处: the head alone after a place
        if head is None and piece in t.zone_words:
            head = (piece, "Place", "DevelopmentZone")  # 高新区|石桥铺街道: a bare zone word names the article's zone
        if head is None and end == run.end and run.next_word.startswith(t.acting_verbs):
            # 孵化基地获评…: a centre or base that acts is an Organization (guidelines)
            word = next((h for h in t.acting_heads if piece.endswith(h)), None)
            if word is not None and len(piece) > len(word):
                head = (word, "Organization", t.acting_heads[word])
        if t.place_heads.get(piece) == "IndustrialPark" and units and units[-1].end == start \
                and units[-1].type == "Place" and not units[-1].part and not is_generic(units[-1].text) \
                and any(tok.start == start for tok in run.tokens) and any(tok.end == end for tok in run.tokens):
            # 某高新区|软件园/n, 某河|产业/n 园区/n: a bare park word (whole tokens) after a zone, division or
            # river names that place's park
            units.append(_Unit(units[-1].start, end, units[-1].text + piece, "Place", "IndustrialPark", piece))
            start = end
            continue
        if head is None:
            continue
        word, kind, subtype = head
        inner = [tok for tok in run.tokens if tok.start < end and tok.end > start]
        proper_tag = any(tok.tag in t.proper_tags for tok in inner)
        # looked up once, where the tests below need it
        as_division = _lookup_division(piece, context=context) if kind == "Place" or not proper_tag else None
        proper = proper_tag or as_division is not None
        if kind == "Place" and word in t.named_after_road and units and units[-1].end == start \
                and units[-1].subtype in ("Road", "River", "Lake"):  # 某某湖|半岛旅游度假区 too
            # 海川路|科技商务走廊: an area named after its road is one place, the road another
            units.append(_Unit(units[-1].start, end, units[-1].text + piece, kind, subtype, word))
            start = end
            continue
        if kind == "Place" and word in t.weak_place_heads and not proper and piece != word:
            continue  # 城里居, 智慧城市: a one-character place word after common nouns only
        if kind == "Place" and subtype == "River" and len(piece) == 2 and piece[0] in _NUMERALS \
                and as_division is None:
            continue  # 两江, 三河 of 两江新区: rivers counted, not named (九江, a city, is a division)
        if kind == "Organization" and word in t.weak_org_heads and not proper and not piece.startswith(t.bare_prefixes) \
                and not (units and units[-1].end == start and units[-1].type == "Place"):
            continue  # 技术研发中心, 行业协会: a generic phrase, unless a name or place comes first
        if kind == "Place" and piece.endswith(("片区", "园区")) and len(piece) > 2 and units and units[-1].end == start and not units[-1].part \
                and units[-1].subtype in ("DevelopmentZone", "IndustrialPark") and units[-1].text not in t.place_heads:
            # 某自由贸易试验区|某市片区, 某大学科技园|某区园区: a zone's or park's area named after its seat is named
            # from the zone or park; the seat is a place
            zone, seat_at = units[-1], _division_at(piece, context)
            if seat_at is not None:
                units.append(_Unit(start, start + seat_at[1], piece[:seat_at[1]], "Place", seat_at[0].level.capitalize(),
                                   piece[:seat_at[1]], part=True))
            units.append(_Unit(zone.start, end, zone.text + piece, kind, subtype if word == "片区" else zone.subtype, word))
            start = end
            continue
        division = as_division if kind == "Place" else None
        within = _division_at(piece, context) if kind == "Place" and subtype in _NATURAL_SUBTYPES \
            and division is None and text[start:end] == piece else None
        if within is not None and len(piece) - within[1] >= 2:
            # 宁波|杭州湾, 某市|某某湖: a division before a natural name is a place of its own
            cut = start + within[1]
            units.append(_Unit(start, cut, piece[:within[1]], "Place", within[0].level.capitalize(),
                               piece[:within[1]], part=True))
            start, piece = cut, piece[within[1]:]
        units.append(_Unit(start, end, piece, kind, division.level.capitalize() if division else subtype, word))
        start = end
    return units


def _natural_part(unit: _Unit, context: tuple[str, ...]) -> list[_Unit]:
    """The river that a place word continued (黄河 of 黄河|滩区), without the division before it (重庆|两江);
    none when a numeral counts rivers (两江, 三江: a zone's descriptive name, not a river)."""
    found = _division_at(unit.text, context)
    cut = found[1] if found is not None and found[1] < len(unit.text) - 1 else 0
    rest = unit.text[cut:]
    if rest[0] in _NUMERALS or rest[0] in "两双":
        return []
    return [dataclasses.replace(unit, start=unit.start + cut, text=rest, part=True)]


def _division_prefix(start: int, name: str, context: tuple[str, ...]) -> Iterator[Found]:
    """The division a name starts with (济宁 of 济宁经开区, 山东 of 山东产研院)."""
    found = _division_at(name, context)
    if found is not None:
        division, length = found
        yield start, start + length, name[:length], "Place", division.level.capitalize()


def _division_at(name: str, context: tuple[str, ...]) -> tuple[places.Division, int] | None:
    """The division ``name`` starts with, unless a natural word runs on from it (杭州|湾 is a bay)."""
    found = _lookup_prefix(name, context=context)
    if found is None or name[found[1]] in tables().natural_after_division:
        return None
    return found


def _run_names(run: _Run, text: str, context: tuple[str, ...]) -> Iterator[Found]:
    """(start, end, name, type, subtype) of the places and organizations of a run."""
    t = tables()
    units = _units(run, text, context)
    org_start: int | None = None
    org_starts: dict[int, int] = {}  # end → start of the organizations named so far
    for i, unit in enumerate(units):
        if unit.part:
            yield unit.start, unit.end, unit.text, "Place", unit.subtype
            continue
        if unit.type == "Place":
            if not is_generic(unit.text) and not any(ch.isspace() for ch in unit.text):
                yield unit.start, unit.end, unit.text, "Place", unit.subtype
                yield from _division_prefix(unit.start, unit.text, context)
            org_start = None
            continue
        if org_start is None:
            # an organization keeps the one place right before it (经开区市场监管局; 下花林村党支部
            # of …马集镇下花林村党支部)
            org_start = unit.start
            for before in reversed([u for u in units[:i] if not u.part]):
                if before.type != "Place" or before.end != org_start:
                    break
                org_start = before.start
                if not is_generic(before.text) and before.subtype not in _TRADE_NAME_FEATURES:
                    break  # 张家堡街道|社区|卫生服务中心: a bare 社区 takes its place along
                # 湖北省|长江|产业投资集团: a river or lake in a body's name is its trade name, the division before it its seat
            if org_start != unit.start and unit.text.endswith(t.branch_heads) and org_start in org_starts:
                org_start = org_starts[org_start]  # 某银行|某市|支行: a branch is named from its parent body
            elif org_start == unit.start and unit.text.endswith(t.branch_heads) and unit.start in org_starts:
                org_start = org_starts[unit.start]  # 某大学|某地校区: a seat that is no division, the same
            if org_start == unit.start and unit.subtype not in ("University", "School"):
                # 北京大学, 山东理工职业学院: a school's place word is part of its proper name
                yield from _division_prefix(unit.start, unit.text, context)
        verb = next((v for v in t.leading_verbs if unit.text.startswith(v)), "")
        if verb:  # 联合|华为技术有限公司: LAC glued a verb to the front of a new name
            org_start = unit.start + len(verb)
        name = _unquote(text[org_start:unit.end]).strip()
        if not is_generic(name) and not any(ch.isspace() for ch in name) and (len(name) > 2 or name in t.bare_bodies) and len(name) <= t.max_chars:
            head = head_of(name)
            subtype = t.org_heads.get(name) or (head[2] if head else unit.subtype)  # 党工委 alone is a 党工委
            yield org_start, unit.end, name, "Organization", subtype
            org_starts[unit.end] = org_start
            yield from _inner_divisions(org_start, name, context)
            yield from _parent_body(run, org_start, name)


def _parent_body(run: _Run, start: int, name: str) -> Iterator[Found]:
    """The body a unit belongs to: 中科泰阳 of 中科泰阳研发中心 (a proper name before a unit head)."""
    t = tables()
    head = next((h for h in t.subunit_heads if name.endswith(h)), None)
    if head is None:
        return
    parent = _without_seat(name[: -len(head)])  # 某有限公司|长沙|分公司: the seat is no part of the parent
    end = start + len(parent)
    proper = any(tok.tag in ("ORG", "nz", "j") and tok.start < end and tok.end > start for tok in run.tokens)
    if len(parent) >= 2 and proper and head_of(parent) is None and not is_generic(parent) \
            and _lookup_division(parent) is None and _lookup_prefix(parent) is None:
        yield start, end, parent, "Organization", "Organization"


def _without_seat(name: str) -> str:
    """``name`` without the division it ends with (某某有限公司长沙 → 某某有限公司)."""
    for size in (4, 3, 2):
        if len(name) > size + 1 and _is_division(name[-size:]):
            return name[:-size]
    return name


def _inner_divisions(start: int, name: str, context: tuple[str, ...]) -> Iterator[Found]:
    """A division named right after an organization head inside a name (…学院嘉祥分院 → 嘉祥)."""
    t = tables()
    # every head of two or more characters in the name, in the order of org_heads, then left to right
    heads = sorted((rank, at, head) for at, char in enumerate(name) for rank, head in t.long_org_heads.get(char, ())
                   if name.startswith(head, at))
    for _, at, head in heads:
        rest = name[at + len(head):]
        found = _division_at(rest, context) if rest else None
        if found is not None and len(rest) > found[1]:
            division, length = found
            begin = start + at + len(head)
            yield begin, begin + length, rest[:length], "Place", division.level.capitalize()


def _bare_bodies(tokens: Sequence[Token]) -> Iterator[tuple[int, int, str]]:
    """Bare bodies spelled over whole tokens, however LAC cut them (扶贫/v 办/v), and a unit
    head right after one (扶贫办党委)."""
    t = tables()
    for i, tok in enumerate(tokens):
        if tok.text not in t.bare_body_starts:
            continue  # no bare body begins with this word
        text = ""
        for j in range(i, min(i + 3, len(tokens))):
            text += tokens[j].text
            if text not in t.bare_body_starts:
                break
            if text in t.bare_bodies:
                yield tok.start, tokens[j].end, text
                after = tokens[j + 1] if j + 1 < len(tokens) else None
                if after is not None and after.text in t.subunit_heads:
                    yield tok.start, after.end, text + after.text


def _listed_companies(tokens: Sequence[Token]) -> Iterator[Found]:
    """The items of a list closed by 等…企业 (中兴、酷派、天宇等整机企业; 华隆机械、海推重工等10家企业):
    each names a company when LAC reads it as a name, or cannot read it as common nouns (海/n 推/v 重工/n)."""
    t = tables()
    for i in [k for k, tok in enumerate(tokens) if tok.text == "等"]:
        if not any(x.text.endswith(t.list_categories) for x in tokens[i + 1:i + 4]):
            continue
        items: list[list[Token]] = [[]]  # the last item first
        for word in reversed(tokens[:i]):
            if word.text == "、" and len(items) < 12:
                items.append([])
                continue
            if word.tag in ("w", "p", "c", "u") or (len(items) > 1 and word.tag in ("v", "d", "r", "m", "TIME")):
                break  # the list opens after a verb or preposition (the last item may hold a verb: 海/n 推/v 重工/n)
            items[-1].insert(0, word)
        if len(items) < 2:
            continue  # a single 某某等企业 is no list
        for item in items:
            name = "".join(x.text for x in item).strip()
            proper = any(x.tag in t.proper_tags for x in item) or (len(item) > 1 and any(x.tag not in ("n", "vn") for x in item))
            if item and proper and 2 <= len(name) <= 8 and not is_generic(name) and not any(ch.isdigit() for ch in name):
                yield item[0].start, item[-1].end, name, "Organization", "Company"


def _trim_marks(text: str, start: int, end: int, name: str, kind: EntityType, subtype: str) -> Found:
    """The span without quotation marks at its edges (“党工委 → 党工委), so it nests in quoted names."""
    while start < end and text[start] in _QUOTES + " ":
        start += 1
    while end > start and text[end - 1] in _QUOTES + " ":
        end -= 1
    return start, end, name, kind, subtype


_ROAD_CODE = re.compile(r"(?<![A-Za-z0-9])(?:[GS]\d{1,4}|\d{2,4}[国省]道)(?![A-Za-z0-9])")


def _road_codes(text: str) -> Iterator[Found]:
    """G105, S319, 220国道: numbered roads, which taggers split or tag as numbers."""
    for match in _ROAD_CODE.finditer(text):
        yield match.start(), match.end(), match.group(), "Place", "Road"


_SEAT = re.compile(r"[（(]([\u4e00-\u9fff]{2,8})[)）]")


def _bracketed_bodies(tagged: TaggedSentence, context: tuple[str, ...]) -> Iterator[Found]:
    """Bodies with their seat in brackets (国仪量子（合肥）技术有限公司, 某某大学（深圳）): the bracketed
    division belongs to the name, which runs on to the first organization head after it."""
    t = tables()
    text = tagged.sentence.text
    for match in _SEAT.finditer(text):
        seat = _lookup_division(match.group(1), context=context)
        if seat is None:
            continue
        start = left_extent(tagged, match.start())
        before = text[start:match.start()]
        if len(before) < 2:  # no generic-word check: a seat in brackets marks a proper name (本源…（合肥）…公司)
            continue
        end = _org_head_end(text, match.end())
        if end is None:  # the seat closes the name: 某某大学（深圳）
            head = head_of(before)
            if head is None or head[1] != "Organization" or len(head[0]) < 2:
                continue
            end = match.end()
        name = text[start:end]
        head = head_of(name)
        yield start, end, name, "Organization", t.org_heads.get(head[0], "Organization") if head else "Organization"
        yield match.start(1), match.end(1), match.group(1), "Place", seat.level.capitalize()  # a name inside the name


def _org_head_end(text: str, at: int, reach: int = 12) -> int | None:
    """End of the first two-character organization head within ``reach`` after ``at`` (…技术有限公司),
    run on while a longer head continues (集团|有限公司); None at punctuation or with no head."""
    t = tables()
    found: int | None = None
    for end in range(at + 1, min(len(text), at + reach) + 1):
        if not ("\u4e00" <= text[end - 1] <= "\u9fff"):
            break
        if text.endswith(t.strong_org_heads, at, end):
            found = end
        elif found is not None and end - found > 4:
            break
    return found


_LISTED_PLACES = re.compile(r"((?:[\u4e00-\u9fff]{2,3}、)+[\u4e00-\u9fff]{2,3})等(?:[\d一二三四五六七八九十]+个)?"
                            r"(街道办事处|办事处|街道|乡镇|镇|乡|村|社区)")
_LISTED_LEVELS = {"街道办事处": "Subdistrict", "办事处": "Subdistrict", "街道": "Subdistrict", "乡镇": "Town",
                  "镇": "Town", "乡": "Town", "村": "Village", "社区": "Community"}


def _listed_places(tagged: TaggedSentence) -> Iterator[Found]:
    """Bare place names listed before 等 and their level (甲岗、乙河等办事处, 甲村、乙庄等8个村): each a place
    of that level. The first item starts a token after a verb or punctuation."""
    text = tagged.sentence.text
    for match in _LISTED_PLACES.finditer(text):
        first = match.start(1)
        k = token_at(tagged.tokens, first)
        if k == len(tagged.tokens) or tagged.tokens[k].start != first \
                or k > 0 and tagged.tokens[k - 1].tag not in ("v", "p", "w", "c", "d", "f", "vd"):
            continue
        items = match.group(1).split("、")
        t = tables()
        if any(item in t.generic_whole or item.startswith(t.generic_starts) or _COUNTED.match(item) for item in items):
            continue  # 城区、郊区等街道 are no names; ordinary words (滨河, 八岗) may be, in such a list
        at = first
        for item in items:
            if head_of(item) is None:  # an item with a head of its own (南湖) is read as that already
                yield at, at + len(item), item, "Place", _LISTED_LEVELS[match.group(2)]
            at += len(item) + 1


# ----------------------------------------------------------------------------- LAC tags alone


def _inside(start: int, end: int, covered: Iterable[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in covered)


class _Covered:
    """The spans of a sentence that names took, sorted by start: asking whether a token lies in or
    overlaps one of them is a bisection instead of a scan of every span for every token."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        self._reach = list(accumulate((end for _, end in ordered), max))  # furthest end of the spans so far

    def contains(self, start: int, end: int) -> bool:
        """Some span s, e has s <= start and end <= e."""
        k = bisect_right(self._starts, start)
        return k > 0 and self._reach[k - 1] >= end

    def overlaps(self, start: int, end: int) -> bool:
        """Some span s, e has s < end and start < e."""
        k = bisect_left(self._starts, end)
        return k > 0 and self._reach[k - 1] > start


def _supported(division: places.Division, name: str, context: tuple[str, ...]) -> bool:
    """A county's bare short name (惠民, 泰山) is that county only if the article names a place above it."""
    if division.level != "county" or name == division.name:
        return True
    return places.supported(division, context)


def _lac_names(tokens: Sequence[Token], covered: _Covered, context: tuple[str, ...]) -> Iterator[Found]:
    """LAC's LOC/ORG tokens that no head rule explained: divisions, regions, short company names."""
    t = tables()
    # LAC's places and bodies, and 鲁西, a region, which LAC may tag PER
    tagged = [i for i, tok in enumerate(tokens) if tok.tag in ("LOC", "ORG") or tok.text.strip() in t.region_names]
    for i in tagged:
        tok = tokens[i]
        name = tok.text.strip()
        if len(name) < 2 or is_generic(name) or covered.overlaps(tok.start, tok.end):  # head rules read this token already
            continue
        if name.endswith("讯") or name[0] in _NUMERALS:  # 济宁讯: a dateline; 三廊: a slogan part
            continue
        division = _lookup_division(name, context=context)
        if division is not None and _supported(division, name, context):
            yield tok.start, tok.end, name, "Place", division.level.capitalize()
        elif name in t.regions or name in t.region_names:
            yield tok.start, tok.end, name, "Place", "Region"
        elif tok.tag == "LOC" and (glued := _region_prefix(name)):
            # 东北振兴/LOC, 西北地区/LOC: a region word the tagger glued to what follows is named inside it
            yield tok.start, tok.start + len(glued), glued, "Place", "Region"
        elif tok.tag == "ORG" and not name.endswith(t.lac_org_stop_tails) and head_of(name) is None:
            before = tokens[i - 1] if i > 0 else None
            if before is not None and before.text in t.bare_prefixes and before.end == tok.start:
                # 区|继续教育基地: a bare level word before LAC's organization belongs to it
                yield before.start, tok.end, before.text + name, "Organization", "Organization"
            else:
                yield tok.start, tok.end, name, "Organization", "Organization"


def _region_prefix(name: str) -> str:
    """The longest region word (东北, 长三角) that ``name`` starts with and runs on from, or ''."""
    return max((r for r in tables().regions if name.startswith(r) and len(name) > len(r)), key=len, default="")


# ----------------------------------------------------------------------------- persons


def is_person_name(name: str) -> bool:
    """A 2–3 character name with a common surname (4 with a compound surname)."""
    if not 2 <= len(name) <= 4:
        return False
    t = tables()
    if name in t.not_person or name[:2] in t.not_person or not all("\u4e00" <= ch <= "\u9fff" for ch in name):
        return False
    if name.startswith(t.compound_surnames):
        return 3 <= len(name) <= 4
    return 2 <= len(name) <= 3 and name[0] in t.surnames


def _person_names(tokens: Sequence[Token], covered: _Covered) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, name, rule) of persons: LAC PER with a surname, title + name, surname + 先生."""
    t = tables()
    words = [tok.text.strip() for tok in tokens]
    titled = {i + 1 for i, word in enumerate(words) if word[-1:] in t.title_ends and word.endswith(t.titles)}
    honored = {i - 1 for i, word in enumerate(words) if word in t.honorifics}  # before 先生
    # only LAC's persons, words after a title and words before an honorific (郝|先生) can be persons
    for i in [k for k, tok in enumerate(tokens) if tok.tag == "PER" or k in titled or k in honored]:
        tok = tokens[i]
        if covered.contains(tok.start, tok.end):
            continue
        name = words[i]
        offset = tok.start + tok.text.index(name) if name else tok.start
        nxt = words[i + 1] if i + 1 < len(tokens) else ""
        if name in t.surnames and nxt in t.honorifics:
            # 郝先生: a surname and an honorific name a person the text knows
            yield tok.start, tokens[i + 1].end, name + nxt, "person:surname+honorific"
        elif tok.tag == "PER" and is_person_name(name) and name not in t.region_names:
            if nxt and head_of(name + nxt) is not None:
                continue  # 景云/PER 片区: a place or body named after a person-like word
            yield offset, offset + len(name), name, "lac:PER"
        elif i in titled and tok.tag in ("nr", "n", "nz", "PER") and is_person_name(name):
            # 主任王某某: a title word right before a name
            yield offset, offset + len(name), name, "person:title+name"


@lru_cache(maxsize=1)
def _byline_line() -> re.Pattern[str]:
    """A reporting role followed by names between spaces; compiled once, it is tried on every sentence."""
    roles = "|".join(sorted(map(re.escape, tables().byline_roles), key=len, reverse=True))
    return re.compile(rf"(?:{roles})((?:[ \t\u3000]+[\u4e00-\u9fff]{{2,4}}(?=[ \t\u3000]|$))+)")


def _byline_names(text: str) -> Iterator[tuple[int, int, str, str]]:
    """Names in a byline line (西安日报记者 孙某 通讯员 赵某某): 2–4 Han characters standing between
    spaces right after a reporting role, which the corpus stage did not take as a byline."""
    for match in _byline_line().finditer(text):
        for name in re.finditer(r"[\u4e00-\u9fff]+", match.group(1)):
            if name.group() not in tables().byline_roles:
                start = match.start(1) + name.start()
                yield start, start + len(name.group()), name.group(), "person:byline-line"


# ----------------------------------------------------------------------------- entry point


def _mention(document: Document, sentence: Sentence, start: int, end: int, name: str, kind: EntityType,
             subtype: str | None, rule: str) -> Mention:
    return Mention(text=name, start=sentence.doc_offset(start), end=sentence.doc_offset(end - 1) + 1, type=kind,
                   rule=rule, doc_id=document.id, sentence=sentence.index, subtype=subtype)


def _sentence_of(document: Document, offset: int) -> int:
    for sentence in document.sentences:
        if sentence.start <= offset < sentence.end:
            return sentence.index
    return 0


def _byline_mentions(document: Document) -> Iterator[Mention]:
    """Bylines (通讯员 王某): the corpus stage found them with their offsets."""
    for name, role, start, end in document.byline_mentions:
        yield Mention(text=name, start=start, end=end, type="Person", rule=f"byline:{role}", doc_id=document.id,
                      sentence=_sentence_of(document, start), subtype="Correspondent" if "通讯员" in role else "Reporter")


def extract_names(document: Document, tagged: Sequence[TaggedSentence]) -> Iterable[Mention]:
    """Organization, Place and Person mentions of a document, nested names included."""
    t = tables()
    context = (document.title, document.text)  # picks among same-named divisions (朝阳区)
    _lookup_division.cache_clear()
    _lookup_prefix.cache_clear()
    yield from _byline_mentions(document)
    for ts in tagged:
        text = ts.sentence.text
        found: list[Found] = []
        for run in runs(ts.tokens):
            if t.any_unit_end.search(text, run.start, run.end):  # most runs hold no character that ends a unit
                found.extend(_run_names(run, text, context))
        found.extend(_road_codes(text))
        found.extend(_listed_companies(ts.tokens))
        found.extend(_bracketed_bodies(ts, context))
        found.extend(_listed_places(ts))
        found = [_trim_marks(text, *f) for f in found]
        covered = {(start, end) for start, end, *_ in found}
        for start, end, name in _bare_bodies(ts.tokens):  # 管委会, 市委, 扶贫办 standing alone
            if not _inside(start, end, covered):
                head = head_of(name)
                subtype = t.org_heads.get(name) or (head[2] if head else "Organization")
                found.append((start, end, name, "Organization", subtype))
                covered.add((start, end))
        for start, end, name, kind, subtype in found:
            yield _mention(document, ts.sentence, start, end, name, kind, subtype, f"names:{kind}")
        taken = _Covered(covered)
        for start, end, name, kind, subtype in _lac_names(ts.tokens, taken, context):
            # LAC's places here are checked against the division and region lists; its organizations are not
            # a region word (长三角 of 长三角一体化发展战略) counts inside other names; a bare division does not
            rule = ("names:region" if subtype == "Region" else "lac:division") if kind == "Place" else f"lac:{kind}"
            yield _mention(document, ts.sentence, start, end, name, kind, subtype, rule)
        for start, end, name, rule in (*_byline_names(text), *_person_names(ts.tokens, taken)):
            yield _mention(document, ts.sentence, start, end, name, "Person", None, rule)
