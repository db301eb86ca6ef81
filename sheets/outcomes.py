"""Read admission outcomes (児童番号 -> 内定施設番号) from a workbook, for `bodx compare`.

Any sheet whose header row (within the first rows) holds both 児童番号 and 内定施設番号 is used: the
review workbook's 結果一覧 sheet, or a city's own manual result list. A blank 内定施設番号 means 保留.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from sheets.errors import LedgerFormatError, WorkbookRefusedError

CHILD_HEADER = "児童番号"
NURSERY_HEADER = "内定施設番号"
HEADER_SEARCH_ROWS = 20  # titles and notes may sit above the header row


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 101.0 typed as a number is nursery 101
    text = str(value).strip()
    return text or None


def read_outcomes(path: Path) -> dict[str, str | None]:
    """child id -> nursery id (None = 保留). Raises a :class:`~sheets.errors.SheetsError` naming the fix."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, InvalidFileException, KeyError, ValueError) as exc:
        raise WorkbookRefusedError(
            f"{path}: Excelファイルとして読めません / cannot open workbook: {exc}"
        ) from exc
    try:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            for row_number, row in enumerate(rows, start=1):
                if row_number > HEADER_SEARCH_ROWS:
                    break
                headers = [_text(cell) for cell in row]
                if CHILD_HEADER in headers and NURSERY_HEADER in headers:
                    return _read_body(path, sheet.title, rows, row_number, headers)
    finally:
        workbook.close()
    raise LedgerFormatError(
        f"{path}: 「{CHILD_HEADER}」と「{NURSERY_HEADER}」の両方がある見出し行が見つかりません。結果一覧のシートに"
        f"この2つの列見出しを付けてください / no sheet has a header row with both {CHILD_HEADER} and {NURSERY_HEADER}"
    )


def _read_body(
    path: Path, title: str, rows: Iterator[tuple[Any, ...]], header_row: int, headers: list[str | None]
) -> dict[str, str | None]:
    child_col, nursery_col = headers.index(CHILD_HEADER), headers.index(NURSERY_HEADER)
    outcomes: dict[str, str | None] = {}
    for row_number, row in enumerate(rows, start=header_row + 1):
        child = _text(row[child_col]) if child_col < len(row) else None
        if child is None:
            continue  # blank or spacer row
        nursery = _text(row[nursery_col]) if nursery_col < len(row) else None
        if child in outcomes:
            raise LedgerFormatError(
                f"{path} シート「{title}」{row_number}行目: 児童番号 {child} が2回あります。1行にまとめてください / "
                f"child {child} appears twice (row {row_number})"
            )
        outcomes[child] = nursery
    return outcomes
