"""Shared pieces of the sample ledger scripts: the sample record, cell helpers, and writing the files."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell

from matching.records import Application, Nursery
from sheets.deterministic import save_deterministic

STAMP = dt.datetime(2026, 11, 1, 9, 0, 0)
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Defect:
    """A deliberate mistake in a sample ledger and where the issue list must report it."""

    sheet: str
    row: int
    column: str
    severity: str  # "error" | "warning" | "info"
    what: str


@dataclass(frozen=True)
class LedgerSample:
    name: str
    workbook: Workbook
    applications: tuple[Application, ...]
    nurseries: tuple[Nursery, ...]
    defects: tuple[Defect, ...]


@dataclass(frozen=True)
class DateCell:
    """A real Excel date cell (a serial number with a date format), as staff get from typing 2026/10/7."""

    value: dt.date


@dataclass(frozen=True)
class TextCell:
    """Text stored as a string cell even when it looks like a formula."""

    value: str


def date_cell(value: dt.date) -> DateCell:
    return DateCell(value)


def place(cell: Cell, value: object) -> None:
    if isinstance(value, DateCell):
        cell.value = dt.datetime.combine(value.value, dt.time())
        cell.number_format = "yyyy/m/d"
    elif isinstance(value, TextCell):
        cell.value = value.value
        cell.data_type = "s"
        cell.quotePrefix = True
    else:
        cell.value = value


def fill_rows(sheet: object, first_row: int, rows: list[list[object]]) -> None:
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            if value is not None:
                place(sheet.cell(row=first_row + offset, column=column), value)  # type: ignore[attr-defined]


def expected_payload(sample: LedgerSample) -> dict[str, object]:
    return {
        "applications": [a.model_dump(mode="json", exclude={"origin"}) for a in sample.applications],
        "nurseries": [n.model_dump(mode="json") for n in sample.nurseries],
        "defects": [
            {"sheet": d.sheet, "row": d.row, "column": d.column, "severity": d.severity, "what": d.what}
            for d in sample.defects
        ],
    }


def write_sample(sample: LedgerSample, directory: Path = HERE) -> tuple[Path, Path]:
    ledger = directory / f"{sample.name}.xlsx"
    expected = directory / f"{sample.name}.expected.json"
    save_deterministic(sample.workbook, ledger, STAMP)
    expected.write_text(
        json.dumps(expected_payload(sample), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return ledger, expected
