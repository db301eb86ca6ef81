"""The season's preflight: every reason it cannot run to the end, before anything heavy or the approval."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.params import SeasonLedger, SeasonParams
from flows.preflight import season_problems

# Nothing listens on port 9 (discard) on this machine: the legacy system "does not answer".
DEAD_URL = "http://127.0.0.1:9"


def test_a_form_left_at_its_defaults_is_refused_with_every_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BODX_ROBOT_USER", raising=False)
    monkeypatch.delenv("BODX_ROBOT_PASSWORD", raising=False)
    problems = season_problems(SeasonParams(legacy_url=DEAD_URL))
    text = "\n".join(problems)
    assert "スキャンフォルダか受付台帳" in text
    assert "[legacy_system]" in text and "ログイン画面が開けません" in text
    assert "BODX_ROBOT_USER" in text
    assert len(problems) == 3


def test_missing_files_and_a_broken_profile_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BODX_ROBOT_USER", "u")
    monkeypatch.setenv("BODX_ROBOT_PASSWORD", "p")
    city = tmp_path / "city"
    city.mkdir()
    (city / "city.toml").write_text("[city]\nname = 'x'\n", encoding="utf-8")
    params = SeasonParams(
        city=str(city),
        legacy_url=DEAD_URL,
        scans_dir=tmp_path / "no-scans",
        ledgers=(SeasonLedger(ledger=tmp_path / "ledger.xlsx", mapping=tmp_path / "m.toml"),),
    )
    text = "\n".join(season_problems(params))
    for expected in ("no-scans", "ledger.xlsx", "m.toml", "[city]", "section", "rounds"):
        assert expected in text
    assert "BODX_ROBOT_USER" not in text


def test_an_empty_scans_folder_with_credentials_and_profile_in_order_passes_but_for_the_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BODX_ROBOT_USER", "u")
    monkeypatch.setenv("BODX_ROBOT_PASSWORD", "p")
    problems = season_problems(SeasonParams(legacy_url=DEAD_URL, scans_dir=tmp_path))
    assert len(problems) == 1 and "[legacy_system]" in problems[0]
