"""Rows of an openpyxl write-only worksheet, serialised exactly as openpyxl (with lxml) writes them.

openpyxl's write-only mode still makes a Cell per value, infers its type, checks its text, looks up its
style and asks lxml to write three nested elements: about 10 µs a cell, 8 s of the 30,000-child review
workbook's 800,000 cells. :class:`RowWriter` writes the same bytes for the usual cells (text, numbers,
booleans, styled cells and empty styled input cells) with plain string operations; anything else (a
formula, a date, rich text, a comment or hyperlink, text that openpyxl would refuse or truncate,
characters whose serialisation is not plainly ASCII or a character reference) is written by openpyxl's
own cell writer, one cell at a time. Tests compare both ways byte for byte.

    rows = RowWriter(workbook.create_sheet("結果一覧"))   # layout on rows.sheet first, as for append
    rows.append(["A001", 3, styled_cell], height={"ht": "33.0", "customHeight": "1"})
    workbook_bytes(workbook, stamp, [rows])                 # puts the rows into the saved sheet

Style ids are registered in the workbook in the order cells are appended, as openpyxl does, so the
styles part is the same too.
"""

from __future__ import annotations

import copy
import io
import math
import re
from collections.abc import Iterable, Mapping

from lxml.etree import xmlfile
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell._writer import write_cell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

MAX_TEXT = 32_767  # openpyxl truncates longer text
# Text lxml writes as it is (markup escaped), every other character as &#N;: tab, newline, printable
# ASCII and the XML characters beyond ASCII. Anything else (controls, CR, DEL and C1, surrogates,
# U+FFFE/U+FFFF) goes through openpyxl, which refuses or escapes it its own way.
_PLAIN = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MARKUP = re.compile("[&<>]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SHEET_DATA = b"<sheetData></sheetData>"
_MISSING = object()


_CACHE_LIMIT = 100_000  # texts remembered per sheet (names are unique: no point beyond)


def _escape(match: re.Match[str]) -> str:
    return _ESCAPES[match.group()]


class Styled:
    """A value written with a prepared cell style (sheets.review_layout.StyledCells): the cell
    ``WriteOnlyCell(sheet, value=value)`` (``text_cell`` when `guarded`) with `style` as its style,
    without making that Cell."""

    __slots__ = ("guarded", "style", "value")

    def __init__(self, value: object, style: StyleArray, guarded: bool) -> None:
        self.value = value
        self.style = style
        self.guarded = guarded

    def cell(self, sheet: WriteOnlyWorksheet) -> Cell:
        """The Cell openpyxl would be given."""
        if self.guarded:
            cell = WriteOnlyCell(sheet, value=None)
            cell.value = self.value
            cell.data_type = "s"
        else:
            cell = WriteOnlyCell(sheet, value=self.value)
        cell._style = copy.copy(self.style)
        return cell


class RowWriter:
    """Appends rows to `sheet` (a write-only worksheet of an openpyxl Workbook(write_only=True)).

    Like WriteOnlyWorksheet.append: None leaves a cell out; str, int, float and bool are typed as
    openpyxl types them; a Cell (WriteOnlyCell) is written with its style. Row heights are given per
    row (`height`), not through sheet.row_dimensions.
    """

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self._parts: list[str] = []
        self._rows = 0
        self._letters: list[str] = []
        self._texts: dict[str, str | None] = {}
        self._styles: dict[int, tuple[StyleArray, str]] = {}  # id(style) -> (style, ' s="…"' or "")

    def append(self, values: Iterable[object], height: Mapping[str, str] | None = None) -> None:
        if self._rows == 0:
            # openpyxl writes the sheet's start (properties, views, columns) at the first row: the
            # same moment here, so that nothing set later on the sheet changes it.
            self.sheet._get_writer()
        self._rows += 1
        number = str(self._rows)
        parts = self._parts
        parts.append(f'<row r="{number}"')
        if height:
            parts.append("".join(f' {name}="{value}"' for name, value in height.items()))
        parts.append(">")
        letters = self._letters
        for index, value in enumerate(values):
            if value is None:
                continue
            if index >= len(letters):
                letters.extend(get_column_letter(i + 1) for i in range(len(letters), index + 1))
            kind = value.__class__
            if kind is str:
                text = self._texts.get(value, _MISSING)  # type: ignore[call-overload]
                if text is _MISSING:
                    text = self._text(value)  # type: ignore[arg-type]
                    if len(self._texts) < _CACHE_LIMIT:
                        self._texts[value] = text  # type: ignore[index]
                if text is not None:
                    parts.append(f'<c r="{letters[index]}{number}" t="inlineStr">{text}</c>')
                    continue
            elif kind is int or kind is float:
                if kind is int or math.isfinite(value):  # type: ignore[arg-type]
                    parts.append(f'<c r="{letters[index]}{number}" t="n"><v>{safe_string(value)}</v></c>')
                    continue
            elif kind is bool:
                parts.append(f'<c r="{letters[index]}{number}" t="b"><v>{safe_string(value)}</v></c>')
                continue
            elif kind is Styled:
                written = self._prepared(value, f"{letters[index]}{number}")  # type: ignore[arg-type]
                if written is not None:
                    parts.append(written)
                    continue
                value = value.cell(self.sheet)  # type: ignore[attr-defined]
            elif kind is Cell:
                written = self._styled(value, f"{letters[index]}{number}")
                if written is not None:
                    parts.append(written)
                    continue
            parts.append(self._openpyxl_cell(value, index + 1, self._rows))
        parts.append("</row>")

    def body(self) -> bytes:
        """The <sheetData> content: every row appended, as openpyxl's serialiser writes it."""
        return "".join(self._parts).encode("ascii")  # all ASCII: texts are written with &#N; already

    @staticmethod
    def _text(value: str, typed: bool = False) -> str | None:
        """The <is><t>…</t></is> of a text value, or None when openpyxl must write it. `typed`: a
        text cell's value (openpyxl's checks and formula / error typing are behind it already)."""
        if not typed and (
            len(value) > MAX_TEXT or (len(value) > 1 and value[0] == "=") or value in ERROR_CODES
        ):
            return None
        if _PLAIN.search(value):
            return None
        if not value:
            return ""
        escaped = _MARKUP.sub(_escape, value) if ("&" in value or "<" in value or ">" in value) else value
        if not escaped.isascii():  # character references, as lxml writes them (once per distinct text)
            escaped = escaped.encode("ascii", "xmlcharrefreplace").decode("ascii")
        if value != value.strip():
            return f'<is><t xml:space="preserve">{escaped}</t></is>'
        return f"<is><t>{escaped}</t></is>"

    def _styled(self, cell: Cell, reference: str) -> str | None:
        """A Cell's element, or None when openpyxl must write it."""
        if cell._comment is not None or cell._hyperlink is not None:
            return None
        kind, value = cell.data_type, cell._value
        style = f' s="{cell.style_id}"' if cell.has_style else ""  # registers the style, as openpyxl does
        if kind == "s":
            if value.__class__ is not str:
                return None
            text = self._text(value, typed=True)
            return None if text is None else f'<c r="{reference}"{style} t="inlineStr">{text}</c>'
        if kind not in ("n", "b") or (value is not None and value.__class__ not in (int, float, bool)):
            return None
        if value is None:
            return f'<c r="{reference}"{style} t="{kind}"></c>' if style else ""
        if value.__class__ is float and not math.isfinite(value):
            return None
        return f'<c r="{reference}"{style} t="{kind}"><v>{safe_string(value)}</v></c>'

    def _prepared(self, styled: Styled, reference: str) -> str | None:
        """A Styled value's element (as :meth:`_styled` writes its Cell), or None for openpyxl."""
        known = self._styles.get(id(styled.style))
        if known is None:
            style = styled.style
            # Registered at its first cell, as openpyxl registers a cell's style when writing it.
            attribute = f' s="{self.sheet.parent._cell_styles.add(style)}"' if any(style) else ""
            known = self._styles[id(style)] = (style, attribute)
        attribute = known[1]
        value = styled.value
        kind = value.__class__
        if value is None:
            return f'<c r="{reference}"{attribute} t="n"></c>' if attribute else ""
        if kind is str:
            if styled.guarded and len(value) > MAX_TEXT:  # type: ignore[arg-type]
                return None
            text = self._text(value, typed=styled.guarded)  # type: ignore[arg-type]
            return None if text is None else f'<c r="{reference}"{attribute} t="inlineStr">{text}</c>'
        if kind is int or (kind is float and math.isfinite(value)):  # type: ignore[arg-type]
            return f'<c r="{reference}"{attribute} t="n"><v>{safe_string(value)}</v></c>'
        if kind is bool:
            return f'<c r="{reference}"{attribute} t="b"><v>{safe_string(value)}</v></c>'
        return None

    def _openpyxl_cell(self, value: object, column: int, row: int) -> str:
        """One cell through openpyxl's own path (WriteOnlyWorksheet._values_to_row, write_row)."""
        sheet = self.sheet
        if isinstance(value, Cell):
            cell = value
        else:
            cell = WriteOnlyCell(sheet)
            cell.value = value
        cell.column, cell.row = column, row
        if cell.hyperlink is not None:
            cell.hyperlink.ref = cell.coordinate
        if cell._comment is not None:
            sheet._comments.append(CommentRecord.from_cell(cell))
        if cell._value is None and not cell.has_style and not cell._comment:
            return ""
        buffer = io.BytesIO()
        with xmlfile(buffer) as xf:
            write_cell(xf, sheet, cell, cell.has_style)
        return buffer.getvalue().decode("ascii")


def with_rows(sheet_xml: bytes, rows: RowWriter) -> bytes:
    """A saved worksheet part with `rows` in its (empty) <sheetData>."""
    if rows.sheet.row_dimensions:
        raise RuntimeError(f"{rows.sheet.title}: row heights go with RowWriter.append, not row_dimensions")
    if sheet_xml.count(_SHEET_DATA) != 1:
        raise RuntimeError(f"{rows.sheet.title}: the saved sheet has rows already / rows appended twice")
    return sheet_xml.replace(_SHEET_DATA, b"<sheetData>" + rows.body() + b"</sheetData>")
