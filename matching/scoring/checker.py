"""Collect rules-file problems with the line each one is on, and the value checks every table shares."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from matching.config import ConfigProblems, KeyPath
from matching.config import unknown_keys as unknown_keys  # re-exported for the section loaders
from matching.errors import RulesError
from matching.limits import DEFAULT_LIMITS
from matching.records import AdjustmentFlag


def choices(values: Any) -> str:
    return ", ".join(str(v) for v in values)


class Checker(ConfigProblems):
    """Collects rules-file problems with the line each one is on."""

    def __init__(self, text: str, where: str) -> None:
        super().__init__(text, where, RulesError, "規則ファイルに誤りがあります / the rules file has errors")


def points_value(check: Checker, value: Any, path: KeyPath, scale: int) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        check.add(
            path, f"点数 {value!r} は数値にしてください (例: 8 や 1.5)", f"points {value!r} must be a number"
        )
        return Decimal(0)
    points = Decimal(value)
    bound = DEFAULT_LIMITS.max_abs_points
    if not points.is_finite() or abs(points) > bound or abs(points * scale) > DEFAULT_LIMITS.max_abs_score:
        check.add(
            path,
            f"点数 {value} は ±{bound:,} 以内の有限の数にしてください (点数×scale は ±{DEFAULT_LIMITS.max_abs_score:,} 以内)",
            f"points {value} must be a finite number within ±{bound:,} (max_abs_points; points x scale within "
            f"±{DEFAULT_LIMITS.max_abs_score:,}, max_abs_score)",
        )
        return Decimal(0)
    if (points * scale) != (points * scale).to_integral_value():
        check.add(
            path,
            f"点数 {points} に scale {scale} を掛けると整数になりません。[meta] の scale を大きく (例: 100) してください",
            f"points {points} x scale {scale} is not an integer; raise scale in [meta] (e.g. 100)",
        )
    return points


def flag_value(check: Checker, value: Any, path: KeyPath) -> AdjustmentFlag | None:
    try:
        return AdjustmentFlag(value)
    except ValueError:
        check.add(
            path,
            f"条件「{value}」はありません。使える条件: {choices(f.value for f in AdjustmentFlag)}",
            f"unknown household flag {value!r}",
        )
        return None
