"""Generalization floors: typed entity F1 on the held-out sets, articles from other provinces and years
annotated before the extractor saw them (tests/heldout.md, tests/heldout2.md, tests/heldout3.md). A drop below a floor
means a rule was fitted to the seeds at the expense of unseen articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.eval import evaluate
from kg.model import ENTITY_TYPES

HERE = Path(__file__).parent
# Set → typed F1 floor, a little below what `make eval-heldout` / `make eval-heldout2` / `make eval-heldout3`
# measure (0.931, 0.957 and 0.956); raise them when the rules improve.
FLOORS = {"heldout": 0.90, "heldout2": 0.93, "heldout3": 0.93}
# The issue's target on unseen articles.
ISSUE_TARGET = 0.75


@pytest.fixture(scope="module", params=sorted(FLOORS))
def heldout(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    from kg.pipeline import build

    folder = HERE / request.param
    result = build([folder], out_dir=tmp_path_factory.mktemp(f"{request.param}-build"), html=False, cache=False)
    return request.param, folder, evaluate(result.corpus, folder / "gold")


@pytest.mark.slow
def test_every_heldout_article_is_scored(heldout) -> None:
    _, folder, report = heldout
    assert len(report.documents) == len(list((folder / "gold").glob("*.json"))) == 6


@pytest.mark.slow
def test_typed_f1_above_floor(heldout) -> None:
    name, _, report = heldout
    assert report.typed.f1 >= max(FLOORS[name], ISSUE_TARGET), report.format(show=20)


@pytest.mark.slow
@pytest.mark.parametrize("entity_type", ENTITY_TYPES)
def test_every_type_is_found(heldout, entity_type: str) -> None:
    # a type the rules stop finding on unseen text (recall near zero) is a regression even if F1 holds
    _, _, report = heldout
    assert report.per_type[entity_type].recall >= 0.5, report.format(show=20)
