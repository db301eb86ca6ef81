"""One exception hierarchy for Excel work; messages tell staff which file and what to fix."""

from __future__ import annotations


class SheetsError(Exception):
    """Base class of every error raised by :mod:`sheets`."""


class WorkbookRefusedError(SheetsError):
    """A workbook is refused before reading: corrupt, encrypted, oversized, a zip bomb, or macro-enabled."""


class LedgerFormatError(SheetsError):
    """A ledger cannot be mapped at all (no header row found, required columns missing)."""


class MappingFileError(SheetsError):
    """A per-city column mapping file is malformed."""


class OutputExistsError(SheetsError):
    """Refusing to write over an input file."""


class AdjustmentsReadError(SheetsError):
    """The 調整 column of a review workbook holds entries that cannot be used (unknown kind or nursery)."""


class ReviewInputError(SheetsError):
    """The records given to the review workbook writer do not fit together (unknown child or nursery)."""


class ResponsesReadError(SheetsError):
    """A responses workbook (回答記録) cannot be read at all: not one, or written for another round."""
