"""Lexicons, patterns and page templates are data; every stage reads them through here, so that a
missing or broken file is one clear error naming the file, whichever stage needs it."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.errors import ResourceError

DIRECTORY = Path(__file__).parent


def read_text(name: str) -> str:
    try:
        return (DIRECTORY / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ResourceError(f"kg/resources/{name}: cannot read ({error}); reinstall kg (pip install -e .)") from error


def read_json(name: str) -> Any:
    try:
        return json.loads(read_text(name))
    except ValueError as error:
        raise ResourceError(f"kg/resources/{name}: not valid JSON ({error}); reinstall kg (pip install -e .)") from error


@lru_cache(maxsize=None)
def table(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a TSV file (comments and blank lines skipped, cells stripped)."""
    return tuple(tuple(cell.strip() for cell in line.split("\t"))
                 for line in read_text(name).splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=None)
def word_set(name: str) -> frozenset[str]:
    """The first column of a one-word-per-line resource."""
    return frozenset(row[0] for row in table(name))


@lru_cache(maxsize=None)
def longest_first(name: str) -> tuple[str, ...]:
    """The words of `word_set`, longest first: a tuple for str.endswith/startswith, and an order in
    which the first word that fits is the longest that does."""
    return tuple(sorted(word_set(name), key=lambda word: (-len(word), word)))
