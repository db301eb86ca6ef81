"""The review queue round trip: doubtful fields out to Excel with their crops, corrections back in."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ocr.errors import ReviewFileError
from ocr.readings import PageReading, PageStatus
from ocr.review import (
    CONFIRMED,
    CORRECTED,
    FILE,
    KEY,
    LABEL,
    PAGE_ROW,
    READ,
    REASON,
    SHEET,
    read_review,
    write_review,
)
from ocr.template import FormTemplate


def with_pending(page: PageReading, names: tuple[str, ...]) -> PageReading:
    """The same page with some fields sent to review (as a disagreement would)."""
    fields = tuple(
        replace(f, accepted=False, confidence=0.3, problems=("テスト / test",)) if f.name in names else f
        for f in page.fields
    )
    return page.with_fields(fields)


@pytest.fixture
def pending(readings: dict[str, PageReading]) -> list[PageReading]:
    application = with_pending(readings["page_0001"], ("child_name", "phone", "child_sex", "allow_split"))
    return [application, readings["bad_blank"]]


def test_round_trip_applies_confirmed_corrections(
    tmp_path: Path, pending: list[PageReading], templates: tuple[FormTemplate, ...]
) -> None:
    path = tmp_path / "review.xlsx"
    assert pending[0].status is PageStatus.REVIEW
    assert write_review(pending, path) == 5  # four fields and the blank page
    workbook = load_workbook(path)
    sheet = workbook[SHEET]
    assert len(sheet._images) == 5  # a crop beside every field row, a thumbnail beside the page row
    rows = {str(r[KEY - 1].value).rpartition("|")[2]: r for r in sheet.iter_rows(min_row=2)}
    page_row = rows[""]
    assert page_row[FILE - 1].value == "bad_blank.jpg p.1" and page_row[LABEL - 1].value == PAGE_ROW
    assert "白紙" in str(page_row[REASON - 1].value)
    page_row[CONFIRMED - 1].value = "済"  # staff saw the page: nothing to apply, nothing reported
    rows["child_name"][CORRECTED - 1].value = "山田 花子"
    rows["child_name"][CONFIRMED - 1].value = "済"
    rows["phone"][CORRECTED - 1].value = "０３－１２３４－５６７８"  # full width as staff may type it
    rows["phone"][CONFIRMED - 1].value = "済"
    rows["child_sex"][CORRECTED - 1].value = "女"
    rows["child_sex"][CONFIRMED - 1].value = "済"
    rows["allow_split"][CORRECTED - 1].value = "✓"  # typed but not confirmed: stays pending
    workbook.save(path)
    updated, issues = read_review(pending, path, templates)
    assert issues == []
    page = updated[0]
    assert page.field("child_name").value == "山田花子" and page.field("child_name").corrected
    assert page.field("phone").value == "03-1234-5678"
    assert page.field("child_sex").value == "女"
    assert [f.name for f in page.pending] == ["allow_split"]
    assert page.status is PageStatus.REVIEW
    assert updated[1] is pending[1]  # pages without rows are untouched


def test_invalid_correction_stays_pending_and_is_reported(
    tmp_path: Path, pending: list[PageReading], templates: tuple[FormTemplate, ...]
) -> None:
    path = tmp_path / "review.xlsx"
    write_review(pending, path)
    workbook = load_workbook(path)
    sheet = workbook[SHEET]
    for row in sheet.iter_rows(min_row=2):
        row[CONFIRMED - 1].value = "済"
        if str(row[KEY - 1].value).endswith("|phone"):
            row[CORRECTED - 1].value = "電話なし"
        if str(row[KEY - 1].value).endswith("|child_sex"):
            row[CORRECTED - 1].value = "不明"
    workbook.save(path)
    updated, issues = read_review(pending, path, templates)
    assert len(issues) == 2 and all(" / " in i for i in issues)
    assert {f.name for f in updated[0].pending} == {"phone", "child_sex"}


def test_all_confirmed_makes_the_page_ok(
    tmp_path: Path, pending: list[PageReading], templates: tuple[FormTemplate, ...]
) -> None:
    path = tmp_path / "review.xlsx"
    write_review(pending, path)
    workbook = load_workbook(path)
    for row in workbook[SHEET].iter_rows(min_row=2):
        row[CONFIRMED - 1].value = "済"  # staff accept the values read
    workbook.save(path)
    updated, issues = read_review(pending, path, templates)
    assert issues == [] and updated[0].status is PageStatus.OK
    assert updated[0].values() == pending[0].values()


def test_a_foreign_workbook_is_refused(
    tmp_path: Path, pending: list[PageReading], templates: tuple[FormTemplate, ...]
) -> None:
    from openpyxl import Workbook

    path = tmp_path / "other.xlsx"
    Workbook().save(path)
    with pytest.raises(ReviewFileError):
        read_review(pending, path, templates)
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ReviewFileError):
        read_review(pending, tmp_path / "broken.xlsx", templates)


def test_formula_looking_readings_are_written_as_text(tmp_path: Path, pending: list[PageReading]) -> None:
    """An OCR value like "=HYPERLINK(…)" or "+81…" must reach staff as text, never as a live formula."""
    page = pending[0]
    hostile = {"child_name": '=HYPERLINK("http://x","a")', "phone": "+81-3-1234-5678"}
    fields = tuple(replace(f, value=hostile.get(f.name, f.value)) for f in page.fields)
    path = tmp_path / "review.xlsx"
    write_review([page.with_fields(fields)], path)
    sheet = load_workbook(path)[SHEET]
    rows = {str(r[KEY - 1].value).rpartition("|")[2]: r for r in sheet.iter_rows(min_row=2)}
    for name, text in hostile.items():
        cell = rows[name][READ - 1]
        assert cell.data_type == "s" and cell.value == text and cell.quotePrefix
        assert rows[name][CORRECTED - 1].data_type == "s"


def test_apply_without_the_reading_templates_gives_a_hint(tmp_path: Path, pending: list[PageReading]) -> None:
    path = tmp_path / "review.xlsx"
    write_review(pending, path)
    workbook = load_workbook(path)
    for row in workbook[SHEET].iter_rows(min_row=2):
        row[CONFIRMED - 1].value = "済"
    workbook.save(path)
    updated, issues = read_review(pending, path, templates=())
    assert len(issues) == 1 and "--templates-dir" in issues[0] and "hoiku_moushikomi" in issues[0]
    assert updated[0] is pending[0]  # nothing applied, nothing lost
