"""`bodx bench sheets --styles`: read each ledger style of samples/ledgers/styles with its city profile
and mapping, and score the reading against the style's ground truth (written by the generator, never
by the reader).

Per style: `rows` (applicant rows in the ledger), `records` (those rows that came out as an application
or a held application), `applications` / `held`, `field_accuracy` (share of the expected records' leaf
values — every field of every application, origin aside — read exactly; a missing application counts
all its fields wrong, an unexpected value counts too), `defect_recall` (planted defects reported as an
error or warning at their sheet, row and column), `defect_precision` (errors and warnings that point at
a planted defect's cell, or at its row without a column), `formula_cells_written` (formula cells in the
issue workbook written for the reading: must be 0).
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from matching.profile import load_profile
from samples.ledgers.styles.make_styles import BUILDERS
from samples.ledgers.styles.sample import StyleSample
from sheets.issues import Severity
from sheets.ledger import LedgerReading, read_ledger
from sheets.mapping import load_mapping
from sheets.outputs import issues_workbook_bytes

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"field_accuracy": 0.995, "defect_recall": 0.95, "defect_precision": 0.90}


def style_names() -> list[str]:
    return list(BUILDERS)


def read_style(sample: StyleSample, directory: Path) -> tuple[LedgerReading, dict[str, Any]]:
    ledger, _expected = sample.write(directory)
    profile, _files = load_profile(ROOT / "cities" / sample.city / "city.toml")
    reading = read_ledger(ledger, load_mapping(ROOT / sample.mapping), profile=profile)
    return reading, sample.payload()


def score_style(name: str) -> dict[str, Any]:
    sample = BUILDERS[name]()
    with tempfile.TemporaryDirectory() as tmp:
        reading, expected = read_style(sample, Path(tmp))
    return score(reading, expected)


def score(reading: LedgerReading, expected: dict[str, Any]) -> dict[str, Any]:
    got = {a.id: a for a in reading.applications}
    # Each style has one application sheet, so a row number names an applicant row.
    covered = {r for a in reading.applications if a.origin for r in a.origin.rows}
    covered |= {r for h in reading.held for r in h.rows}
    wanted_rows = [r for a in expected["applications"] for r in a["rows"]] + [
        r for h in expected["held"] for r in h["rows"]
    ]
    records = sum(1 for r in wanted_rows if r in covered)
    right = total = 0
    for want in expected["applications"]:
        truth = _leaves({k: v for k, v in want.items() if k != "rows"})
        found = got.get(want["id"])
        read = _leaves(found.model_dump(mode="json", exclude={"origin"})) if found else {}
        total += len(set(truth) | set(read))
        right += sum(1 for key, value in truth.items() if key in read and read[key] == value)
    expected_ids = {a["id"] for a in expected["applications"]}
    for extra in set(got) - expected_ids:
        total += len(_leaves(got[extra].model_dump(mode="json", exclude={"origin"})))
    flagged = [i for i in reading.issues if i.severity is not Severity.INFO]
    cells = {(d["sheet"], d["row"], d["column"]) for d in expected["defects"]}
    rows = {(d["sheet"], d["row"]) for d in expected["defects"]}
    found_cells = {(i.sheet, i.row, i.column) for i in flagged}
    recall = sum(1 for c in cells if c in found_cells) / len(cells) if cells else 1.0
    pointing = [
        i
        for i in flagged
        if (i.sheet, i.row, i.column) in cells or (i.column is None and (i.sheet, i.row) in rows)
    ]
    precision = len(pointing) / len(flagged) if flagged else 1.0
    return {
        "rows": expected["applicant_rows"],
        "records": records,
        "applications": len(reading.applications),
        "held": len(reading.held),
        "expected_applications": len(expected["applications"]),
        "expected_held": len(expected["held"]),
        "field_accuracy": round(right / total, 5) if total else 1.0,
        "defects": len(cells),
        "defect_recall": round(recall, 4),
        "defect_precision": round(precision, 4),
        "issues": {s.value: sum(1 for i in reading.issues if i.severity is s) for s in Severity},
        "formula_cells_written": formula_cells(issues_workbook_bytes(reading.issues)),
    }


def formula_cells(workbook: bytes) -> int:
    """Formula cells (`<f>` elements) in every worksheet of an .xlsx file's bytes."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        return sum(
            len(re.findall(r"<(?:\w+:)?f[ >/]", archive.read(name).decode("utf-8")))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        )


def meets_targets(result: dict[str, Any]) -> bool:
    return (
        result["records"] == result["rows"]
        and result["formula_cells_written"] == 0
        and all(result[key] >= target for key, target in TARGETS.items())
    )


def _leaves(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        found: dict[str, Any] = {}
        for key, item in value.items():
            found.update(_leaves(item, f"{path}.{key}" if path else key))
        return found
    if isinstance(value, list):
        found = {}
        for index, item in enumerate(value):
            found.update(_leaves(item, f"{path}.{index}"))
        return found if value else {path: []}
    return {path: value}


def styles_report() -> dict[str, Any]:
    results = {name: score_style(name) for name in style_names()}
    return {"styles": results, "targets": {**TARGETS, "records": "every applicant row"},
            "all_met": all(meets_targets(r) for r in results.values())}  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(styles_report(), ensure_ascii=False, indent=1))
