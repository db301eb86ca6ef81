"""かわべ町's whole season from its profile alone: its own ledger, rules, letters and legacy screen.

The town shares nothing with the demo city but the code: a one-row-per-child ledger grouped by 世帯番号
with weekly hours and no 入所希望月, declared facts, its own sibling words, its own 利用調整基準 and an
EUC-JP legacy screen in frames. Every step is the command a city's IT staff type, with `--city kawabe`.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bodx.app import app
from bodx.cli import COMMAND_MODULES
from cityprofile import check_city, open_city
from matching.instance import load_instance
from matching.records import Application, Nursery, parse_record
from matching.result import load_result
from robots.decisions import Outcome, decisions_from_result, save_decisions
from samples.ledgers.styles.sample import HERE as STYLES_DIR
from samples.legacy_app import LegacyAppConfig, SeedChild, read_entries, running_legacy_app

pytestmark = [pytest.mark.slow, pytest.mark.browser]

for _module in COMMAND_MODULES:
    importlib.import_module(_module)

USER, PASSWORD = "kawabe01", "kawabe-pass"


def _bodx(*args: str, codes: tuple[int, ...] = (0,)) -> str:
    done = CliRunner().invoke(app, list(args))
    assert done.exit_code in codes, f"bodx {' '.join(args)}:\n{done.output}"
    return done.output


def test_kawabe_season_from_its_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    city = open_city("kawabe")
    ledger = STYLES_DIR / "kawabe_rows.xlsx"
    assert check_city("kawabe", ledger=ledger).ok

    records = tmp_path / "records"
    # Exit 1: written, with issues for staff (the sample ledger has planted defects).
    _bodx(
        "sheets",
        "normalise",
        "--ledger",
        str(ledger),
        "--city",
        "kawabe",
        "--out",
        str(records),
        codes=(0, 1),
    )
    applications = [
        parse_record(Application, a) for a in json.loads((records / "applications.json").read_text("utf-8"))
    ]
    nurseries = [
        parse_record(Nursery, n) for n in json.loads((records / "nurseries.json").read_text("utf-8"))
    ]
    assert applications and nurseries
    # The town's conventions reached the records: no 入所希望月 column, so the round's first day.
    assert {a.desired_start for a in applications} == {city.profile.round().first_day}

    instance_path, result_path = tmp_path / "city.json", tmp_path / "result.json"
    _bodx(
        "score", "--applications", str(records / "applications.json"), "--nurseries", str(records / "nurseries.json"),
        "--city", "kawabe", "--out", str(instance_path),
    )  # fmt: skip
    _bodx("match", "--instance", str(instance_path), "--out", str(result_path))
    instance, result = load_instance(instance_path), load_result(result_path)
    # Every sibling group is matched under the condition its application states (all seven are modelled).
    stated = {a.id: a.sibling_condition for a in applications if len(a.children) > 1}
    carried = {app.sibling_group: app.sibling_condition for app in instance.applications if app.sibling_group}
    assert stated and all(
        carried[group] is (condition or city.profile.sibling_default) for group, condition in stated.items()
    )
    assert len(set(carried.values())) > 2, "the sample ledger states several conditions"
    assert set(result.assignments) == {a.id for a in instance.applications}

    letters = tmp_path / "notices"
    _bodx(
        "notices", "--city", "kawabe", "--applications", str(records / "applications.json"),
        "--nurseries", str(records / "nurseries.json"), "--instance", str(instance_path),
        "--result", str(result_path), "--issued", "2027-01-29", "--out", str(letters),
    )  # fmt: skip
    assert len(list((letters / "letters").glob("*.pdf"))) == len(applications)

    # A child whose name the ledger lacks is in the issue list for staff to fix before entry; the robot
    # enters the others (the planted defects of the sample ledger include missing names).
    issues = json.loads((records / "issues.json").read_text("utf-8"))
    nameless = [a for a in applications if any(c.name is None for c in a.children)]
    flagged = {i["row"] for i in issues if i.get("header") == "児童氏名"}
    assert nameless and all(a.origin is not None and set(a.origin.rows) & flagged for a in nameless)
    named = [a for a in applications if a not in nameless]
    # The town's screen asks 保育必要量 on every 内定. The pipeline does not derive the 認定 yet, so the
    # clerk's value is supplied here by the national rule (both guardians' work ≥ 月120時間 → 標準).
    need = {
        child.id: "標準"
        if all((r.monthly_hours() or 0) >= 120 for g in a.household.guardians for r in g.reasons)
        else "短時間"
        for a in named
        for child in a.children
    }
    decisions = [
        d.model_copy(update={"extra": {"保育必要量": need[d.child_id]}}) if d.outcome is Outcome.OFFER else d
        for d in decisions_from_result(result, named, nurseries)
    ]
    decisions_path = tmp_path / "decisions.json"
    save_decisions(decisions, decisions_path)
    seeds = tuple(
        SeedChild(app.id, child.id, child.name or child.id, child.birth_date)
        for app in named
        for child in app.children
    )
    config = LegacyAppConfig(
        db_path=tmp_path / "legacy.db", user=USER, password=PASSWORD, children=seeds,
        nurseries={n.id: n.name for n in nurseries},
    )  # fmt: skip
    monkeypatch.setenv("BODX_ROBOT_USER", USER)
    monkeypatch.setenv("BODX_ROBOT_PASSWORD", PASSWORD)
    assert city.robot_recipe is not None
    with running_legacy_app(config) as legacy:
        _bodx(
            "robot", "run", "--recipe", str(city.robot_recipe), "--base-url", legacy.base_url,
            "--queue", str(tmp_path / "queue.db"), "--decisions", str(decisions_path),
            "--artifacts", str(tmp_path / "robot"),
        )  # fmt: skip
    entries = {entry.child_id: entry for entry in read_entries(config.db_path)}
    assert set(entries) == {d.child_id for d in decisions}
    for decision in decisions:
        assert entries[decision.child_id].outcome == decision.outcome.value
