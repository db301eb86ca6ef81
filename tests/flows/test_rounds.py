"""二次調整 end to end under prefect_test_harness: the season (round 1) approved, staff answers typed into
its 回答記録, new applicants on a ledger, the round-2 run suspended for approval, approved, letters,
the next 回答記録, and the robot entering the round's decisions; one audit log for both rounds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import bodx.commands.rounds  # noqa: F401 - registers the commands
from audit import SeasonLog, child_history, verify_season
from bodx.app import app
from flows.demo import run_demo
from flows.demo_rounds import run_round_demo
from flows.params import ScaleOut
from matching.round_files import latest_round, load_holdings, manifests
from matching.round_report import ChangeReport
from matching.rounds import Holding
from samples.legacy_app import read_entries

pytestmark = pytest.mark.slow


def test_a_second_round_keeps_accepted_placements_and_enters_the_new_ones(
    prefect_harness: None, tmp_path: Path
) -> None:
    first = run_demo(tmp_path, applicants=24, pages=0, seed=5, scale=ScaleOut(runner="threads"))
    assert first.state == "Completed" and first.outcome is not None
    season = first.outcome.work_dir
    folder, one = latest_round(season)
    assert folder == season and one.round_id == "一次" and one.approved
    assert (season / "回答" / "回答記録.xlsx").is_file()

    second = run_round_demo(season, first.legacy_db, tmp_path / "round2", seed=5)
    assert second.state == "Completed", second
    outcome = second.outcome
    assert outcome is not None and outcome.approved and outcome.round_id == "二次"
    work = outcome.work_dir
    assert work == season / "rounds" / "二次"

    # Accepted round-1 placements did not move; the change report names every child that changed.
    report = ChangeReport.model_validate_json((work / "変更報告.json").read_bytes())
    assert report.checker_ok and report.status == "optimal"
    combined = json.loads((work / "admission" / "combined_result.json").read_text(encoding="utf-8"))
    round_one = json.loads((season / "admission" / "result.json").read_text(encoding="utf-8"))["assignments"]
    kept = [
        Holding.model_validate(h) for h in json.loads((work / "plan" / "holdings.json").read_text("utf-8"))
    ]
    assert kept and all(combined["assignments"][h.child_id] == round_one[h.child_id] for h in kept)
    rows = {row.child_id: row for row in report.children}
    assert {r.child_id for r in report.children if r.changed} == {c for c, r in rows.items() if r.changed}
    assert second.answers["辞退"] + second.answers["辞退・再選考"] >= 1
    declined = [r for r in report.children if r.after == "辞退"]
    assert declined and all(r.changed for r in declined)
    assert sum(1 for r in report.children if r.before == "新規申込") == second.new_applicants
    book = load_workbook(outcome.report, read_only=True)
    marked = {row[0] for row in book["変更一覧"].iter_rows(min_row=2, values_only=True) if row[6] == "○"}
    assert marked == {r.child_id for r in report.children if r.changed}

    # After approval: letters (決定 for the accepted), the next round's 回答記録, the robot's entries.
    assert outcome.notices is not None and outcome.notices.letters > 0
    assert outcome.responses_next is not None and outcome.responses_next.is_file()
    assert [m.round_id for _, m in manifests(season)] == ["一次", "二次"]
    assert load_holdings(work / "plan" / "holdings.json") == tuple(kept)
    mail = (work / "notices" / "差込データ.csv").read_bytes().decode("utf-8-sig")
    assert "決定" in mail
    assert outcome.entry is not None and outcome.entry.failed == 0, outcome.entry
    # The legacy system's latest record per child is this round's decision: new applicants entered, and
    # a record round 1 entered (保留, or a 内定 given back after 面接不可) changed through 変更.
    latest = {e.child_id: e for e in read_entries(first.legacy_db)}
    decided = json.loads((work / "admission" / "result.json").read_text(encoding="utf-8"))["assignments"]
    competing = {
        a["id"]: a
        for a in json.loads((work / "admission" / "instance.json").read_text("utf-8"))["applications"]
    }
    for child_id, nursery in decided.items():
        placed = nursery is not None and nursery != competing[child_id].get("current_nursery")
        assert (latest[child_id].outcome, latest[child_id].nursery_code) == (
            ("内定", nursery) if placed else ("保留", None)
        ), child_id
    # The 面接不可 child cannot have its nursery again: its round-1 内定 was changed, not entered twice.
    failed = next(r for r in report.children if "面接結果が不可" in r.reason)
    history = [e for e in read_entries(first.legacy_db) if e.child_id == failed.child_id]
    assert (
        len(history) == 2
        and history[0].outcome == "内定"
        and history[0].nursery_code != history[1].nursery_code
    )
    assert outcome.entry.entered >= second.new_applicants
    from flows.runs import read_run

    assert read_run(second.flow_run_id).name.startswith("2027年度 4月入所 二次選考")

    # One audit log for both rounds, nothing changed since; the round is recorded with its decisions.
    verdict = verify_season(season)
    assert verdict.ok and verdict.findings == (), verdict.findings
    actions = [json.loads(line)["action"] for line in SeasonLog(season).read_lines()[0]]
    first_round = actions[: actions.index("robot") + 1]
    assert first_round[-3:] == ["export", "export", "robot"]  # letters, 回答記録, robot
    assert actions[len(first_round) :] == [
        "normalise",
        "round",
        "match",
        "export",  # review workbook
        "export",  # change report
        "approval",
        "export",  # letters
        "export",  # next 回答記録
        "robot",
    ]
    # Any number of rounds by the same mechanism: the next one (三次) follows the approved 二次 folder.
    preview = CliRunner().invoke(app, ["round", "next", str(season), "--out", str(tmp_path / "三次")])
    assert preview.exit_code == 0, preview.output
    assert "二次 → 三次: optimal" in preview.output and "check: ok" in preview.output
    third = json.loads((tmp_path / "三次" / "変更報告.json").read_text(encoding="utf-8"))
    # Nobody answered the 二次 回答記録 yet: round 1's unanswered seats and every 二次 内定 are kept as they are.
    still_open = sum(1 for h in kept if not h.accepted) + outcome.placed
    assert third["counts"]["回答待ち / pending"] == still_open
    child = next(r.child_id for r in declined)
    history = [line.action for line in child_history(season, child)]
    assert "round" in history and history.count("approval") == 2
