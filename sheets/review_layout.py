"""Layout every review sheet shares: widths, frozen header, filter, A4 print setup with header and footer,
row heights for wrapped text, and the input cells staff fill in on a protected sheet.

Write-only sheets need all of this before the first row is appended.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Border, PatternFill, Protection, Side
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from sheets.cells import WRAP, needs_text_guard
from sheets.xlsx_rows import Styled
from sheets.xlsx_stream import column_letters

CONFIDENTIAL = "個人情報取扱注意"
LINE_HEIGHT = 15.0  # points per text line at the default 11pt font
MAX_ROW_HEIGHT = 409.0  # Excel's limit
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: 入力欄
INPUT_BORDER = Border(*(Side(style="thin", color="BF9000"),) * 4)
UNLOCKED = Protection(locked=False)
WAITING_FILL = PatternFill("solid", fgColor="FCE4D6", bgColor="FCE4D6")  # light orange: 保留


def prepare_sheet(
    sheet: WriteOnlyWorksheet, columns: Sequence[tuple[str, float]], rows: int, freeze: str = "B2"
) -> None:
    for index, (_label, width) in enumerate(columns):
        sheet.column_dimensions[column_letters(index)].width = width
    sheet.freeze_panes = freeze
    last = column_letters(len(columns) - 1)
    sheet.auto_filter.ref = f"A1:{last}{max(rows, 1) + 1}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    print_header_footer(sheet)


def print_header_footer(sheet: WriteOnlyWorksheet) -> None:
    """Every printed page says it holds personal data, which sheet, page x / y and the print date."""
    for header, footer in ((sheet.oddHeader, sheet.oddFooter), (sheet.firstHeader, sheet.firstFooter)):
        header.left.text = "&A"  # sheet name
        header.right.text = CONFIDENTIAL
        header.right.color = "C00000"
        footer.left.text = CONFIDENTIAL
        footer.center.text = "&P / &N ページ"
        footer.right.text = "印刷日 &D"


def text_lines(text: str, width: float) -> int:
    """Lines `text` takes in a wrapped cell `width` characters wide. Full-width characters count twice:
    estimated from their UTF-8 length (3 bytes each; 1 for ASCII), much faster than per-character
    width lookups."""
    total = 0
    for line in text.split("\n"):
        used = len(line) + (len(line.encode()) - len(line)) / 2
        total += max(1, math.ceil(used / max(width - 1, 1)))
    return total


def row_height(lines: int) -> dict[str, str] | None:
    """The row attributes giving a row room for `lines` lines (RowWriter.append's `height`); one-line
    rows keep the default height (None)."""
    return _row_height_attributes(lines) if lines > 1 else None


@functools.cache
def _row_height_attributes(lines: int) -> dict[str, str]:
    return {"ht": str(min(LINE_HEIGHT * lines + 3, MAX_ROW_HEIGHT)), "customHeight": "1"}


class StyledCells:
    """Cells of one style, built once per sheet: setting fill, border, protection or alignment per
    cell costs seconds at 30,000 rows. Text is guarded like every other cell. The cells are for a
    RowWriter (sheets.xlsx_rows.Styled: the value with this style, no Cell made per value)."""

    def __init__(self, sheet: WriteOnlyWorksheet, **style: object) -> None:
        self.sheet = sheet
        template = WriteOnlyCell(sheet)
        for name, value in style.items():
            setattr(template, name, value)
        self._style = template._style

    def __call__(self, value: object) -> Styled:
        return Styled(value, self._style, isinstance(value, str) and needs_text_guard(value))


def input_cells(sheet: WriteOnlyWorksheet) -> StyledCells:
    """Cells staff fill in: light yellow, unlocked on the protected sheet."""
    return StyledCells(sheet, fill=INPUT_FILL, border=INPUT_BORDER, protection=UNLOCKED)


def wrapped_cells(sheet: WriteOnlyWorksheet) -> StyledCells:
    """Multi-line text, top-aligned (like :func:`sheets.cells.wrapped_text`, faster for many rows)."""
    return StyledCells(sheet, alignment=WRAP)


def protect_keeping_filters(sheet: WriteOnlyWorksheet) -> None:
    """Protect the sheet (no password: 校閲 → シート保護の解除 lifts it) so only unlocked input cells take
    typing; filtering, sorting and resizing stay allowed (False = not protected in openpyxl's flags).
    Excel still refuses to sort ranges with locked cells on a protected sheet, whatever the flag says."""
    protection = sheet.protection
    protection.sheet = True
    protection.autoFilter = False
    protection.sort = False
    protection.formatColumns = False
    protection.formatRows = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


def highlight_rows(sheet: WriteOnlyWorksheet, columns: int, rows: int, test_column: int, value: str) -> None:
    """Fill whole data rows whose `test_column` (0-based) holds `value` (conditional: survives sorting)."""
    letter = column_letters(test_column)
    area = f"A2:{column_letters(columns - 1)}{max(rows, 1) + 1}"
    sheet.conditional_formatting.add(area, FormulaRule(formula=[f'${letter}2="{value}"'], fill=WAITING_FILL))
