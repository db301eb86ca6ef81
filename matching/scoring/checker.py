"""Collect rules-file problems with the line each one is on, and the value checks every table shares."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from matching.errors import RulesError
from matching.records import AdjustmentFlag
from matching.scoring.toml_lines import KeyPath, LineIndex


def choices(values: Any) -> str:
    return ", ".join(str(v) for v in values)


class Checker:
    """Collects problems with the line each one is on."""

    def __init__(self, text: str, where: str) -> None:
        self._index = LineIndex(text)
        self._where = where
        self.problems: list[tuple[int, str]] = []

    def add(self, path: KeyPath, ja: str, en: str) -> None:
        line = self._index.line_of(path) or 1
        self.problems.append((line, f"{self._where}:{line}: {ja} / {en}"))

    def line_of(self, path: KeyPath) -> int:
        return self._index.line_of(path) or 1

    def add_missing(self, ja: str, en: str) -> None:
        """A table that is not in the file at all: point at the end, where it can be added."""
        line = self._index.last_line
        self.problems.append((line, f"{self._where}:{line}: {ja} / {en}"))

    def raise_if_any(self) -> None:
        if self.problems:
            lines = [message for _, message in sorted(self.problems, key=lambda item: item[0])]
            raise RulesError("規則ファイルに誤りがあります / the rules file has errors:\n" + "\n".join(lines))


def unknown_keys(check: Checker, table: Mapping[str, Any], allowed: set[str], path: KeyPath) -> None:
    for key in table:
        if key not in allowed:
            check.add(
                (*path, key),
                f"「{key}」は使えない項目です。使える項目: {choices(sorted(allowed))}",
                f"unknown key {key!r}; allowed: {choices(sorted(allowed))}",
            )


def points_value(check: Checker, value: Any, path: KeyPath, scale: int) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        check.add(
            path, f"点数 {value!r} は数値にしてください (例: 8 や 1.5)", f"points {value!r} must be a number"
        )
        return Decimal(0)
    points = Decimal(value)
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
