"""`bodx robot explore` on the かわべ町 sample screens: frames, labelled fields, options, buttons."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

import bodx.commands.robots  # noqa: F401  (registers `bodx robot …`)
from bodx.app import app as cli
from robots.recipe import check_recipe
from tests.robots.conftest import PASSWORD, USER, AppFactory, seed_children

pytestmark = pytest.mark.browser


def test_explore_writes_a_draft_recipe(
    legacy_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    children = seed_children(1)
    monkeypatch.setenv("BODX_ROBOT_USER", USER)
    monkeypatch.setenv("BODX_ROBOT_PASSWORD", PASSWORD)
    draft_path = tmp_path / "draft.toml"
    with legacy_app(children, nurseries={"N001": "ひまわり保育園", "N002": "中央保育園"}) as app:
        page = f"/kawabe/kensaku?UKE_NO={children[0].uketsuke}&JIDO_NO={children[0].child_id}"
        result = CliRunner().invoke(
            cli,
            [
                "robot",
                "explore",
                "--base-url",
                f"{app.base_url}/kawabe/login",
                "--login",
                "--page",
                page,
                "--out",
                str(draft_path),
            ],
        )
    assert result.exit_code == 0, result.output
    draft = draft_path.read_text(encoding="utf-8")
    data = tomllib.loads(draft)  # a TOML file to finish, not notes
    assert data["work_frame"] == "gyomu" and data["charset"] == "euc_jp"  # the frame menu links open into
    assert data["login"] | {} == data["login"] and data["login"]["user_field"] == "#uid"
    assert (data["login"]["password_field"], data["login"]["login_form"]) == ("#pwd", 'form[name="LOGIN"]')
    fields = {f["selector"]: f for f in data["fields"]}
    assert fields["#shisetsu"]["label"] == "入所施設" and fields["#shisetsu"]["kind"] == "select"
    assert fields["#biko"]["label"] == "備考"
    assert fields["input[name=\"HITSUYO\"][value='{value}']"]["kind"] == "radio"
    assert (
        "0012=ひまわり第二保育園" in draft and "中央保育園分園" in draft
    )  # the options, look-alikes included
    assert "#touroku 「登録」 (asks confirm()" in draft and "#m-nyusho 「入所決定登録」" in draft
    assert PASSWORD not in draft and USER not in draft
    problems = check_recipe(draft_path)  # what is left to finish is named
    assert problems and any("TODO" in p for p in problems)
