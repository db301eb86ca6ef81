"""Adapters from the OCR step's problems to the issue rows of the workbook's 入力チェック sheet.

The merging of sources itself is library work: :func:`sheets.merge.merge_records`.
"""

from __future__ import annotations

from ocr.canonical import CanonicalIssue
from sheets.issues import LedgerIssue, Severity

OCR_SHEET = "OCR"


def ocr_issue(issue: CanonicalIssue) -> LedgerIssue:
    """A form page's problem in the workbook's 入力チェック layout (file = the scan and page)."""
    return LedgerIssue(
        file=issue.page, sheet=OCR_SHEET, raw=issue.masked_receipt or None, message=issue.message
    )


def review_problem(message: str) -> LedgerIssue:
    return LedgerIssue(file="review.xlsx", sheet=OCR_SHEET, message=message, severity=Severity.WARNING)
