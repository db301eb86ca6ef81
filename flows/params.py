"""Typed flow parameters and step outcomes.

Parameters are pydantic models so the Prefect UI draws a proper form (Japanese titles, English
descriptions). Outcomes carry only paths and counts: they are the persisted results of the flows (needed
to resume a suspended season without redoing the earlier steps) and must never hold personal data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Params(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ScaleOut(_Params):
    """How OCR pages are spread over processes: the same flow code for one PC or a Dask cluster."""

    runner: Literal["dask", "threads"] = Field(
        "dask",
        title="実行方式",
        description="dask: Dask (LocalCluster or the scheduler below); threads: one process",
    )
    dask_address: str | None = Field(
        None,
        title="Dask スケジューラ",
        description="e.g. tcp://10.0.0.5:8786 for an existing cluster; empty starts a LocalCluster on this PC",
    )
    workers: int | None = Field(None, ge=1, le=256, title="ワーカー数", description="LocalCluster workers")


# --- outcomes (persisted; paths and counts only) ---


class IntakeOutcome(_Params):
    readings: Path  # JSON of OCR readings (personal data: stays in the data directory)
    review_queue: Path
    pages: int
    fields_to_review: int


class NormaliseOutcome(_Params):
    applications: Path
    nurseries: Path
    issues: Path
    applications_count: int
    issues_count: int


class AdmissionOutcome(_Params):
    instance: Path
    result: Path
    workbook: Path
    summary_markdown: str  # counts only: shown above the approval form
    placed: int
    waitlisted: int


class EntryOutcome(_Params):
    entered: int
    skipped: int
    failed: int
    log: Path


class SeasonOutcome(_Params):
    approved: bool
    comment: str
    workbook: Path
    entry: EntryOutcome | None
