"""A flow that is only the approval gate, for tests of the form (no OCR, no optimiser, no robot)."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from flows.approval import await_approval


@flow(name="approval-gate-test", persist_result=True)
def gate_flow(season: str) -> bool:
    root = Path(season)
    admission = root / "admission"
    return await_approval("# 結果概要\n\n- 内定 2\n", admission / "review.xlsx", root / "approval").approved
