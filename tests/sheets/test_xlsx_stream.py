"""The fast values reader against XML shapes other producers write (Excel, LibreOffice, .NET SDK)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from openpyxl import Workbook

from sheets.xlsx_cells import RowDecoder, _SheetCache
from sheets.xlsx_stream import XlsxBook, column_index, column_letters

CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
STYLES = (
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="[$-ja-JP]ggge&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>'
    '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>'
)
SHARED = (
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">'
    "<si><t>受付番号</t></si>"
    '<si><r><t>山田 </t></r><r><rPr><b/></rPr><t xml:space="preserve">はな</t></r>'
    '<rPh sb="0" eb="2"><t>ヤマダ</t></rPh></si></sst>'
)


def _book(tmp_path: Path, sheet_xml: str, *, date1904: bool = False, prefix: str = "") -> Path:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    pre = f"{prefix}:" if prefix else ""
    flag = ' date1904="1"' if date1904 else ""
    xmlns = f"xmlns:{prefix}" if prefix else "xmlns"
    workbook = (
        f'<{pre}workbook {xmlns}="{ns}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<{pre}workbookPr{flag}/>"
        f'<{pre}sheets><{pre}sheet name="台帳 &amp; 一覧" sheetId="1" r:id="rId1"/></{pre}sheets></{pre}workbook>'
    )
    path = tmp_path / "book.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        archive.writestr("xl/styles.xml", STYLES)
        archive.writestr("xl/sharedStrings.xml", SHARED)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


def test_excel_shapes(tmp_path: Path) -> None:
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="2" spans="1:6"><c r="A2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c>'
        '<c r="D2" s="1"><v>45383</v></c><c r="E2" s="2"><v>45383.5</v></c><c r="F2" t="b"><v>1</v></c></row>'
        '<row r="3"><c r="A3" t="str"><f>A2&amp;"x"</f><v>受付番号x</v></c><c r="B3" t="e"><v>#N/A</v></c>'
        '<c r="C3"><v>1.5E3</v></c><c r="D3"><v>160</v></c><c r="E3" t="inlineStr"><is><t>&lt;=&amp;</t></is></c></row>'
        '<row r="4"/><row r="5"><c r="B5" s="1"/></row>'
        '</sheetData><mergeCells count="1"><mergeCell ref="A2:B2"/></mergeCells></worksheet>'
    )
    with XlsxBook(_book(tmp_path, sheet)) as book:
        assert book.sheet_names == ("台帳 & 一覧",)
        rows = list(book.rows("台帳 & 一覧"))
        assert rows[0] == (
            2,
            ["受付番号", None, "山田 はな", dt.datetime(2024, 4, 1), dt.datetime(2024, 4, 1, 12), True],
        )
        assert rows[1] == (3, ["受付番号x", "#N/A", 1500.0, 160, "<=&"])
        assert len(rows) == 2  # empty rows and valueless styled cells are skipped
        merge = book.merges("台帳 & 一覧")[0]
        assert (merge.first_row, merge.first_col, merge.last_row, merge.last_col) == (2, 0, 2, 1)


def test_prefixed_namespace_and_missing_references(tmp_path: Path) -> None:
    sheet = (
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        '<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c s="1"/><x:c><x:v>7</x:v></x:c></x:row>'
        '<x:row><x:c t="inlineStr"><x:is><x:t>二行目</x:t></x:is></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    with XlsxBook(_book(tmp_path, sheet, prefix="x")) as book:
        assert list(book.rows(book.sheet_names[0])) == [(1, ["受付番号", None, 7]), (2, ["二行目"])]


def test_1904_date_system(tmp_path: Path) -> None:
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" s="1"><v>0</v></c></row></sheetData></worksheet>'
    )
    with XlsxBook(_book(tmp_path, sheet, date1904=True)) as book:
        assert list(book.rows(book.sheet_names[0])) == [(1, [dt.datetime(1904, 1, 1)])]


def test_agrees_with_openpyxl_on_a_written_workbook(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "申込"
    values = [
        ["受付番号", "生年月日", "時間", None, "メモ"],
        ["R-1", dt.datetime(2024, 5, 3), 160, None, "ｶﾅ"],
    ]
    for row in values:
        sheet.append(row)
    sheet["B2"].number_format = "yyyy/m/d"
    path = tmp_path / "w.xlsx"
    workbook.save(path)
    with XlsxBook(path) as book:
        rows = [values for _, values in book.rows("申込")]
    assert rows == [
        ["受付番号", "生年月日", "時間", None, "メモ"],
        ["R-1", dt.datetime(2024, 5, 3), 160, None, "ｶﾅ"],
    ]


def test_column_letters_round_trip() -> None:
    for index in (0, 25, 26, 51, 701, 702, 16383):
        assert column_index(column_letters(index)) == index
    assert column_letters(27) == "AB"


def test_rows_split_in_one_pass_read_as_cell_by_cell() -> None:
    """The one-pass split of a row (RowDecoder._standard_cells) gives what the cell-by-cell path gives,
    and declines rows it is not for (they take that path)."""
    rows = [
        '<c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="C1"><v>3</v></c><c r="D1" s="1"/>',
        '<c r="A2" t="s"><v>0</v></c><c r="B2" t="b"><v>1</v></c><c r="C2" t="e"><v>#N/A</v></c>',
        '<c r="A3"><f>SUM(1)</f></c><c r="B3" t="str"><f>X</f><v>x</v></c><c r="C3" s="2"><v>45000</v></c>',
        '<c r="A4">><v>1</v></c><c r="B4"><v>2</v>',  # a stray ">" and a cell left open
        '<c r="XFD5"><v>1</v></c><c r="XFE5"><v>2</v></c><c r="ZZZZZ5"><v>3</v></c>',  # beyond XFD: left out
        '<c r="A6" t="inlineStr"><is><r><rPr><color rgb="FFFF0000"/></rPr><t>赤</t></r></is></c>',  # "<color": declined
        '<c r="A７"><v>1</v></c><c r="B7"><v>2</v></c>',  # a full-width digit: not for the split
        '<c t="n" r="A8"><v>1</v></c><c><v>2</v></c>',  # r not first, no r: not for the split
        '<c r="a9"><v>1</v></c>',
        '<c r="A10"/><c r="B10">',
        "",
    ]
    decoder = RowDecoder(["共有"], frozenset({"2"}), date1904=False)
    split = [decoder._standard_cells(row, _SheetCache()) for row in rows]
    one_by_one = [decoder._cells(row.split("<c")[1:], "</c>", _SheetCache()) for row in rows]
    for row, got, want in zip(rows, split, one_by_one, strict=True):
        assert got is None or got == want, row
    assert [got is None for got in split] == [False] * 5 + [True, True, True, True, False, False]
