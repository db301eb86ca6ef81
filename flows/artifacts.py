"""What the Prefect UI shows of a run: summary, per-nursery table, workbook link, batch progress.

Everything published here is counts, nursery names and masked ids (see flows.report); never a child's
or guardian's name, address or reason.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import cast
from uuid import UUID

from prefect.artifacts import (
    ProgressArtifact,
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.client.schemas.objects import Artifact as ArtifactResponse

from flows.report import SeasonSummary, nursery_table, summary_markdown
from flows.settings import FlowSettings

# Artifact keys: lowercase letters, digits and dashes. A key groups the artifact's versions across runs.
SUMMARY_KEY = "admission-summary"
NURSERY_TABLE_KEY = "nursery-placements"
WORKBOOK_LINK_KEY = "review-workbook"


def publish_summary(summary: SeasonSummary) -> None:
    create_markdown_artifact(
        summary_markdown(summary), key=SUMMARY_KEY, description="入所選考 結果概要 / admission summary"
    )
    create_table_artifact(
        nursery_table(summary),
        key=NURSERY_TABLE_KEY,
        description="園別 内定数・充足率 / placements and fill rate per nursery",
    )


def artifact_key(text: str) -> str:
    """Prefect keys allow lowercase letters, digits and dashes only."""
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "x"


def publish_nursery_tables(
    summary: SeasonSummary,
    placements: Mapping[str, Sequence[Mapping[str, object]]],
    key_prefix: str = "nursery",
) -> None:
    """One table per nursery (its key keeps the nursery's history across runs): who was placed, masked."""
    for nursery in summary.nurseries:
        if nursery.seats == 0 and not placements.get(nursery.id):
            continue
        create_table_artifact(
            [dict(row) for row in placements.get(nursery.id, ())],
            key=f"{key_prefix}-{artifact_key(nursery.id)}",
            description=f"{nursery.name} ({nursery.id}) 内定 {nursery.placed} / 募集 {nursery.seats}",
        )


def workbook_where(workbook: Path, settings: FlowSettings | None = None) -> str:
    """Where staff open the workbook, in words: the share's path for Explorer, the intranet link, or
    the server's own disk (with what to set so staff can open it from their PCs)."""
    settings = settings or FlowSettings.from_env()
    explorer = settings.explorer_path(workbook)
    if explorer:
        return f"共有フォルダ / shared folder: `{explorer}` (エクスプローラーか Excel の「開く」に貼り付け / paste into Explorer)"
    if settings.share_url:
        return f"共有フォルダから開けます / opens from the share: {settings.staff_link(workbook)}"
    return (
        f"サーバーのディスク / on the server's disk: `{workbook.resolve()}` (BODX_SHARE_URL を設定すると職員の PC "
        "から開ける場所になります / set BODX_SHARE_URL so staff can open it from their PCs)"
    )


def publish_workbook_link(workbook: Path) -> None:
    settings = FlowSettings.from_env()
    create_link_artifact(
        settings.staff_link(workbook),
        link_text=f"審査用ワークブック / review workbook: {workbook.name}",
        key=WORKBOOK_LINK_KEY,
        description=f"職員が確認・調整するワークブック / the workbook staff check: {workbook_where(workbook, settings)}",
    )


def publish_markdown(markdown: str, key: str, description: str) -> None:
    create_markdown_artifact(markdown, key=key, description=description)


def publish_table(rows: Sequence[Mapping[str, object]], key: str, description: str) -> None:
    create_table_artifact([dict(row) for row in rows], key=key, description=description)


def eta_text(seconds: float) -> str:
    """「残り約 2分」: what a clerk needs to know, not a stopwatch (under a minute: seconds by tens)."""
    if seconds < 60:
        return (
            f"残り約 {max(10, round(seconds / 10) * 10)}秒 / about {max(10, round(seconds / 10) * 10)} s left"
        )
    minutes = round(seconds / 60)
    return f"残り約 {minutes}分 / about {minutes} min left"


def progress_line(label: str, done: int, total: int, unit: str, elapsed: float) -> str:
    """「OCR 読み取り: 12 / 40 ファイル (残り約 2分)」: x / N and, once something is done, the ETA."""
    line = f"{label}: {done} / {total} {unit}"
    if done >= total:
        return f"{line} (完了 / done)"
    if done > 0 and elapsed > 0:
        return f"{line} ({eta_text(elapsed / done * (total - done))})"
    return line


class Progress:
    """A progress artifact for a long batch on the season's own run page (the root run), so a clerk
    following the season sees OCR, normalisation and the robot move; x / N and the ETA are in its
    description. Updated at most every `step` percent (and at the end) to spare the API."""

    def __init__(self, total: int, label: str, unit: str, step: float = 5.0) -> None:
        from prefect.runtime import flow_run

        self._total = max(total, 0)
        self._label, self._unit, self._step = label, unit, step
        self._shown = 0.0
        self._started = time.monotonic()
        root = flow_run.get_root_flow_run_id() if flow_run.get_id() else None
        artifact = ProgressArtifact(
            progress=0.0,
            description=progress_line(label, 0, self._total, unit, 0.0),
            flow_run_id=UUID(root) if root else None,
        )
        # Called from sync flow code, so Prefect's dispatcher runs it synchronously and returns the model.
        self._id = cast(ArtifactResponse, artifact.create()).id

    def update(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self._total = total
        percent = 100.0 if self._total == 0 else min(100.0, 100.0 * done / self._total)
        if percent - self._shown >= self._step or (percent == 100.0 and self._shown < 100.0):
            elapsed = time.monotonic() - self._started
            update_progress_artifact(
                self._id,
                percent,
                description=progress_line(self._label, done, self._total, self._unit, elapsed),
            )
            self._shown = percent
