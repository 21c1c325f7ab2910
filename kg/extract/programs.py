"""Programs: named initiatives — campaigns, plans, strategies, mechanisms, reforms, policy documents.

No off-the-shelf tagger finds these; the genre names them with quoted cores and head words
(“产业地标”培育计划), numeral slogans (两学一做), planning periods (十四五), titles (《…实施方案》)
and a small lexicon of national programs (乡村振兴).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from kg.extract.headwords import (
    Candidate,
    collect,
    headed_candidates,
    law_candidates,
    lexicon_candidates,
    planning_candidates,
    quoted_in,
    title_candidates,
)
from kg.model import Document, Mention, TaggedSentence


def extract_programs(document: Document, tagged: Sequence[TaggedSentence]) -> list[Mention]:
    """Program mentions of a document, one per distinct (span, name)."""
    return collect(document, tagged, "Program", program_candidates, quoted_in(tagged))


def program_candidates(sentence: TaggedSentence, quoted: Sequence[Candidate]) -> Iterator[Candidate]:
    yield from quoted
    yield from planning_candidates(sentence)
    yield from title_candidates(sentence)
    yield from lexicon_candidates(sentence)
    yield from law_candidates(sentence)
    yield from headed_candidates(sentence, "Program")

