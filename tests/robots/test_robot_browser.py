"""The robot against the sample legacy app in headless Chromium."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from robots.decisions import RejectedDecision
from robots.errors import LoginFailed
from robots.queue import State, WorkQueue
from samples.legacy_app import LegacyApp
from tests.robots.conftest import NAMES, PASSWORD, USER, AppFactory, decision_for, seed_children

pytestmark = pytest.mark.browser


def _entered(app: LegacyApp) -> Counter[str]:
    return Counter(f"{e.uketsuke}/{e.child_id}" for e in app.store.entries())


def test_classic_screen_frames_confirm_and_shift_jis_names(
    legacy_app: AppFactory, robot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    children = seed_children(len(NAMES))
    decisions = [decision_for(c, offer=i % 3 != 2) for i, c in enumerate(children)]
    with legacy_app(children) as app:
        report = robot(app, decisions)
        entries = {e.child_id: e for e in app.store.entries()}
    # Saving happens only if the confirm() dialog was accepted, inside the frameset's main frame.
    assert report.counts[State.DONE] == len(NAMES) and report.entered == len(NAMES)
    for decision in decisions:
        entry = entries[decision.child_id]
        assert entry.name == decision.child_name  # 髙, 﨑, 德, ①, half-width kana survived cp932
        assert entry.outcome == decision.outcome.value
        assert entry.nursery_code == decision.nursery_id and entry.start_date == decision.start_date
        assert entry.layout == "classic"
    assert report.failures == ()
    data = json.loads((tmp_path / "artifacts" / "report.json").read_text(encoding="utf-8"))
    assert data["counts"]["done"] == len(NAMES) and data["processed"] == len(NAMES) and data["per_minute"] > 0


def test_business_errors_go_to_staff_with_evidence(legacy_app: AppFactory, robot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    children = seed_children(5)
    decisions = [
        decision_for(children[0]),
        decision_for(children[1], nursery_id="N999"),  # unknown nursery code
        decision_for(children[2], start_date=children[2].birth_date.replace(month=1)),  # type: ignore[union-attr]
        decision_for(children[3], child_name="𠮷田 花子"),  # 𠮷 has no Shift_JIS code
        decision_for(children[4], application_id="R2027-999999"),  # not in the system
        decision_for(children[0], child_id="A999999"),  # the application exists, this child is not on it
    ]
    refused = RejectedDecision(
        7, "R2027-000007/A000007", "7件目の決定が不正です / item 7 is invalid: start_date"
    )
    with legacy_app(children) as app:
        report = robot(app, decisions, rejected=(refused,))  # the rest run; the refused one is reported
        assert set(_entered(app)) == {decisions[0].reference}
    assert report.counts[State.BUSINESS_ERROR] == 6 and report.counts[State.DONE] == 1
    staff = (tmp_path / "artifacts" / "staff-report.csv").read_text(encoding="utf-8-sig")
    assert "R2027-000007,A000007,,要確認 (業務エラー),0,7件目の決定が不正です" in staff
    assert (
        "R2027-000002,A000002,内定,要確認 (業務エラー),1,E102 施設コード N999 は登録されていません" in staff
    )
    messages = {f.reference: f for f in report.failures if f.attempts}
    assert {f.state for f in report.failures} == {State.BUSINESS_ERROR}
    assert all(f.attempts == 1 for f in messages.values())  # never retried
    assert "E102 施設コード N999" in messages["*****-***002/****002"].message
    assert "E104" in messages["*****-***003/****003"].message
    assert "U+20BB7" in messages["*****-***004/****004"].message
    assert "該当の申込" in messages["*****-***999/****005"].message
    assert "該当の申込" in messages["*****-***001/****999"].message
    for failure in messages.values():
        assert failure.screenshot and Path(failure.screenshot).stat().st_size > 0
        assert failure.trace and Path(failure.trace).stat().st_size > 0
        with zipfile.ZipFile(failure.trace) as archive:  # one item per trace: no other child's data
            network = archive.read("trace.network").decode("utf-8")
            everything = b"".join(archive.read(name) for name in archive.namelist())
        assert "/login" not in network, failure.reference
        if failure.reference != "*****-***001/****999":  # that item is on R2027-000001 itself
            # nor in the page snapshots: each recording starts from a blank work frame, not from the
            # previous item's 登録完了 page (which shows its 受付番号)
            assert decisions[0].application_id.encode() not in everything, failure.reference
    text = (tmp_path / "artifacts" / "report.json").read_text(encoding="utf-8")
    for decision in decisions:  # names and full ids stay out of the report
        assert decision.child_name not in text and decision.child_id not in text
    assert USER not in text and PASSWORD not in text
    assert not [p for p in (tmp_path / "artifacts").iterdir() if USER in p.name or PASSWORD in p.name]


def test_application_errors_are_retried_without_duplicates(
    legacy_app: AppFactory, robot, caplog, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    children = seed_children(5)
    forced = {
        "R2027-000001": ("500",),
        "R2027-000002": ("session",),
        "R2027-000003": ("timeout",),  # stored, then no answer
        "R2027-000004": ("slow",),  # no answer in time, stored a moment later
    }
    caplog.set_level("DEBUG")
    with legacy_app(children, forced_failures=forced, hang_seconds=4.5) as app:
        report = robot(app, [decision_for(c) for c in children])
        entered, logins = _entered(app), app.logins
        assert app.injected == ["500", "session", "timeout", "slow"]
    assert report.counts[State.DONE] == 5 and report.failures == ()
    assert entered == Counter({d: 1 for d in entered}) and len(entered) == 5
    assert logins >= 5  # first login + one after each failure
    # Both unanswered saves were stored: the retry found them on the screen and did not write again.
    assert report.already_entered == 2 and report.entered == 3
    assert USER not in caplog.text and PASSWORD not in caplog.text
    traces = list((tmp_path / "artifacts").glob("item-*.zip"))
    assert len(traces) == 4  # one per failed attempt, each with its screenshot
    assert len(list((tmp_path / "artifacts").glob("item-*.png"))) == 4
    for trace in traces:  # logging in again happens outside the traced part
        with zipfile.ZipFile(trace) as archive:
            assert archive.namelist()
            for name in archive.namelist():
                assert PASSWORD.encode() not in archive.read(name)


def test_session_expiry_logs_in_again(legacy_app: AppFactory, robot) -> None:  # type: ignore[no-untyped-def]
    # Eight saves of at least 0.4 s each outlast a 2.5-second session however fast the machine is, and
    # the session is long enough for one item after a login even on a loaded machine.
    children = seed_children(8)
    with legacy_app(children, session_seconds=2.5, processing_delay_ms=400) as app:
        report = robot(app, [decision_for(c) for c in children])
        entered, logins = _entered(app), app.logins
    assert report.counts[State.DONE] == 8 and max(entered.values()) == 1 and len(entered) == 8
    assert logins >= 2


def test_dry_run_fills_but_does_not_save(legacy_app: AppFactory, robot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    children = seed_children(3)
    with legacy_app(children) as app:
        report = robot(app, [decision_for(c) for c in children], dry_run=True)
        assert app.store.entries() == []
    assert report.filled_only == 3 and report.counts[State.NEW] == 3
    with WorkQueue(tmp_path / "queue.db") as queue:
        assert all(item.attempts == 0 for item in queue.items())


def test_second_recipe_modern_layout(legacy_app: AppFactory, robot) -> None:  # type: ignore[no-untyped-def]
    """The same engine drives the /v2/ screens (iframe, UTF-8, select, ISO date, modal) from its recipe."""
    children = seed_children(6)
    decisions = [decision_for(c, offer=i != 1) for i, c in enumerate(children)]
    decisions[4] = decision_for(children[4], nursery_id="N999")
    with legacy_app(children, forced_failures={"R2027-000003": ("session",)}) as app:
        registered = children[5]  # entered before: shown (表示) and compared, not entered again
        app.store.add_entry(
            uketsuke=registered.uketsuke, child_id=registered.child_id, name=registered.name, outcome="内定",
            nursery_code="N001", start_date=decisions[5].start_date, admission_kind=None, layout="modern",
        )  # fmt: skip
        report = robot(app, decisions, recipe="legacy-modern")
        entries = {e.child_id: e for e in app.store.entries() if e.child_id != registered.child_id}
    assert report.counts[State.DONE] == 5 and report.counts[State.BUSINESS_ERROR] == 1
    assert report.already_entered == 1 and report.entered == 4
    assert "E102" in report.failures[0].message
    assert {e.layout for e in entries.values()} == {"modern"} and len(entries) == 4
    for decision in decisions[:4]:
        entry = entries[decision.child_id]
        assert (entry.name, entry.outcome, entry.start_date) == (
            decision.child_name,
            decision.outcome.value,
            decision.start_date,
        )


def test_interrupted_item_is_checked_on_screen_before_writing(
    legacy_app: AppFactory, robot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A kill after the save reached the system but before the queue heard of it: no second entry, and
    the registered record is read back: the decided values → done; other values → staff, not done."""
    children = seed_children(3)
    decisions = [decision_for(c) for c in children]
    with legacy_app(children) as app:
        with WorkQueue(tmp_path / "queue.db") as queue:
            queue.add(decisions)
            queue.start(decisions[0].reference)
        for child, month in ((children[0], 4), (children[2], 5)):  # the third was stored with another date
            app.store.add_entry(
                uketsuke=child.uketsuke, child_id=child.child_id, name=child.name, outcome="内定",
                nursery_code="N001", start_date=dt.date(2027, month, 1), admission_kind="01", layout="classic",
            )  # fmt: skip
        report = robot(app, [])
        assert _entered(app) == Counter({d.reference: 1 for d in decisions})
    assert report.already_entered == 1 and report.entered == 1
    assert report.counts[State.BUSINESS_ERROR] == 1 and report.counts[State.DONE] == 2
    assert report.failures[0].message.startswith("登録済みの内容が決定と異なります (入所年月日(月))")
    with WorkQueue(tmp_path / "queue.db") as queue:
        assert "登録済み" in (queue.get(decisions[0].reference).note or "")


def test_wrong_password_stops_the_run(legacy_app: AppFactory, tmp_path: Path) -> None:
    from robots.credentials import Credentials
    from robots.recipe import load_recipe
    from robots.runner import run_robot

    children = seed_children(1)
    with legacy_app(children) as app, pytest.raises(LoginFailed):
        run_robot(
            load_recipe("legacy-classic"),
            Credentials.of(USER, "wrong"),
            base_url=app.base_url,
            queue_path=tmp_path / "q.db",
            artifacts_dir=tmp_path / "a",
            decisions=[decision_for(children[0])],
        )
    with WorkQueue(tmp_path / "q.db") as queue:
        assert queue.counts()[State.NEW] == 1


def test_missing_browser_is_a_clear_error(legacy_app: AppFactory, robot) -> None:  # type: ignore[no-untyped-def]
    from robots.errors import BrowserFailure

    children = seed_children(1)
    with legacy_app(children) as app, pytest.raises(BrowserFailure, match="browser start"):
        robot(app, [decision_for(children[0])], executable_path="/nonexistent/chromium")


def test_progress_counts_every_item_finished_with_whatever_its_outcome(
    legacy_app: AppFactory, tmp_path: Path
) -> None:
    from robots.credentials import Credentials
    from robots.recipe import load_recipe
    from robots.runner import RobotSettings, run_robot

    children = seed_children(3)
    decisions = [
        decision_for(children[0]),
        decision_for(children[1], nursery_id="N999"),
        decision_for(children[2]),
    ]
    seen: list[tuple[int, int]] = []
    with legacy_app(children) as app:
        report = run_robot(
            load_recipe("legacy-classic"),
            Credentials.of(USER, PASSWORD),
            base_url=app.base_url,
            queue_path=tmp_path / "queue.db",
            artifacts_dir=tmp_path / "artifacts",
            decisions=decisions,
            settings=RobotSettings(retry_pause_s=0.0, trace=False),
            on_progress=lambda done, total: seen.append((done, total)),
        )
    assert report.counts[State.DONE] == 2 and report.counts[State.BUSINESS_ERROR] == 1
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]  # the business error is finished with too
