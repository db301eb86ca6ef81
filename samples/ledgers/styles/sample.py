"""A rendered style: the workbook, what it means (truths), the planted defects, and its files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from matching.records import Nursery
from samples.ledgers.styles.expect import Planted, Truth
from samples.ledgers.writing import STAMP
from sheets.deterministic import save_deterministic

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class StyleSample:
    name: str
    city: str  # the bundled city profile the ledger belongs to (cities/<city>)
    mapping: str  # the mapping file, relative to the repository root
    workbook: Workbook
    truths: tuple[Truth, ...]
    nurseries: tuple[Nursery, ...]
    planted: tuple[Planted, ...]

    @property
    def applicant_rows(self) -> int:
        return sum(len(t.rows) for t in self.truths)

    def payload(self) -> dict[str, object]:
        return {
            "style": self.name,
            "city": self.city,
            "mapping": self.mapping,
            "applicant_rows": self.applicant_rows,
            "applications": [
                {**t.application.model_dump(mode="json", exclude={"origin"}), "rows": t.rows}
                for t in self.truths
                if t.application is not None
            ],
            "held": [{"id": t.app_id, "rows": t.rows} for t in self.truths if t.held],
            "nurseries": [n.model_dump(mode="json") for n in self.nurseries],
            "defects": [
                {"sheet": d.sheet, "row": d.row, "column": d.column, "kind": d.kind, "what": d.what}
                for d in self.planted
            ],
        }

    def write(self, directory: Path = HERE) -> tuple[Path, Path]:
        ledger = directory / f"{self.name}.xlsx"
        expected = directory / f"{self.name}.expected.json"
        save_deterministic(self.workbook, ledger, STAMP)
        expected.write_text(json.dumps(self.payload(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return ledger, expected
