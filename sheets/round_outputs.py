"""Every file a solved round (二次調整 …) leaves in its folder, written the same way by the flow and by
`bodx round next`: 0600 files in 0700 folders, atomically.

    admission/instance.json, result.json      the round: competing children, the seats it offered
    admission/adjustments.json                what the solver respected (除外 carried + staff 調整)
    admission/applications.json               the competing children's applications (what the robot enters)
    admission/combined.json, combined_result.json   the season as it stands (kept placements pinned)
    admission/letters.json                    決定 / no line per child for the round's letters
    admission/review.xlsx                     the review workbook of the round (調整 columns as in round 1)
    変更報告.xlsx, 変更報告.json               the change report
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter

from matching.adjustments import StaffAdjustment
from matching.files import write_text_atomically
from matching.records import Application
from matching.round_report import ChangeReport
from matching.round_solve import RoundSolution, combined_result
from matching.rounds import RoundLetters, RoundPlan
from sheets.issues import LedgerIssue, Severity
from sheets.review import ReviewInput, write_review_workbook
from sheets.round_report import write_change_report

REPORT_NAME = "変更報告"
_ADJUSTMENTS = TypeAdapter(tuple[StaffAdjustment, ...])
_APPLICATIONS = TypeAdapter(tuple[Application, ...])


@dataclass(frozen=True)
class RoundFiles:
    instance: Path
    result: Path
    adjustments: Path
    applications: Path
    combined: Path
    combined_result: Path
    letters: Path
    workbook: Path
    report: Path
    report_json: Path


def plan_issues(plan: RoundPlan) -> tuple[LedgerIssue, ...]:
    """The round's own issues as issue rows (入力チェック of the review workbook)."""
    severity = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}
    return tuple(
        LedgerIssue(
            file=f"{plan.round_id} 選考回の準備",
            raw=issue.child_id or issue.application_id,
            message=issue.message,
            severity=severity[issue.severity],
        )
        for issue in plan.issues
    )


def write_round_outputs(
    plan: RoundPlan,
    solution: RoundSolution,
    report: ChangeReport,
    out_dir: Path,
    *,
    staff_adjustments: Sequence[StaffAdjustment] = (),
    ledger_issues: Sequence[LedgerIssue] = (),
    reading_issues: Sequence[LedgerIssue] = (),
    points_scale: int = 1,
    source_files: Sequence[Path] = (),
    stamp: dt.datetime,
) -> RoundFiles:
    admission = out_dir / "admission"

    def text(name: str, content: str) -> Path:
        return write_text_atomically(admission / name, content)

    competing_ids = {a.id for a in solution.instance.applications}
    review = ReviewInput(
        admission_year=plan.admission_year,
        applications=plan.competing,
        nurseries=plan.nurseries,
        priorities=tuple(p for p in solution.priorities if p.child_id in competing_ids),
        result=solution.result,
        issues=(*ledger_issues, *reading_issues, *plan_issues(plan)),
        adjustments=tuple(staff_adjustments),
        source_files=tuple(source_files),
        generated_at=stamp,
        title=f"保育所等利用調整 結果確認 ({plan.round_id})",
        points_scale=points_scale,
    )
    return RoundFiles(
        instance=text("instance.json", solution.instance.to_json()),
        result=text("result.json", solution.result.to_json()),
        adjustments=text(
            "adjustments.json", _ADJUSTMENTS.dump_json(solution.adjustments, indent=1).decode() + "\n"
        ),
        applications=text(
            "applications.json", _APPLICATIONS.dump_json(plan.competing, indent=1).decode() + "\n"
        ),
        combined=text("combined.json", solution.combined.to_json()),
        combined_result=text("combined_result.json", combined_result(solution).to_json()),
        letters=text("letters.json", RoundLetters.of(plan).model_dump_json(indent=1) + "\n"),
        workbook=write_review_workbook(review, admission / "review.xlsx", overwrite=True),
        report=write_change_report(
            report,
            out_dir / f"{REPORT_NAME}.xlsx",
            applications=plan.applications,
            reading_issues=reading_issues,
            stamp=stamp,
        ),
        report_json=write_text_atomically(out_dir / f"{REPORT_NAME}.json", report.to_json()),
    )
