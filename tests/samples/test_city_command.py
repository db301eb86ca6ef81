"""`bodx samples city` end to end: all four files, byte-identical for the same seed."""

from __future__ import annotations

import hashlib
from pathlib import Path

from typer.testing import CliRunner

from bodx.app import app
from bodx.cli import COMMAND_MODULES
from matching.instance import load_instance


def _load_commands() -> None:
    import importlib

    for module in COMMAND_MODULES:
        importlib.import_module(module)


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_help_lists_the_commands() -> None:
    _load_commands()
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("samples", "bench", "demo"):
        assert command in result.output


def test_city_command_is_deterministic(tmp_path: Path) -> None:
    _load_commands()
    runner = CliRunner()
    for name in ("a", "b"):
        result = runner.invoke(
            app, ["samples", "city", "--applicants", "300", "--seed", "9", "--out", str(tmp_path / name)]
        )
        assert result.exit_code == 0, result.output
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    assert sorted(_digests(tmp_path / "a")) == [
        "applications.json",
        "city.json",
        "ledger.xlsx",
        "nurseries.json",
    ]
    instance = load_instance(tmp_path / "a" / "city.json")
    assert 300 <= len(instance.applications) <= 302
    groups = {a.sibling_group for a in instance.applications if a.sibling_group}
    assert groups, "a 300-child city has sibling groups"
    assert len({a.tiebreak for a in instance.applications}) == len(instance.applications)
