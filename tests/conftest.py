"""Shared fixtures: the seeds' build is made once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory):
    """`kg.build` of seeds/ into a temporary folder (``.out_dir`` holds the files)."""
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("seed-build")
    return build([SEEDS], out_dir=out, formats=("nt", "nq", "jsonld"), cache=False)
