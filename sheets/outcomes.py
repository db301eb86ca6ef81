"""Read admission outcomes (児童番号 -> 内定施設番号) from a workbook, for callers that need only that.

The first sheet whose header row (within the first rows) holds 児童番号 and 内定施設番号 (or 内定施設) is
used: the review workbook's 結果一覧 sheet, or a city's own result list. A blank 内定施設番号 means 保留.
Reading goes through :func:`sheets.selection.read_selection` (safety checks, values only); manual
workbooks kept as one sheet per class or per nursery are read with that function directly.
"""

from __future__ import annotations

from pathlib import Path

from sheets.selection import read_selection


def read_outcomes(path: Path) -> dict[str, str | None]:
    """child id -> nursery id (None = 保留). Raises a :class:`~sheets.errors.SheetsError` naming the fix."""
    return read_selection(path, first_sheet_only=True).outcomes
