"""The quality targets of issue 3 on tests/gold, measured like `make eval`: they must not regress."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.eval import evaluate
from kg.model import ENTITY_TYPES

GOLD = Path(__file__).parent / "gold"


@pytest.fixture(scope="module")
def report(seed_build):
    return evaluate(seed_build.corpus, GOLD)


@pytest.mark.slow
def test_typed_entity_f1(report) -> None:
    assert report.typed.f1 >= 0.85, report.format()


@pytest.mark.slow
@pytest.mark.parametrize("entity_type", ENTITY_TYPES)
def test_recall_of_every_type(report, entity_type: str) -> None:
    assert report.per_type[entity_type].recall >= 0.80, report.format()


@pytest.mark.slow
@pytest.mark.parametrize("entity_type", ["Program", "Project"])
def test_program_and_project_f1(report, entity_type: str) -> None:
    assert report.per_type[entity_type].f1 >= 0.75, report.format()


@pytest.mark.slow
def test_aliases_resolved(report) -> None:
    assert report.fragmentation <= 1.10, report.format()


@pytest.mark.slow
def test_one_node_for_the_zone_across_articles(seed_build) -> None:
    # issue 2: 济宁经济技术开发区 is one node across the three articles that name it
    zone = [e for e in seed_build.corpus.entities if e.name == "济宁经济技术开发区"]
    assert len(zone) == 1 and zone[0].type == "Place" and len(zone[0].documents) >= 3
    assert {"济宁经开区", "经开区"} <= set(zone[0].aliases)
