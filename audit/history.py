"""The history of one child in a season's log: every entry that decided something for it, plus the
season-wide ones (approval, exports of personal data) that covered it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from audit.log import SeasonLog
from audit.records import AuditEntry


@dataclass(frozen=True)
class HistoryLine:
    seq: int
    time: str
    actor: str
    action: str
    detail: str
    about_child: bool  # False: a season-wide entry (approval, export) that covered the child


def child_history(season_dir: Path, child_id: str) -> list[HistoryLine]:
    """In log order. Entries that cannot be read are left out here; `verify_season` names them."""
    lines, _ = SeasonLog.open(season_dir).read_lines()
    history = []
    for line in lines:
        try:
            entry = AuditEntry.model_validate(json.loads(line))
        except (ValueError, ValidationError):
            continue
        details = _details(entry, child_id)
        if details:
            own = (
                child_id in entry.children
                or any(item.child_id == child_id for item in entry.adjustments)
                or any(item.child_id == child_id for item in entry.robot)
            )
            history.append(
                HistoryLine(entry.seq, entry.time, entry.actor, entry.action, " / ".join(details), own)
            )
    return history


def _details(entry: AuditEntry, child_id: str) -> list[str]:
    details = []
    if child_id in entry.children:
        details.append(entry.children[child_id])
    for adjustment in entry.adjustments:
        if adjustment.child_id == child_id:
            what = " ".join(x for x in (adjustment.kind, adjustment.nursery, adjustment.points) if x)
            details.append(f"調整 {what}" + (f" (理由: {adjustment.reason})" if adjustment.reason else ""))
    for item in entry.robot:
        if item.child_id == child_id:
            message = f": {item.message}" if item.message else ""
            details.append(f"入力 {item.decision} → {item.state}{message}")
    if entry.approval is not None and (details or entry.season_wide):
        verdict = "承認" if entry.approval.approved else "差し戻し"
        comment = f" 「{entry.approval.comment}」" if entry.approval.comment else ""
        details.append(f"{verdict} (承認者 {entry.approval.approver}){comment}")
    elif entry.season_wide and not details:
        details.append(entry.summary or entry.action)
    return details
