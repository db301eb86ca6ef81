"""The season's preflight: every reason it cannot run to the end, before anything heavy or the approval."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from flows.credentials import robot_credentials, secret_block_names
from flows.params import SeasonAdvanced, SeasonLedger, SeasonParams
from flows.preflight import season_problems

# Nothing listens on port 9 (discard) on this machine: the legacy system "does not answer".
DEAD_URL = "http://127.0.0.1:9"

pytestmark = pytest.mark.usefixtures("prefect_harness")  # credentials may come from the server's blocks


def _ledger(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(b"PK")  # only its existence is checked here
    return path


def _no_env_login(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BODX_ROBOT_USER", raising=False)
    monkeypatch.delenv("BODX_ROBOT_PASSWORD", raising=False)


def test_the_form_needs_a_city_and_a_ledger() -> None:
    with pytest.raises(ValidationError) as caught:
        SeasonParams.model_validate({"ledgers": []})
    fields = {error["loc"][0] for error in caught.value.errors()}
    assert fields == {"city", "ledgers"}


def test_a_form_with_only_the_required_fields_is_refused_with_every_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_env_login(monkeypatch)
    problems = season_problems(
        SeasonParams(
            city="hinata", ledgers=(_ledger(tmp_path),), advanced=SeasonAdvanced(legacy_url=DEAD_URL)
        )
    )
    text = "\n".join(problems)
    assert "[legacy_system]" in text and "ログイン画面が開けません" in text
    assert "BODX_ROBOT_USER" in text and "bodx-robot-user" in text  # env or a Secret block
    assert len(problems) == 2


def test_missing_files_a_broken_profile_and_no_url_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BODX_ROBOT_USER", "u")
    monkeypatch.setenv("BODX_ROBOT_PASSWORD", "p")
    city = tmp_path / "city"
    city.mkdir()
    (city / "city.toml").write_text("[city]\nname = 'x'\n", encoding="utf-8")
    params = SeasonParams(
        city=str(city),
        ledgers=(tmp_path / "ledger.xlsx",),
        scans_dir=tmp_path / "no-scans",
        manual_result=tmp_path / "手作業.xlsx",
        advanced=SeasonAdvanced(
            ledgers_with_mapping=(SeasonLedger(ledger=tmp_path / "other.xlsx", mapping=tmp_path / "m.toml"),),
        ),
    )
    text = "\n".join(season_problems(params))
    for expected in (
        "no-scans",
        "ledger.xlsx",
        "other.xlsx",
        "m.toml",
        "手作業.xlsx",
        "[city]",
        "section",
        "rounds",
    ):
        assert expected in text
    assert "既存システムの URL がありません" in text
    assert "BODX_ROBOT_USER" not in text


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_ledger_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BODX_ROBOT_USER", "u")
    monkeypatch.setenv("BODX_ROBOT_PASSWORD", "p")
    ledger = _ledger(tmp_path)
    ledger.chmod(0)
    problems = season_problems(
        SeasonParams(city="hinata", ledgers=(ledger,), advanced=SeasonAdvanced(legacy_url=DEAD_URL))
    )
    assert any("読む権限がありません" in p and "ledger.xlsx" in p for p in problems)


def test_a_round_the_profile_does_not_have_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BODX_ROBOT_USER", "u")
    monkeypatch.setenv("BODX_ROBOT_PASSWORD", "p")
    params = SeasonParams(
        city="hinata",
        ledgers=(_ledger(tmp_path),),
        round="四次",
        advanced=SeasonAdvanced(legacy_url=DEAD_URL),
    )
    problems = season_problems(params)
    assert any("四次" in p and "一次" in p for p in problems)


def test_secret_blocks_give_the_robot_its_login_without_environment_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from prefect.blocks.system import Secret

    _no_env_login(monkeypatch)
    prefix = "BODX_TESTROBOT_"
    user_block, password_block = secret_block_names(prefix)
    assert (user_block, password_block) == ("bodx-testrobot-user", "bodx-testrobot-password")
    Secret(value="clerk-from-block").save(user_block, overwrite=True)
    Secret(value="pass-from-block").save(password_block, overwrite=True)
    credentials = robot_credentials(prefix)
    assert credentials.user.get_secret_value() == "clerk-from-block"
    assert credentials.password.get_secret_value() == "pass-from-block"
    assert "clerk-from-block" not in repr(credentials)


def test_an_approval_outside_a_season_checks_what_entry_needs_before_it_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.params import EntryParams
    from flows.preflight import entry_problems

    _no_env_login(monkeypatch)
    params = EntryParams(
        applications=tmp_path / "applications.json",
        nurseries=tmp_path / "nurseries.json",
        result=tmp_path / "result.json",
        legacy_url=DEAD_URL,
        recipe="no-such-recipe",
        out_dir=tmp_path / "entry",
    )
    text = "\n".join(entry_problems(params))
    for expected in (
        "applications.json",
        "nurseries.json",
        "result.json",
        "no-such-recipe",
        "BODX_ROBOT_USER",
    ):
        assert expected in text
    good_recipe = params.model_copy(update={"recipe": "legacy-classic"})
    assert any("ログイン画面が開けません" in p for p in entry_problems(good_recipe))
