"""One exception hierarchy for OCR; messages tell staff which file or template to fix (Japanese + English)."""

from __future__ import annotations


class OcrError(Exception):
    """Base class of every error raised by :mod:`ocr`."""


class TemplateError(OcrError):
    """A form template (blank image + field map) is malformed or missing."""


class PageLoadError(OcrError):
    """A scanned file cannot be decoded (truncated, corrupt, unsupported format)."""


class EngineError(OcrError):
    """An OCR engine (Tesseract, RapidOCR) is missing or failed to run."""


class ReviewFileError(OcrError):
    """A review workbook cannot be read back (wrong file, edited structure)."""
