"""A fast, values-only reader for .xlsx worksheets.

Why not openpyxl here: on this project's 2-core machine openpyxl's read-only mode took about 50 s for
the 100,000-row generated ledger (4.9 million cells), far from the 10 s the ledger reader must meet.
Ledgers need values only, so this module reads the worksheet XML with plain string splitting (C speed)
and a cache of decoded cell bodies: a ledger repeats the same marks, dates and nursery names thousands
of times. It understands what every producer writes (shared and inline strings, rich text runs with
furigana, formulas' cached values, booleans, errors, date number formats, the 1904 date system,
namespace prefixes, merged ranges) and nothing else: no formulas are evaluated, no macros touched.
Rows are decoded by sheets.xlsx_cells.RowDecoder.

Callers must run :func:`sheets.safety.check_workbook` first (size, zip bomb, encryption checks), or
:func:`sheets.safety.read_checked_parts` and pass the parts it kept.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sheets.errors import WorkbookRefusedError
from sheets.xlsx_cells import (
    ATTRIBUTE,
    CellValue,
    RowChunks,
    RowDecoder,
    Uncomputed,
    column_index,
    column_letters,
    rich_text,
)

# The cell types and column helpers are defined with the row decoder (sheets.xlsx_cells); callers keep
# importing them from here.
__all__ = ["CellValue", "Merge", "RowChunks", "Uncomputed", "XlsxBook", "column_index", "column_letters"]

_COL = re.compile(r"<(?:\w+:)?col\b([^>]*)/?>")
_BUILTIN_DATE_FORMATS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
_SHEET = re.compile(r"<(?:\w+:)?sheet\b([^>]*)/?>")
_REL = re.compile(r"<(?:\w+:)?Relationship\b([^>]*)/?>")
_MERGE = re.compile(r'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_NUMFMT = re.compile(r"<(?:\w+:)?numFmt\b([^>]*)/?>")
_CELLXFS = re.compile(r"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(r"<(?:\w+:)?xf\b([^>]*)/?>")
_ROOT_PREFIX = re.compile(r"<(?:(\w+):)?worksheet\b")
_DATE_CODE = re.compile(r"[ymdhsge]", re.I)
_CODE_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


@dataclass(frozen=True)
class Merge:
    first_row: int
    first_col: int
    last_row: int
    last_col: int


class XlsxBook:
    """Sheet names and row iteration of one .xlsx file (values only)."""

    def __init__(self, path: Path, parts: dict[str, bytearray] | None = None) -> None:
        """`parts`: inflated parts already read (sheets.safety.read_checked_parts), used instead of
        inflating them again; the book takes them over (each is removed once decoded)."""
        self.path = path
        self._parts = {} if parts is None else parts
        # What row_chunks found besides the rows, so that a 170 MB sheet is inflated and decoded once:
        # its merged ranges, and its XML up to the rows (where the column widths and hidden flags are).
        self._merges: dict[str, tuple[Merge, ...]] = {}
        self._heads: dict[str, str] = {}
        try:
            self._zip = zipfile.ZipFile(path)
            workbook = self._text("xl/workbook.xml")
        except (zipfile.BadZipFile, KeyError, OSError, UnicodeDecodeError) as exc:
            raise WorkbookRefusedError(
                f"{path.name}: Excelファイル(.xlsx)として開けません。壊れているか別の形式です / "
                f"not a readable .xlsx file ({exc.__class__.__name__})"
            ) from exc
        self.date1904 = bool(re.search(r'date1904="(?:1|true)"', workbook))
        targets = self._relationships("xl/_rels/workbook.xml.rels")
        self._sheet_paths: dict[str, str] = {}
        for attrs in _SHEET.findall(workbook):
            values = dict(ATTRIBUTE.findall(attrs))
            rel = next((v for k, v in values.items() if k.endswith(":id")), None)
            if rel in targets and "name" in values:
                self._sheet_paths[html.unescape(values["name"])] = targets[rel]
        self._shared = self._shared_strings()
        self._date_styles = self._date_style_ids()
        self._decoder = RowDecoder(self._shared, self._date_styles, self.date1904)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> XlsxBook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def sheet_names(self) -> tuple[str, ...]:
        return tuple(self._sheet_paths)

    def _text(self, member: str) -> str:
        data = self._parts.pop(member, None)  # read once: dropped as soon as it is decoded
        return (self._zip.read(member) if data is None else data).decode("utf-8")

    def _relationships(self, member: str) -> dict[str, str]:
        try:
            text = self._text(member)
        except KeyError:
            return {}
        result = {}
        for attrs in _REL.findall(text):
            values = dict(ATTRIBUTE.findall(attrs))
            target = values.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            result[values.get("Id", "")] = path
        return result

    def _shared_strings(self) -> list[str]:
        try:
            text = self._text("xl/sharedStrings.xml")
        except KeyError:
            return []
        return [rich_text(item) for item in re.split(r"<(?:\w+:)?si\b[^>]*>", text)[1:]]

    def _date_style_ids(self) -> frozenset[str]:
        try:
            text = self._text("xl/styles.xml")
        except KeyError:
            return frozenset()
        custom_dates = set()
        for attrs in _NUMFMT.findall(text):
            values = dict(ATTRIBUTE.findall(attrs))
            code = _CODE_NOISE.sub("", html.unescape(values.get("formatCode", "")))
            if _DATE_CODE.search(code):
                custom_dates.add(int(values.get("numFmtId", "-1")))
        block = _CELLXFS.search(text)
        ids = set()
        for index, attrs in enumerate(_XF.findall(block.group(1) if block else "")):
            fmt = int(dict(ATTRIBUTE.findall(attrs)).get("numFmtId", "0"))
            if fmt in _BUILTIN_DATE_FORMATS or fmt in custom_dates:
                ids.add(str(index))
        return frozenset(ids)

    def merges(self, sheet: str) -> tuple[Merge, ...]:
        found = self._merges.get(sheet)
        return _merges(self._sheet_xml(sheet)) if found is None else found

    def hidden_columns(self, sheet: str) -> frozenset[int]:
        """0-based indices of the columns hidden in Excel (`<col hidden="1">`)."""
        head = self._heads.get(sheet)
        return _hidden_columns(self._sheet_xml(sheet) if head is None else head)

    def _sheet_xml(self, sheet: str) -> str:
        try:
            return self._text(self._sheet_paths[sheet])
        except (KeyError, UnicodeDecodeError) as exc:
            raise WorkbookRefusedError(
                f"{self.path.name}: シート「{sheet}」を読めません / sheet {sheet!r} cannot be read"
            ) from exc

    def rows(self, sheet: str) -> Iterator[tuple[int, list[CellValue]]]:
        """(1-based row number, values by 0-based column) for every row holding at least one value."""
        return self.decode_rows(self.row_chunks(sheet))

    def row_chunks(self, sheet: str) -> RowChunks:
        """The sheet's rows as undecoded XML pieces: cheap to cut into parts for parallel decoding."""
        text = self._sheet_xml(sheet)
        self._merges[sheet] = _merges(text)
        data = text.find("<sheetData")
        self._heads[sheet] = text if data < 0 else text[:data]
        match = _ROOT_PREFIX.search(text)
        prefix = f"{match.group(1)}:" if match and match.group(1) else ""
        start = text.find(f"<{prefix}sheetData")
        end = text.rfind(f"</{prefix}sheetData>")
        if start < 0 or end < 0:
            return RowChunks(prefix, [])
        chunks = text[start:end].split(f"<{prefix}row")[1:]
        return RowChunks(prefix, [chunk for chunk in chunks if chunk[:1] in (" ", ">", "/")])

    def decode_rows(self, rows: RowChunks) -> Iterator[tuple[int, list[CellValue]]]:
        return self._decoder.rows(rows)


def _merges(text: str) -> tuple[Merge, ...]:
    start = text.find("mergeCells")
    if start < 0:
        return ()
    return tuple(
        Merge(int(r1), column_index(c1), int(r2), column_index(c2))
        for c1, r1, c2, r2 in _MERGE.findall(text, start)
    )


def _hidden_columns(text: str) -> frozenset[int]:
    start, end = text.find("<cols"), text.find("<sheetData")
    if start < 0 or (end >= 0 and start > end):
        start = text.find(":cols")
        if start < 0 or (end >= 0 and start > end):
            return frozenset()
    hidden: set[int] = set()
    for attrs in _COL.findall(text, start, end if end >= 0 else len(text)):
        values = dict(ATTRIBUTE.findall(attrs))
        if values.get("hidden") in ("1", "true"):
            first, last = int(values.get("min", "0")), int(values.get("max", "0"))
            hidden.update(range(first - 1, min(last, 16_384)))
    return frozenset(hidden)
