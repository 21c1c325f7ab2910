"""Relations between the mentions of one document, each with its sentence and the rule that found it.

News of this genre states few relations with a full subject-verb-object: names are nested
(常州经开区湟里镇东安村), subjects are left out for whole paragraphs, and lists carry one verb
for many parties. The rules below therefore read three things besides the verb: how names
nest, where a sentence puts its subject, and which body or place an article is about
(its *main actor*: the most named organization or place of the article, titles included).

Mentions that a rule needs but the extractor did not give (the town inside a village's
name, the city in a dateline) are derived from the text with ``rule="nested:…"``; they
appear only as heads or tails of candidates.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from kg import places
from kg.model import (
    Document,
    EntityType,
    Mention,
    Predicate,
    RelationCandidate,
    Sentence,
    TaggedSentence,
)
from kg.resources import read_json, table

# The genre reports what a place (a zone, a town) does through its bodies: a place's name
# counts double when electing the article's main actor.
PLACE_WEIGHT = 2
ACTORS: tuple[EntityType, ...] = ("Organization", "Place")
QUOTES = "“”\"'‘’《》「」『』"
CLAUSE_END = "，,；;：:。！？!?（(）)"
_ZONE_FORMS = (("高新技术产业开发区", "高新区"), ("经济技术开发区", "经开区"), ("经济开发区", "经开区"))


@dataclass(frozen=True)
class Lexicon:
    """The trigger words and patterns of kg/resources/relations.json and relation_titles.tsv."""

    words: dict[str, tuple[str, ...]]
    anaphora: dict[str, tuple[str, ...]]
    titles: dict[str, str]  # title -> unit word it heads ("" for any)
    amount: re.Pattern[str]
    date: re.Pattern[str]
    patterns: dict[str, str]
    title_re: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        units = "|".join(map(re.escape, ("办公室", "党委", "党支部", "党工委", "党组", "支部", "工会")))
        titles = "|".join(map(re.escape, sorted(self.titles, key=len, reverse=True)))
        # optional sub-unit, then the title: 办公室主任, 党工委书记, 常务副局长
        object.__setattr__(self, "title_re", re.compile(f"(?:{units})?(?:常务|执行)?(?:{titles})"))

    def __getitem__(self, key: str) -> tuple[str, ...]:
        return self.words[key]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The relation vocabulary, loaded once."""
    raw = read_json("relations.json")
    titles = {}
    for title, *rest in table("relation_titles.tsv"):
        unit = rest[0] if rest else ""
        titles[title] = "" if unit in ("", "-") else unit
    words = {k: tuple(v) for k, v in raw.items() if isinstance(v, list)}
    # longest first, so that 坐落于 wins over 坐落 and 被评为 over 评为
    words = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in words.items()}
    return Lexicon(words=words, anaphora={k: tuple(v) for k, v in raw["anaphora"].items()},
                   titles=titles, amount=re.compile(raw["amount"]), date=re.compile(raw["date"]),
                   patterns={k: v for k, v in raw.items() if isinstance(v, str) and not k.startswith("_")})


# quotes and whitespace (\s is str.isspace for str patterns): names and gaps are read without them
_SKIPPED = re.compile(f"[\\s{re.escape(QUOTES)}]")


@lru_cache(maxsize=1 << 16)
def _norm(text: str) -> str:
    """The form names are compared in; asked for the same names and prefixes over and over."""
    return _SKIPPED.sub("", unicodedata.normalize("NFKC", text))


def _strip(text: str) -> str:
    return _SKIPPED.sub("", text)


@lru_cache(maxsize=1 << 16)
def _group_key(text: str) -> str:
    """One key for the short and long forms of a zone's name (常州经济技术开发区 = 常州经开区)."""
    key = _norm(text)
    for long, short in _ZONE_FORMS:
        key = key.replace(long, short)
    return key


@dataclass(frozen=True)
class _Span:
    """A mention placed in its sentence (offsets into Sentence.text)."""

    mention: Mention
    sentence: int
    start: int
    end: int

    @property
    def type(self) -> EntityType:
        return self.mention.type

    @property
    def text(self) -> str:
        return self.mention.text


class _Doc:
    """A document's mentions placed in sentences, its articles and their main actors."""

    def __init__(self, document: Document, mentions: Sequence[Mention]) -> None:
        self.document = document
        self.lex = lexicon()
        self.positions: list[RelationCandidate] = []  # holdsPosition, read by the subject finder
        self.partners: list[tuple[int, int, list[Mention]]] = []  # (sentence, end, parties) of 与A共同…
        self.sides: dict[int, list[Mention]] = {}  # sentence -> the parties of its agreement (双方)
        self.same_thing = set(self.lex["same_thing_words"])
        self.lead_re = re.compile(self.lex.patterns["subject_lead"])
        # 某公司牵头建设的…实验室: a body after a verb's relative clause (the triggers are pattern pieces)
        self.relative_clause_re = re.compile(r"\S{0,4}(?:%s)的" % "|".join(self.lex["participates_triggers"]))
        self.bare_zones = set(self.lex["bare_zones"])
        # the bodies whose names end with a word (and are longer), in text order: 联盟 → 暖心服务联盟
        self._orgs_ending: dict[str, list[Mention]] = {}
        for m in mentions:
            if m.type == "Organization":
                for i in range(1, len(m.text)):
                    self._orgs_ending.setdefault(m.text[i:], []).append(m)
        self._levels: dict[str, places.Level | None] = {}
        self.sentences: list[Sentence] = list(document.sentences)
        self.position = {s.index: i for i, s in enumerate(self.sentences)}
        spans: dict[int, list[_Span]] = {s.index: [] for s in self.sentences}
        for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
            if m.sentence in spans and m.start < m.end:
                sentence = self.sentences[self.position[m.sentence]]
                spans[m.sentence].append(_Span(m, m.sentence, sentence.text_offset(m.start),
                                               sentence.text_offset(m.end - 1) + 1))
        # outermost spans drive the sentence patterns; nested ones are found again as containers
        self.spans: dict[int, list[_Span]] = {}
        for index, items in spans.items():
            outer: list[_Span] = []
            for span in items:
                if not outer or span.start >= outer[-1].end:
                    outer.append(span)
            self.spans[index] = outer
        # every span's place in its sentence, by identity: the neighbours are asked for on every rule
        self._rank = {id(span): k for items in self.spans.values() for k, span in enumerate(items)}
        self._leads: dict[tuple[int, int], str] = {}  # (sentence, start) -> clause text before it
        # is_modifier of each listed span, read once: lead() and the subject finder ask it again and again
        self._modifiers = {id(span): self._reads_as_modifier(span) for items in self.spans.values() for span in items}
        self.by_span = {(m.start, m.end): m for m in sorted(mentions, key=lambda m: m.start, reverse=True)}
        self.by_text: dict[str, Mention] = {}
        for m in sorted(mentions, key=lambda m: m.start):
            self.by_text.setdefault(_norm(m.text), m)
        self.segments = self._segments()
        self.segment_of = {s: k for k, seg in enumerate(self.segments) for s in seg}
        self.context = [m.text for m in mentions if m.type == "Place"] + [document.title] + [
            self.sentences[i].text for i in range(min(3, len(self.sentences)))]
        self._actors = [self._main_actor(seg) for seg in self.segments]
        self.doc_actor = self._main_actor([s.index for s in self.sentences])
        self.twin_county = self._twin_county()

    def _twin_county(self) -> Mention | None:
        """黄埔区 广州开发区 / 黄埔区、广州开发区: a district written as one with a zone (one body, two
        names); its 区委, 区政府, 区…局 and its 街道 belong to the district, not to the zone."""
        for spans in self.spans.values():
            for a, b in zip(spans, spans[1:]):
                if self.gap(a, b) in ("", "、") and {self.level(a.text), self.level(b.text)} == {"county", "zone"} \
                        and a.text.endswith("区") and b.text.endswith("区"):
                    return a.mention if self.level(a.text) == "county" else b.mention
        return None

    # -- articles ----------------------------------------------------------------------
    def _is_dateline(self, sentence: Sentence) -> bool:
        text = sentence.text.strip()
        # 本报杭州讯 / 本报9月17日讯 / ■本报通讯员 X / 新华社北京5月12日电（记者 X）/ 江城日报讯(通讯员 X):
        # a new article of the page starts here
        return bool(re.match(self.lex.patterns["dateline"], text)) or (
            bool(re.match(r"^(?:通讯员|记者)\s", text)) and not text.endswith("摄"))

    def _line_alone(self, i: int) -> bool:
        """A short line of its own (a headline or caption): no sentence shares its line."""
        s, text = self.sentences[i], self.document.text
        line_start = text.rfind("\n", 0, s.start) + 1
        line_end = text.find("\n", s.end)
        # a Markdown heading mark or a bullet may open the line
        alone = not text[line_start:s.start].strip(" \t#■●◆>*-") and not text[s.end:line_end if line_end >= 0 else len(text)].strip()
        return len(s.text.strip()) <= 40 and alone

    def _headline(self, i: int) -> bool:
        return self._line_alone(i) and not self.sentences[i].text.rstrip().endswith(("。", "！", "？", "；"))

    def _segments(self) -> list[list[int]]:
        starts = [0]
        for i, s in enumerate(self.sentences):
            if i and self._is_dateline(s):
                j = i
                while j - 1 > starts[-1] and i - (j - 1) <= 3 and self._line_alone(j - 1) and (
                        self._headline(j - 1) or j == i and j - 2 > starts[-1] and self._headline(j - 2)):
                    j -= 1  # the headline (and photo caption) above the dateline belong to the new article
                if all(self._headline(k) for k in range(starts[-1], j)):
                    continue  # only headlines since the last start: the same article's byline
                starts.append(j)
        bounds = starts + [len(self.sentences)]
        return [[self.sentences[k].index for k in range(a, b)] for a, b in zip(bounds, bounds[1:]) if a < b]

    def _main_actor(self, segment: Sequence[int]) -> Mention | None:
        """The organization or place an article is about: the one most named as an actor."""
        counts: Counter[str] = Counter()
        best: dict[str, Mention] = {}
        first: dict[str, int] = {}
        for index in segment:
            for span in self.spans.get(index, []):
                # 本报杭州讯 names the paper's city, not the article's actor
                if not self.can_act(span.mention) or self.is_modifier(span) or self.lead(span).endswith("本报"):
                    continue
                key = _group_key(span.text)
                counts[key] += PLACE_WEIGHT if span.type == "Place" else 1
                first.setdefault(key, len(first))
                if key not in best or len(span.text) > len(best[key].text):
                    best[key] = span.mention
        if not counts:
            return None
        # a short form (经开区) counts for the one longer name that ends with it (常州经开区)
        for key in sorted(counts, key=len):
            longer = [k for k in counts if k != key and k.endswith(key)]
            if len(longer) == 1:  # the longer key keeps its own name: 常州经开区, not 经济技术开发区
                counts[longer[0]] += counts.pop(key)
        key = max(counts, key=lambda k: (counts[k], -first[k]))
        if best[key].type == "Place" and self.level(best[key].text) in ("city", "province"):
            # a page on a zone whose name shows no zone word (某某航空港区): the place its headline names
            named = [s.mention for i in segment[:3] if self._headline(self.position[i]) for s in self.spans.get(i, [])
                     if s.type == "Place" and self.level(s.text) in (None, "area", "zone") and not places.is_road(s.text)]
            return named[0] if named else best[key]
        return best[key]

    def actor(self, sentence: int) -> Mention | None:
        segment = self.segment_of.get(sentence)
        found = self._actors[segment] if segment is not None else None
        return found or self.doc_actor

    # -- sentence positions ------------------------------------------------------------
    def text(self, index: int) -> str:
        return self.sentences[self.position[index]].text

    def sentence(self, index: int) -> Sentence:
        return self.sentences[self.position[index]]

    def after(self, span: _Span, n: int = 4) -> str:
        """The next ``n`` characters after a span, quotes and spaces skipped."""
        return _strip(self.text(span.sentence)[span.end:span.end + n + 4])[:n]

    def lead(self, span: _Span) -> str:
        """The clause text before a span (back to the last comma or clause mark).

        For a person with posts (市委常委、合肥高新区党工委书记李强) the clause text before the
        posts; for a name after its modifiers (第三地质大队投资建设的…项目) the text before them.
        """
        start = span.start
        prev = self.prev_span(span)
        # 该区下沙街道七格社区党委: adjacent names modify the last; 第三地质大队投资建设的…项目 (a project,
        # or a body after a verb's relative clause: 某公司牵头建设的…实验室)
        while prev is not None and self.next_span(prev) is span and self.is_modifier(prev) and (
                self.gap(prev, span) == "" or span.type == "Project" or
                span.type == "Organization" and self.relative_clause_re.fullmatch(self.gap(prev, span))) and \
                not re.search(f"[{CLAUSE_END}]", self.text(span.sentence)[prev.end:span.start]):
            start, span = prev.start, prev
            prev = self.prev_span(prev)
        if span.type == "Person":
            posts = [p.tail for p in self.positions if p.head is span.mention and p.tail is not None]
            starts = [s.start for s in self.spans[span.sentence] if any(s.mention is t for t in posts)]
            start = min(starts, default=start)
        key = (span.sentence, start)
        if key not in self._leads:
            text = self.text(span.sentence)[:start]
            cut = max(text.rfind(c) for c in CLAUSE_END)
            self._leads[key] = _strip(text[cut + 1:])
        return self._leads[key]

    def _rank_of(self, span: _Span) -> int | None:
        """The span's place in its sentence's list; None for a derived container."""
        k = self._rank.get(id(span))
        if k is None:  # a span built elsewhere (a derived container) is looked up by value
            items = self.spans[span.sentence]
            k = items.index(span) if span in items else None
        return k

    def next_span(self, span: _Span) -> _Span | None:
        k = self._rank_of(span)
        items = self.spans[span.sentence]
        return items[k + 1] if k is not None and k + 1 < len(items) else None

    def prev_span(self, span: _Span) -> _Span | None:
        k = self._rank_of(span)
        return self.spans[span.sentence][k - 1] if k is not None and k > 0 else None

    def gap(self, a: _Span, b: _Span) -> str:
        return _strip(self.text(a.sentence)[a.end:b.start])

    def is_modifier(self, span: _Span) -> bool:
        """常州经开区 in 常州经开区湟里镇 or 常州经开区的“暖心”服务联盟 names no actor of its own."""
        known = self._modifiers.get(id(span))
        return known if known is not None else self._reads_as_modifier(span)

    def _reads_as_modifier(self, span: _Span) -> bool:
        nxt = self.next_span(span)
        if nxt is not None and self.gap(span, nxt) == "":
            return True
        if nxt is not None and nxt.type == "Person" and self.lex.title_re.fullmatch(self.gap(span, nxt)):
            return True  # 合肥高新区党工委书记李强: the body names the person's post
        if nxt is not None and re.fullmatch(r"[^，,。；;：:、“”]{1,6}的", self.gap(span, nxt)):
            return True  # 第三地质大队投资建设的…项目: a relative clause before the head noun
        return self.after(span).startswith(self.lex["modifier_followers"])

    def level(self, name: str) -> places.Level | None:
        """places.place_level in the article's context, remembered per name."""
        if name not in self._levels:
            self._levels[name] = places.place_level(name, context=self.context)
        return self._levels[name]

    def names_place(self, short: str) -> bool:
        """A division (嘉祥) or the short form of a place the document names (大良 of 大良街道)."""
        return places.division_of(short, context=self.context) is not None or any(
            m.type == "Place" and m.text.startswith(short) and self.level(m.text) in ("town", "county")
            for m in self.by_text.values())

    def adjacent_place(self, span: _Span) -> _Span | None:
        """The place name written right before a name (下沙街道 of 下沙街道七格社区), if any."""
        prev = self.prev_span(span)
        return prev if prev is not None and prev.type == "Place" and self.gap(prev, span) == "" else None

    def coordination(self, span: _Span, joiners: Sequence[str] = ("、", "和", "及", "以及", ",", "，"),
                     joint: bool = False, types: Sequence[EntityType] = ACTORS) -> list[_Span]:
        """The span and the spans listed after it with 、/和/及 (A、B和C等)."""
        group = [span]
        while True:
            nxt = self.next_span(group[-1])
            if nxt is None or nxt.type != span.type and not {nxt.type, span.type} <= set(types):
                return group
            gap = self.gap(group[-1], nxt)
            # 团县委联合青禾协会开展…: the partner a body acts with shares the action
            if gap not in joiners and not (joint and gap in self.lex["joint_verbs"] and self.is_subject(span)):
                return group
            group.append(nxt)

    def list_head(self, span: _Span) -> _Span:
        """The first member of the 、/和/及 list a span ends (甲、乙和丙 → 甲)."""
        prev = self.prev_span(span)
        while prev is not None and prev.type == span.type and self.gap(prev, span) in ("、", "和", "及"):
            span, prev = prev, self.prev_span(prev)
        return span

    def is_subject(self, span: _Span) -> bool:
        """A span in subject position: clause-initial, not after a preposition, not a modifier."""
        if span.type not in (*ACTORS, "Person") or self.is_modifier(span):
            return False
        if span.type == "Place" and (not self.can_act(span.mention) or self.level(span.text) == "village"):
            return False  # a village or 社区 in a list of works is a site, not the doer
        lead = self.lead(span)
        if lead.endswith(self.lex["subject_blockers"]):
            return False
        # only time words and discourse markers (今年以来, 4月19日, 此外, 一是) may precede a subject
        return bool(self.lead_re.fullmatch(lead))

    def can_act(self, mention: Mention) -> bool:
        """Bodies and administrative places act; roads, rivers and 片区 do not."""
        if mention.type != "Place":
            return mention.type == "Organization"
        level = self.level(mention.text)
        return level not in (None, "area") or self.is_zone_alias(mention.text)

    def is_zone_alias(self, text: str) -> bool:
        return _group_key(text) in self.bare_zones

    def subject_before(self, index: int, position: int) -> list[_Span]:
        """The nearest subject (with its coordinated partners) before ``position`` in a sentence."""
        before = [s for s in self.spans[index] if s.end <= position]
        for span in reversed(before):
            prev = self.prev_span(span)
            if prev is not None and self.gap(prev, span) in ("、", "和", "及") and prev.type == span.type:
                continue  # a later member of a list: its first member decides
            if self.is_subject(span):
                return self.coordination(span, joint=True)
        return []

    def org_ending_with(self, word: str, exclude: Mention) -> Mention | None:
        """The one body of the document whose name ends with ``word`` (联盟 → 暖心服务联盟)."""
        bodies = {_norm(m.text): m for m in self._orgs_ending.get(word, ()) if m is not exclude}
        fullest = [k for k in bodies if not any(o != k and o.endswith(k) for o in bodies)]  # 心服务联盟 ⊂ 暖心服务联盟
        return bodies[fullest[0]] if len(fullest) == 1 else None

    # -- derived mentions --------------------------------------------------------------
    def sub_mention(self, mention: Mention, begin: int, end: int, type_: EntityType, rule: str) -> Mention | None:
        """The mention of ``mention.text[begin:end]`` at its place in the original text."""
        surface = self.document.text[mention.start:mention.end]
        positions = [i for i, c in enumerate(surface) if c not in QUOTES and not c.isspace()]
        if end > len(positions) or _strip(mention.text) != "".join(surface[i] for i in positions):
            return None
        text = mention.text[begin:end]
        start, stop = mention.start + positions[begin], mention.start + positions[end - 1] + 1
        same_span = self.by_span.get((start, stop))
        if same_span is not None and same_span.type == type_:
            return same_span  # the extractor gave the inner name too
        known = self.by_text.get(_norm(text))
        if known is not None and known.type == type_:
            return known  # the text names it elsewhere: use that mention, same entity
        return Mention(text=text, start=start, end=stop, type=type_, rule=f"nested:{rule}", doc_id=mention.doc_id, sentence=mention.sentence)

    def place_of_level(self, level: str, before: int, *, document_wide: bool = True) -> Mention | None:
        """The place of one level the article speaks of: most recent one in the article, else in the document."""
        segment = self.segments[self.segment_of[before]] if before in self.segment_of else []
        order = [s.index for s in self.sentences]
        upto = order[: self.position[before] + 1]
        pools = [list(reversed([i for i in upto if i in segment]))]
        if document_wide:
            pools += [list(reversed(upto)), order]
        for pool in pools:
            for index in pool:
                for span in reversed(self.spans[index]):
                    if span.type == "Place" and self.level(span.text) == level:
                        return span.mention
        if level == "city" and document_wide:  # 本报杭州讯: the dateline names the paper's city
            return self.dateline_city() or self.named_within(level)
        return None

    def named_within(self, level: str) -> Mention | None:
        """The first place of ``level`` named only inside longer names (成都 of 成都高新区), if one."""
        found = {_norm(m.text): m for m in sorted(self.by_text.values(), key=lambda m: -m.start)
                 if m.type == "Place" and self.level(m.text) == level}
        return next(iter(found.values())) if len(found) == 1 else None

    def home(self, before: int, levels: Sequence[str]) -> Mention | None:
        """The place of the article at the first of ``levels`` it names (main actor first)."""
        actor = self.actor(before)
        if actor is not None and actor.type == "Place" and self.level(actor.text) in levels:
            return actor
        for level in levels:  # the article's own place first
            if level != "city":
                place = self.place_of_level(level, before, document_wide=False)
                if place is not None:
                    return place
        doc_actor = self.doc_actor  # then the page's main place, then the city
        if doc_actor is not None and doc_actor.type == "Place" and self.level(doc_actor.text) in levels:
            return doc_actor
        return self.place_of_level("city", before) if "city" in levels else None

    def new_paragraph(self, number: int) -> bool:
        """True when a line break separates sentence ``number`` from the one before it."""
        previous, current = self.sentences[number - 1], self.sentences[number]
        return "\n" in self.document.text[previous.end:current.start]

    def dateline_city(self) -> Mention | None:
        for sentence in self.sentences:
            match = re.match(self.lex.patterns["dateline_city"], sentence.text.strip())  # 本报济宁5月12日讯
            if match and places.division_of(match.group(1), context=self.context):
                offset = sentence.text.index(match.group(1))
                start = sentence.doc_offset(offset)
                return self.by_text.get(_norm(match.group(1))) or Mention(
                    text=match.group(1), start=start, end=sentence.doc_offset(offset + len(match.group(1)) - 1) + 1,
                    type="Place", rule="nested:dateline", doc_id=self.document.id, sentence=sentence.index)
        return None


def _candidate(doc: _Doc, head: Mention, predicate: Predicate, tail: Mention | None, index: int, rule: str,
               **attrs: str) -> RelationCandidate:
    return RelationCandidate(head=head, predicate=predicate, tail=tail, sentence=doc.sentence(index),
                             doc_id=doc.document.id, rule=rule,
                             attrs=tuple(sorted((k, v) for k, v in attrs.items() if v)))


# -- holdsPosition ----------------------------------------------------------------------------
def _positions(doc: _Doc) -> Iterator[RelationCandidate]:
    """合肥高新区党工委书记李强; 县委常委、宣传部部长赵刚 → one position per (org, title)."""
    lex = doc.lex
    for index, spans in doc.spans.items():
        text = doc.text(index)
        for k, person in enumerate(spans):
            if person.type != "Person":
                continue
            right, j, held = person.start, k - 1, 0
            while j >= 0 and spans[j].type == "Organization":
                org = spans[j]
                between = _strip(text[org.end:right])
                if not lex.title_re.fullmatch(between):
                    break
                # the title, with the sub-unit it names (办公室主任) or the committee it heads (党工委书记, 市委副书记)
                committee = next((w for w in doc.lex["committees"] if org.text.endswith(w)), "")
                role = committee + between if committee and between.endswith("书记") else between
                yield _candidate(doc, person.mention, "holdsPosition", org.mention, index, "position:org+title+name",
                                 role=role)
                held += 1
                # a list of posts: 市委常委、合肥高新区党工委书记李强
                if org.start == 0 or text[org.start - 1] not in "、,，":
                    break
                if j > 0 and _is_department(doc, org.mention) and spans[j - 1].type == "Organization" and \
                        _is_committee(doc, spans[j - 1].mention):
                    # 县委常委、宣传部部长: the bare department is the committee's
                    yield _candidate(doc, org.mention, "partOf", spans[j - 1].mention, index, "position:list")
                right, j = org.start - 1, j - 1
            if held:
                continue
            # 大队长王强: a bare title heads the article's body whose name ends with its unit
            lead = _strip(text[:person.start])
            title = next((t for t in sorted(lex.titles, key=len, reverse=True) if lead.endswith(t)), None)
            unit = lex.titles.get(title or "", "")
            if title and unit:
                body = _referent(doc, index, (unit,))
                if body is not None and body.type == "Organization":
                    yield _candidate(doc, person.mention, "holdsPosition", body, index, "position:title+name", role=title)
            elif title in lex["byline_titles"]:
                # 湖湘晚报·湘江新闻 / 通讯员 周敏: a byline under the paper's name works for the paper
                paper = _paper_above(doc, index, person.start)
                if paper is not None:
                    yield _candidate(doc, person.mention, "holdsPosition", paper, index, "position:byline", role=title)


def _paper_above(doc: _Doc, index: int, position: int) -> Mention | None:
    """The media outlet named on the byline's line or on the line just above it."""
    number = doc.position[index]
    candidates = [s for s in doc.spans[index] if s.end <= position]
    if number > 0 and doc.new_paragraph(number):
        candidates = doc.spans[doc.sentences[number - 1].index] + candidates
    papers = [s.mention for s in candidates if s.type == "Organization"
              and s.text.endswith(doc.lex["media_heads"])]
    return papers[0] if papers else None


def _is_department(doc: _Doc, mention: Mention) -> bool:
    """组织部, 宣传部: a department named without any place or body before it."""
    name = mention.text
    return len(name) <= 5 and name.endswith(doc.lex["departments"]) and \
        places.bare_level_prefix(name) is None and places.division_prefix(name) is None


def _is_committee(doc: _Doc, mention: Mention) -> bool:
    return mention.text.endswith(doc.lex["committees"])


# -- nesting: containers named inside names ---------------------------------------------------
def _container(doc: _Doc, span: _Span) -> tuple[Mention, str, tuple[int, int] | None] | None:
    """The place or body that a name starts with, longest first, with how it was found and
    where a place qualifier sits in the name (X学院|嘉祥|分院 → the span of 嘉祥), if any.

    常州经开区|湟里镇, 东安村|党支部, 浙江省地质勘查局|第三地质大队, 绿源科技|研发中心, 联盟|办公室.
    """
    m = span.mention
    name, lex = m.text, doc.lex
    if m.type not in ("Organization", "Place", "Project") or len(name) < 3:
        return None
    company = m.type == "Organization" and name.endswith(lex["not_located_heads"])
    # (prefix length, preference, container, how, qualifier span)
    found: list[tuple[int, int, Mention, str, tuple[int, int] | None]] = []

    def add(length: int, rank: int, type_: EntityType, how: str, known: Mention | None = None,
            qualifier: tuple[int, int] | None = None) -> None:
        rest = name[length:]
        if rest in doc.same_thing or (type_ == "Place" and company):
            return  # 华通重工|有限公司 and 湖塘|街道 name the thing itself; companies are not sited by name
        sub = known if known is not None and known.type != "Program" else doc.sub_mention(m, 0, length, type_, how)
        if sub is not None:
            found.append((length, rank, sub, how, qualifier))

    for length in range(len(name) - 1, 1, -1):
        prefix, rest = name[:length], name[length:]
        known = doc.by_text.get(_norm(prefix))
        # a known body, or a known place that contains things (not 望江路|科技走廊, a road naming a corridor)
        sited = known is not None and (known.type == "Organization" or doc.level(prefix) is not None or doc.is_zone_alias(prefix))
        if known is not None and sited and known is not m and (
                m.type != "Project" or places.division_of(prefix, context=doc.context) is None):
            add(length, 3, known.type, "known", doc.sub_mention(m, 0, length, known.type, "prefix"))
        level = doc.level(prefix)
        if prefix in doc.bare_zones and len(rest) >= 2:  # 经开区|党工委, 新区|党工委: the article's zone
            zone = doc.place_of_level("zone", span.sentence)
            if zone is not None:
                found.append((length, 2, zone, "bare-zone", None))
            continue
        stem_ok = 2 <= len(prefix) - 1 <= 4 and prefix[0] not in "区市县镇乡村"
        if level in ("town", "village") and stem_ok and len(rest) >= 2:
            add(length, 2, "Place", "suffix")  # 东安村|党支部
        elif level == "area" and len(prefix) >= 4 and len(rest) >= 2 and _proper_area(doc, prefix):
            add(length, 2, "Place", "suffix")  # 滨江新城|核心区
        elif level == "zone" and len(rest) >= 2 and len(prefix) >= 4 and not any(
                prefix[: -len(w)].endswith(u) for w in lex["bare_zones"] if prefix.endswith(w)
                for u in (*lex["org_container_suffixes"], *lex["sub_unit_suffixes"])):
            add(length, 2, "Place", "suffix")
        if m.type == "Organization" and len(prefix) >= 2:
            unit = rest in lex["sub_unit_suffixes"] or len(rest) >= 3 and rest.endswith(lex["sub_unit_suffixes"])
            continues = (prefix + rest[:1]).endswith(lex["suffix_continuations"])  # 大学|生
            if unit and len(prefix) >= 3 and not continues and prefix.endswith(lex["org_container_suffixes"]):
                add(length, 1, "Organization", "org-suffix")  # 浙江省地质勘查局|第三地质大队
            elif rest in lex["strong_sub_units"] and len(prefix) >= 3 and prefix[0] not in "区市县镇乡村":
                # 绿源科技|研发中心; X学院嘉祥|分院 is X学院's branch in 嘉祥
                cut = next((k for k in (3, 2) if len(prefix) - k >= 3 and doc.names_place(prefix[-k:])), 0)
                add(length - cut, 1, "Organization", "sub-unit", qualifier=(length - cut, length) if cut else None)
            elif unit:
                body = doc.org_ending_with(prefix, m)
                if body is not None:
                    found.append((length, 1, body, "head-word", None))  # 联盟|办公室 of the article's 联盟
    if m.type != "Project":
        division = places.division_prefix(name, context=doc.context)
        if division is not None:
            add(division[1], 0, "Place", "division")  # 常州|经开区, 浙江省|地质勘查局
    elif not found:
        owner = _owner_length(doc, name)
        if owner:
            add(owner, 0, "Organization", "owner")  # 某某有限公司|研发总部项目, 华星|新能源电池项目
    if not found:
        return None
    best = max(found, key=lambda f: (f[0], f[1]))
    # a qualifier found for the same prefix holds whichever rule named the container
    return best[2], best[3], next((f[4] for f in found if f[4] is not None and f[0] == best[0]), None)


def _owner_length(doc: _Doc, name: str) -> int:
    """The length of the company a project is named after (0 if none): a full company name
    (某某科技有限公司|研发总部项目) or a short one before an industry word (华星|新能源电池项目)."""
    lex = doc.lex
    for suffix in lex["company_suffixes"]:
        end = name.find(suffix) + len(suffix)
        if end >= len(suffix) + 2 and len(name) - end >= 2:
            return end  # 某某有限公司|三期项目
    cut = next((k for k in range(2, min(7, len(name) - 2)) if name.startswith(tuple(lex["project_descriptors"]), k)), 0)
    owner = name[:cut]
    if not cut or owner.startswith(tuple(lex["owner_not_starts"])) or owner.endswith(tuple(lex["owner_not_ends"])) or \
            owner.startswith(tuple(lex["project_descriptors"])):
        return 0  # 国际|人工智能创新港, 柏堰科技园|智能制造产业园: no company
    known = doc.by_text.get(_norm(owner))
    if known is not None and known.type != "Organization" or doc.level(owner) is not None or \
            places.division_prefix(owner, context=doc.context) is not None:
        return 0  # 苏州纳米城|二期: a place, not an owner
    return cut


def _owner_of(doc: _Doc, span: _Span) -> Mention | None:
    """The body a project is named after (华星|新能源电池项目, 某部|…产业园), if any."""
    found = _container(doc, span)
    return found[0] if found is not None and found[0].type == "Organization" else None


def _proper_area(doc: _Doc, name: str) -> bool:
    """滨江新城 names an area; 经开区城(管局) and 开发区园区 do not: a one-character suffix or
    a stem that is itself a zone makes no area name."""
    suffix = places.suffix_of(name, "area") or ""
    stem = name[: -len(suffix)] if suffix else name
    return len(suffix) >= 2 and doc.level(stem) is None


def _nesting(doc: _Doc) -> Iterator[RelationCandidate]:
    """locatedIn/partOf read from how names nest, from bare level words and from the division list."""
    seen: set[tuple[int, int]] = set()
    # names that the text sites somewhere by writing a place right before them (南海区狮山镇)
    # (span, the place written right before the name it came from: 下沙街道|七格社区党委)
    work = [(span, doc.adjacent_place(span)) for index in doc.spans for span in doc.spans[index]]
    sited = {_norm(span.text) for span, neighbour in work if neighbour is not None}
    while work:
        span, neighbour = work.pop(0)
        m = span.mention
        if (m.start, m.end) in seen or m.type not in ("Organization", "Place", "Project"):
            continue
        seen.add((m.start, m.end))
        found = _container(doc, span)
        if found is not None and found[2] is not None:  # X学院嘉祥分院 → 嘉祥
            begin, end = found[2]
            short = m.text[begin:end]
            fuller = [p for p in doc.by_text.values() if p.type == "Place" and p.text.startswith(short)
                      and p.text != short and doc.level(p.text) in ("town", "county")]
            # 大良分院 of the document's 大良街道; else the qualifier itself (嘉祥 → 嘉祥县 by the resolver)
            place = fuller[0] if len(fuller) == 1 else doc.sub_mention(m, begin, end, "Place", "qualifier")
            if place is not None:
                yield _candidate(doc, m, "locatedIn", place, span.sentence, "nested:qualifier")
        if found is None:
            if neighbour is None and _norm(m.text) not in sited:  # else _adjacent sites it
                yield from _unsited(doc, span)
            continue
        container, how, _ = found
        predicate: Predicate = "partOf" if container.type == "Organization" and m.type == "Organization" else "locatedIn"
        # 成都天府国际生物城, 郑州新郑国际机场: a city's name brands an area or facility, it does not site it
        branded = m.type == "Place" and doc.level(m.text) in (None, "area") and doc.level(container.text) in ("city", "province", "county")
        if (container.type == "Place" or predicate == "partOf") and not branded:
            yield _candidate(doc, m, predicate, container, span.sentence, f"nested:{how}")
        elif m.type == "Project":  # 腾讯云计算中心, 商务部…产业园: the body the project is named after
            yield _candidate(doc, container, "participatesIn", m, span.sentence, f"nested:{how}")
        if m.start <= container.start and container.end <= m.end:
            # the container's own container: 常州经开区湟里镇 → 常州
            work.append((_Span(container, span.sentence, span.start, span.start + len(container.text)), neighbour))
    # the division list: a city's province, a county's city, when the document names both
    divisions: dict[str, Mention] = {}
    for mention in [span.mention for index in doc.spans for span in doc.spans[index]]:
        if mention.type == "Place":
            division = places.division_of(mention.text, context=doc.context)
            if division is not None:
                divisions.setdefault(division.code, mention)
    for mention in divisions.values():
        division = places.division_of(mention.text, context=doc.context)
        for parent in places.ancestors(division) if division else []:
            if parent.code in divisions:
                yield _candidate(doc, mention, "locatedIn", divisions[parent.code], mention.sentence, "division:parent")
                break


def _unsited(doc: _Doc, span: _Span) -> Iterator[RelationCandidate]:
    """Names that carry no place of their own are in the place the article is about.

    镇综治办, 区城管局, 市委 (a bare level word) → that town, zone or city; a town → the zone
    or county of the article; a village → its town; a 片区/走廊/产业园 → the zone; an
    unprefixed government unit (党工委, 管委会, “湖长制”办公室) → the article's place.
    """
    m, lex = span.mention, doc.lex
    place: Mention | None = None
    rule = ""
    if m.type == "Organization":
        if m.text.endswith(lex["not_located_heads"]):
            return
        bare = places.bare_level_prefix(m.text)
        if bare is not None:
            place = doc.place_of_level(bare[1], span.sentence)
            if bare[0] == "区" and doc.twin_county is not None:
                place = doc.twin_county  # 区委, 区投资促进局 of a district that is also a zone
            rule = f"bare-level:{bare[0]}"
        elif m.text.endswith(lex["unsited_units"]):
            place = doc.home(span.sentence, ("town", "zone", "county", "city"))
            rule = "unsited:unit"
    elif m.type == "Place":
        level: str | None = doc.level(m.text)
        wanted = {"village": ("town", "zone", "county"), "town": ("zone", "county"),
                  "area": ("zone", "county", "town"), "zone": ("zone", "county")}.get(level or "")
        if level is None and places.is_road(m.text) and doc.lead_re.fullmatch(doc.lead(doc.list_head(span))):
            level, wanted = "road", ("zone", "county")  # 新港大道、迎宾大道实现贯通: roads reported as the zone's works
        elif level is None and span in doc.spans.get(span.sentence, []):
            group = doc.coordination(doc.list_head(span), types=("Place",))
            if re.match(lex.patterns["town_list"], _strip(doc.text(span.sentence)[group[-1].end:])):
                level, wanted = "town", ("zone", "county")  # 甲、乙、丙等办事处: sub-districts named bare
        if wanted:
            place = doc.home(span.sentence, wanted)
            if level == "town" and doc.twin_county is not None:
                place = doc.twin_county  # a 街道 is the district's, where the district is also a zone
            rule = f"unsited:{level}"
    if place is not None and not _group_key(place.text).endswith(_group_key(m.text)):
        yield _candidate(doc, m, "locatedIn", place, span.sentence, rule)


def _adjacent(doc: _Doc) -> Iterator[RelationCandidate]:
    """常州经开区湟里镇; 常州经开区的“暖心”服务联盟; 常州经开区氢能产业园、智能网联汽车产业园等项目:
    a place name right before others (or before 的 and another name) contains them."""
    for index, spans in doc.spans.items():
        for k, place in enumerate(spans[:-1]):
            nxt = spans[k + 1]
            gap = doc.gap(place, nxt)
            within = gap in doc.lex["within_words"]  # 萝岗区域的X、Y: the words say the place holds them
            if place.type != "Place" or gap not in ("", "的") and not within or nxt.type in ("Person", "Program"):
                continue
            if doc.level(place.text) in ("area", None) and gap == "的":
                continue  # 东湖科技园的X: a park's own things are not sited by it
            small = doc.level(place.text) in ("area", None)
            for item in doc.coordination(nxt, joiners=("、", "和", "及", "与")):
                if item.type not in ("Place", "Organization", "Project"):
                    break
                if small and item is not nxt and doc.level(item.text) in ("town", "county", "zone", "city", "province"):
                    break  # 阳澄湖|半岛度假区、唯亭街道: a lake or a park holds no 街道 of the list
                head = item.mention
                found = _container(doc, item)
                if found is not None and found[0].type == "Place" and head.text.startswith(found[0].text):
                    head = found[0]  # 湟里镇东安村党支部: the village is in the town, the branch in the village
                yield _candidate(doc, head, "locatedIn", place.mention, index, f"adjacent:place{gap}+name")


def _park_lists(doc: _Doc) -> Iterator[RelationCandidate]:
    """星沙智造城、黄花临空产业园等园区; 云谷产业园、数创小镇等区中园: the parks listed are the zone's."""
    closers = "|".join(map(re.escape, doc.lex["park_list_closers"]))
    for index, spans in doc.spans.items():
        text = doc.text(index)
        for k, span in enumerate(spans):
            if span.type not in ("Place", "Project") or k and doc.gap(spans[k - 1], span) in ("、", "和", "及"):
                continue
            group = doc.coordination(span, types=("Place", "Project"))
            if not re.match(f"等\\S{{0,4}}(?:{closers})", _strip(text[group[-1].end:group[-1].end + 12])):
                continue
            zone = doc.home(index, ("zone",))
            for item in group:
                if zone is not None and item.type in ("Place", "Project") and doc.adjacent_place(item) is None:
                    yield _candidate(doc, item.mention, "locatedIn", zone, index, "list:等园区")


# -- locatedIn from verbs -------------------------------------------------------------------
def _sited(doc: _Doc) -> Iterator[RelationCandidate]:
    """位于/落户/坐落于 X; 办公室设在X局; 在 X … 建设: the clause's subject is in (or part of) X."""
    lex = doc.lex
    for index, spans in doc.spans.items():
        text = doc.text(index)
        for span in spans:
            # a park being built is a Project, but also a site: 落户某产业园, 在某产业园共建…
            site = span.type == "Place" or span.type == "Project" and span.text.endswith(tuple(lex["park_words"]))
            lead = doc.lead(span)
            founding = next((w for w in lex["founding_verbs"] if lead.endswith((w, w + "了"))), None)
            if span.type == "Project" and founding is not None:
                # 甲社区、乙社区还设立了“人才驿站”: the communities that open the clause host it
                first = [s for s in spans if s.end <= span.start and s.type == "Place" and
                         doc.level(s.text) in ("village", "town") and doc.lead_re.fullmatch(doc.lead(s))][:1]
                for host in doc.coordination(first[0], types=("Place",)) if first else []:
                    yield _candidate(doc, span.mention, "locatedIn", host.mention, index, f"verb:{founding}/host")
            if span.type not in ("Place", "Organization") and not site:
                continue
            if span.type == "Organization" and founding is not None:
                # 嘉兴经开区…在全省率先成立X联盟: a body a place founds is in that place
                founders, how = _who(doc, index, span.start)
                for founder in founders:
                    if founder.type == "Place":
                        yield _candidate(doc, span.mention, "locatedIn", founder, index, f"verb:{founding}/{how}")
                continue
            triggers = lex["locate_triggers"] if site else lex["part_of_triggers"]
            trigger = next((w for w in triggers if lead.endswith(w)), None)
            if trigger is None and span.type == "Place":
                outer = doc.adjacent_place(span)  # 坐落于顺德区大良街道: the innermost place is the site
                outer_lead = doc.lead(outer) if outer is not None else ""
                trigger = next((w for w in triggers if outer_lead.endswith(w)), None)
            sited_at = trigger is not None or lead.endswith(tuple(lex["site_prepositions"]))
            if span.type == "Project" and site and sited_at and doc.adjacent_place(span) is None and \
                    places.division_prefix(span.text, context=doc.context) is None:
                zone = doc.home(index, ("zone",))  # 双方将在某生态产业园共建…: a park named as a site is the zone's
                if zone is not None:
                    yield _candidate(doc, span.mention, "locatedIn", zone, index, "site:park")
            nxt = doc.next_span(span)
            if trigger is not None and span.type == "Place" and nxt is not None and nxt.type == "Place" and \
                    doc.gap(span, nxt) == "":
                continue  # the place after it is the site
            if trigger is not None:
                clause = [s for s in spans if s.end <= span.start and
                          text.count("，", s.end, span.start) + text.count(",", s.end, span.start) == 0]
                heads = doc.coordination(clause[0]) if clause else doc.subject_before(index, span.start) or [
                    s for s in spans if s.type == "Project" and s.end <= span.start and doc.lead_re.fullmatch(doc.lead(s))][:1]
                if nxt is not None and nxt.type == "Project" and doc.gap(span, nxt) == "的":
                    heads = [nxt]  # 落户某生物城的疫苗产业化项目
                before = _strip(text[heads[-1].end:span.start]) if heads and heads[-1].end <= span.start else ""
                if before[: -len(trigger)].endswith(lex["unnamed_heads"]):
                    continue  # 唐昌街道综合文化站位于…: an unnamed unit is sited, not the place before it
                for head in heads:
                    if head.type not in ("Place", "Organization", "Project") or head is span:
                        continue
                    # 联席会议办公室设在区发展改革局: an office inside a body is part of it
                    predicate: Predicate = "partOf" if span.type == "Organization" and head.type == "Organization" else "locatedIn"
                    if site or predicate == "partOf":
                        yield _candidate(doc, head.mention, predicate, span.mention, index, f"verb:{trigger}")
                continue
            if site and lead.endswith(lex["place_prepositions"]) and \
                    text[max(0, span.start - 1):span.start] in lex["place_prepositions"]:
                # 在西安高新区…有一处百亩花海 / 在X建设Y: projects named after the place in the clause
                clause_end = min([i for i in (text.find(c, span.end) for c in "。；;") if i >= 0] or [len(text)])
                projects = [s for s in spans if span.end < s.start < clause_end and s.type == "Project"][:3]
                clause_start = max(text.rfind(c, 0, span.start) for c in "，,；;。")
                # X项目在某知识城正式投产: the project that opens the clause is the one sited
                projects = projects or [s for s in spans if clause_start < s.start and s.end <= span.start and
                                        s.type == "Project" and doc.lead_re.fullmatch(doc.lead(s))][:1]
                for project in projects:
                    yield _candidate(doc, project.mention, "locatedIn", span.mention, index, "verb:在…")


def _attracted(doc: _Doc) -> Iterator[RelationCandidate]:
    """某生物岛引进A、B等企业: the companies a place draws in are in that place (the place opens the clause)."""
    lex = doc.lex
    for index, spans in doc.spans.items():
        for k, span in enumerate(spans):
            if span.type != "Organization":
                continue
            lead = doc.lead(span)
            verb = next((w for w in lex["attract_verbs"] if lead.endswith(w)), None)
            if verb is None or doc.list_head(span) is not span:
                continue
            places_before = [s for s in spans[:k] if s.type == "Place" and doc.lead_re.fullmatch(doc.lead(s))
                             and doc.gap(s, span) == verb]
            for place in places_before[-1:]:
                for company in doc.coordination(span, types=("Organization",)):
                    yield _candidate(doc, company.mention, "locatedIn", place.mention, index, f"verb:{verb}")


def _subsidiaries(doc: _Doc) -> Iterator[RelationCandidate]:
    """某投资集团控股的X货航, 某集团旗下的X公司: a body held by another is part of it."""
    for index, spans in doc.spans.items():
        for parent, child in zip(spans, spans[1:]):
            gap = doc.gap(parent, child)
            if parent.type == child.type == "Organization" and gap in doc.lex["subsidiary_links"]:
                yield _candidate(doc, child.mention, "partOf", parent.mention, index, f"verb:{gap}")


# -- who acts: the clause's subject, an anaphor's referent, the article's main actor ----------
def _who(doc: _Doc, index: int, position: int, carried: Mention | None = None) -> tuple[list[Mention], str]:
    """The actor(s) of a clause: its subject, an anaphor's referent, or the article's main actor."""
    subjects = doc.subject_before(index, position)
    # X局长Y说，全区今年新签约…: what is said has its own subject or anaphor before the speaker's post
    marks = [m.end() for m in re.finditer(doc.lex.patterns["speech_mark"], doc.text(index)[:position])]
    if marks and not (subjects and subjects[0].start >= marks[-1]):
        quoted = _strip(doc.text(index)[marks[-1]:position])
        word = next((w for w in doc.lex.anaphora if w in quoted), None)
        referent = _referent(doc, index, doc.lex.anaphora[word]) if word is not None else None
        if referent is not None:
            return [referent], f"anaphor:{word}"
    heads: list[Mention] = []
    for s in subjects:
        if s.type == "Person":
            # 市委常委、合肥高新区党工委书记李强提出…: the post named next to the person
            posts = [c.tail for c in _positions_of(doc, index) if c.head is s.mention and c.tail is not None][:1]
            said = re.search(doc.lex.patterns["speech"], _strip(doc.text(index)[s.end:position]))
            actor = doc.actor(index)
            if said and posts and _is_committee(doc, posts[0]) and actor is not None:
                posts = [actor]  # 党工委书记李强说，要深化与X的合作: the party secretary speaks for the zone
            heads += posts
        else:
            heads.append(s.mention)
    if heads:
        return heads, "subject"
    text = _strip(doc.text(index)[:position])
    for word, suffixes in doc.lex.anaphora.items():
        if word in text:
            referent = _referent(doc, index, suffixes)
            if referent is not None:
                return [referent], f"anaphor:{word}"
    if carried is not None:
        return [carried], "carried"
    actor = doc.actor(index)
    return ([actor], "main-actor") if actor is not None else ([], "")


def _referent(doc: _Doc, index: int, suffixes: Sequence[str]) -> Mention | None:
    """The latest organization or place named with one of ``suffixes`` (该镇 → the last …镇)."""
    if "区" in suffixes and doc.twin_county is not None:
        return doc.twin_county  # 全区 of a district that is also a zone
    actor = doc.actor(index)
    if actor is not None and any(_group_key(actor.text).endswith(s) for s in suffixes):
        return actor
    order = [s.index for s in doc.sentences]
    segment = doc.segments[doc.segment_of[index]] if index in doc.segment_of else order
    for i in reversed([i for i in order[: doc.position[index] + 1] if i in segment]):
        for span in reversed(doc.spans[i]):
            if span.type in ACTORS and any(_group_key(span.text).endswith(s) for s in suffixes):
                return span.mention
    return None


def _positions_of(doc: _Doc, index: int) -> list[RelationCandidate]:
    return [c for c in doc.positions if c.sentence.index == index]


# -- cooperatesWith ---------------------------------------------------------------------------
def _cooperation(doc: _Doc) -> Iterator[RelationCandidate]:
    """与A、B签订…协议 / 与A合作; A联合/携/会同 B: one relation per party, with amount and date."""
    lex = doc.lex
    for index, spans in doc.spans.items():
        text = doc.text(index)
        for span in spans:
            if span.type not in ACTORS:
                continue
            prev = doc.prev_span(span)
            if prev is not None and doc.gap(prev, span) in ("、", "和", "及"):
                continue
            lead = doc.lead(span)
            group = [s for s in doc.coordination(span) if s.type in ACTORS]
            tail_text = _strip(text[group[-1].end:])
            joint = next((w for w in lex["joint_verbs"] if lead.endswith(w)), None)
            # 会同 ends with 同 but is the joint verb, not the preposition
            with_word = None if joint else next((w for w in lex["cooperate_with_words"] if lead.endswith(w)), None)
            if with_word is not None:
                window = tail_text[:20]
                verb = next((v for v in lex["cooperate_verbs"] if v in window), None)
                if verb is None:
                    continue
                start = span.start - len(with_word)
                heads, how = _who(doc, index, max(0, start))
                if prev is not None and prev.type in ACTORS and doc.gap(prev, span) == with_word and \
                        not doc.is_modifier(prev):
                    heads, how = [prev.mention], "adjacent"  # 中国和新加坡两国政府间的合作: the name before 和 is the party
                elif re.match(lex.patterns["both_parties"], tail_text):
                    continue  # 作为某国和新加坡两国的合作项目: 和 joins an unnamed party, the actor is not one
                clause = re.split(r"[。；;]", tail_text, maxsplit=1)[0]
                amount = lex.amount.search(clause)
                date = lex.date.search(text)
                if verb in lex["joint_action_verbs"]:  # 与A共同建立X: A takes part in X too
                    doc.partners.append((index, group[-1].end, [p.mention for p in group]))
                doc.sides.setdefault(index, [*heads, *(p.mention for p in group)])
                for head in heads:
                    for party in group:
                        if party.mention is not head and _group_key(party.text) != _group_key(head.text):
                            yield _candidate(doc, head, "cooperatesWith", party.mention, index,
                                             f"cooperate:{with_word}…{verb}/{how}",
                                             amount=amount.group(1) if amount and verb in ("签订", "签署", "签约", "达成") else "",
                                             date=date.group(1) if date else "")
            elif joint is not None:
                heads, how = _who(doc, index, max(0, span.start - len(joint)))
                for head in heads:
                    for party in group:
                        if _group_key(party.text) != _group_key(head.text):
                            yield _candidate(doc, head, "cooperatesWith", party.mention, index, f"joint:{joint}/{how}")


# -- recognizedAs ---------------------------------------------------------------------------
def _status_texts(raw: str, head_words: tuple[str, ...]) -> list[str]:
    """The statuses named after the trigger: items split at 、 outside quotes, each ending in a
    status word (荣获全国文明村、全国乡村治理示范村等称号 → two)."""
    items, depth, start = [], 0, 0
    for i, c in enumerate(raw + "、"):
        depth += 1 if c in "“‘《" else -1 if c in "”’》" else 0
        if c == "、" and depth <= 0:
            items.append(raw[start:i].strip())
            start = i + 1
    values = []
    for item in items:
        cuts = [m.start() for m in re.finditer("的|为|等|和|以来", item)] + [len(item)]  # 示范村|等称号, 项目|以来
        value = next((item[:cut] for cut in cuts if _strip(item[:cut]).endswith(head_words)), "")
        if not value:
            break  # the list of statuses ends at the first item that names none
        values.append(value)
    return values


def _recognition(doc: _Doc) -> Iterator[RelationCandidate]:
    """获批/获评/入选/荣获/被评为 + status: the clause's subject (or list) gets the status as text."""
    lex = doc.lex
    triggers = "|".join(map(re.escape, lex["recognition_triggers"]))
    not_after = "|".join(map(re.escape, lex["recognition_not_after"]))
    pattern = re.compile(f"(?<!分)(?:{triggers})(?!{not_after})了?([^，,。；;：:！？!?（(]{{2,40}})")  # 分获: shared out, no holder
    quantity = re.compile(lex.patterns["quantity"])
    for index in doc.spans:
        text = doc.text(index)
        for match in pattern.finditer(text):
            values = _status_texts(match.group(1), lex["recognition_heads"])
            if not values:
                continue
            clause_start = max(text.rfind(c, 0, match.start()) for c in "，,；;。")
            clause = text[clause_start + 1:match.start()]
            inside = [s for s in doc.spans[index] if clause_start < s.start and s.end <= match.start()
                      and s.type in (*ACTORS, "Project") and not doc.is_modifier(s)]
            topic = [s for s in doc.spans[index] if s.end <= match.start() and s.type in (*ACTORS, "Project")
                     and not doc.is_modifier(s) and doc.lead_re.fullmatch(doc.lead(s))]
            last_end = max([s.end for s in doc.spans[index] if clause_start < s.start and s.end <= match.start()],
                           default=clause_start + 1)
            between = _strip(text[last_end:match.start()])
            if "等" not in between and not quantity.search(between) and between.endswith(lex["unnamed_heads"]):
                continue  # X“双创”孵化基地获评…: the status is a unit's that the extractor did not name
            if inside:  # 天能电池、超威动力等10家企业获批…: the named list
                heads = [s.mention for s in doc.coordination(inside[0], types=(*ACTORS, "Project"))]
            elif quantity.search(clause):
                continue  # 6家获批…: unnamed units
            elif topic:  # X投资建设的Y项目,属于…,列入了…: the sentence's topic
                heads = [topic[-1].mention]
            else:
                heads, _ = _who(doc, index, match.start())
            date = lex.date.search(text)
            for head in heads:
                for value in values:
                    yield _candidate(doc, head, "recognizedAs", None, index, "recognized:" + match.group(0)[:2],
                                     value=value, date=date.group(1) if date else "")


def _held_status(doc: _Doc) -> Iterator[RelationCandidate]:
    """用足用好省级人才改革试验区的政策: a status held, named by the policy it brings."""
    pattern = re.compile(doc.lex.patterns["held_status"])
    for index in doc.spans:
        for match in pattern.finditer(doc.text(index)):
            heads, how = _who(doc, index, match.start())
            for head in heads:
                yield _candidate(doc, head, "recognizedAs", None, index, f"recognized:held/{how}", value=match.group(1))


def _ranked(doc: _Doc) -> Iterator[RelationCandidate]:
    """在全国经开区综合考评中位居第一 (a rank is a status); 表彰了“十佳企业”，A、B等企业榜上有名
    (the bodies listed hold the honour named before)."""
    ranking, honour = re.compile(doc.lex.patterns["ranking"]), re.compile(doc.lex.patterns["honour_list"])
    for index in doc.spans:
        text = doc.text(index)
        for match in ranking.finditer(text):
            heads, how = _who(doc, index, match.start())
            for head in heads:
                yield _candidate(doc, head, "recognizedAs", None, index, f"recognized:rank/{how}",
                                 value=match.group(1) + match.group(2))
        for match in honour.finditer(text):
            listed = [s for s in doc.spans[index] if match.end(1) < s.start and s.end <= match.end()
                      and s.type in (*ACTORS, "Project")]
            for item in doc.coordination(listed[0], types=(*ACTORS, "Project")) if listed else []:
                yield _candidate(doc, item.mention, "recognizedAs", None, index, "recognized:listed", value=match.group(1))


# -- implements / participatesIn ----------------------------------------------------------
def _actions(doc: _Doc) -> Iterator[RelationCandidate]:
    """Each program is implemented and each project taken part in by the clause's actor.

    The actor is the subject before it in the sentence, else the referent of 该镇/全区 …,
    else the subject carried from the paragraph's previous sentence, else the article's
    main actor; the rule name says which, and whether a trigger verb (实施, 推进 … /
    参与, 建设 …) stands in the clause.
    """
    lex = doc.lex
    recognized = re.compile("(?:%s)了?\\S{0,6}$" % "|".join(map(re.escape, lex["recognition_triggers"])))
    carried: Mention | None = None
    for number, sentence in enumerate(doc.sentences):
        index, text = sentence.index, sentence.text
        carried = None
        if number and not doc.new_paragraph(number):  # the previous sentence's subject, same paragraph
            previous = doc.sentences[number - 1]
            subjects = doc.subject_before(previous.index, len(previous.text))
            carried = subjects[0].mention if subjects and subjects[0].type != "Person" else None
        spans = doc.spans[index]
        for k, span in enumerate(spans):
            if span.type == "Program":
                predicate: Predicate = "implements"
                triggers = lex["implements_triggers"]
            elif span.type == "Project":
                predicate = "participatesIn"
                triggers = lex["participates_triggers"]
            else:
                prev = spans[k - 1] if k else None
                built = prev is not None and re.fullmatch(lex.patterns["built_by"], doc.gap(prev, span))
                if span.type == "Organization" and prev is not None and prev.type == "Organization" and built:
                    # 某公司牵头建设的…重点实验室: a centre or lab built by a body is its project too
                    yield _candidate(doc, prev.mention, "participatesIn", span.mention, index, "participatesIn:built-by")
                continue
            clause_start = max(text.rfind(c, 0, span.start) for c in "，,；;。")
            window = _strip(text[clause_start + 1:span.start]) + doc.after(span, 6)
            verb = next((w for w in triggers if w in window), None)
            clause_text = _strip(text[clause_start + 1:]).split("，")[0]
            if predicate == "implements" and span.text.endswith(lex["entered_programs"]) and \
                    not any(w in clause_text for w in lex["hosting_verbs"]):
                continue  # 在第四届X大赛中荣获…: an entrant does not run the competition
            if predicate == "implements" and span.text.endswith(lex["laws"]) and \
                    not span.text.endswith(lex["methods"]) and \
                    not any(w in window for w in lex["law_verbs"]):
                continue  # 加大对劳动法…的宣传: a law is the state's, not the article's actor's
            prev = spans[k - 1] if k else None
            relative = prev is not None and re.fullmatch(r"[^，,。；;：:、“”]{0,4}(?:%s)的" % "|".join(triggers),
                                                         doc.gap(prev, span))
            lead = doc.lead(span)
            if predicate == "implements" and prev is not None and doc.gap(prev, span) == "" and doc.can_act(prev.mention) \
                    and not doc.lead(prev).endswith(tuple(lex["adopting_verbs"])):
                heads, how = [prev.mention], "adjacent"  # 常州经开区“生态立区”; not 落实省委“…”部署 (the subject adopts it)
            elif predicate == "participatesIn" and prev is not None and prev.type == "Organization" and \
                    doc.gap(prev, span) == "":
                heads, how = [prev.mention], "adjacent"  # 某某重工有限公司新能源重卡生产线建设现场
            elif relative and prev is not None and prev.type == "Organization":
                heads, how = [prev.mention], "relative"  # 第三地质大队投资建设的…项目
            elif predicate == "participatesIn" and lead.endswith(tuple(lex["site_prepositions"] + lex["locate_triggers"])):
                continue  # 双方将在某产业园共建…, 将落户某产业园: the park is the site, not the work
            elif predicate == "participatesIn" and recognized.search(lead):
                continue  # 今年获批全国首批“揭榜挂帅”项目: a status, not a work
            elif predicate == "participatesIn" and "双方" in lead and doc.sides.get(index):
                heads, how = doc.sides[index], "anaphor:双方"  # 与A签订协议，双方将共建X: both parties
            elif predicate == "participatesIn" and doc.lead_re.fullmatch(doc.lead(doc.list_head(span))):
                # 甲项目、乙产业园等12个项目集中开工: projects that are their clause's subject are the article's
                heads, how = _who(doc, index, clause_start + 1)
                if how in ("subject", "carried"):
                    actor = doc.actor(index)
                    heads, how = ([actor], "main-actor") if actor is not None else ([], "")
            else:
                heads, how = _who(doc, index, span.start, carried)
            if predicate == "participatesIn" and how in ("carried", "main-actor") and _owner_of(doc, span) is not None \
                    and not any(w in _strip(text[clause_start + 1:span.start]) for w in triggers):
                continue  # 某某有限公司研发总部项目拟投资…: the company it is named after invests, not the zone
            # 聚焦我市…“4+4”产业集群: the city (province) the clause names as owner
            owner = re.search(lex.patterns["owner_words"] + r"\S{0,6}$", _strip(text[clause_start + 1:span.start]))
            if owner:
                level = "province" if "省" in owner.group(0) else "city"
                place = doc.place_of_level(level, index)
                heads = heads + [place] if place is not None else heads
            heads = heads + [p for i, end, parties in doc.partners if i == index and end <= span.start for p in parties]
            for head in heads:
                if head is span.mention or _group_key(head.text) == _group_key(span.text):
                    continue
                yield _candidate(doc, head, predicate, span.mention, index,
                                 f"{predicate}:{'trigger:' + verb if verb else 'topic'}/{how}")


_RANK = {"province": 0, "city": 1, "county": 2, "zone": 2, "town": 3, "village": 4}


def _larger(doc: _Doc, head: Mention, tail: Mention) -> bool:
    """True when the head place is of a higher administrative level than the tail place."""
    if head.type != "Place" or tail.type != "Place":
        return False
    ranks = [_RANK.get(doc.level(m.text) or "", -1) for m in (head, tail)]
    return min(ranks) >= 0 and ranks[0] < ranks[1]


def extract_relations(document: Document, tagged: Sequence[TaggedSentence],
                      mentions: Sequence[Mention]) -> list[RelationCandidate]:
    """All relation candidates of one document, each with its evidence sentence and rule.

    ``tagged`` is accepted for the stage interface; the rules read the mentions and the text.
    """
    doc = _Doc(document, mentions)
    doc.positions = list(_positions(doc))
    found = [*doc.positions, *_nesting(doc), *_adjacent(doc), *_park_lists(doc), *_sited(doc), *_attracted(doc), *_subsidiaries(doc), *_cooperation(doc),
             *_recognition(doc), *_held_status(doc), *_ranked(doc), *_actions(doc)]
    unique: dict[tuple[str, str, str], RelationCandidate] = {}
    for c in found:
        if c.predicate == "locatedIn" and c.tail is not None and _larger(doc, c.head, c.tail):
            continue  # a town is not in its village: the rule misread the sentence
        other = _norm(c.tail.text) if c.tail is not None else dict(c.attrs).get("value", "")
        key = (_norm(c.head.text), c.predicate, other)
        if c.predicate == "cooperatesWith":
            key = (min(key[0], other), c.predicate, max(key[0], other))
        if key not in unique and not (c.tail is not None and _norm(c.tail.text) == _norm(c.head.text)):
            unique[key] = c
    return list(unique.values())
