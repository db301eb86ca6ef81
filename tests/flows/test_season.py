"""入所選考 end to end under prefect_test_harness: scans + ledger -> workbook -> approval -> legacy system.

Also the approval gate: the run suspends (no process waits), a rejection enters nothing, an approval
enters every decision.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from audit import SeasonLog, child_history, verify_season
from flows.demo import APPROVER, run_demo
from flows.params import ScaleOut
from matching.instance import load_instance
from matching.result import load_result
from notices._exec.pdf import first_page_png
from samples.legacy_app import read_entries

pytestmark = pytest.mark.slow


def _workbook_assignments(path: Path) -> dict[str, str | None]:
    sheet = load_workbook(path, read_only=True)["結果一覧"]
    rows = sheet.iter_rows(values_only=True)
    header = list(next(rows))
    child, assigned = header.index("児童番号"), header.index("内定施設番号")
    return {str(row[child]): (str(row[assigned]) if row[assigned] else None) for row in rows if row[child]}


def test_season_approved_enters_every_decision(prefect_harness: None, tmp_path: Path) -> None:
    run = run_demo(tmp_path, applicants=14, pages=2, seed=7, scale=ScaleOut(runner="threads"))
    assert run.state == "Completed"
    outcome = run.outcome
    assert outcome is not None and outcome.approved and outcome.entry is not None
    admission = outcome.work_dir / "admission"
    instance, result = load_instance(admission / "instance.json"), load_result(admission / "result.json")
    children = {c.id: c for c in instance.applications}

    # The workbook shows every child with the optimizer's placement.
    shown = _workbook_assignments(outcome.workbook)
    assert set(shown) == set(children)
    for child_id, nursery in result.assignments.items():
        if nursery is not None and nursery != children[child_id].current_nursery:
            assert shown[child_id] == nursery
    assert sum(1 for n in shown.values() if n) >= outcome.placed > 0

    # The legacy system holds one entry per child, matching the result.
    entries = {e.child_id: e for e in read_entries(run.legacy_db)}
    assert set(entries) == set(children) and outcome.entry.entered == len(children)
    for child_id, nursery in result.assignments.items():
        entry = entries[child_id]
        if nursery is None or nursery == children[child_id].current_nursery:
            assert entry.outcome == "保留" and entry.nursery_code is None
        else:
            assert entry.outcome == "内定" and entry.nursery_code == nursery

    # Scans were read; their applications either joined the run or are listed as issues.
    intake = outcome.work_dir / "intake"
    assert (intake / "readings.json").exists() and (intake / "review.xlsx").exists()
    issues = json.loads((outcome.work_dir / "records" / "issues.json").read_text(encoding="utf-8"))
    assert all("message" in issue for issue in issues)
    approval = json.loads((outcome.work_dir / "approval" / "approval.json").read_text(encoding="utf-8"))
    assert approval["approved"] is True

    # Right after approval: one letter per household of the run, printed and in the mail-merge data.
    households = {app_id for app_id in (c.sibling_group or c.id for c in instance.applications)}
    assert outcome.notices is not None and outcome.notices.combined.exists()
    assert outcome.notices.letters == len(list((outcome.work_dir / "notices" / "letters").glob("*.pdf"))) > 0
    assert outcome.notices.letters <= len(households) and approval["approver"] == APPROVER
    # The demo's data are synthetic: the first 内定 and the first 保留 letter are drawn into its folder.
    merge = (outcome.work_dir / "notices" / "差込データ.csv").read_bytes().decode("utf-8-sig")
    first: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(merge)):
        first.setdefault(row["区分"], row["受付番号"])
    for kind, name in (("内定", "notice_naitei.png"), ("保留", "notice_horyu.png")):
        letter = outcome.work_dir / "notices" / "letters" / f"{first[kind]}.pdf"
        image = Image.open(tmp_path / name)
        assert image.format == "PNG" and image.size == (827, 1170)  # A4 at 100 dpi
        assert (tmp_path / name).read_bytes() == first_page_png(letter, 100)

    # The season's audit log: every step once (the resumed run did not record the early steps again),
    # the approval with its approver, the robot's outcome per child; nothing changed since.
    report = verify_season(outcome.work_dir)
    assert report.ok and report.findings == (), report.findings
    entries = [json.loads(line) for line in SeasonLog(outcome.work_dir).read_lines()[0]]
    assert [e["action"] for e in entries] == [
        "season-start",
        "intake",
        "export",  # the OCR review workbook: crops of the forms
        "normalise",
        "admission",
        "export",
        "approval",
        "export",  # the letters, mail-merge data and name lists
        "export",  # the 回答記録 for the next round (二次調整)
        "robot",
    ]
    assert entries[6]["approval"]["approver"] == APPROVER
    assert any(f["path"].startswith("notices/letters/") for f in entries[7]["files"])
    assert entries[8]["files"][0]["path"] == "回答/回答記録.xlsx"
    assert {item["child_id"] for item in entries[9]["robot"]} == set(children)
    child = next(iter(children))
    assert [line.action for line in child_history(outcome.work_dir, child)] == [
        "admission",
        "export",
        "approval",
        "export",
        "export",
        "robot",
    ]


def test_rejection_enters_nothing(prefect_harness: None, tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client

    run = run_demo(tmp_path, applicants=8, pages=0, seed=3, approve=False)
    assert run.state == "差し戻し"  # completed, but not to be mistaken for an entered season
    assert run.outcome is not None and not run.outcome.approved and run.outcome.entry is None
    assert run.legacy_entries == 0 and read_entries(run.legacy_db) == []
    assert not (run.outcome.work_dir / "entry").exists()
    approval = json.loads((run.outcome.work_dir / "approval" / "approval.json").read_text(encoding="utf-8"))
    assert approval == {**approval, "approved": False}
    # The run really was suspended at the gate (Prefect keeps the state history).
    with get_client(sync_client=True) as client:
        history = [state.name for state in client.read_flow_run_states(run.flow_run_id)]
    assert "Suspended" in history and history[-1] == "差し戻し"
