"""A later round (二次調整) changes what an earlier round entered: only through the recipe's change form,
only while the record still shows the earlier decision, and never twice."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from matching.result import MatchResult
from robots.credentials import Credentials
from robots.decisions import Outcome, Replaced, decisions_from_result, latest_decisions, save_decisions
from robots.queue import State
from robots.recipe import load_recipe
from robots.report import RunReport
from robots.runner import RobotSettings, run_robot
from samples.legacy_app import LegacyApp
from tests.matching.round_support import person
from tests.robots.conftest import NURSERIES, PASSWORD, USER, AppFactory, decision_for, seed_children

START = dt.date(2027, 4, 1)


def _run(app: LegacyApp, decisions: list, queue: Path, recipe: str = "legacy-classic") -> RunReport:  # type: ignore[type-arg]
    return run_robot(
        load_recipe(recipe),
        Credentials.of(USER, PASSWORD),
        base_url=app.base_url,
        queue_path=queue,
        artifacts_dir=queue.parent / f"{queue.stem}-artifacts",
        decisions=decisions,
        settings=RobotSettings(retry_pause_s=0.0, unanswered_save_wait_s=1.0),
    )


def test_decisions_name_what_an_earlier_round_entered(tmp_path: Path) -> None:
    apps = [person("R1", "C1", ("N001",)), person("R2", "C2", ("N001",)), person("R3", "C3", ("N001",))]
    apps = [
        a.model_copy(update={"children": tuple(c.model_copy(update={"name": "山本 蓮"}) for c in a.children)})
        for a in apps
    ]
    first = MatchResult(status="optimal", assignments={"C1": None, "C2": "N001", "C3": None})
    second = MatchResult(status="optimal", assignments={"C1": "N001", "C2": None, "C3": None})
    path = tmp_path / "decisions.json"
    save_decisions(decisions_from_result(first, apps, NURSERIES), path)
    before = latest_decisions([path])
    decided = {d.child_id: d for d in decisions_from_result(second, apps, NURSERIES, entered_before=before)}
    assert decided["C1"].replaces == Replaced(outcome=Outcome.WAIT, start_date=START)
    assert decided["C2"].replaces == Replaced(
        outcome=Outcome.OFFER, nursery_id="N001", nursery_name=NURSERIES["N001"], start_date=START
    )
    assert decided["C3"].replaces is None  # the same decision: nothing to change
    assert decided["C1"].previous() == before["C1"]


@pytest.mark.browser
def test_the_change_form_is_used_only_on_the_earlier_rounds_record(
    legacy_app: AppFactory, tmp_path: Path
) -> None:
    children = seed_children(5)
    waiting = [decision_for(c, offer=False) for c in children[:2]]
    placed = [decision_for(c) for c in children[2:]]
    with legacy_app(children) as app:
        first = _run(app, [*waiting, *placed], tmp_path / "round1.db")
        assert first.entered == 5
        # Staff corrected child 4's record by hand (another nursery): the robot must not touch it.
        hand = children[3]
        app.store.add_entry(
            uketsuke=hand.uketsuke, child_id=hand.child_id, name=hand.name, outcome="内定",
            nursery_code="N002", start_date=START, admission_kind="01", layout="classic",
        )  # fmt: skip
        was_waiting = Replaced(outcome=Outcome.WAIT)
        was_placed = Replaced(
            outcome=Outcome.OFFER, nursery_id="N001", nursery_name=NURSERIES["N001"], start_date=START
        )
        second = [
            decision_for(children[0], replaces=was_waiting),  # 保留 → 内定: changed
            waiting[1],  # still 保留: already entered
            decision_for(children[2], offer=False, replaces=was_placed),  # 内定 → 保留 (面接不可): changed
            decision_for(children[3], offer=False, replaces=was_placed),  # the record shows neither: staff
            decision_for(children[4], offer=False),  # differs, replaces nothing: staff, as before
        ]
        report = _run(app, second, tmp_path / "round2.db")
        latest = {e.child_id: e for e in app.store.entries()}
        counts = Counter(e.child_id for e in app.store.entries())
        again = _run(app, second, tmp_path / "again.db")  # a re-run (new queue) finds it all done
        assert Counter(e.child_id for e in app.store.entries()) == counts
    assert report.entered == 2 and report.already_entered == 1 and report.counts[State.BUSINESS_ERROR] == 2
    assert (latest[children[0].child_id].outcome, latest[children[0].child_id].nursery_code) == (
        "内定",
        "N001",
    )
    assert (latest[children[2].child_id].outcome, latest[children[2].child_id].nursery_code) == ("保留", None)
    assert latest[children[3].child_id].nursery_code == "N002"  # untouched
    assert latest[children[4].child_id].outcome == "内定"  # untouched
    assert counts[children[0].child_id] == 2 and counts[children[1].child_id] == 1
    messages = {f.reference: f.message for f in report.failures}
    assert any("前の回の決定とも異なります" in m for m in messages.values())
    assert any("登録済みの内容が決定と異なります" in m for m in messages.values())
    assert again.entered == 0 and again.already_entered == 3
