"""Span tools shared by the Program and Project rules: quotes, name extents, resources, mentions.

Programs and Projects are named by the same devices (a quoted core, a modifier before a head
word, a list ending in 等项目), so the two extractors share how they find and cut spans.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from kg.model import TaggedSentence, Token
from kg.resources import word_set

# A count or an amount: 6个, 10亿元, 3家, 两批, 50%.
_QUANTITY = re.compile(r"\d+(?:\.\d+)?(?:个|家|项|批|亿|万|千|百|元|亩|吨|%|人|名|户|平方米)"
                       r"|[一二三四五六七八九十两几多]+(?:个|家|项|批|亿|万|千|百)")
_CAPACITY = re.compile(r"(?:年|日)(?:产|处理|加工|生产|吞吐)(?:能力)?\d+(?:\.\d+)?[万亿千百]?(?:吨|台|套|件|辆|片|平方米|立方米|千瓦|兆瓦|GWh|MW)")
# Opening and closing quotation marks of Chinese news (full-width and ASCII).
_QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", '"': '"'}
_QUOTES = "".join(_QUOTE_PAIRS) + "".join(_QUOTE_PAIRS.values())
_OPENING = re.compile(f"[{re.escape(''.join(_QUOTE_PAIRS))}]")
# An edition before a recurring event: 第五届四川省创新创业大赛 names 四川省创新创业大赛, and so does
# a year before a fair (2019中国国际智能产业博览会 → 中国国际智能产业博览会).
_ORDINAL = re.compile(r"^(?:第[一二三四五六七八九十百\d]+[届次期]|(?:19|20)\d\d(?:年度?)?(?=[\u4e00-\u9fff]))")
_STRIP_QUOTES = re.compile(f"[{re.escape(_QUOTES)}《》\\s]")

# Tags that never belong inside a name: prepositions, conjunctions, particles, adverbs,
# pronouns, punctuation, measure words, localizers.
_NON_NAME_TAGS = frozenset({"p", "c", "u", "d", "r", "w", "q", "xc", "f", "ad", "xx"})
# Tags that a boundary word must carry to end a name (创建/vn inside 关系创建活动 does not).
_VERB_TAGS = frozenset({"v", "vd", "p", "c", "u", "d", "ad"})
_NAME_TAGS = frozenset({"LOC", "ORG", "PER"})
_NOUN_TAGS = frozenset({"n", "nz", "vn", "an", "LOC", "ORG", "PER", "nw", "j", "s"})
# Endings of bodies (队, 局, 公司 …) that own the facility named after them.
_BODY_SUFFIXES = ("队", "局", "公司", "集团", "委", "办", "厅", "处", "站", "所")


@cache
def _longest(words: frozenset[str], *, rest: bool = False) -> re.Pattern[str]:
    """Matches the longest of ``words`` at a position (with ``rest``: the longest that leaves a
    character after it); one regex instead of a loop over the words."""
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(f"(?:{alternatives})" + ("(?=.)" if rest else ""), re.DOTALL)


def unquote(text: str) -> str:
    """The name without quotation marks, title marks and spaces (GUIDELINES: names carry no quotes)."""
    return _STRIP_QUOTES.sub("", text)


@dataclass(frozen=True)
class Quote:
    """A quoted stretch of a sentence: ``start``/``end`` include the marks, ``inner`` is the text between."""

    start: int
    end: int
    inner: str


def quotes(text: str) -> list[Quote]:
    """Top-level quoted stretches (“…”, ‘…’, "…") of a sentence, left to right."""
    found: list[Quote] = []
    opening = _OPENING.search(text)
    while opening is not None:
        i = opening.start()
        j = text.find(_QUOTE_PAIRS[text[i]], i + 1)
        # A quote longer than a sentence clause is speech, not a name.
        if j == -1 or j - i - 1 > 40:
            opening = _OPENING.search(text, i + 1)
            continue
        found.append(Quote(i, j + 1, text[i + 1:j]))
        opening = _OPENING.search(text, j + 1)
    return found


def token_at(tokens: Sequence[Token], offset: int) -> int:
    """Index of the token covering ``offset`` (or the first after it)."""
    for k, token in enumerate(tokens):
        if token.end > offset:
            return k
    return len(tokens)


# Dashes that join two places or bodies inside one name (中国—东盟博览会, 中国-中亚峰会).
_LINK_DASHES = ("—", "-", "－", "–")


def left_extent(tagged: TaggedSentence, head_start: int, *, max_chars: int = 16, opening_verb: bool = False,
                inner_verbs: bool = False) -> int:
    """Where a name ending in a head word at ``head_start`` begins: left over name-like tokens,
    stopping at punctuation, function words and the verbs that introduce names (开展|X行动).
    ``opening_verb``: a verb right after punctuation may open the name (，恒/v通物流、… in a list).
    ``inner_verbs``: a verb between nouns belongs to the name (柔性|显示|面板项目): project names
    describe products, while in program contexts such a verb is the predicate (能力|制定|脱贫计划)."""
    tokens = tagged.tokens
    boundaries = word_set("name_left_boundaries.tsv")
    k = token_at(tokens, head_start)
    start = tokens[k].start if k < len(tokens) else head_start
    # The head may end a longer token (苏滁工业园/LOC): its own prefix belongs to the name.
    k -= 1
    bracketed = 0  # characters of a bracketed place, which do not count towards max_chars
    while k >= 0:
        token = tokens[k]
        if token.text in (")", "）") and k >= 2 and tokens[k - 1].tag == "LOC" and tokens[k - 2].text in ("(", "（"):
            start = tokens[k - 2].start  # a place in brackets belongs to the name: 华为(广州)人工智能创新中心
            bracketed += token.end - start
            k -= 3
            continue
        if token.text in _LINK_DASHES and 0 < k < len(tokens) - 1 and tokens[k - 1].tag in ("LOC", "ORG") \
                and tokens[k + 1].tag in ("LOC", "ORG") and tokens[k - 1].end == token.start:
            start = token.start  # 中国—东盟|信息港: a dash joining two places or bodies is inside the name
            k -= 1
            continue
        if token.tag in _NON_NAME_TAGS or head_start - token.start - bracketed > max_chars:
            break
        if token.tag == "TIME" and _is_date(token.text):
            break  # 5月23日 is not part of a name; 三年/百日 (in 三年攻坚行动) and mis-tagged 现代 are
        if token.text in boundaries and (token.tag in _VERB_TAGS or k > 0 and tokens[k - 1].tag in _NAME_TAGS):
            break  # 开展/v …; 南京江北新区|建设/vn|… (a verbal noun after its subject is the predicate)
        if token.tag == "ORG" and token.text.endswith(_BODY_SUFFIXES) and start != token.start:
            break  # a body before a facility owns it (志愿服务队|文明实践基地)
        clause_start = k == 0 or tokens[k - 1].tag == "w"
        if token.tag == "v" and not (opening_verb and clause_start) \
                and not _verb_inside_name(tokens, k, boundaries, inner_verbs and token.end < head_start):
            break
        if token.tag == "a" and len(token.text) == 1 and k > 0 and tokens[k - 1].tag in ("v", "p"):
            break  # a complement (用|好, 做|大) ends a name
        start = token.start
        k -= 1
    return start


def _verb_inside_name(tokens: Sequence[Token], k: int, boundaries: frozenset[str], between_nouns: bool) -> bool:
    """A verb belongs to a name when an introducing verb precedes it (搭建|共享用工…平台) or when
    a noun precedes it and a duration follows (能力|提升|三年攻坚行动); elsewhere it ends the name
    (合肥经开区|高扬|改革, 能力|制定|脱贫计划)."""
    left = tokens[k - 1] if k > 0 else None
    right = tokens[k + 1] if k + 1 < len(tokens) else None
    if left is None or right is None:
        return False
    if left.text in boundaries and left.tag == "v" and len(tokens[k].text) > 1:
        return True
    return left.tag in _NOUN_TAGS and (right.tag in ("TIME", "m") or between_nouns and right.tag in _NOUN_TAGS)


def _is_date(text: str) -> bool:
    return re.search(r"\d|[年月日时]|今|去|明|当|期间|以来", text) is not None and not _is_duration(text)


def _is_duration(text: str) -> bool:
    """三年/百日 inside 三年攻坚行动 are part of the name; 5月23日 is not."""
    return re.fullmatch(r"(?:[一二三四五六七八九十百千两]+|\d{1,3})(?:年|日|天|个月)", text) is not None


def strip_determiners(name: str) -> str:
    """Drop leading determiners and quantity words (一批, 各类, 重点…)."""
    determiner = _longest(word_set("name_determiners.tsv"), rest=True)
    unnumbered = _ORDINAL.sub("", name, count=1)
    if len(unnumbered) > 1:
        name = unnumbered
    while (match := determiner.match(name)) is not None:
        name = name[match.end():]
    return name


def is_generic_modifier(modifier: str) -> bool:
    """True when the words before a head are only generic vocabulary (重点项目, 宣传活动)."""
    return made_of(modifier, word_set("name_generic_words.tsv") | word_set("name_determiners.tsv"))


def made_of(text: str, words: frozenset[str]) -> bool:
    """Whether ``text`` is a sequence of ``words`` (longest match first)."""
    word = _longest(words)
    at = 0
    while at < len(text):
        match = word.match(text, at)
        if match is None:
            return False
        at = match.end()
    return True


def has_quantity(text: str) -> bool:
    """Counts and amounts (6个, 10亿元, 3家) mark a phrase as a quantity, not a name (第6代 is not one,
    nor is a capacity, which names a plant: 年产5万吨锂电池负极材料项目)."""
    return _QUANTITY.search(_CAPACITY.sub("", text)) is not None

