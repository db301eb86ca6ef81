"""Cells that are always data: text that looks like a formula is stored as a string, never evaluated.

A child's name typed as `=HYPERLINK(...)`, `+81…`, `-`, `@SUM(…)` or starting with a tab or CR must reach
staff as the text it is (CSV/formula injection). openpyxl turns any str starting with `=` into a formula
and the error words (#N/A …) into error cells, so such values get an explicit string cell with Excel's
quote prefix (Excel then also keeps them as text when a user edits the cell).
"""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")


# The first characters of what needs a guard: one set look-up clears almost every value.
_GUARDED_FIRST = frozenset(text[0] for text in (*FORMULA_TRIGGERS, *ERROR_CODES))


def needs_text_guard(value: object) -> bool:
    return (
        isinstance(value, str)
        and value[:1] in _GUARDED_FIRST
        and (value.startswith(FORMULA_TRIGGERS) or value in ERROR_CODES)
    )


def text_cell(sheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=None)
    cell.value = value
    cell.data_type = "s"  # after the assignment: openpyxl decided "f" or "e" for such text
    cell.quotePrefix = True
    return cell


def safe_row(sheet: WriteOnlyWorksheet, values: list[object]) -> list[object]:
    """`values` with every formula-looking text replaced by a guarded string cell."""
    return [text_cell(sheet, v) if needs_text_guard(v) else v for v in values]  # type: ignore[arg-type]


def header_row(sheet: WriteOnlyWorksheet, labels: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for label in labels:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cells.append(cell)
    return cells


def wrapped_text(sheet: WriteOnlyWorksheet, value: str) -> WriteOnlyCell:
    """A multi-line text cell (wrap on), guarded like every other text."""
    cell = text_cell(sheet, value) if needs_text_guard(value) else WriteOnlyCell(sheet, value=value)
    cell.alignment = WRAP
    return cell
