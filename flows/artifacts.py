"""What the Prefect UI shows of a run: summary, per-nursery table, workbook link, batch progress.

Everything published here is counts, nursery names and masked ids (see flows.report); never a child's
or guardian's name, address or reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import cast
from uuid import UUID

from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)

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
    summary: SeasonSummary, placements: Mapping[str, Sequence[Mapping[str, object]]]
) -> None:
    """One table per nursery (its key keeps the nursery's history across runs): who was placed, masked."""
    for nursery in summary.nurseries:
        if nursery.seats == 0 and not placements.get(nursery.id):
            continue
        create_table_artifact(
            [dict(row) for row in placements.get(nursery.id, ())],
            key=f"nursery-{artifact_key(nursery.id)}",
            description=f"{nursery.name} ({nursery.id}) 内定 {nursery.placed} / 募集 {nursery.seats}",
        )


def publish_workbook_link(workbook: Path) -> None:
    settings = FlowSettings.from_env()
    where = (
        "共有フォルダから開けます / opens from the shared folder"
        if settings.share_url
        else "サーバーのこの場所にあります (BODX_SHARE_URL を設定すると職員のPCから開けるリンクになります) / "
        "on the server's disk (set BODX_SHARE_URL for a link staff can open)"
    )
    create_link_artifact(
        settings.staff_link(workbook),
        link_text=f"審査用ワークブック / review workbook: {workbook.name}",
        key=WORKBOOK_LINK_KEY,
        description=f"職員が確認・調整するワークブック: {where}: {workbook.resolve()}",
    )


def publish_markdown(markdown: str, key: str, description: str) -> None:
    create_markdown_artifact(markdown, key=key, description=description)


def publish_table(rows: Sequence[Mapping[str, object]], key: str, description: str) -> None:
    create_table_artifact([dict(row) for row in rows], key=key, description=description)


class Progress:
    """A progress artifact for a long batch, updated at most every `step` percent to spare the API."""

    def __init__(self, total: int, description: str, step: float = 5.0) -> None:
        self._total = max(total, 1)
        self._step = step
        self._shown = 0.0
        # Called from sync flow code, so Prefect's dispatcher runs it synchronously and returns the id.
        self._id = cast(UUID, create_progress_artifact(0.0, description=description))

    def update(self, done: int) -> None:
        percent = min(100.0, 100.0 * done / self._total)
        if percent - self._shown >= self._step or (percent == 100.0 and self._shown < 100.0):
            update_progress_artifact(self._id, percent)
            self._shown = percent
