"""The audit hooks of a later round (二次調整 …): what the round kept, returned and decided, per child.

Every round appends to the one log of the season folder, so `bodx audit show --child` tells a child's
whole season (一次 内定, 承諾 or 辞退, 二次 内定 …) and `bodx audit verify` covers every round's files.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from audit import AuditEvent, FileRef, current_actor
from audit.decisions import adjustment_records, placement_notes
from audit.log import find_season_dir
from audit.replay import replay_settings
from flows.audit_trail import record, record_export
from matching.adjustments import StaffAdjustment
from matching.round_solve import RoundSolution
from matching.rounds import RoundPlan
from sheets.round_outputs import RoundFiles


def _files(role: str, paths: Iterable[Path | None]) -> tuple[FileRef, ...]:
    return tuple(FileRef.model_validate({"path": p, "role": role}) for p in paths if p is not None)


def round_notes(plan: RoundPlan) -> dict[str, str]:
    """child id -> what the round did with it before solving (ids and nursery ids only)."""
    notes: dict[str, str] = {}
    for holding in plan.holdings:
        state = "承諾 (確定)" if holding.accepted else "回答待ち (席を確保)"
        notes[holding.child_id] = f"{plan.round_id}: {state} {holding.nursery}"
    for release in plan.released:
        rejoin = " → 再選考" if release.rejoins else ""
        notes[release.holding.child_id] = (
            f"{plan.round_id}: {release.state.value} {release.holding.nursery} (席を返還){rejoin}"
        )
    for child_id in plan.withdrawn:
        notes[child_id] = f"{plan.round_id}: 取下げ"
    new = set(plan.new_applications)
    for app in plan.competing:
        if app.id in new:
            for child in app.children:
                notes.setdefault(child.id, f"{plan.round_id}: 新規申込")
    return notes


def record_round_plan(
    plan_file: Path, plan: RoundPlan, inputs: Iterable[Path | None], outputs: Iterable[Path]
) -> None:
    kept = len(plan.holdings)
    record(
        plan_file,
        AuditEvent(
            action="round",
            actor=current_actor(),
            files=_files("input", inputs) + _files("output", outputs),
            children=round_notes(plan),
            summary=(
                f"{plan.previous_round} → {plan.round_id}: 確保 {kept}, 返還 {len(plan.released)}, "
                f"新規 {len(plan.new_applications)}, 要確認 {len(plan.issues)}"
            ),
            details={"round": plan.round_id, "previous_round": plan.previous_round},
        ),
        "round-plan",
    )


def record_round_match(
    files: RoundFiles,
    solution: RoundSolution,
    staff: Sequence[StaffAdjustment],
    time_limit: float,
    round_id: str,
) -> None:
    """The round's optimisation as a replayable `match` entry (its instance and adjustments file), then
    the review workbook and the change report as exports (both show names)."""
    settings = replay_settings(
        find_season_dir(files.result),
        instance=files.instance,
        adjustments=files.adjustments,
        time_limit=time_limit,
        workers=1,
        exact=False,
        result_out=files.result,
    )
    result = solution.result
    record(
        files.result,
        AuditEvent(
            action="match",
            actor=current_actor(),
            files=_files("input", (files.instance, files.adjustments))
            + _files("output", (files.result, files.combined, files.combined_result, files.letters)),
            adjustments=adjustment_records(staff),
            children=placement_notes(solution.instance, result),
            summary=f"{round_id} {result.status}: 内定 {result.placed} / {len(result.assignments)}, "
            f"検証 {'ok' if solution.check.ok else 'NG'}",
            details={"replay": settings, "round": round_id},
        ),
        "round-match",
    )
    children = len(solution.instance.applications)
    record_export(files.workbook, f"{round_id} 審査用ワークブック / review workbook", f"児童 {children} 人")
    record_export(
        files.report, f"{round_id} 変更報告 / change report", f"児童 {len(solution.combined.applications)} 人"
    )
