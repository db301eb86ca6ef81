"""Staff adjustments (調整) read back from the review workbook and respected by `bodx match`."""

from __future__ import annotations

from decimal import Decimal
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


class StaffPoints(BaseModel):
    """Points staff add or take away for one child (職権調整), with the recorded reason.

    Read from the review workbook's 調整点 / 調整理由 columns (sheets.adjustments.read_staff_points) and
    shown in the child's breakdown; the rules file bounds them (`[meta] staff_points_max`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    child_id: str = Field(min_length=1)
    points: Decimal
    reason: str = Field(min_length=1, max_length=500)
