"""RowWriter writes exactly the bytes openpyxl's own write-only append writes, for every kind of value."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from sheets.cells import header_row, safe_row, text_cell
from sheets.deterministic import workbook_bytes
from sheets.review_layout import input_cells, row_height, wrapped_cells
from sheets.xlsx_rows import RowWriter, Styled

STAMP = dt.datetime(2026, 1, 1)
TEXTS = [
    "", " ", "a", "ひらがな 漢字", " lead", "trail ", "\u3000全角\u3000", "a&b<c>d\"e'f", "]]>", "&amp;", "line\nbreak",
    "tab\there", "cr\rhere", "del\x7fx", "nel\x85x", "c1\x9f", "nbsp\xa0", "\u2028", "😀", "\U0010fffd", "\ud7ff\ue000",
    "\ufffd", "=", "=SUM(1)", "+81", "-", "@x", "#N/A", "#DIV/0!", "#x", "x" * 32_767, "y" * 40_000, "=" + "z" * 40_000,
]  # fmt: skip
NUMBERS = [
    0,
    1,
    -7,
    2**53 + 1,
    10**20,
    0.5,
    -0.0,
    1e-300,
    1.7976931348623157e308,
    float("nan"),
    float("inf"),
    12.25,
]


def _rows(sheet: object) -> list[tuple[list[object], dict[str, str] | None]]:
    bold = WriteOnlyCell(sheet, value="見出し")
    bold.font = Font(bold=True)
    filled = WriteOnlyCell(sheet, value=3)
    filled.fill = PatternFill("solid", fgColor="FFF2CC")
    empty_styled = WriteOnlyCell(sheet)
    empty_styled.alignment = Alignment(wrap_text=True)
    commented = WriteOnlyCell(sheet, value="注")
    commented.comment = Comment("コメント", "職員")
    linked = WriteOnlyCell(sheet, value="link")
    linked.hyperlink = "https://example.org/a?b=1&c=2"
    dated = WriteOnlyCell(sheet, value=dt.date(2027, 4, 1))
    rows: list[tuple[list[object], dict[str, str] | None]] = [
        (list(TEXTS), None),
        (list(NUMBERS), row_height(3)),
        (
            [True, False, None, None, Decimal("1.25"), dt.datetime(2027, 4, 1, 9, 30), dt.date(2026, 1, 2)],
            None,
        ),
        (
            [bold, filled, empty_styled, commented, linked, dated, text_cell(sheet, "=HYPERLINK(1)")],
            row_height(2),
        ),
        ([], None),
        ([None, None, "after gaps"], None),
        (header_row(sheet, ["児童番号", "氏名"]), None),  # type: ignore[arg-type]
        (safe_row(sheet, list(TEXTS)), row_height(40)),
    ]
    every_character = "".join(chr(c) for c in range(0x20, 0xD800)) + "".join(
        chr(c) for c in range(0xE000, 0xFFFE)
    )
    rows.append(([every_character[i : i + 2000] for i in range(0, len(every_character), 2000)], None))
    return rows


def _styled_rows(sheet: object) -> list[list[object]]:
    inputs, wrapped = input_cells(sheet), wrapped_cells(sheet)  # type: ignore[arg-type]
    return [
        [inputs(None), inputs("固定"), inputs(3), inputs(1.5), inputs(True), inputs("=x"), inputs("#N/A")],
        [wrapped("a\nb"), wrapped(" x "), wrapped("=" + "w" * 40_000), wrapped("v" * 40_000), wrapped(dt.date(2027, 4, 1))],
        [inputs(""), wrapped(None), inputs(Decimal("2")), inputs(float("nan"))],
    ]  # fmt: skip


def _openpyxl(sheet: object, values: list[object]) -> list[object]:
    """What openpyxl's own append is given for a StyledCells value: the Cell it stands for."""
    return [v.cell(sheet) if isinstance(v, Styled) else v for v in values]  # type: ignore[arg-type]


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_row_writer_writes_what_openpyxl_writes() -> None:
    plain = Workbook(write_only=True)
    fast = Workbook(write_only=True)
    expected_sheet, got_sheet = plain.create_sheet("表"), fast.create_sheet("表")
    writer = RowWriter(got_sheet)
    for number, ((values, height), (same, _)) in enumerate(
        zip(_rows(expected_sheet), _rows(got_sheet), strict=True), start=1
    ):
        if height:
            expected_sheet.row_dimensions[number] = height
        expected_sheet.append(values)
        writer.append(same, height)
    for values, same in zip(_styled_rows(expected_sheet), _styled_rows(got_sheet), strict=True):
        expected_sheet.append(_openpyxl(expected_sheet, values))
        writer.append(same)
    expected, got = _parts(workbook_bytes(plain, STAMP)), _parts(workbook_bytes(fast, STAMP, [writer]))
    assert got.keys() == expected.keys()
    for name in expected:  # the sheet, its comments and hyperlinks, and the styles registered in order
        assert got[name] == expected[name], name


@pytest.mark.parametrize("bad", ["ctl\x01x", "bad\ufffex", "s\ud800x"])
def test_text_openpyxl_refuses_is_refused_the_same_way(bad: str) -> None:
    plain, fast = Workbook(write_only=True), Workbook(write_only=True)
    with pytest.raises(Exception) as expected:
        sheet = plain.create_sheet("表")
        sheet.append(["ok", bad])
        workbook_bytes(plain, STAMP)
    with pytest.raises(expected.type, match=str(expected.value).replace("\x01", ".")[:20]):
        writer = RowWriter(fast.create_sheet("表"))
        writer.append(["ok", bad])
        workbook_bytes(fast, STAMP, [writer])


def test_row_heights_only_through_the_writer() -> None:
    workbook = Workbook(write_only=True)
    writer = RowWriter(workbook.create_sheet("表"))
    writer.sheet.row_dimensions[1] = {"ht": "30", "customHeight": "1"}
    writer.append(["x"])
    with pytest.raises(RuntimeError, match="row heights"):
        workbook_bytes(workbook, STAMP, [writer])
