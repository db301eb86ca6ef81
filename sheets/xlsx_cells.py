"""Decoding the rows of one worksheet: the hot loop of the values-only reader (sheets.xlsx_stream).

A row's XML is split into cells with plain string operations (C speed) and each cell is looked up in
caches: a ledger repeats the same marks, dates and nursery names down its columns. The usual row, whose
every `<c` opens a `<c r="B7"` cell, is split in one regex pass; every other form (no or odd
references, namespace prefixes, tags inside cells that start with `<c`) goes cell by cell.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

CellValue = str | int | float | bool | dt.datetime | None


class Uncomputed(str):
    """A formula cell saved without its computed value (a tool that writes formulas but does not
    calculate them, such as openpyxl): the text is the formula. Never a value to use."""

    __slots__ = ()


_STANDARD_CELL = re.compile(r'<c r="([A-Z]+)([0-9]+)"')

ATTRIBUTE = re.compile(r'([\w:]+)="([^"]*)"')  # name="value" in a tag
_T_TEXT = re.compile(r"<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)
_PHONETIC = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)

_MISSING = object()
_MAX_COLUMNS = 16_384  # Excel's last column, XFD
_CACHE_LIMIT = 200_000  # decoded cells remembered per sheet part: unique names would only grow it


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


class RowDecoder:
    """Decodes row chunks of one workbook: its shared strings, date styles and date system."""

    def __init__(self, shared: list[str], date_styles: frozenset[str], date1904: bool) -> None:
        self._shared = shared
        self._date_styles = date_styles
        self.date1904 = date1904

    def rows(self, rows: RowChunks) -> Iterator[tuple[int, list[CellValue]]]:
        """(row number, values by 0-based column) of every row holding at least one value."""
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
                found = dict(ATTRIBUTE.findall(chunk[:attr_end]))
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
            found = dict(ATTRIBUTE.findall(rest))
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
            return rich_text(body)
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


def rich_text(body: str) -> str:
    """The text of a string item or inline string (its runs joined, furigana left out)."""
    if "<rPh" in body or ":rPh" in body:
        body = _PHONETIC.sub("", body)  # furigana runs are not part of the cell's value
    return html.unescape("".join(text or "" for text in _T_TEXT.findall(body)))
