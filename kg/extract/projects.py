"""Projects: concrete undertakings that are built, invested in or launched — parks, buildings,
facilities, named investment and social projects.

Signals: a modifier before a project head (生物医药产业园, X数据中心项目), a quoted core with a
head (“童心港湾”儿童关爱项目), and the items of a list closed by 等项目. Centres, bases and
platforms count only where the sentence builds, signs or opens them; where they act they are
Organizations (GUIDELINES, boundary rules).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from kg.extract.headwords import (
    Candidate,
    collect,
    headed_candidates,
    listed_project_candidates,
    phase_candidates,
    quoted_in,
)
from kg.model import Document, Mention, TaggedSentence


def extract_projects(document: Document, tagged: Sequence[TaggedSentence]) -> list[Mention]:
    """Project mentions of a document, one per distinct (span, name)."""
    return collect(document, tagged, "Project", project_candidates, quoted_in(tagged))


def project_candidates(sentence: TaggedSentence, quoted: Sequence[Candidate]) -> Iterator[Candidate]:
    yield from quoted
    yield from headed_candidates(sentence, "Project")
    yield from listed_project_candidates(sentence)
    yield from phase_candidates(sentence)
