"""Write a ledger reading as files: applications.json, nurseries.json, issues.json or issues.xlsx.

The JSON layout is the one `bodx samples city` writes (a list of records, UTF-8, one space indent), so
every consumer reads generated and normalised data alike.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from openpyxl import Workbook

from sheets.deterministic import workbook_bytes
from sheets.issues import LedgerIssue, Severity
from sheets.ledger import LedgerReading
from sheets.review_sheets import write_issues_sheet
from sheets.safety import ensure_writable_output, private_directory, write_all_atomically
from sheets.xlsx_rows import RowWriter

ISSUES_STAMP = dt.datetime(2000, 1, 1)


def reading_payloads(reading: LedgerReading) -> dict[str, list[dict[str, object]]]:
    """The canonical JSON payloads of a reading (also what the sample ledgers' expected files hold)."""
    return {
        "applications": [a.model_dump(mode="json") for a in reading.applications],
        "nurseries": [n.model_dump(mode="json") for n in reading.nurseries],
        "issues": [i.model_dump(mode="json") for i in reading.issues],
        "held": [
            {"id": h.id, "sheet": h.sheet, "rows": list(h.rows), "reasons": list(h.reasons)}
            for h in reading.held
        ],
    }


def dump_json(payload: object) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


def write_reading(
    reading: LedgerReading,
    out: Path,
    *,
    inputs: Iterable[Path] = (),
    issues_format: Literal["json", "xlsx"] = "json",
    overwrite: bool = False,
) -> list[Path]:
    private_directory(out)
    payloads = reading_payloads(reading)
    targets = {
        "applications": out / "applications.json",
        "nurseries": out / "nurseries.json",
        "held": out / "held.json",
        "issues": out / f"issues.{issues_format}",
    }
    sources = list(inputs)
    for target in targets.values():
        ensure_writable_output(target, sources, overwrite=overwrite)
    issues = (
        dump_json(payloads["issues"]).encode("utf-8")
        if issues_format == "json"
        else issues_workbook_bytes(reading.issues)
    )
    # All four or none: a full disk leaves the previous set whole (0600 files in a 0700 folder).
    return write_all_atomically(
        {
            targets["applications"]: dump_json(payloads["applications"]).encode("utf-8"),
            targets["nurseries"]: dump_json(payloads["nurseries"]).encode("utf-8"),
            targets["held"]: dump_json(payloads["held"]).encode("utf-8"),
            targets["issues"]: issues,
        }
    )


ISSUE_SHEETS = ((Severity.ERROR, "エラー"), (Severity.WARNING, "警告"), (Severity.INFO, "情報"))


def issues_workbook_bytes(issues: Sequence[LedgerIssue]) -> bytes:
    """One sheet per severity (エラー, 警告, 情報), each in ledger order: staff fix the errors first."""
    workbook = Workbook(write_only=True)
    sheets = []
    for severity, title in ISSUE_SHEETS:
        sheets.append(RowWriter(workbook.create_sheet(title)))
        write_issues_sheet(sheets[-1], [i for i in issues if i.severity is severity])
    return workbook_bytes(workbook, ISSUES_STAMP, sheets)
