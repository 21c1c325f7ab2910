"""Article keywords: what each article is about, for browsing and for SPARQL (kg:keyword).

jieba's TF-IDF statistics rank the words the tagger has already cut and tagged (LAC), so the
article is not segmented a second time: term frequency × jieba.analyse's IDF table, a word
missing from the table getting its median, as jieba.analyse does. Two things keep the words
whole where the tagger cuts finer than a reader reads: a name the extractors found counts as
one word instead of its pieces (济宁|经开区 → 济宁经开区), and two nouns that jieba's table
knows as one word are joined (工程|机械 → 工程机械). So a keyword is a name a reader recognizes
or a domain term (新旧动能转换, 招商引资), never a fragment.
"""

from __future__ import annotations

import bisect
import functools
import importlib.util
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from kg.errors import ResourceError
from kg.model import Document, Mention, TaggedSentence, Token
from kg.resources import word_set

TOP = 10
# Nouns, names and noun-like verbs (LAC's tags for jieba.analyse's n nr ns nt nz vn): what an
# article is about, not what it does.
CONTENT_TAGS = frozenset({"n", "nz", "nw", "vn", "PER", "LOC", "ORG"})
# Two tokens make one word when jieba knows the pair as a word (示范|区, 工程|机械, 重点|项目):
# a noun or adjective before a noun (LAC's tags); a verb before a noun is a phrase (符合|条件).
JOIN_FIRST = frozenset({"n", "vn", "nz", "a", "an"})
JOIN_LAST = frozenset({"n", "vn", "nz"})
_TERM = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff+·]*")  # Chinese words; no numbers, dates or Latin


@functools.lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    """jieba.analyse's IDF table and its median, read once per process straight from jieba's
    data file: importing jieba.analyse would also load jieba's HMM tagger, which costs more
    than the table."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ResourceError("jieba is not installed; keywords are ranked by its IDF table: pip install -e . "
                            "in the kg checkout")
    path = Path(spec.origin).parent / "analyse" / "idf.txt"
    try:
        fields = path.read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError) as error:
        raise ResourceError(f"{path}: cannot read jieba's IDF table ({error}); reinstall jieba "
                            "(pip install -e . in the kg checkout)") from error
    idf = dict(zip(fields[0::2], map(float, fields[1::2])))
    return idf, statistics.median_high(idf.values())  # jieba's median: sorted(values)[len // 2]


def _name_spans(tagged: TaggedSentence, names: dict[str, tuple[str, ...]],
                found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Where names stand in the sentence, without overlaps, the longest of those starting first:
    where the extractors found them, and wherever else a found name covers whole tokens; not
    inside a longer word (大队 in 大队长)."""
    text, tokens = tagged.sentence.text, tagged.tokens
    spans = list(found)
    ends: set[int] | None = None
    for token in tokens:
        for name in names.get(text[token.start], ()):  # longest first
            if text.startswith(name, token.start):
                ends = ends if ends is not None else {t.end for t in tokens}
                if token.start + len(name) in ends:
                    spans.append((token.start, token.start + len(name), name))
                    break
    spans.sort(key=lambda span: (span[0], -span[1]))
    chosen: list[tuple[int, int, str]] = []
    for span in spans:
        if not chosen or span[0] >= chosen[-1][1]:
            chosen.append(span)
    return chosen


def _terms(tagged: TaggedSentence, spans: list[tuple[int, int, str]], terms: list[str], after: int = 0) -> None:
    """Appends the content words from offset ``after`` of the sentence in text order, each name span one word."""
    tokens = tagged.tokens
    i = 0
    while i < len(tokens) and tokens[i].start < after:
        i += 1
    for start, end, name in spans:
        if start < after:
            continue
        j = i
        while j < len(tokens) and tokens[j].end <= start:
            j += 1
        _words(tokens[i:j], terms)
        terms.append(name)
        i = j
        while i < len(tokens) and tokens[i].start < end:  # the tokens the name covers, even in part
            i += 1
    _words(tokens[i:], terms)


def _words(tokens: Sequence[Token], terms: list[str]) -> None:
    """Appends the content words of ``tokens``, a pair jieba knows as one word joined."""
    idf = _idf()[0]
    i, last = 0, len(tokens) - 1
    while i <= last:
        token = tokens[i]
        if i < last and token.tag in JOIN_FIRST and tokens[i + 1].tag in JOIN_LAST:
            pair = token.text + tokens[i + 1].text
            if pair in idf:
                terms.append(pair)
                i += 2
                continue
        if token.tag in CONTENT_TAGS:
            terms.append(token.text)
        i += 1


def _by_first_char(names: set[str]) -> dict[str, tuple[str, ...]]:
    """The names grouped by their first character, longest first."""
    groups: dict[str, list[str]] = {}
    for name in sorted(filter(None, names), key=len, reverse=True):
        groups.setdefault(name[0], []).append(name)
    return {char: tuple(group) for char, group in groups.items()}


def _found_spans(tagged: Sequence[TaggedSentence], mentions: Sequence[Mention]) -> dict[int, list[tuple[int, int, str]]]:
    """Each mention as (start, end, name) in its sentence's text, by sentence index. A fuller name
    with a quoted core (“希望小屋”建设工程) counts as its core, the name the article repeats."""
    sentences = {t.sentence.index: t.sentence for t in tagged}
    cored = {(m.sentence, m.canonical) for m in mentions if m.canonical}
    found: dict[int, list[tuple[int, int, str]]] = {}
    for m in mentions:
        if m.text and m.sentence in sentences and (m.sentence, m.text) not in cored:
            sentence = sentences[m.sentence]
            found.setdefault(m.sentence, []).append((sentence.text_offset(m.start), sentence.text_offset(m.end - 1) + 1, m.text))
    return found


def _credit_ends(document: Document, tagged: Sequence[TaggedSentence]) -> dict[int, int]:
    """Where the credit line ends in the sentences that hold one: up to its last byline
    (本报济宁讯（通讯员 王强）, 苏州日报记者 陆晓东), which says who wrote, not what about."""
    starts = [t.sentence.start for t in tagged]  # in document order
    ends: dict[int, int] = {}
    for _, _, start, end in document.byline_mentions:
        at = bisect.bisect_right(starts, start) - 1
        if at >= 0 and start < tagged[at].sentence.end:
            sentence = tagged[at].sentence
            ends[sentence.index] = max(ends.get(sentence.index, 0), sentence.text_offset(end - 1) + 1)
    return ends


def article_keywords(document: Document, tagged: Sequence[TaggedSentence], mentions: Sequence[Mention],
                     *, top: int = TOP) -> tuple[str, ...]:
    """The ``top`` words of the article by TF-IDF, the found names counted whole; ties keep text order."""
    names = _by_first_char({m.text for m in mentions})
    found = _found_spans(tagged, mentions)
    credits = _credit_ends(document, tagged)
    terms: list[str] = []
    for sentence in tagged:
        index = sentence.sentence.index
        _terms(sentence, _name_spans(sentence, names, found.get(index, [])), terms, credits.get(index, 0))
    idf, median = _idf()
    stop = word_set("keyword_stopwords.txt")
    scores = {term: count * idf.get(term, median) for term, count in Counter(terms).items()
              if len(term) >= 2 and term not in stop and _TERM.fullmatch(term)}
    return tuple(sorted(scores, key=scores.__getitem__, reverse=True)[:top])
