"""The season flow's audit hooks: each step appends what it read, wrote and decided to the season's log.

A step finds the log from its own output folder (the season folder is the nearest parent with
`audit/log.jsonl`), so a step run on its own inside a season folder (admission re-run after 調整) is
recorded too, and a step run elsewhere records nothing. Each entry is keyed by the flow run and step:
a season resumed after approval re-runs its body, and a step already recorded is not recorded twice.
After each entry the chain head goes to the run as the `audit-head` artifact: the server's copy, which
`bodx audit verify --head` compares with the log. Artifacts carry counts and hashes only.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from prefect.runtime import flow_run

from audit import (
    Approval,
    AuditEntry,
    AuditEvent,
    FileRef,
    SeasonLog,
    current_actor,
    find_season_dir,
)
from audit.decisions import adjustment_records, placement_notes
from audit.records import sha256_file
from audit.replay import replay_settings
from flows.artifacts import publish_markdown
from flows.params import AdmissionParams, EntryParams, IntakeOutcome, NormaliseOutcome, NormaliseParams
from matching.instance import Instance
from matching.result import MatchResult

HEAD_KEY = "audit-head"


def _run() -> dict[str, str | int | bool | None]:
    return {"flow_run": str(flow_run.get_name() or ""), "flow_run_id": str(flow_run.get_id() or "")}


def _files(role: str, paths: Iterable[Path | None]) -> tuple[FileRef, ...]:
    return tuple(FileRef.model_validate({"path": p, "role": role}) for p in paths if p is not None)


def head_marker(season: Path) -> str:
    """How an audit-head artifact names its season (`bodx audit verify --from-server` looks for it)."""
    return f"bodx audit verify {season}"


def record(near: Path, event: AuditEvent, step: str) -> AuditEntry | None:
    """Append `event` to the log of the season folder holding `near`; None outside a season folder."""
    season = find_season_dir(near)
    if season is None:
        return None
    run_id = flow_run.get_id()
    event = event.model_copy(update={"details": {**_run(), **event.details}})
    entry = SeasonLog(season).append(event, once=f"{run_id}:{step}" if run_id else None)
    publish_markdown(
        f"# 監査ログの先頭 / audit chain head\n\n- 記録 / entries: **{entry.seq}** (最新: {entry.action})\n"
        f"- 先頭 / head: `{entry.seq}:{entry.hash}`\n\n"
        f"`{head_marker(season)} --head {entry.seq}:{entry.hash}` で改ざんがないか確かめられます / "
        "checks the season's files and log against this copy",
        key=HEAD_KEY,
        description="監査ログの先頭ハッシュ (サーバー側の控え) / the audit chain head, kept by the server",
    )
    return entry


def start_season(work_dir: Path, profile: Path, admission_year: int) -> None:
    """Create the season's log (audit/ 0700, log 0600) and record the start with the profile version."""
    SeasonLog.create(work_dir)
    record(
        work_dir,
        AuditEvent(
            action="season-start",
            actor=current_actor(),
            profile=profile,
            summary=f"入所年度 {admission_year} の選考開始 / season started",
            details={"admission_year": admission_year},
        ),
        "season-start",
    )


def record_intake(scans: Path, templates: Path | None, outcome: IntakeOutcome) -> None:
    record(
        outcome.readings,
        AuditEvent(
            action="intake",
            actor=current_actor(),
            files=_files("input", (scans, templates))
            + _files("output", (outcome.readings, outcome.review_queue)),
            summary=f"OCR {outcome.pages} 枚, 要確認 {outcome.fields_to_review} 項目 / pages, fields to review",
        ),
        "intake",
    )
    # The OCR review workbook shows crops of the forms (names, addresses): an export too.
    record_export(outcome.review_queue, "OCR 確認シート / OCR review workbook", f"{outcome.pages} 枚", False)


def record_normalise(params: NormaliseParams, outcome: NormaliseOutcome) -> None:
    inputs = [p for source in params.ledgers for p in (source.ledger, source.mapping)]
    record(
        outcome.applications,
        AuditEvent(
            action="normalise",
            actor=current_actor(),
            files=_files("input", (*inputs, params.readings, params.review_queue, params.nurseries))
            + _files("output", (outcome.applications, outcome.nurseries, outcome.issues)),
            summary=f"申込 {outcome.applications_count} 件, 入力チェック {outcome.issues_count} 件",
        ),
        "normalise",
    )


def record_admission(
    params: AdmissionParams,
    rules: Path,
    instance_file: Path,
    result_file: Path,
    workbook: Path,
    instance: Instance,
    result: MatchResult,
    adjustments: Iterable[object],
) -> None:
    """The decision per child (with its priority), the adjustments used, then the workbook as an export."""
    children = placement_notes(instance, result)
    inputs = (params.applications, params.nurseries, params.issues, params.adjustments_from)
    settings = replay_settings(
        find_season_dir(workbook),
        applications=params.applications,
        nurseries=params.nurseries,
        rules=rules,
        adjustments=params.adjustments_from,
        admission_year=params.admission_year,
        time_limit=params.time_limit,
        instance_out=instance_file,
        result_out=result_file,
    )
    record(
        workbook,
        AuditEvent(
            action="admission",
            actor=current_actor(),
            files=_files("input", inputs) + _files("output", (instance_file, result_file, workbook)),
            rules=rules,
            adjustments=adjustment_records(adjustments),
            children=children,
            summary=f"{result.status}: 内定 {result.placed} / {len(result.assignments)}",
            details={"replay": settings},
        ),
        "admission",
    )
    record_export(workbook, "審査用ワークブック / review workbook", f"児童 {len(children)} 人")


def record_export(path: Path, what: str, count: str, every_child: bool = True) -> None:
    """A file with personal data handed to staff: recorded as an access (who, when, which file).
    `every_child`: the file holds the whole season, so the access shows in each child's history."""
    record(
        path,
        AuditEvent(
            action="export",
            actor=current_actor(),
            files=_files("access", (path,)),
            season_wide=every_child,
            summary=f"{what}: {path.name} ({count})",
        ),
        f"export:{path.resolve()}",
    )


def record_approval(
    record_dir: Path, approved: bool, approver: str, comment: str, files: Iterable[Path]
) -> None:
    approved_files = tuple(files)
    result = next((p for p in approved_files if p.name == "result.json"), None)
    record(
        record_dir,
        AuditEvent(
            action="approval",
            actor=approver,
            files=_files("input", approved_files) + _files("output", (record_dir / "approval.json",)),
            approval=Approval(
                approved=approved,
                approver=approver,
                comment=comment,
                result_sha256=sha256_file(result)[0] if result and result.is_file() else None,
            ),
            season_wide=True,
            summary="承認 / approved" if approved else "差し戻し / rejected",
        ),
        "approval",
    )


def record_entry(params: EntryParams, decisions: Path, report_dir: Path, counts: str) -> None:
    from audit.robot import robot_outcomes
    from robots.report import STAFF_REPORT_NAME

    staff = report_dir / STAFF_REPORT_NAME
    record(
        params.out_dir,
        AuditEvent(
            action="robot",
            actor=current_actor(),
            files=_files("input", (params.result, decisions))
            + _files("output", (report_dir / "report.json",))
            + _files("access", (staff,) if staff.is_file() else ()),
            robot=robot_outcomes(params.out_dir / "queue.sqlite"),
            summary=counts,
            details={"legacy_url": params.legacy_url, "recipe": params.recipe},
        ),
        "robot",
    )
