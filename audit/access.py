"""Record an export of personal data (a workbook, letters, a CSV for staff) as an access to the data.

For code that writes such files outside the flows (e.g. a notices/letters writer): call
`record_access(path, "通知書")` after writing; it appends to the log of the season folder holding
`path` (or `season_dir`), and does nothing outside a season folder.
"""

from __future__ import annotations

from pathlib import Path

from audit.log import SeasonLog, find_season_dir
from audit.records import AuditEntry, AuditEvent, FileRef, current_actor


def record_access(
    path: Path,
    what: str,
    *,
    count: str = "",
    actor: str | None = None,
    season_dir: Path | None = None,
    once: str | None = None,
) -> AuditEntry | None:
    """`what`: the kind of export (「審査用ワークブック」, 「通知書」); `count`: e.g. 「児童 62 人」."""
    season = season_dir if season_dir is not None else find_season_dir(path)
    if season is None:
        return None
    event = AuditEvent(
        action="export",
        actor=actor or current_actor(),
        files=(FileRef(path=path, role="access"),),
        season_wide=True,
        summary=f"{what}: {path.name}" + (f" ({count})" if count else ""),
    )
    return SeasonLog.create(season).append(event, once=once)
