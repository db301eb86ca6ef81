"""Staff adjustments (調整) read back from the review workbook and respected by `bodx match`."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class AdjustmentKind(StrEnum):
    PIN = "固定"  # the child is placed at this nursery whatever the optimizer would do
    EXCLUDE = "除外"  # the child is never placed at this nursery


class StaffAdjustment(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    child_id: str = Field(min_length=1)
    kind: AdjustmentKind
    nursery: str = Field(min_length=1)
