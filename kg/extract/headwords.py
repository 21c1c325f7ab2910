"""Name finders shared by the Program and Project extractors.

Both kinds are named the same ways in this genre: a quoted core with a head word after it
(“产业地标”培育计划, “童心港湾”儿童关爱项目), a modifier before a head word (电动自行车违法行为专项整治行动,
集成电路设计服务产业园), or an item of a list that ends in 等项目. A finder yields ``Candidate`` records with
sentence offsets; each extractor keeps its own type and turns them into Mentions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from kg.extract.names import head_of
from kg.extract.spans import (
    Quote,
    has_quantity,
    is_generic_modifier,
    left_extent,
    made_of,
    quotes,
    strip_determiners,
    token_at,
    unquote,
)
from kg.model import Document, EntityType, Mention, TaggedSentence
from kg.resources import longest_first, table, word_set

_CJK = r"\u4e00-\u9fff"
_NUMERALS = "一二两三四五六七八九十百千万双多"
_CLOSING = ("”", "’", '"', "」", "』", "》")
_PUNCT = set("，,。；;：:、！!？?（）()《》“”‘’\"「」『』 \t\n")
# A tail after a quote that contains one of these is a clause, not the rest of a name.
_TAIL_BREAKERS = set("的了是在和与及等把被将对为")

# Slogans built on numerals: 三去一降一补, 一企一策, 一轴两带三区, 三包一.
_PAIRED_NUMERALS = re.compile(f"[{_NUMERALS}](?:[^{_NUMERALS}\\W\\d]{{1,3}}[{_NUMERALS}]){{1,3}}[^{_NUMERALS}\\W\\d]{{0,4}}")
# Counted slogans: 三个转变, 两个提升, 六项机制, 二次创业.
_COUNTED = re.compile(f"[{_NUMERALS}二][个项种次条大][{_CJK}]{{2,5}}")
# A numeral with a two-character verb or noun: 三服务 (a classifier after the numeral makes it a
# quantity: 一张网; a magnitude makes it a figure of speech: 千里眼).
_NUMERAL_WORD = re.compile(f"[一二两三四五六七八九十双][^{_NUMERALS}个项种次条根张把只件支批座位名户家\\W\\d]{{2}}")
# Policy packages counted in articles: 人才新政二十条, 科技金融12条.
_ARTICLES = re.compile(f"[{_CJK}]{{2,8}}(?:[一二三四五六七八九十]{{1,3}}|\\d{{1,3}})条")
# Formula slogans: 智慧+党建, 1+N+X, 互联网+.
_FORMULA = re.compile(r"[^\s，。]*\+[^\s，。]*")
# Descriptive suffixes: “一站式”服务, “精细化”管理, “走读式” — manners, not names.
_MANNER_SUFFIX = ("式", "化", "性", "型", "感", "状")
_MANNER_NOT_NUMERAL = tuple(x for x in _MANNER_SUFFIX if x != "化")  # 化 also ends numeral slogans (五化)
# Planning periods: 十四五, “十三五”规划.
PLANNING_PERIOD = re.compile("十[一二三四五六七八九]五")
# The period a plan covers, in brackets at the end of its title: （2024—2026年）, (2021-2025).
_TITLE_PERIOD = re.compile(r"[（(]\d{4}\s*[—–\-~至到]+\s*\d{4}年?[)）]$")
# Endings of administrative places, which a list before 等项目 may name as the projects' sites.
_DIVISION_WORDS = ("街道", "镇", "乡", "村", "社区", "县", "市", "省")
# Title endings that end the name of a plan rather than of a document about a program.
_PLAN_ENDINGS = ("计划", "规划")
# A construction phase: 二期, 3期 (names nothing without the park or owner before it).
_PHASE = re.compile(f"[{_NUMERALS}\\d]+期")
# A count right after a quoted core and a project head: “X”项目11个.
_COUNT_AFTER = re.compile(f"[\\d{_NUMERALS}]+[个项批]")
# Words after a quoted goal that make it a strategy: 打造“X”的目标, “X”定位.
_GOAL_WORDS = ("的目标", "目标", "的定位", "定位")
# Zone words after a program head make it part of the zone's name (某省转型综合改革|示范区).
_ZONE_AFTER = ("示范区", "试验区", "先行区", "开发区", "新区")
# Lists of laws: 安全生产法、消防法、环境保护法.
_LAW = re.compile(f"[{_CJK}]{{2,10}}法")
_LAW_LIST = re.compile(f"{_LAW.pattern}(?:、{_LAW.pattern})+")
# The close of a list of projects: 等6个项目, 等园区, 两项…项目. 配套/市政/基础设施工程 are physical works;
# a bare 工程 may be a program's (人才工程).
_LIST_CLOSE = re.compile(f"(等)?(?(1)(?:[\\d{_NUMERALS}]+[个项处家])?|[\\d{_NUMERALS}]+[个项处])[{_CJK}]{{0,6}}?"
                         "(项目|园区|产业园|基地|配套工程|市政工程|基础设施工程)")
# A title in title marks, the marks included (protected_spans) or not (group 1).
_TITLE = re.compile("《([^《》]{1,60})》")


@dataclass(frozen=True)
class Head:
    word: str
    type: EntityType
    subtype: str
    anywhere: bool  # also after an unquoted modifier, not only after a quoted core
    stop: bool = False  # the name ends here even if a longer head follows
    needs_build: bool = False  # a Project only where the sentence builds/signs/opens it
    min_modifier: int = 2  # characters an unquoted modifier needs


@dataclass(frozen=True)
class Candidate:
    """A name found in a sentence; offsets are into Sentence.text."""

    start: int
    end: int
    name: str
    type: EntityType
    subtype: str | None
    rule: str
    canonical: str | None = None

    def to_mention(self, document: Document, tagged: TaggedSentence) -> Mention:
        sentence = tagged.sentence
        return Mention(text=self.name, start=sentence.doc_offset(self.start),
                       end=sentence.doc_offset(self.end - 1) + 1, type=self.type, rule=self.rule,
                       doc_id=document.id, sentence=sentence.index, subtype=self.subtype,
                       canonical=self.canonical if self.canonical != self.name else None)


@lru_cache(maxsize=1)
def heads() -> tuple[Head, ...]:
    """Program and Project head words, longest first."""
    found = [Head(word, "Program", subtype, where == "any", stop=mode == "stop", min_modifier=int(least))
             for word, subtype, where, mode, least in table("program_heads.tsv")]
    found += [Head(word, "Project", subtype, where == "any", needs_build=context == "build")
              for word, subtype, where, context in table("project_heads.tsv")]
    return tuple(sorted(found, key=lambda h: len(h.word), reverse=True))


def heads_ending_in(char: str) -> tuple[Head, ...]:
    """The head words whose last character is ``char``, longest first (a fast index into heads())."""
    return _heads_by_last().get(char, ())


@cache
def _finals(entity_type: EntityType) -> frozenset[str]:
    """Last characters of the head words of a type that name after any modifier."""
    return frozenset(h.word[-1] for h in heads() if h.type == entity_type and h.anywhere)


@lru_cache(maxsize=1)
def _heads_by_last() -> dict[str, tuple[Head, ...]]:
    """heads() by last character, built once."""
    by_last: dict[str, list[Head]] = {}
    for head in heads():
        by_last.setdefault(head.word[-1], []).append(head)
    return {char: tuple(found) for char, found in by_last.items()}


def _head_at(text: str, end: int, accept: Callable[[Head], bool]) -> Head | None:
    """The longest accepted head word ending at ``end``."""
    if end <= 0:
        return None
    return next((h for h in heads_ending_in(text[end - 1]) if text.endswith(h.word, 0, end) and accept(h)), None)


def stop_listed(name: str) -> bool:
    return name in word_set("program_stoplist.tsv")


def builds(text: str) -> bool:
    """The text builds, signs, invests in or opens something (建设/签约/开工/落户 …)."""
    return _build_verb().search(text) is not None


@lru_cache(maxsize=1)
def _build_verb() -> re.Pattern[str]:
    """The build verbs as one alternation: one search of a text instead of one per verb."""
    return re.compile("|".join(re.escape(verb) for verb in sorted(word_set("project_build_verbs.tsv"))))


def clause_around(text: str, start: int, end: int) -> str:
    """The clause (between ，。；：) holding [start, end): where a build verb must be for a centre
    to be a Project (建设…中心, not …研发中心负责…, 建设… in another clause)."""
    left = max(text.rfind(c, 0, start) for c in "，,。；;：:!！?？") + 1
    rights = [i for i in (text.find(c, end) for c in "，,。；;：:!！?？") if i != -1]
    return text[left:min(rights, default=len(text))]


def numeric_slogan(text: str) -> bool:
    """A slogan made of numerals or a formula (两学一做, 三个转变, 三服务, 1+N+X, 人才新政二十条)."""
    # 化 ends numeral slogans (三个强化, 五化) as often as manners (常态化): only the others rule them out.
    if stop_listed(text) or text.endswith(_MANNER_NOT_NUMERAL):
        return False
    if _FORMULA.fullmatch(text) and len(text) >= 3:
        return True
    return any(p.fullmatch(text) for p in (_PAIRED_NUMERALS, _COUNTED, _NUMERAL_WORD, _ARTICLES))


def _ending_head(name: str) -> Head | None:
    """The head word a name ends with, if something precedes it."""
    return _head_at(name, len(name), lambda h: len(name) > len(h.word))


def _tail_head(tagged: TaggedSentence, at: int) -> tuple[int, Head] | None:
    """The head word that completes a quoted core, within a few characters after it:
    “质量月”主题宣传活动 → (end of 活动, 活动)."""
    text = tagged.sentence.text
    building = builds(text)
    best: tuple[int, Head] | None = None
    for k in range(1, 9):
        if at + k > len(text):
            break
        char = text[at + k - 1]
        if char in _PUNCT or char in _TAIL_BREAKERS:
            break
        head = _head_at(text[at:at + k], k, lambda h: building or not h.needs_build)
        if head is None:
            continue
        if best is not None and _has_verb(tagged, best[0], at + k - len(head.word)):
            break  # “X”改革|跑出项目…: a verb after the first head begins the clause
        if not head.anywhere and k > len(head.word) + 2:
            # A head that names only after quotes (“店小二”服务) must follow closely; one further on
            # makes the whole tail a clause (“共建”服务指导运行机制).
            return None
        best = (at + k, head)
        if head.stop:  # “X”工作|项目 ends at 工作, but “X”工作机制 is a mechanism and “X”工作法 a method
            for more in (1, 2):
                window = text[at:at + k + more]
                longer = _head_at(window, len(window), lambda h: h.type == "Program" and not h.stop)
                if at + k + more <= len(text) and longer is not None and not set(window[k:]) & _PUNCT:
                    best = (at + k + more, longer)
                    break
            break
    return best


def _has_verb(tagged: TaggedSentence, start: int, end: int) -> bool:
    """A verb token begins within [start, end)."""
    return any(t.tag == "v" and start <= t.start < end for t in tagged.tokens)


def _clean(inner: str) -> str:
    return unquote(inner).strip("，,、 ")


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Quoted stretches and 《titles》: the head rule leaves them to the quote and title rules."""
    # a quote holding a clause break (“我们正加快建设…基地，推动…”) is speech: the names in it are the head rule's
    spans = [(q.start, q.end) for q in quotes(text) if not set(q.inner) & set("，,。；;！!？?")]
    spans += [m.span() for m in _TITLE.finditer(text)]
    return spans


def quoted_in(tagged: Sequence[TaggedSentence]) -> list[tuple[Candidate, ...]]:
    """The quoted_candidates of each sentence (of both types)."""
    return [tuple(quoted_candidates(sentence)) for sentence in tagged]


def quoted_candidates(tagged: TaggedSentence) -> Iterator[Candidate]:
    """Names made of or around a quoted phrase."""
    text = tagged.sentence.text
    found = quotes(text)
    # a quote inside a quoted speech: “园区要在全省‘1650’产业体系建设中…”
    found += [Quote(q.start + 1 + n.start, q.start + 1 + n.end, n.inner) for q in found for n in quotes(q.inner)
              if q.inner[n.start] == "‘"]
    accepted: dict[int, EntityType] = {}  # quote index → type of the name found there
    for i, quote in enumerate(found):
        yielded = list(_quoted(tagged, quote))
        if yielded:
            accepted[i] = yielded[0].type
        yield from yielded
    # A quote listed next to an accepted one (“暖心助学”、“银龄助老”等工作) is of the same kind.
    for i, quote in enumerate(found):
        if i in accepted:
            continue
        for j in (i - 1, i + 1):
            if j not in accepted:
                continue
            left, right = (found[j], quote) if j < i else (quote, found[j])
            name = _clean(quote.inner)
            if text[left.end:right.start] in ("、", "", "和", "及") and _name_like(name):
                kind = accepted[j]
                yield Candidate(quote.start + 1, quote.end - 1, name, kind, None, f"{kind.lower()}:quoted-list")
                break


def _verb_only(tagged: TaggedSentence, quote: Quote) -> bool:
    """A quoted verb (“搬进”服务大厅, “种树”工程) is a figure of speech, not a name's core."""
    inside = [t for t in tagged.tokens if quote.start < t.start and t.end < quote.end]
    return bool(inside) and all(t.tag in ("v", "vd", "a", "ad", "d") for t in inside)


def _name_like(name: str) -> bool:
    """Short, unpunctuated, no particles (“零的突破” is a phrase), not a manner, not stop-listed."""
    return (3 <= len(name) <= 16 and re.fullmatch(f"[{_CJK}A-Za-z0-9+]+", name) is not None
            and not set(name) & set("的了着") and not name.endswith(_MANNER_SUFFIX) and not stop_listed(name))


def _quoted(tagged: TaggedSentence, quote: Quote) -> Iterator[Candidate]:
    text = tagged.sentence.text
    core = _clean(quote.inner)
    if not core or stop_listed(core) or PLANNING_PERIOD.fullmatch(core):
        return
    tail = _tail_head(tagged, quote.end)
    if tail is not None and not _verb_only(tagged, quote):
        end, tail_head = tail
        if tail_head.type == "Project" and _COUNT_AFTER.match(text, end):
            # 签约“某某回归”项目11个: projects counted under a program's name; the quote names the program
            yield Candidate(quote.start + 1, quote.end - 1, core, "Program", None, "program:quoted-category")
            return
        full = core + text[quote.end:end]
        kind = tail_head.type
        yield Candidate(quote.start, end, full, kind, tail_head.subtype, f"{kind.lower()}:quoted+head")
        if len(core) >= 2:
            yield Candidate(quote.start + 1, quote.end - 1, core, kind, tail_head.subtype,
                            f"{kind.lower()}:quoted-core", canonical=full)
        return
    if len(core) >= 3 and core.endswith("制") and _head_at(core, len(core), lambda h: h.word == core and h.type == "Program"):
        # 推行企业投资项目“承诺制”: a named system word quoted alone (the words before it qualify it)
        yield Candidate(quote.start + 1, quote.end - 1, core, "Program", "System", "program:quoted-system")
        return
    head = _ending_head(core)
    if head is not None and len(core) - len(head.word) >= 2 and not has_quantity(core) and len(core) <= 30:
        yield Candidate(quote.start + 1, quote.end - 1, core, head.type, head.subtype,
                        f"{head.type.lower()}:quoted-headed")
        return
    parts = [p for p in re.split("[、，,]", core) if p]
    if len(parts) > 1 and "+" not in core:
        # “三个转变、两个提升”: a list of slogans is several Programs; any other list is a motto.
        if all(numeric_slogan(p) for p in parts):
            offset = quote.start + 1
            for part in parts:
                at = text.index(part, offset)
                yield Candidate(at, at + len(part), part, "Program", None, "program:quoted-slogan")
                offset = at + len(part)
        return
    if numeric_slogan(core):
        yield Candidate(quote.start + 1, quote.end - 1, core, "Program", None, "program:quoted-slogan")
        return
    before = text[:quote.start]
    owner = next((w for w in longest_first("program_verb_owners.tsv") if before.endswith(w)), "")
    before = before[:len(before) - len(owner)].rstrip("了好起")  # 落实省委“某某当家”部署: the owner sits between
    if _name_like(core) and any(before.endswith(v) for v in word_set("program_verbs.tsv")):
        # 实施“揭榜挂帅”, 推行“一窗受理”: a quoted phrase in the object slot of a program verb.
        yield Candidate(quote.start + 1, quote.end - 1, core, "Program", None, "program:quoted-after-verb")
    elif _name_like(core) and text.startswith(_GOAL_WORDS, quote.end):
        # 打造“某某之都”的目标, “某某”定位: a quoted goal a body sets itself is its strategy
        yield Candidate(quote.start + 1, quote.end - 1, core, "Program", "Strategy", "program:quoted-goal")


def headed_candidates(tagged: TaggedSentence, entity_type: EntityType) -> Iterator[Candidate]:
    """Unquoted names made of a modifier and a head word: 企业大走访活动, 苏滁工业园."""
    text = tagged.sentence.text
    protected: list[tuple[int, int]] | None = None  # found when a name first needs them
    outer: Candidate | None = None  # the last name found; heads inside it are not new names
    finals = _finals(entity_type)  # few characters end a head word
    for end in sorted({t.end for t in tagged.tokens if text[t.end - 1] in finals}, reverse=True):  # right to left
        head = _head_at(text, end, lambda h: h.type == entity_type and h.anywhere)
        if head is None or head.needs_build and not builds(clause_around(text, end - len(head.word), end)):
            continue
        longest = _head_at(text, end, lambda h: h.anywhere and not h.needs_build)
        if longest is not None and longest.type != entity_type and len(longest.word) > len(head.word):
            continue  # 改造工程 (a Project) is no 工程 of a program: the longer head decides the type
        if _modifies_next(tagged, end):
            continue  # 活动 in 党员活动室 is not a head
        if entity_type == "Program" and text.startswith(_ZONE_AFTER, end):
            continue  # 综合改革|示范区, 创新|试验区: the program word begins a zone's name
        if text.startswith(_head_verbs().get(head.word, ()), end):
            continue  # …项目计划总投资35亿元: 计划 is the predicate (plans to), not a head
        if head.needs_build and any(text.startswith(w, end) for w in word_set("project_acting_words.tsv")):
            continue  # a centre that acts (…中心负责人, …基地开展) is an Organization
        head_start = end - len(head.word)
        start = left_extent(tagged, head_start, inner_verbs=entity_type == "Project")
        if protected is None:
            protected = protected_spans(text)
        if any(s < end and start < e for s, e in protected) or text[start - 1:start] in _CLOSING:
            continue  # quoted and titled names, and heads right after a quote, are the quoted and title rules'
        name = strip_determiners(text[start:end])
        start = end - len(name)
        if entity_type == "Project":
            start, name = _after_works(text, start, end, head)  # 某机场二期工程|T2航站楼: two projects
        if _PHASE.fullmatch(name[:-len(head.word)]) or head.needs_build and len(name) - len(head.word) <= 2:
            # 某某股份有限公司|三期项目, 某某公司|智能工厂: a phase or one short word names nothing without its owner
            start = _owner_start(tagged, start)
            name = text[start:end]
        modifier = name[:-len(head.word)]
        if len(modifier) < max(2, head.min_modifier) or stop_listed(name) or has_quantity(modifier):
            continue
        if entity_type == "Project" and text[:start].endswith(longest_first("project_status_verbs.tsv")):
            continue  # 入选|某省智能制造示范项目: a status received, not a project built
        if not _specific(tagged, start, head_start, modifier, head):
            continue
        canonical = None
        if outer is not None and end > outer.start:
            # 富士康精密模具中心 inside 富士康精密模具中心项目 is a short form of it; other heads
            # inside a name (机制 in 体制机制改革) are not names.
            if not (start == outer.start and outer.name.startswith(name) and _ending_head(outer.name[len(name) - 1:])):
                continue
            canonical = outer.name
        candidate = Candidate(start, end, name, entity_type, head.subtype, f"{entity_type.lower()}:head", canonical)
        if canonical is None:
            outer = candidate
        yield candidate


def phase_candidates(tagged: TaggedSentence) -> Iterator[Candidate]:
    """A place name with a construction phase (某广场二期/LOC, 某高新区软件园|三期/m) is the phase being
    built, a Project: the place alone is no phase of anything."""
    text = tagged.sentence.text
    if "期" not in text:
        return  # no phase (二期) to find
    for k, token in enumerate(tagged.tokens):
        phase = _PHASE.search(token.text)
        if token.tag == "LOC" and phase is not None and phase.end() == len(token.text) and phase.start() >= 2:
            first = k
            while first > 0 and tagged.tokens[first - 1].tag == "LOC" and tagged.tokens[first - 1].end == tagged.tokens[first].start:
                first -= 1  # 武汉/LOC 某科学岛二期/LOC: the place before it belongs to the name
            start = tagged.tokens[first].start
            yield Candidate(start, token.end, text[start:token.end], "Project", "ConstructionProject", "project:phase")
        elif token.tag == "m" and _PHASE.fullmatch(token.text) and k > 0 and tagged.tokens[k - 1].end == token.start \
                and not (k + 1 < len(tagged.tokens) and tagged.tokens[k + 1].tag in ("n", "vn", "nz")):
            # (某机场二期|工程: the phase begins a longer name, which the head rule reads)
            start = left_extent(tagged, token.start)
            place = head_of(text[start:token.start])
            proper = any(t.tag in ("LOC", "ORG", "nz") and start <= t.start < token.start for t in tagged.tokens)
            if place is not None and place[1] == "Place" and proper and token.start - start > len(place[0]):
                yield Candidate(start, token.end, text[start:token.end], "Project", "ConstructionProject",
                                "project:phase")


def _after_works(text: str, start: int, end: int, head: Head) -> tuple[int, str]:
    """(start, name) of a facility named right after a works project (某机场二期工程|T2航站楼): the works'
    name ends with a construction head of its own (期工程, 改造工程), so the facility starts after it."""
    head_start = end - len(head.word)
    for cut in range(head_start - 1, start + 3, -1):
        works = _head_at(text, cut, lambda h: h.type == "Project" and h.word.endswith("工程"))
        if works is not None and cut > start + len(works.word):
            return cut, text[cut:end]
    return start, text[start:end]


def _owner_start(tagged: TaggedSentence, start: int) -> int:
    """Start of the body or place right before ``start`` (the owner of a phase: 某某公司|二期项目), or ``start``."""
    k = token_at(tagged.tokens, start)
    before = tagged.tokens[k - 1] if k > 0 else None
    if before is None or before.end != start:
        return start
    owner = head_of(tagged.sentence.text[:start])
    if before.tag in ("ORG", "LOC", "nz") or owner is not None and owner[1] == "Organization" and len(owner[0]) >= 2:
        return left_extent(tagged, before.start, max_chars=24)
    return start


def _modifies_next(tagged: TaggedSentence, end: int) -> bool:
    """A one-character noun right after a head makes the head a modifier (活动|室, 项目|部)."""
    k = token_at(tagged.tokens, end)
    return k < len(tagged.tokens) and tagged.tokens[k].start == end and tagged.tokens[k].tag == "n" \
        and len(tagged.tokens[k].text) == 1


def _specific(tagged: TaggedSentence, start: int, head_start: int, modifier: str, head: Head) -> bool:
    """Whether the words before a head make a name rather than a description."""
    if head.type == "Project" and head.word == "项目" or head.needs_build:
        # 项目/中心/平台 after common nouns are generic (重点项目, 服务中心): a proper name must be in it.
        # The owner right before the name counts (贝特瑞公司|年产5万吨锂电池负极材料项目).
        proper = any(t.tag in ("LOC", "ORG", "PER", "nz") and t.start < head_start and t.end >= start
                     for t in tagged.tokens)
        if not proper and head.needs_build and len(modifier) >= 6 and \
                tagged.sentence.text[:start].endswith(longest_first("project_build_verbs.tsv")):
            proper = True  # 投资25亿元建设|地下装备智能制造基地: the object of a build verb, named at length
        if not proper:
            proper = _owned(tagged, start)  # 某公司投资12亿元建设的|新材料项目: the owner names it
        if not proper and head.word == "项目":
            # 存储器基地|项目, 数字经济孵化中心|项目: a project named after the facility it builds
            inner = _ending_head(modifier)
            proper = inner is not None and inner.type == "Project" and \
                len(modifier) - len(inner.word) >= 2 and not is_generic_modifier(modifier[:-len(inner.word)])
        return proper and not is_generic_modifier(modifier)
    if head.type == "Program":
        return not is_generic_modifier(modifier)
    return not made_of(modifier, word_set("project_generic_modifiers.tsv") | word_set("name_determiners.tsv"))



# The phrase between an owner and what it builds: 投资的, 投资12亿元建设的, 牵头建设的.
_OWNER_LINK = re.compile(r"[^，,。；;：:、]*?(?:投资|建设|建成|打造|牵头建设|投建)的$")


def _owned(tagged: TaggedSentence, start: int) -> bool:
    """A body or place right before a build verb and 的 owns the project after it (某公司投资的|X项目,
    某研究所牵头建设的|X中心): the owner makes the name specific, as an owner right before it does."""
    link = _OWNER_LINK.search(tagged.sentence.text[:start])
    if link is None:
        return False
    owners = [t for t in tagged.tokens if t.tag in ("ORG", "LOC", "nz") and link.start() <= t.start < start]
    return bool(owners) and owners[0].start == link.start()


def listed_project_candidates(tagged: TaggedSentence) -> Iterator[Candidate]:
    """Items of a list closed by 等项目, 等园区 or 等配套工程 (A、B、C等6个项目; “A”、“B”两项…项目; A城、B城等园区;
    某路二期、某路改造等配套工程) are Projects."""
    text = tagged.sentence.text
    for match in _LIST_CLOSE.finditer(text):
        items = _list_items(tagged, match.start())
        if len(items) < 2 and not (match.group(1) and match.group(2) == "项目"):
            continue  # “A”两项…项目 and A等园区 need a list; A等项目 may close a single name
        subtype = "ConstructionProject" if match.group(2).endswith(("项目", "工程")) else "IndustrialPark"
        for start, end in items:
            name = strip_determiners(unquote(text[start:end]))
            start = end - len(name)
            if subtype == "IndustrialPark" and (name.endswith("区") or not name.endswith(("城", "园", "镇", "基地"))):
                continue  # 高新区、经开区等园区 are Places; 激光、软件2个…基地 are fields
            if name.endswith(_DIVISION_WORDS):
                continue  # 甲街道、乙街道14个旧村改造项目: the places the projects are in
            if 2 <= len(name) <= 24 and not is_generic_modifier(name) and not has_quantity(name):
                yield Candidate(start, end, name, "Project", subtype, "project:listed")


def _list_items(tagged: TaggedSentence, close: int) -> list[tuple[int, int]]:
    """Spans of the 、-separated names that end at ``close`` (the 等 of the list); none when an
    item is a clause (受益面广、关注度较高的项目) rather than a name."""
    text = tagged.sentence.text
    items: list[tuple[int, int]] = []
    end = close
    while end > 0:
        sep = text.rfind("、", 0, end)
        clause = max(text.rfind(c, 0, end) for c in "，,。；;：:")
        if sep > clause:
            items.append((sep + 1, end))
            end = sep
            continue
        start = _skip_places(tagged, left_extent(tagged, end, max_chars=20, opening_verb=True), end)
        if start < end:
            items.append((start, end))
        break
    items.reverse()
    if not all(_nominal(tagged, s, e) for s, e in items):
        return []
    return items


def _nominal(tagged: TaggedSentence, start: int, end: int) -> bool:
    """A list item that is a name: no adverbs, particles or numbers in it (较高, 较长的, 11个)."""
    inside = [t for t in tagged.tokens if t.start < end and t.end > start and t.tag != "w"]
    return bool(inside) and not any(t.tag in ("d", "ad", "u", "p", "c", "m", "r") and not _PHASE.fullmatch(t.text)
                                    for t in inside)  # 某某城二期 is a name; 11个 is a count


def _skip_places(tagged: TaggedSentence, start: int, end: int) -> int:
    """Drop place names that qualify a whole list (芜湖经开区|A、B等项目) from its first item."""
    k = token_at(tagged.tokens, start)
    while k < len(tagged.tokens) and tagged.tokens[k].tag == "LOC" and tagged.tokens[k].end < end \
            and _qualifying_place(tagged.tokens[k].text):
        start = tagged.tokens[k].end
        k += 1
    return start


def _qualifying_place(name: str) -> bool:
    """A place with its level or zone word (芜湖经开区, 宿州市) may qualify a list; a bare short name or a
    country word is the first word of a park's name (中国|声谷二期, 某州|纳米城二期)."""
    head = head_of(name)
    return head is not None and head[1] == "Place"


@dataclass(frozen=True)
class _Entry:
    """A row of program_lexicon.tsv; ``rank`` is its place when the rows are sorted longest first."""

    rank: int
    subtype: str
    canonical: str | None


@lru_cache(maxsize=1)
def _lexicon() -> tuple[re.Pattern[str], dict[str, _Entry]]:
    """The longest lexicon entry at each position of a sentence (one regex, entries longest first,
    instead of a search per entry), and the first row of each entry."""
    rows = sorted(table("program_lexicon.tsv"), key=lambda r: len(r[0]), reverse=True)
    entries: dict[str, _Entry] = {}
    for rank, (surface, subtype, *rest) in enumerate(rows):
        # a repeated row names a span the first one takes already
        entries.setdefault(surface, _Entry(rank, subtype, rest[0] if rest and rest[0] else None))
    firsts = re.escape("".join(sorted({surface[0] for surface, *_ in rows})))  # fails fast at most positions
    return re.compile(f"(?=[{firsts}])(?=({'|'.join(re.escape(surface) for surface, *_ in rows)}))"), entries


def lexicon_candidates(tagged: TaggedSentence) -> Iterator[Candidate]:
    """National and provincial programs named anywhere (乡村振兴, 河长制, 一网通办); the longer
    entries first, a name inside one already found is no second name."""
    text = tagged.sentence.text
    pattern, entries = _lexicon()
    # Only the longest entry at a position can be new: a shorter one there lies inside it.
    found = sorted((entries[match.group(1)].rank, match.start(), match.group(1)) for match in pattern.finditer(text))
    taken: list[tuple[int, int]] = []
    for _, at, surface in found:
        entry = entries[surface]
        end = at + len(surface)
        if any(s <= at and end <= e for s, e in taken):
            continue
        taken.append((at, end))
        yield Candidate(at, end, surface, "Program", entry.subtype, "program:lexicon", canonical=entry.canonical)


def planning_candidates(tagged: TaggedSentence) -> Iterator[Candidate]:
    """Five-year planning periods: 十四五, “十四五”发展规划 (alias 十四五)."""
    text = tagged.sentence.text
    for match in PLANNING_PERIOD.finditer(text):
        start, end = match.span()
        after = end + 1 if text[end:end + 1] in ("”", "’", '"') else end
        plan = re.match("(?:发展)?规划", text[after:])
        if plan:
            full = match.group(0) + plan.group(0)
            yield Candidate(start, after + plan.end(), full, "Program", "PlanningPeriod", "program:period")
            yield Candidate(start, end, match.group(0), "Program", "PlanningPeriod", "program:period",
                            canonical=full)
        else:
            yield Candidate(start, end, match.group(0), "Program", "PlanningPeriod", "program:period")


def is_policy_title(title: str) -> bool:
    """Whether a title in 《》 names a policy document (…实施方案, …规划（2021—2025年）), not a work."""
    return _TITLE_PERIOD.sub("", title.strip()).endswith(longest_first("program_title_heads.tsv"))


def title_candidates(tagged: TaggedSentence) -> Iterator[Candidate]:
    """Policy documents in title marks (《…实施方案》, 《条例》) and the campaign a plan is for
    (《X活动实施方案》 → X活动); titles of works are not entities."""
    text = tagged.sentence.text
    for match in _TITLE.finditer(text):
        title = match.group(1).strip()
        # 《…发展规划（2013—2025年）》: the period a plan covers follows its ending word
        bare = _TITLE_PERIOD.sub("", title)
        ending = next((e for e in longest_first("program_title_heads.tsv") if bare.endswith(e)), None)
        if ending is None:
            continue
        yield Candidate(match.start(1), match.end(1), unquote(title), "Program", "PolicyDocument", "program:title")
        subject = bare[:-len(ending)]
        head = _ending_head(subject)
        # 《X行动计划》 is the plan itself (计划/规划 end a plan's name), 《X行动实施方案》 a document about X行动
        if head is not None and head.type == "Program" and len(subject) > len(head.word) + 1 \
                and ending not in _PLAN_ENDINGS:
            at = match.start(1)
            yield Candidate(at, at + len(subject), subject, "Program", head.subtype, "program:title-subject")


def law_candidates(tagged: TaggedSentence) -> Iterator[Candidate]:
    """Laws named in a list (安全生产法、消防法、环境保护法): two or more X法 joined by 、."""
    text = tagged.sentence.text
    for match in _LAW_LIST.finditer(text):
        offset = match.start()
        for part in match.group(0).split("、"):
            name = part
            at = text.index(part, offset)
            offset = at + len(part)
            first = token_at(tagged.tokens, at)
            # The first law begins at a token start: 加大对消防法 → 消防法 (对 is a preposition).
            for token in tagged.tokens[first:]:
                if token.tag in ("p", "v", "d") and token.end <= offset and token.start >= at:
                    name = text[token.end:offset]
                    at = token.end
            if len(name) >= 3:
                yield Candidate(at, offset, name, "Program", "Law", "program:law-list")


# A finder gets a sentence and the sentence's quoted_candidates.
Finder = Callable[[TaggedSentence, Sequence[Candidate]], Iterator[Candidate]]


@lru_cache(maxsize=1)
def _head_verbs() -> dict[str, tuple[str, ...]]:
    """Head word → what makes it a predicate when it follows (计划 + 总投资), from program_head_verbs.tsv."""
    verbs: dict[str, list[str]] = {}
    for word, after in table("program_head_verbs.tsv"):
        verbs.setdefault(word, []).append(after)
    return {word: tuple(afters) for word, afters in verbs.items()}


def collect(document: Document, tagged: Sequence[TaggedSentence], entity_type: EntityType, finder: Finder,
            quoted: Sequence[Sequence[Candidate]]) -> list[Mention]:
    """The finder's candidates of one type as Mentions, one per distinct (span, name). ``quoted``: the
    `quoted_in` of the sentences, found once for both Programs and Projects."""
    seen: set[tuple[int, int, str]] = set()
    found: list[Mention] = []
    for sentence, quoted_here in zip(tagged, quoted):
        for candidate in finder(sentence, quoted_here):
            key = (candidate.start, candidate.end, candidate.name)
            if candidate.type != entity_type or key in seen:
                continue
            seen.add(key)
            found.append(candidate.to_mention(document, sentence))
    found += _quoted_again(document, tagged, entity_type, found)
    return _link_variants(_drop_crossing(found))


def _quoted_again(document: Document, tagged: Sequence[TaggedSentence], entity_type: EntityType,
                  found: list[Mention]) -> list[Mention]:
    """A quoted core met again elsewhere in the document, with no head word or verb around it
    (“双链融合”热潮 after “双链融合”攻坚行动), is the same program: one more mention of it."""
    names = {m.text: m.canonical for m in found if m.rule.endswith(("quoted-core", "quoted+head"))}
    again: list[Mention] = []
    if not names:
        return again  # no quoted core to meet again
    covered = {(m.start, m.end) for m in found}
    for sentence in tagged:
        for quote in quotes(sentence.sentence.text):
            core = _clean(quote.inner)
            if core not in names:
                continue
            candidate = Candidate(quote.start + 1, quote.end - 1, core, entity_type, None,
                                  f"{entity_type.lower()}:quoted-again", canonical=names[core])
            mention = candidate.to_mention(document, sentence)
            if (mention.start, mention.end) not in covered:
                covered.add((mention.start, mention.end))
                again.append(mention)
    return again


def _drop_crossing(mentions: list[Mention]) -> list[Mention]:
    """A head-rule name that cuts through a quoted, titled or lexicon name is a misreading
    (2030年改革 across 改革开放): the other name stands."""
    firm = [m for m in mentions if not m.rule.endswith(":head")]
    return [m for m in mentions if not m.rule.endswith(":head")
            or not any(f.start < m.end and m.start < f.end and not (f.start <= m.start and m.end <= f.end)
                       and not (m.start <= f.start and f.end <= m.end) for f in firm)]


def _link_variants(mentions: list[Mention]) -> list[Mention]:
    """A head-rule name that ends with a name the quotes or the lexicon gave, or is the tail of one
    (高新区双链融合攻坚行动, 链融合攻坚行动 vs 双链融合攻坚行动), is a variant of it, not a new entity."""
    anchors = {m.text for m in mentions if not m.rule.endswith(":head") and m.canonical is None and len(m.text) >= 4}
    linked = []
    for m in mentions:
        if m.rule.endswith(":head") and m.canonical is None and m.text not in anchors:
            anchor = next((a for a in sorted(anchors, key=len, reverse=True)
                           if m.text.endswith(a) or a.endswith(m.text) and len(m.text) >= 4), None)
            if anchor is not None:
                m = replace(m, canonical=anchor)
        linked.append(m)
    return linked
