"""`bodx sheets normalise` and `bodx bench sheets --json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import bodx.commands.sheets  # noqa: F401 - registers the commands
from bodx.app import app

LEDGERS = Path(__file__).resolve().parents[2] / "samples" / "ledgers"
runner = CliRunner()


def test_normalise_writes_canonical_files(tmp_path: Path) -> None:
    args = ["sheets", "normalise", "--ledger", str(LEDGERS / "yamabiko.xlsx"),
            "--mapping", str(LEDGERS / "yamabiko.mapping.toml"), "--out", str(tmp_path)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output  # the sample has deliberate errors
    expected = json.loads((LEDGERS / "yamabiko.expected.json").read_text(encoding="utf-8"))
    written = json.loads((tmp_path / "applications.json").read_text(encoding="utf-8"))
    assert all(a.pop("origin")["file"] == "yamabiko.xlsx" for a in written)  # where each value came from
    assert written == expected["applications"]
    assert json.loads((tmp_path / "nurseries.json").read_text(encoding="utf-8")) == expected["nurseries"]
    issues = json.loads((tmp_path / "issues.json").read_text(encoding="utf-8"))
    assert {(i["sheet"], i["row"], i["column"]) for i in issues} >= {
        (d["sheet"], d["row"], d["column"]) for d in expected["defects"]
    }
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "既に" in again.output
    xlsx = runner.invoke(app, [*args, "--issues-format", "xlsx", "--out", str(tmp_path / "x")])
    assert (tmp_path / "x" / "issues.xlsx").exists(), xlsx.output


def test_normalise_refuses_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"garbage")
    result = runner.invoke(
        app, ["sheets", "normalise", "--ledger", str(bad), "--mapping", str(LEDGERS / "minato.mapping.toml"),
              "--out", str(tmp_path / "o")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert not (tmp_path / "o" / "applications.json").exists()


@pytest.mark.slow
def test_bench_prints_one_json_object(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app, ["bench", "sheets", "--rows", "300", "--children", "200", "--repeat", "1", "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert list(payload) == ["ledger_rows", "read_seconds", "workbook_children", "write_seconds"]
    assert payload["ledger_rows"] == 300 and payload["workbook_children"] == 200
    assert (tmp_path / "out" / "bench-cache" / "ledger-300-seed1.xlsx").exists()
