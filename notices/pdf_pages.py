"""Pages of chromium's PDF copied into new PDFs: one per household, and the combined one.

Chromium (Skia) writes a plain PDF: a classic cross-reference table, every object on its own, no
object streams. A page needs only the objects it refers to (its content, its fonts and their glyphs),
so a household's PDF is those objects copied byte for byte with new numbers: about ten times faster
than pypdfium2's import (which rebuilds every one of the 64 Type 3 fonts a Japanese page uses, glyph
names and all). A PDF of another shape (an xref stream, an incremental update, a page that inherits its
box or resources or links to another page) raises :class:`UnsupportedPdf`; the caller then splits with
pypdfium2 instead. References inside literal strings are left alone; stream data is copied unread.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

_REFERENCE = re.compile(rb"\((?:\\.|[^\\()])*\)|(\d+)\s+(\d+)\s+R\b", re.S)
_OBJECT_START = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")
_STREAM_START = re.compile(rb">>\s*stream\r?\n")
_PAGE = re.compile(rb"/Type\s*/Page\b")
_PAGES = re.compile(rb"/Type\s*/Pages\b")
_KIDS = re.compile(rb"/Kids\s*\[([^\]]*)\]")
_PARENT = re.compile(rb"/Parent\s*$")
_INHERITABLE = re.compile(rb"/(?:Resources|MediaBox|CropBox|Rotate)\b")


class UnsupportedPdf(Exception):
    """Not the simple shape this module copies from (the caller falls back to pypdfium2)."""


@dataclass(frozen=True)
class _Object:
    head: bytes  # the object's dictionary (or other value) as written
    texts: tuple[bytes, ...]  # `head` between its references (one more than refs)
    refs: tuple[int, ...]  # object numbers referred to, in order
    stream: bytes  # "stream … endstream" as written, or b""
    page_node: bool  # a /Page or /Pages dictionary
    plain: bytes | None  # what follows "N 0 obj" when nothing in it is renumbered (most glyphs)


class PrintedPdf:
    """A PDF as chromium writes it, read lazily: its pages and, on demand, the objects they use."""

    def __init__(self, data: bytes) -> None:
        if not data.startswith(b"%PDF-"):
            raise UnsupportedPdf("not a PDF")
        self.version = data[5:8]
        self._data = data
        self._bounds = self._cross_references()
        self._objects: dict[int, _Object] = {}
        self._reachable: dict[int, tuple[int, ...]] = {}  # object → it and all it refers to
        self.pages = self._page_tree(self._root())

    def _cross_references(self) -> dict[int, tuple[int, int]]:
        data = self._data
        at = data.rfind(b"startxref")
        if at < 0:
            raise UnsupportedPdf("no startxref")
        xref = int(data[at + 9 :].split(maxsplit=1)[0])
        if data[xref : xref + 4] != b"xref":
            raise UnsupportedPdf("cross-reference stream")
        trailer = data.find(b"trailer", xref)
        if trailer < 0:
            raise UnsupportedPdf("no trailer")
        self._trailer = data[trailer:at]
        if b"/Prev" in self._trailer or b"/Encrypt" in self._trailer:
            raise UnsupportedPdf("incremental update or encryption")
        tokens = data[xref + 4 : trailer].split()
        offsets: dict[int, int] = {}
        i = 0
        while i < len(tokens):
            first, count = int(tokens[i]), int(tokens[i + 1])
            for k in range(count):
                offset, kind = tokens[i + 2 + 3 * k], tokens[i + 4 + 3 * k]
                if kind == b"n":
                    offsets[first + k] = int(offset)
            i += 2 + 3 * count
        # An object ends where the next one (or the table) starts: stream data is never searched.
        starts = sorted({*offsets.values(), xref})
        ends = dict(itertools.pairwise(starts))
        return {number: (offset, ends[offset]) for number, offset in offsets.items()}

    def _object(self, number: int) -> _Object:
        found = self._objects.get(number)
        if found is not None:
            return found
        if number not in self._bounds:
            raise UnsupportedPdf(f"object {number} is missing")
        start, end = self._bounds[number]
        body = self._data[start:end]
        opened = _OBJECT_START.match(body)
        closed = body.rfind(b"endobj")
        if opened is None or int(opened.group(1)) != number or opened.group(2) != b"0" or closed < 0:
            raise UnsupportedPdf(f"object {number} is not where the table says")
        body = body[opened.end() : closed]
        stream = _STREAM_START.search(body)
        head, data = (body[: stream.start() + 2], body[stream.start() + 2 :]) if stream else (body, b"")
        texts, refs, last = [], [], 0
        for match in _REFERENCE.finditer(head):
            if match.group(1) is None:
                continue  # a literal string
            if match.group(2) != b"0":
                raise UnsupportedPdf("generation numbers")
            texts.append(head[last : match.start()])
            refs.append(int(match.group(1)))
            last = match.end()
        texts.append(head[last:])
        page_node = bool(_PAGE.search(head) or _PAGES.search(head))
        plain = None if refs else head + data + b"\nendobj\n"
        found = _Object(head, tuple(texts), tuple(refs), data, page_node, plain)
        self._objects[number] = found
        return found

    def _root(self) -> int:
        match = re.search(rb"/Root\s+(\d+)\s+0\s+R", self._trailer)
        if match is None:
            raise UnsupportedPdf("no /Root")
        catalog = self._object(int(match.group(1)))
        pages = re.search(rb"/Pages\s+(\d+)\s+0\s+R", catalog.head)
        if pages is None:
            raise UnsupportedPdf("no /Pages")
        return int(pages.group(1))

    def _page_tree(self, node: int) -> list[int]:
        head = self._object(node).head
        if _PAGES.search(head):
            if _INHERITABLE.search(head):
                raise UnsupportedPdf("pages inherit attributes")
            kids = _KIDS.search(head)
            if kids is None:
                raise UnsupportedPdf("a page tree node without /Kids")
            return [
                p for kid in re.findall(rb"(\d+)\s+0\s+R", kids.group(1)) for p in self._page_tree(int(kid))
            ]
        if not _PAGE.search(head):
            raise UnsupportedPdf("a page tree leaf that is not a page")
        return [node]

    def objects_of(self, page: int) -> list[int]:
        """`page` and every object it refers to, directly or not (not its /Parent), page first."""
        entry = self._object(page)
        order, seen = [page], {page}
        for index, ref in enumerate(entry.refs):
            if _PARENT.search(entry.texts[index]):
                continue
            for number in self._reach(ref):  # the fonts of one batch are shared: walked once
                if number not in seen:
                    seen.add(number)
                    order.append(number)
        return order

    def _reach(self, start: int) -> tuple[int, ...]:
        found = self._reachable.get(start)
        if found is not None:
            return found
        order, seen = [start], {start}
        for number in order:  # grows while it is walked
            entry = self._object(number)
            if entry.page_node:
                raise UnsupportedPdf("a page refers to another page")
            for ref in entry.refs:
                if ref not in seen:
                    seen.add(ref)
                    order.append(ref)
        self._reachable[start] = found = tuple(order)
        return found

    def copy(self, number: int, new: dict[int, int], parent: int | None) -> bytes:
        """Object `number` written as `new[number]`, its references renumbered by `new`.

        For a page, `parent` replaces its /Parent.
        """
        entry = self._objects[number]  # read by objects_of
        if entry.plain is not None:
            return b"%d 0 obj%s" % (new[number], entry.plain)
        parts = [b"%d 0 obj" % new[number], entry.texts[0]]
        for index, ref in enumerate(entry.refs):
            is_parent = parent is not None and _PARENT.search(entry.texts[index]) is not None
            target = parent if is_parent and parent is not None else new[ref]
            parts += (b"%d 0 R" % target, entry.texts[index + 1])
        parts += (entry.stream, b"\nendobj\n")
        return b"".join(parts)


class PdfBuilder:
    """A new PDF of pages copied from :class:`PrintedPdf` sources, in the order they are added."""

    _CATALOG, _PAGES = 1, 2

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._offsets: list[int] = []  # of objects 3, 4, …
        self._size = 0
        self._pages: list[int] = []
        self._version = b"1.4"
        self._source: PrintedPdf | None = None
        self._numbers: dict[int, int] = {}  # the current source's object → its number here

    def add(self, source: PrintedPdf, page: int) -> None:
        if source is not self._source:  # objects are shared within one source only
            self._source, self._numbers = source, {}
            self._version = max(self._version, source.version)
        numbers = self._numbers
        fresh = [n for n in source.objects_of(page) if n not in numbers]
        # Numbers first (an object may refer to one copied after it), then the copies.
        base = 3 + len(self._offsets)
        numbers.update(zip(fresh, range(base, base + len(fresh)), strict=True))
        self._pages.append(numbers[page])
        copies = [source.copy(n, numbers, self._PAGES if n == page else None) for n in fresh]
        ends = list(itertools.accumulate(map(len, copies), initial=self._size))
        self._offsets += ends[:-1]
        self._size = ends[-1]
        self._chunks += copies

    def finish(self) -> bytes:
        """The PDF's bytes: header, the copied objects, the page tree, the catalog and the table."""
        header = b"%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n" % self._version
        kids = b" ".join(b"%d 0 R" % n for n in self._pages)
        catalog = b"1 0 obj\n<</Type /Catalog /Pages 2 0 R>>\nendobj\n"
        pages = b"2 0 obj\n<</Type /Pages /Kids [%s] /Count %d>>\nendobj\n" % (kids, len(self._pages))
        body = len(header)
        table_at = body + self._size + len(catalog) + len(pages)
        offsets = [body + self._size, body + self._size + len(catalog)]
        offsets += [body + offset for offset in self._offsets]
        count = len(offsets) + 1
        table = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        tail = (
            b"xref\n0 %d\n0000000000 65535 f \n%strailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n"
            % (
                count,
                table,
                count,
                table_at,
            )
        )
        return b"".join((header, *self._chunks, catalog, pages, tail))
