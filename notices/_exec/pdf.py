"""Count, split, join and draw PDFs with pypdfium2 (the notices' only use of it).

Splitting a batch into households is normally done by :mod:`notices.pdf_pages`, which copies a page's
objects as they are; :func:`split_pages` here is its fallback for a PDF of another shape.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium


def page_count(pdf: bytes) -> int:
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def _bytes(document: pdfium.PdfDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class PdfJoiner:
    """PDFs added one after another, as one PDF (each part's shared fonts are copied once)."""

    def __init__(self) -> None:
        self._combined = pdfium.PdfDocument.new()

    def add(self, pdf: bytes) -> None:
        source = pdfium.PdfDocument(pdf)
        try:
            self._combined.import_pages(source)
        finally:
            source.close()

    def finish(self) -> bytes:
        try:
            return _bytes(self._combined)
        finally:
            self._combined.close()


def split_pages(pdf: bytes) -> list[bytes]:
    """Every page of `pdf` as a PDF of its own, in order."""
    source = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for index in range(len(source)):
            part = pdfium.PdfDocument.new()
            try:
                part.import_pages(source, [index])
                pages.append(_bytes(part))
            finally:
                part.close()
        return pages
    finally:
        source.close()


def first_page_png(pdf: Path, dpi: int) -> bytes:
    """The first page of `pdf` drawn at `dpi` as PNG bytes (greyscale: the letters are black on white)."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[0]
        try:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
        finally:
            page.close()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def page_texts(path: Path) -> list[str]:
    """The text of every page (tests and the check that no letter carries another's data)."""
    document = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()
