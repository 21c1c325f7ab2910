"""Entity extraction: every extractor proposes mentions, one overlap rule decides.

Extractors are independent functions ``(document, tagged) -> Iterable[Mention]``:
names (Organization, Place, Person), programs and projects. They may propose the same span
with different types, or spans that cross; :func:`resolve_overlaps` keeps one reading per
span and keeps nested names, which the guidelines count (山东省 inside 山东省煤田地质局).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from kg.model import Document, EntityType, Mention, TaggedSentence

Extractor = Callable[[Document, Sequence[TaggedSentence]], Iterable[Mention]]


@lru_cache(maxsize=1)
def extractors() -> tuple[Extractor, ...]:
    """Every extractor; imported on first use so that ``kg.extract.names`` loads on its own."""
    from kg.extract.names import extract_names

    return extract_names, _programs_and_projects


def _programs_and_projects(document: Document, tagged: Sequence[TaggedSentence]) -> list[Mention]:
    """Program, then Project mentions: both rules read the same quoted names, found once here."""
    from kg.extract.headwords import collect, quoted_in
    from kg.extract.programs import program_candidates
    from kg.extract.projects import project_candidates

    quoted = quoted_in(tagged)
    return [*collect(document, tagged, "Program", program_candidates, quoted),
            *collect(document, tagged, "Project", project_candidates, quoted)]

# Which reading wins when two extractors type the same span differently: the rarer, more
# specific signals first (a Program or Project rule needs a head word and context; LAC's
# ORG/LOC tags are the weakest evidence).
TYPE_PRIORITY: dict[EntityType, int] = {"Program": 0, "Project": 1, "Organization": 2, "Place": 3, "Person": 4}

_TITLE = re.compile(r"《([^《》\n]{1,60})》")


def _rank(mention: Mention) -> tuple[int, int, str]:
    """Lower is better: rule-made names beat bare LAC tags, then the type priority."""
    from_lac_only = 1 if mention.rule.startswith("lac:") else 0
    return from_lac_only, TYPE_PRIORITY[mention.type], mention.rule


def _crosses(a: Mention, b: Mention) -> bool:
    """Overlapping without one containing the other."""
    return a.start < b.end and b.start < a.end and not (_within(a, b) or _within(b, a))


def _within(inner: Mention, outer: Mention) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _absorbed(inner: Mention, outer: Mention) -> bool:
    """A nested mention that is no name of its own inside ``outer``."""
    if inner.type == "Person":  # 张仙寨路, 严爱 of 严爱美: a person-like word inside a name
        return True
    if inner.rule.startswith("lac:") and not outer.rule.startswith("lac:"):
        return True  # LAC's unchecked ORG inside a rule-made name is a piece of it (济宁西部 of …产业新城)
    # X of X项目 at the same start: the project's own name, not a second thing
    return inner.start == outer.start and outer.text == inner.text + "项目"


def resolve_overlaps(mentions: Iterable[Mention], *, titles: Sequence[tuple[int, int]] = ()) -> list[Mention]:
    """One reading per span; nested names kept; crossing spans settled by length, then rank.

    - same span, several readings → the best ranked one (see :func:`_rank`);
    - spans that cross (济宁经开区|京港澳 vs 开区京港澳) → the longer one, then the better ranked;
    - a span inside another is kept (names inside names count), unless :func:`_absorbed`
      says it is a piece of the outer name;
    - inside the title of a work (《…》 in ``titles``, given as (start, end) of the text between
      the marks) only a Program that is the whole title stays (a policy document, not a film).
    Deterministic: the result is sorted by (start, end, type).
    """
    best: dict[tuple[int, int], Mention] = {}
    for m in mentions:
        if m.end <= m.start or not m.text:
            continue
        kept = best.get((m.start, m.end))
        if kept is None or _rank(m) < _rank(kept):
            best[(m.start, m.end)] = m
    ordered = sorted(best.values(), key=lambda m: (-(m.end - m.start), _rank(m), m.start))
    chosen: list[Mention] = []
    # offset → the chosen mentions over it: only those can cross or hold a new one
    over: defaultdict[int, list[Mention]] = defaultdict(list)
    for m in ordered:  # longest first: a crossing mention meets the longer one already chosen
        near = {id(c): c for at in range(m.start, m.end) for c in over[at]}.values()
        if any(_crosses(m, c) for c in near):
            continue
        if any(_within(m, c) and _absorbed(m, c) for c in near):
            continue
        if any(s <= m.start and m.end <= e and ((m.start, m.end) != (s, e) or m.type != "Program") for s, e in titles):
            continue  # 《长津湖》 is a film; 《…实施方案》 is a policy document, a Program
        chosen.append(m)
        for at in range(m.start, m.end):
            over[at].append(m)
    return sorted(chosen, key=lambda m: (m.start, m.end, TYPE_PRIORITY[m.type]))


def title_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each 《…》 of a document that titles a work. A policy document's
    title (《关于深化“放管服”改革的实施意见》) is no work: the places, bodies and programs it names count."""
    from kg.extract.headwords import is_policy_title

    return [(match.start(1), match.end(1)) for match in _TITLE.finditer(text) if not is_policy_title(match.group(1))]


def extract_mentions(document: Document, tagged: Sequence[TaggedSentence]) -> list[Mention]:
    """All entity mentions of a document: every extractor, then :func:`resolve_overlaps`."""
    found = [m for extractor in extractors() for m in extractor(document, tagged)]
    return resolve_overlaps(found, titles=title_spans(document.text))
