"""The `kg` command: exit codes, streams and messages (stdout is data only)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main

from conftest import ROOT, SEEDS


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_build_prints_a_one_line_summary_to_stderr(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[-1], corpus)
    result = _run("build", str(corpus), "-o", str(tmp_path / "out"), "--no-html")
    assert result.exit_code == 0
    assert result.stdout == ""
    summary = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"kg: 1 documents; \d+ entities \(\d+ Organization, \d+ Place, \d+ Program, "
                        r"\d+ Project, \d+ Person\); \d+ relations; [\d.]+ s", summary), summary
    assert (tmp_path / "out" / "graph.ttl").is_file() and not (tmp_path / "out" / "graph.html").exists()


def test_missing_input_is_a_one_line_error(tmp_path: Path) -> None:
    result = _run("build", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr.startswith("kg: error: ") and "nowhere" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_strict_fails_on_a_skipped_document(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[-1], corpus)
    (corpus / "empty.txt").write_bytes(b"")
    lenient = _run("build", str(corpus), "-o", str(tmp_path / "a"), "--no-html")
    assert lenient.exit_code == 0 and "empty.txt" in lenient.stderr
    strict = _run("build", str(corpus), "-o", str(tmp_path / "b"), "--no-html", "--strict")
    assert strict.exit_code == 1 and "empty.txt" in strict.stderr


def test_usage_error_exits_2() -> None:
    assert _run("build").exit_code == 2


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in main.commands if f"kg {name}" not in readme]
    assert not missing, f"commands not documented in README.md: {missing}"


def test_build_with_a_pkuseg_model(tmp_path: Path) -> None:
    from test_nlp import train_pkuseg

    model = train_pkuseg(tmp_path / "pkuseg", "新旧动能")
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text("本报讯 近日,成都高新区深入实施“揭榜挂帅”机制,推进新旧动能转换。\n", encoding="utf-8")
    result = _run("build", str(corpus), "-o", str(tmp_path / "out"), "--no-html", "--tagger", "pkuseg",
                  "--model", str(model))
    assert result.exit_code == 0, result.stderr
    assert "揭榜挂帅机制" in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert _run("build", str(corpus), "--tagger", "pkuseg").exit_code == 2
