"""Terminal progress: a bar with x / N and the time left, a spinner for one long step; nothing when the
output is not a terminal (pipes, --json, tests), so result lines stay as they were."""

from __future__ import annotations

import importlib
import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import bodx.progress as progress
from bodx.app import app


def _terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    screen = io.StringIO()
    monkeypatch.setattr(progress, "_console", lambda: Console(file=screen, force_terminal=True, width=120))
    monkeypatch.delenv("BODX_NO_PROGRESS", raising=False)
    return screen


def test_a_bar_counts_items_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _terminal(monkeypatch)
    with progress.counting("システム入力 / entering", 4, "件 / items") as advance:
        advance(3, 4)
        advance(3, 5)  # a total corrected on the way (items another run took)
    shown = screen.getvalue()
    assert "システム入力 / entering" in shown and "3/5" in shown and "件 / items" in shown


def test_a_spinner_names_the_step(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _terminal(monkeypatch)
    with progress.working("最適化 / optimising"):
        pass
    assert "最適化 / optimising" in screen.getvalue()


def test_nothing_is_drawn_off_a_terminal_or_when_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = io.StringIO()
    monkeypatch.setattr(progress, "_console", lambda: Console(file=screen, force_terminal=False))
    with progress.counting("x", 2) as advance:
        advance(1, 2)
    with progress.working("y"):
        pass
    assert screen.getvalue() == ""
    screen = _terminal(monkeypatch)
    monkeypatch.setenv("BODX_NO_PROGRESS", "1")
    with progress.working("z"):
        pass
    assert screen.getvalue() == ""


def test_a_long_command_prints_only_its_bilingual_result_lines_when_piped(tmp_path: Path) -> None:
    importlib.import_module("bodx.commands.samples")
    run = CliRunner().invoke(app, ["samples", "city", "--applicants", "20", "--out", str(tmp_path / "c")])
    assert run.exit_code == 0, run.output
    assert "合成データの生成" not in run.output  # the spinner stays off a pipe
    assert run.output.strip().splitlines()[-1].startswith("書き出し / written:")
