"""Split and join PDFs with pypdfium2 (the notices' only use of it)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium


def page_count(path: Path) -> int:
    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def _bytes(document: pdfium.PdfDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def join(parts: Sequence[Path]) -> bytes:
    """`parts` one after another, as one PDF."""
    combined = pdfium.PdfDocument.new()
    try:
        for part in parts:
            source = pdfium.PdfDocument(str(part))
            try:
                combined.import_pages(source)
            finally:
                source.close()
        return _bytes(combined)
    finally:
        combined.close()


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
