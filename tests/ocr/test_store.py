"""Readings survive a JSON round trip; `bodx ocr apply-review` turns a confirmed review into records."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import bodx.commands.ocr  # noqa: F401  (registers the commands)
from bodx.app import app
from ocr.errors import OcrError
from ocr.readings import PageReading
from ocr.review import CONFIRMED, SHEET, write_review
from ocr.store import load_readings, save_readings
from samples.forms import TEMPLATES_DIR


def test_readings_round_trip_without_crops(tmp_path: Path, readings: dict[str, PageReading]) -> None:
    pages = list(readings.values())
    save_readings(pages, tmp_path / "r.json")
    back = load_readings(tmp_path / "r.json")
    assert [p.status for p in back] == [p.status for p in pages]
    assert [p.values() for p in back] == [p.values() for p in pages]
    assert all(f.crop_jpeg == b"" for p in back for f in p.fields)
    (tmp_path / "bad.json").write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(OcrError):
        load_readings(tmp_path / "bad.json")


def test_apply_review_writes_applications(tmp_path: Path, readings: dict[str, PageReading]) -> None:
    good = [r for name, r in sorted(readings.items()) if name.startswith("page_")]
    # Send one field of each page to review, as a disagreement would, then confirm every row.
    pending = [p.with_fields((replace(p.fields[0], accepted=False), *p.fields[1:])) for p in good]
    save_readings(pending, tmp_path / "readings.json")
    write_review(pending, tmp_path / "review.xlsx")
    workbook = load_workbook(tmp_path / "review.xlsx")
    for row in workbook[SHEET].iter_rows(min_row=2):
        row[CONFIRMED - 1].value = "済"
    workbook.save(tmp_path / "review.xlsx")
    result = CliRunner().invoke(
        app, ["ocr", "apply-review", "--out", str(tmp_path), "--templates-dir", str(TEMPLATES_DIR)]
    )
    assert result.exit_code == 0, result.output
    applications = json.loads((tmp_path / "applications.json").read_text(encoding="utf-8"))
    assert applications and all(a["id"].startswith("R2027-") for a in applications)
    assert all(not p.pending for p in load_readings(tmp_path / "readings.json"))
