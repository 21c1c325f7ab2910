"""Aliases → entities, relation candidates → relations.

News names one thing many ways: 济宁经济技术开发区 = 济宁经开区 = 济宁经济开发区 = 经开区 (in a
Jining article), 中建钢构有限公司 = 中建钢构, 区财政局 = 济宁经开区财政局. Mentions are first
grouped inside each document, where the context makes short forms unambiguous, then the
groups of all documents are joined by their full names and division codes. The rules
(abbreviations, dropped legal forms, level words) are data: kg/resources/resolve.json.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from kg import places
from kg.model import (
    DocumentAnalysis,
    Entity,
    EntityType,
    Mention,
    MentionGroup,
    Relation,
)
from kg.resources import read_json, table

_TYPE_ORDER: tuple[EntityType, ...] = ("Place", "Organization", "Program", "Project", "Person")
_QUOTES = "“”\"'‘’《》「」『』 \u3000"
# A construction phase after a name: 二期, 3期.
_PHASE = re.compile("[一二三四五六七八九十\\d]+期")


@dataclass(frozen=True)
class _Rules:
    abbreviations: tuple[tuple[str, str], ...]  # long → short, longest first
    dropped_suffixes: tuple[tuple[str, ...], ...]  # applied in turn: legal forms, then 集团
    zone_words: tuple[str, ...]
    level_words: dict[str, tuple[str, ...]]
    place_level_suffixes: tuple[str, ...]


@lru_cache(maxsize=1)
def rules() -> _Rules:
    """The alias rules of kg/resources/resolve.json."""
    raw = read_json("resolve.json")
    abbreviations = {k: v for k, v in raw["abbreviations"].items() if not k.startswith("_")}
    return _Rules(
        abbreviations=tuple(sorted(abbreviations.items(), key=lambda kv: -len(kv[0]))),
        dropped_suffixes=tuple(tuple(sorted(raw["dropped_suffixes"][k], key=len, reverse=True)) for k in ("suffixes", "then")),
        zone_words=tuple(sorted(raw["zone_words"], key=len, reverse=True)),
        level_words={k: tuple(v) for k, v in raw["level_words"].items() if not k.startswith("_")},
        place_level_suffixes=tuple(raw["place_level_suffixes"]),
    )


def alias_key(name: str) -> str:
    """The form two names of one thing share: NFKC, no quotes, abbreviated, no legal form.

    >>> alias_key("济宁经济技术开发区"), alias_key("中建钢构有限公司")
    ('济宁经开区', '中建钢构')
    """
    r = rules()
    key = "".join(ch for ch in unicodedata.normalize("NFKC", name) if ch not in _QUOTES)
    for long, short in r.abbreviations:
        key = key.replace(long, short)
    for suffixes in r.dropped_suffixes:
        for suffix in suffixes:
            if key.endswith(suffix) and len(key) - len(suffix) >= 2:
                key = key[: -len(suffix)]
                break
    return key


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, item: str) -> None:
        self.parent.setdefault(item, item)

    def find(self, item: str) -> str:
        self.add(item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _mention_key(m: Mention) -> str:
    # a short form that the extractor tied to its fuller name (“双倍增” of “双倍增”计划)
    return alias_key(m.canonical) if m.canonical else alias_key(m.text)


def _home_zone(zone_word: str, place_keys: Counter[str]) -> str | None:
    """The zone a bare 经开区 / 开发区 of an article means: its most named zone with that ending."""
    r = rules()
    endings = r.zone_words if zone_word == "开发区" else (zone_word,)  # 开发区 ends every zone
    candidates = [(n, -len(k), k) for k, n in place_keys.items()
                  if k != zone_word and k.endswith(endings) and k not in r.zone_words]
    return min(candidates, key=lambda c: (-c[0], c[1], c[2]))[2] if candidates else None


def _split_prefix(key: str, place_keys: Iterable[str]) -> tuple[str, str]:
    """(place-like prefix, core) of an organization key: 经开区|财政局, 区|党工委, 济宁|团市委."""
    r = rules()
    candidates = [p for p in place_keys if key.startswith(p)] + [z for z in r.zone_words if key.startswith(z)]
    candidates += [w for w in r.level_words if key.startswith(w)]
    found = places.division_prefix(key)
    if found is not None:
        candidates.append(key[: found[1]])
    for prefix in sorted(set(candidates), key=len, reverse=True):
        if len(key) - len(prefix) >= 2:
            return prefix, key[len(prefix):]
    return "", key


def _compatible(p1: str, p2: str, zone_of: dict[str, str]) -> bool:
    """Two place prefixes that can name the same place in one article (区 ~ 济宁经开区, 经开区 ~ 济宁经开区)."""
    if not p1 or not p2:
        return True
    a, b = zone_of.get(p1, p1), zone_of.get(p2, p2)
    if a == b or a.endswith(b) or b.endswith(a):
        return True
    level = rules().level_words
    for bare, full in ((a, b), (b, a)):
        if bare in level and (full.endswith(level[bare]) or _division_level_word(full) == bare):
            return True
    return False


def _division_level_word(name: str) -> str | None:
    division = places.division_of(name)
    if division is None:
        return None
    return {"province": "省", "city": "市", "county": "县"}.get(division.level)


def group_mentions(document_mentions: Sequence[Mention]) -> tuple[MentionGroup, ...]:
    """The mentions of one document, grouped one group per real thing.

    Only the document is needed, so the pipeline runs this in its per-document stage (in
    the workers, cached); `resolve` then joins the groups of all documents.
    """
    r = rules()
    mentions = list(document_mentions)
    uf = _UnionFind()
    keys = {id(m): _mention_key(m) for m in mentions}
    for m in mentions:
        uf.add(keys[id(m)])
        if m.canonical:
            uf.union(keys[id(m)], alias_key(m.text))
    all_keys = set(keys.values())
    place_keys = Counter(keys[id(m)] for m in mentions if m.type == "Place")
    # a bare zone word (经开区) is the article's zone (济宁经开区)
    zone_of: dict[str, str] = {}
    for zone in r.zone_words:
        if zone in place_keys:
            home = _home_zone(zone, place_keys)
            if home is not None:
                zone_of[zone] = home
                uf.union(zone, home)
    # a place's short form (马集 of 马集镇, 崔寨 of 崔寨街道), whatever the tagger took it for
    for key in sorted(all_keys):
        for suffix in r.place_level_suffixes:
            if key + suffix in place_keys:
                uf.union(key, key + suffix)
    # an organization named with or without its place (财政局, 区财政局, 经开区财政局)
    cores: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key in sorted({keys[id(m)] for m in mentions if m.type == "Organization"}, key=len, reverse=True):
        prefix, core = _split_prefix(key, place_keys)
        cores[core].append((prefix, key))
    for core, forms in cores.items():
        prefixed = [(p, k) for p, k in forms if p]
        for p, k in prefixed:  # fullest first: each joins the fuller forms it fits
            fits = [k2 for p2, k2 in prefixed if len(k2) > len(k) and _compatible(p, p2, zone_of)]
            if len({uf.find(f) for f in fits}) == 1:
                uf.union(k, fits[0])
        roots = {uf.find(k) for _, k in prefixed}
        # the bare core names the only such body (市场监管局, whose own split 市|场监管局 is wrong)
        if len(roots) == 1 and core in all_keys:
            uf.union(core, roots.pop())
    _join_short_forms(mentions, keys, uf)
    groups: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        groups[uf.find(keys[id(m)])].append(m)
    return tuple(MentionGroup(tuple(groups[k]), _links(groups[k], zone_of)) for k in sorted(groups))


def _division_code(name: str) -> str | None:
    division = places.division_of(name)
    return division.code if division is not None else None


def _links(mentions: Sequence[Mention], zone_of: dict[str, str]) -> frozenset[str]:
    """Keys that name the group's thing in any article: its full name, a body named with the bare zone
    spelled out with the article's zone (经开区交警大队 in a Jining article = 济宁经开区交警大队), and a
    place's division code."""
    name = _canonical_name(mentions)
    links = {alias_key(name)}
    zones = sorted(zone_of, key=len, reverse=True)
    for m in mentions:
        key = alias_key(m.text)
        zone = next((z for z in zones if key.startswith(z) and len(key) > len(z)), None)
        if zone is not None and m.type == "Organization":
            links.add(zone_of[zone] + key[len(zone):])
    if _vote_type(mentions) == "Place":
        code = _division_code(name)
        if code is not None:
            links.add(f"division:{code}")
    return frozenset(links)


def _same_head(short: str, long: str) -> bool:
    """Both names end in the same head word (大队 ~ 交警大队), so that 市委 is no short form of 团市委."""
    from kg.extract.names import head_of, tables

    def head(name: str) -> str | None:
        found = head_of(name)
        return found[0] if found else (name if name in tables().org_heads or name in tables().place_heads else None)

    long_head, short_head = head(long), head(short)
    return long_head is not None and (short_head == long_head or (short_head is not None and long_head.endswith(short_head)
                                                                   and len(long_head) == len(short_head)))


@lru_cache(maxsize=1)
def _program_heads() -> tuple[str, ...]:
    """The program head words (resources/program_heads.tsv): what may follow a program's short form."""
    return tuple(row[0] for row in table("program_heads.tsv"))


def _join_short_forms(mentions: Sequence[Mention], keys: dict[int, str], uf: _UnionFind) -> None:
    """A name that ends a longer name of the article, or begins one before a program head, is that
    thing when exactly one thing fits: 大队 of 交警大队, 爱心义工团 of 秋英爱心义工团, 实施方案 of
    《…实施方案》, 十四五 of “十四五”发展规划."""

    program_heads = _program_heads()
    by_type: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        by_type[keys[id(m)]][m.type] += 1
    kind = {key: counts.most_common(1)[0][0] for key, counts in by_type.items()}
    for short in sorted(kind, key=len):
        if kind[short] == "Person" or len(short) < 2:
            continue
        longer = [k for k in kind if kind[k] == kind[short] and len(k) > len(short)]
        fits = {uf.find(k) for k in longer if k.endswith(short)
                and (kind[short] not in ("Organization", "Place") or _same_head(short, k))}
        if kind[short] == "Program":  # 十四五 of 十四五发展规划: the rest is a program head
            fits |= {uf.find(k) for k in longer if k.startswith(short) and k[len(short):].endswith(program_heads)
                     and len(k) - len(short) <= 4}
        if kind[short] in ("Organization", "Place") and not fits:
            fits = {uf.find(k) for k in longer if _abbreviates(short, k)}  # 山西综改示范区 of 山西转型综合改革示范区
        if kind[short] in ("Place", "Project") and not fits:
            fits = {uf.find(k) for k in kind if _phase_of(short, k, kind[k])}  # 某产业园 of 某产业园三期
        if len(fits) == 1 and uf.find(short) not in fits:
            uf.union(short, fits.pop())


def _phase_of(short: str, long: str, long_kind: str) -> bool:
    """``long`` is a construction phase of ``short`` (某产业园|三期, 某广场|二期): one thing, named fullest with
    its phase, as the guidelines' gold does; a road's phase is a works on the road, not the road."""
    from kg.extract.names import head_of

    head = head_of(short)
    return long_kind in ("Place", "Project") and long.startswith(short) and _PHASE.fullmatch(long[len(short):]) is not None \
        and not (head is not None and head[2] == "Road")


def _abbreviates(short: str, long: str) -> bool:
    """``short`` keeps a few characters of the middle of ``long`` (山西|综改|示范区 of 山西|转型综合改革|示范区):
    same first two characters, same head word, and the short middle a subsequence of the long one."""
    from kg.extract.names import head_of

    head = head_of(long)
    if head is None or not short.endswith(head[0]) or short[:2] != long[:2] or not _same_head(short, long):
        return False
    middle_short, middle_long = short[2:len(short) - len(head[0])], iter(long[2:len(long) - len(head[0])])
    return 2 <= len(middle_short) and all(ch in middle_long for ch in middle_short)


def _vote_type(mentions: Sequence[Mention]) -> EntityType:
    """The majority type; a Person only when nothing else: a group that holds a place or body
    under the same name is that place or body (崔寨 tagged PER, 崔寨街道)."""
    counts = Counter(m.type for m in mentions)
    if len(counts) > 1:
        counts.pop("Person", None)
    return max(counts, key=lambda t: (counts[t], -_TYPE_ORDER.index(t)))


def _canonical_name(mentions: Sequence[Mention]) -> str:
    """The fullest form: the longest name, then the most frequent, then the first in code order."""
    counts = Counter(m.text for m in mentions)
    return min(counts, key=lambda n: (-len(n), -counts[n], n))


def _merge_documents(doc_groups: Sequence[MentionGroup]) -> list[list[Mention]]:
    """Join the groups of all documents that share a link (full name, zone-qualified name, division)."""
    uf = _UnionFind()
    by_key: dict[str, str] = {}
    for i, group in enumerate(doc_groups):
        node = str(i)
        uf.add(node)
        for link in sorted(group.links):
            if link in by_key:
                uf.union(node, by_key[link])
            else:
                by_key[link] = node
    merged: dict[str, list[Mention]] = defaultdict(list)
    for i, group in enumerate(doc_groups):
        merged[uf.find(str(i))].extend(group.mentions)
    return list(merged.values())


def _entity(mentions: Sequence[Mention]) -> Entity:
    kind = _vote_type(mentions)
    name = _canonical_name(mentions)
    aliases = tuple(sorted({m.text for m in mentions} - {name}))
    subtypes = Counter(m.subtype for m in mentions if m.type == kind and m.subtype)
    subtype = min(subtypes, key=lambda s: (-subtypes[s], s)) if subtypes else None
    attrs: tuple[tuple[str, str], ...] = ()
    if kind == "Place":
        code = _division_code(name)
        if code is not None:
            attrs = (("division_code", code),)
    ordered = tuple(sorted(mentions, key=lambda m: (m.doc_id, m.start, m.end, m.type)))
    return Entity(id=f"{kind}/{name}", name=name, type=kind, aliases=aliases, subtype=subtype,
                  mentions=ordered, attrs=attrs)


def resolve(analyses: Sequence[DocumentAnalysis]) -> tuple[list[Entity], list[Relation]]:
    """One entity per real thing across the corpus; relation candidates mapped onto entities."""
    doc_groups = [group for analysis in analyses
                  for group in analysis.groups or group_mentions(analysis.mentions)]  # grouped unless given
    entities = sorted((_entity(g) for g in _merge_documents(doc_groups)), key=lambda e: e.id)
    by_span: dict[tuple[str, int, int], str] = {}
    by_text: dict[tuple[str, str], str] = {}
    for entity in entities:
        for m in entity.mentions:
            by_span[(m.doc_id, m.start, m.end)] = entity.id
            by_text.setdefault((m.doc_id, m.text), entity.id)

    def entity_of(m: Mention) -> str | None:
        return by_span.get((m.doc_id, m.start, m.end)) or by_text.get((m.doc_id, m.text))

    relations: dict[tuple, Relation] = {}
    for analysis in analyses:
        for c in analysis.relations:
            head = entity_of(c.head)
            tail = entity_of(c.tail) if c.tail is not None else None
            if head is None or (c.tail is not None and (tail is None or tail == head)):
                continue  # a candidate about a mention that the overlap rule dropped, or a self-loop
            relation = Relation(head=head, predicate=c.predicate, tail=tail, evidence=c.sentence.text,
                                doc_id=c.doc_id, start=c.sentence.start, end=c.sentence.end, rule=c.rule,
                                attrs=c.attrs)
            relations.setdefault((c.doc_id, c.sentence.start, head, c.predicate, tail, c.attrs), relation)
    return entities, [relations[k] for k in sorted(relations, key=lambda k: (k[0], k[1], k[2], k[3], k[4] or "", k[5]))]
