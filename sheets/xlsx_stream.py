"""A fast, values-only reader for .xlsx worksheets.

Why not openpyxl here: on this project's 2-core machine openpyxl's read-only mode took about 50 s for
the 100,000-row generated ledger (4.9 million cells), far from the 10 s the ledger reader must meet.
Ledgers need values only, so this module reads the worksheet XML with plain string splitting (C speed)
and a cache of decoded cell bodies: a ledger repeats the same marks, dates and nursery names thousands
of times. It understands what every producer writes (shared and inline strings, rich text runs with
furigana, formulas' cached values, booleans, errors, date number formats, the 1904 date system,
namespace prefixes, merged ranges) and nothing else: no formulas are evaluated, no macros touched.

Callers must run :func:`sheets.safety.check_workbook` first (size, zip bomb, encryption checks).
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sheets.errors import WorkbookRefusedError

CellValue = str | int | float | bool | dt.datetime | None


class Uncomputed(str):
    """A formula cell saved without its computed value (a tool that writes formulas but does not
    calculate them, such as openpyxl): the text is the formula. Never a value to use."""

    __slots__ = ()


_COL = re.compile(r"<(?:\w+:)?col\b([^>]*)/?>")
_STANDARD_CELL = re.compile(r'<c r="([A-Z]+)([0-9]+)"')

_BUILTIN_DATE_FORMATS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')
_T_TEXT = re.compile(r"<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)
_PHONETIC = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_SHEET = re.compile(r"<(?:\w+:)?sheet\b([^>]*)/?>")
_REL = re.compile(r"<(?:\w+:)?Relationship\b([^>]*)/?>")
_MERGE = re.compile(r'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_NUMFMT = re.compile(r"<(?:\w+:)?numFmt\b([^>]*)/?>")
_CELLXFS = re.compile(r"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(r"<(?:\w+:)?xf\b([^>]*)/?>")
_ROOT_PREFIX = re.compile(r"<(?:(\w+):)?worksheet\b")
_DATE_CODE = re.compile(r"[ymdhsge]", re.I)
_CODE_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def column_index(letters: str) -> int:
    """`A` -> 0, `Z` -> 25, `AA` -> 26."""
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
    return index - 1


def column_letters(index: int) -> str:
    """0 -> `A`: for issue lists that name the column as staff see it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Merge:
    first_row: int
    first_col: int
    last_row: int
    last_col: int


_MISSING = object()
_MAX_COLUMNS = 16_384  # Excel's last column, XFD
_CACHE_LIMIT = 200_000  # decoded cells remembered per sheet part: unique names would only grow it


@dataclass(frozen=True)
class RowChunks:
    """Undecoded rows of one sheet; `first_row` numbers rows that lack an `r` attribute."""

    prefix: str
    chunks: list[str]
    first_row: int = 1

    def part(self, index: int, parts: int) -> RowChunks:
        size = -(-len(self.chunks) // parts)
        piece = self.chunks[index * size : (index + 1) * size]
        # Rows without r="…" are numbered by position; the producers that omit it number nothing else.
        return RowChunks(self.prefix, piece, self.first_row + index * size)


@dataclass
class _SheetCache:
    """Per-sheet decoding caches: column letters, and per attribute string (type and style) the decoded
    value of each cell body seen (bodies repeat across rows: marks, dates, nursery names)."""

    columns: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, tuple[dict[str, object], str, bool]] = field(default_factory=dict)
    tails: dict[str, object] = field(default_factory=dict)  # what follows r="…" -> the cell's value


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
            values = dict(_ATTR.findall(attrs))
            rel = next((v for k, v in values.items() if k.endswith(":id")), None)
            if rel in targets and "name" in values:
                self._sheet_paths[html.unescape(values["name"])] = targets[rel]
        self._shared = self._shared_strings()
        self._date_styles = self._date_style_ids()

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
            values = dict(_ATTR.findall(attrs))
            target = values.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            result[values.get("Id", "")] = path
        return result

    def _shared_strings(self) -> list[str]:
        try:
            text = self._text("xl/sharedStrings.xml")
        except KeyError:
            return []
        return [_rich_text(item) for item in re.split(r"<(?:\w+:)?si\b[^>]*>", text)[1:]]

    def _date_style_ids(self) -> frozenset[str]:
        try:
            text = self._text("xl/styles.xml")
        except KeyError:
            return frozenset()
        custom_dates = set()
        for attrs in _NUMFMT.findall(text):
            values = dict(_ATTR.findall(attrs))
            code = _CODE_NOISE.sub("", html.unescape(values.get("formatCode", "")))
            if _DATE_CODE.search(code):
                custom_dates.add(int(values.get("numFmtId", "-1")))
        block = _CELLXFS.search(text)
        ids = set()
        for index, attrs in enumerate(_XF.findall(block.group(1) if block else "")):
            fmt = int(dict(_ATTR.findall(attrs)).get("numFmtId", "0"))
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
        cache = _SheetCache()
        cell_token, close = f"<{rows.prefix}c", f"</{rows.prefix}c>"
        plain = not rows.prefix
        next_row = rows.first_row
        for chunk in rows.chunks:
            head_end = chunk.find(">")
            head = chunk[:head_end]
            number = _row_number(head, next_row)
            next_row = number + 1
            if head.endswith("/"):
                continue
            body = chunk[head_end + 1 :]
            values = self._standard_cells(body, cache) if plain else None
            if values is None:
                values = self._cells(body.split(cell_token)[1:], close, cache)
            if values:
                yield number, values

    def _standard_cells(self, body: str, cache: _SheetCache) -> list[CellValue] | None:
        """The values of a row whose every `<c` opens a `<c r="B7"` cell (what every producer writes),
        split in one pass: the same values as :meth:`_cells` gives. None for any other row."""
        pieces = _STANDARD_CELL.split(body)  # [before, letters, digits, tail, letters, digits, tail …]
        if len(pieces) // 3 != body.count("<c"):
            return None
        values: list[CellValue] = []
        columns, tails = cache.columns, cache.tails
        for index in range(1, len(pieces), 3):
            letters, tail = pieces[index], pieces[index + 2]
            column = columns.get(letters)
            if column is None:
                column = column_index(letters)
                if column >= _MAX_COLUMNS:
                    continue  # a damaged or hostile reference (r="ZZZZZZZZ1") must not allocate a huge row
                columns[letters] = column
            value = tails.get(tail, _MISSING)
            if value is _MISSING:
                chunk = f' r="{letters}{pieces[index + 1]}"{tail}'
                quote = len(chunk) - len(tail) - 1
                attr_end = chunk.find(">")
                value = self._cell_value(chunk, attr_end, "</c>", cache, chunk[quote + 1 : attr_end])
                if len(tails) < _CACHE_LIMIT and attr_end > quote:
                    tails[tail] = value  # the value depends on the tail alone
            if value is None:
                continue
            if len(values) < column:
                values.extend([None] * (column - len(values)))
            values.append(value)  # type: ignore[arg-type]
        return values

    def _cells(self, chunks: list[str], close: str, cache: _SheetCache) -> list[CellValue]:
        # The hot loop of the reader (millions of cells): plain str methods and dict look-ups only. The
        # usual cell, <c r="B7" …>…</c>, is looked up by what follows its reference: a ledger repeats
        # the same marks, dates and nursery names down its columns.
        values: list[CellValue] = []
        columns = cache.columns  # clean column letters (A … XFD) only
        tails = cache.tails
        next_column = 0  # cells without r="…" follow the previous one
        for chunk in chunks:
            if chunk.startswith(' r="'):
                quote = chunk.find('"', 4)
                column = columns.get(chunk[4:quote].rstrip("0123456789")) if quote > 4 else None
                if column is not None:
                    next_column = column + 1
                    tail = chunk[quote + 1 :]
                    value = tails.get(tail, _MISSING)
                    if value is _MISSING:
                        attr_end = chunk.find(">")
                        value = self._cell_value(chunk, attr_end, close, cache, chunk[quote + 1 : attr_end])
                        if len(tails) < _CACHE_LIMIT and attr_end > quote:
                            tails[tail] = value  # the value depends on the tail alone
                    if value is None:
                        continue
                    if len(values) < column:
                        values.extend([None] * (column - len(values)))
                    values.append(value)  # type: ignore[arg-type]
                    continue
            if chunk[:1] not in (" ", ">", "/"):
                continue  # not a cell: a tag that merely starts with "c"
            attr_end = chunk.find(">")
            if chunk.startswith(' r="'):
                quote = chunk.find('"', 4)
                letters = chunk[4:quote].rstrip("0123456789")
                column = column_index(letters)
                if (
                    0 <= column < _MAX_COLUMNS
                    and letters.isascii()
                    and letters.isalpha()
                    and letters.isupper()
                ):
                    columns[letters] = column
                rest = chunk[quote + 1 : attr_end]
            else:
                found = dict(_ATTR.findall(chunk[:attr_end]))
                ref = found.get("r")
                column = column_index(ref.rstrip("0123456789")) if ref else next_column
                rest = " ".join(f'{k}="{v}"' for k, v in found.items() if k != "r")
            next_column = column + 1
            if not 0 <= column < _MAX_COLUMNS:
                continue  # a damaged or hostile reference (r="ZZZZZZZZ1") must not allocate a huge row
            value = self._cell_value(chunk, attr_end, close, cache, rest)
            if value is None:
                continue
            if len(values) < column:
                values.extend([None] * (column - len(values)))
            values.append(value)
        return values

    def _cell_value(self, chunk: str, attr_end: int, close: str, cache: _SheetCache, rest: str) -> CellValue:
        """One cell's value from its XML piece (after the `<c`): `rest` is its attributes but `r`,
        `attr_end` where its start tag ends."""
        if chunk[attr_end - 1] == "/":
            return None  # <c r="B5" s="1"/>: formatted but empty
        kinds = cache.kinds
        decoded = kinds.get(rest)
        if decoded is None:
            found = dict(_ATTR.findall(rest))
            decoded = kinds[rest] = ({}, found.get("t", "n"), found.get("s", "0") in self._date_styles)
        body = chunk[attr_end + 1 : chunk.find(close)]
        known = decoded[0]
        value = known.get(body, _MISSING)
        if value is _MISSING:
            value = self._decode(decoded[1], decoded[2], body)
            if len(known) < _CACHE_LIMIT:  # unique names would only grow the cache
                known[body] = value
        return value  # type: ignore[return-value]

    def _decode(self, kind: str, is_date: bool, body: str) -> CellValue:
        if kind == "inlineStr":
            return _rich_text(body)
        raw = _v_text(body)
        if raw is None or (not raw.strip() and kind not in ("str", "s")):
            formula = re.search(r"<(?:\w+:)?f\b[^>]*>(.*?)</(?:\w+:)?f>", body, re.S)
            if formula is not None or "<f" in body or ":f" in body:
                return Uncomputed("=" + html.unescape(formula.group(1) if formula else ""))
            return None
        if kind == "s":
            if not raw.strip().isdigit():
                return None  # a damaged shared-string index: no value (the reader reports the empty cell)
            index = int(raw)
            return self._shared[index] if 0 <= index < len(self._shared) else None
        if kind in ("str", "e"):
            return html.unescape(raw)
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            try:
                return dt.datetime.fromisoformat(raw.strip())
            except ValueError:
                return raw
        try:
            number = float(raw)
        except ValueError:  # a damaged number cell: its text, for the reader to report as it would any text
            return html.unescape(raw)
        if is_date:
            epoch = dt.datetime(1904, 1, 1) if self.date1904 else dt.datetime(1899, 12, 30)
            try:
                return epoch + dt.timedelta(days=number)
            except OverflowError:
                return number
        return int(number) if number.is_integer() and "." not in raw and "E" not in raw.upper() else number


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
        values = dict(_ATTR.findall(attrs))
        if values.get("hidden") in ("1", "true"):
            first, last = int(values.get("min", "0")), int(values.get("max", "0"))
            hidden.update(range(first - 1, min(last, 16_384)))
    return frozenset(hidden)


def _row_number(head: str, fallback: int) -> int:
    position = head.find(' r="')
    if position < 0:
        return fallback
    end = head.find('"', position + 4)
    try:
        return int(head[position + 4 : end])
    except ValueError:  # a damaged r="…": number the row by position, as for rows without one
        return fallback


def _v_text(body: str) -> str | None:
    start = body.find("<v>")
    if start < 0:
        match = re.search(r"<(?:\w+:)?v\b[^>]*>(.*?)</(?:\w+:)?v>", body, re.S)
        return match.group(1) if match else None
    return body[start + 3 : body.find("</v>", start)]


def _rich_text(body: str) -> str:
    if "<rPh" in body or ":rPh" in body:
        body = _PHONETIC.sub("", body)  # furigana runs are not part of the cell's value
    return html.unescape("".join(text or "" for text in _T_TEXT.findall(body)))
