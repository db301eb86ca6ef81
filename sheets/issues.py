"""The issue list: every problem found in a ledger, one typed record per problem.

Staff fix the source ledger from it, so each issue names the file, sheet, row and column as Excel shows
them (row 12, column F) and the raw value. `error`: the row's application could not be built and is
missing from the output; `warning`: the record was built but a value was left out or needs a look;
`info`: nothing is wrong with the records (e.g. a column that no mapping uses was skipped).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

RAW_PREVIEW_CHARS = 80


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "エラー", "warning": "警告", "info": "情報"}[self.value]


class LedgerIssue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str
    sheet: str | None = None
    row: int | None = None  # 1-based, as Excel shows it
    column: str | None = None  # letters, as Excel shows them (F, AB)
    header: str | None = None  # the column's header text in the ledger
    raw: str | None = None
    message: str
    severity: Severity = Severity.ERROR


def raw_preview(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= RAW_PREVIEW_CHARS else text[: RAW_PREVIEW_CHARS - 1] + "…"


def issue_sort_key(issue: LedgerIssue) -> tuple[str, str, int, int, str, str]:
    """File order: sheet, row, column (A < B < Z < AA), then message."""
    column = issue.column or ""
    return (issue.file, issue.sheet or "", issue.row or 0, len(column), column, issue.message)
