"""The review workbook: sheets and columns, formula-safe text, layout, determinism, and the 調整 round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from matching.adjustments import AdjustmentKind, StaffAdjustment
from samples.citygen.generate import generate_city
from samples.ledgers.review_input import synthetic_review_input
from sheets.adjustments import read_adjustments
from sheets.errors import AdjustmentsReadError, OutputExistsError
from sheets.ledger import read_ledger
from sheets.mapping import load_mapping
from sheets.review import ReviewInput, write_review_workbook

LEDGERS = Path(__file__).resolve().parents[2] / "samples" / "ledgers"
SHEETS = ["結果一覧", "園別内定者", "保留一覧", "集計", "入力チェック", "施設一覧"]


@pytest.fixture(scope="module")
def review() -> ReviewInput:
    return synthetic_review_input(generate_city(250, seed=4))


def _headers(sheet) -> list[str]:  # type: ignore[no-untyped-def]
    return [cell.value for cell in next(sheet.iter_rows(min_row=1, max_row=1))]


def test_sheets_columns_and_rows(review: ReviewInput, tmp_path: Path) -> None:
    path = write_review_workbook(review, tmp_path / "review.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == SHEETS
    results = workbook["結果一覧"]
    headers = _headers(results)
    for label in ("児童番号", "内定施設番号", "結果", "希望順位", "指数", "指数内訳", "調整", "調整施設番号"):
        assert label in headers
    children = sum(len(a.children) for a in review.applications)
    assert results.max_row == children + 1
    child_col, assigned_col = headers.index("児童番号"), headers.index("内定施設番号")
    for row in results.iter_rows(min_row=2, values_only=True):
        assert row[assigned_col] == review.result.assignments[row[child_col]]
    waiting = [c for c, n in review.result.assignments.items() if n is None]
    assert workbook["保留一覧"].max_row == len(waiting) + 1
    explanation = workbook["保留一覧"].cell(row=2, column=8).value
    assert "第1希望" in explanation
    assert results.freeze_panes == "B2"
    assert results.auto_filter.ref == f"A1:U{children + 1}"  # through 同一申込の児童
    assert results.page_setup.orientation == "landscape"
    rules = results.data_validations.dataValidation
    assert {rule.formula1 for rule in rules} >= {'"固定,除外"'}
    assert any("施設一覧" in (rule.formula1 or "") for rule in rules)
    assert workbook["集計"]._charts


def test_formula_looking_name_is_a_string_cell(tmp_path: Path) -> None:
    reading = read_ledger(LEDGERS / "sakura.xlsx", load_mapping(LEDGERS / "sakura.mapping.toml"))
    assignments = {c.id: None for a in reading.applications for c in a.children}
    from matching.result import MatchResult

    data = ReviewInput(
        admission_year=2024,
        applications=reading.applications,
        nurseries=reading.nurseries,
        priorities=(),
        result=MatchResult(status="optimal", assignments=assignments),
        issues=reading.issues,
    )
    path = write_review_workbook(data, tmp_path / "review.xlsx")
    sheet = load_workbook(path)["結果一覧"]
    cells = [
        cell for row in sheet.iter_rows(min_row=2) for cell in row if str(cell.value).startswith("=HYPERLINK")
    ]
    assert cells, "the formula-looking name must be in the workbook"
    assert all(cell.data_type == "s" for cell in cells)
    checks = load_workbook(path)["入力チェック"]
    assert checks.max_row == len(reading.issues) + 1


def test_same_input_same_bytes_and_no_overwrite(review: ReviewInput, tmp_path: Path) -> None:
    first = write_review_workbook(review, tmp_path / "a.xlsx")
    second = write_review_workbook(review, tmp_path / "b.xlsx")
    assert first.read_bytes() == second.read_bytes()
    with pytest.raises(OutputExistsError):
        write_review_workbook(review, first)
    with pytest.raises(OutputExistsError):
        write_review_workbook(review.model_copy(update={"source_files": (first,)}), first, overwrite=True)


def test_adjustments_round_trip(review: ReviewInput, tmp_path: Path) -> None:
    placed = next(c for c, n in review.result.assignments.items() if n is not None)
    waiting = next(c for c, n in review.result.assignments.items() if n is None)
    nursery = review.nurseries[0].id
    adjustments = (
        StaffAdjustment(
            child_id=placed, kind=AdjustmentKind.PIN, nursery=review.result.assignments[placed] or ""
        ),
        StaffAdjustment(child_id=waiting, kind=AdjustmentKind.EXCLUDE, nursery=nursery),
    )
    path = write_review_workbook(review.model_copy(update={"adjustments": adjustments}), tmp_path / "r.xlsx")
    assert read_adjustments(path) == adjustments
    # A re-run's workbook pre-fills the same decisions, so they survive another round trip.
    again = write_review_workbook(
        review.model_copy(update={"adjustments": read_adjustments(path)}), tmp_path / "r2.xlsx"
    )
    assert read_adjustments(again) == adjustments


def test_staff_edits_are_read_back(review: ReviewInput, tmp_path: Path) -> None:
    path = write_review_workbook(review, tmp_path / "review.xlsx")
    assert read_adjustments(path) == ()
    workbook = load_workbook(path)
    sheet = workbook["結果一覧"]
    headers = _headers(sheet)
    kind_col, nursery_col = headers.index("調整") + 1, headers.index("調整施設番号") + 1
    child_col, assigned_col = headers.index("児童番号") + 1, headers.index("内定施設番号") + 1
    placed_row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, assigned_col).value)
    rows = [r for r in range(2, 6) if r != placed_row]
    sheet.cell(placed_row, kind_col).value = "固定"  # blank nursery: keep the current placement
    second_name = review.nurseries[1].name
    sheet.cell(rows[0], kind_col).value = "除外"
    sheet.cell(rows[0], nursery_col).value = second_name  # a name is accepted too
    edited = tmp_path / "edited.xlsx"
    workbook.save(edited)
    found = read_adjustments(edited)
    assert (
        StaffAdjustment(
            child_id=sheet.cell(placed_row, child_col).value,
            kind=AdjustmentKind.PIN,
            nursery=sheet.cell(placed_row, assigned_col).value,
        )
        in found
    )
    assert (
        StaffAdjustment(
            child_id=sheet.cell(rows[0], child_col).value,
            kind=AdjustmentKind.EXCLUDE,
            nursery=review.nurseries[1].id,
        )
        in found
    )


def test_unusable_adjustments_are_all_listed(review: ReviewInput, tmp_path: Path) -> None:
    path = write_review_workbook(review, tmp_path / "review.xlsx")
    workbook = load_workbook(path)
    sheet = workbook["結果一覧"]
    headers = _headers(sheet)
    kind_col, nursery_col = headers.index("調整") + 1, headers.index("調整施設番号") + 1
    assigned_col = headers.index("内定施設番号") + 1
    waiting_row = next(r for r in range(2, sheet.max_row + 1) if not sheet.cell(r, assigned_col).value)
    sheet.cell(2, kind_col).value = "優先"
    sheet.cell(3, kind_col).value = "固定"
    sheet.cell(3, nursery_col).value = "N999"
    sheet.cell(waiting_row, kind_col).value = "固定"
    edited = tmp_path / "edited.xlsx"
    workbook.save(edited)
    with pytest.raises(AdjustmentsReadError) as caught:
        read_adjustments(edited)
    message = str(caught.value)
    assert "2行目" in message and "3行目" in message and f"{waiting_row}行目" in message


def _summary_rows(path: Path) -> dict[str, list[str]]:
    sheet = load_workbook(path, read_only=True)["集計"]
    rows: dict[str, list[str]] = {}
    for row in sheet.iter_rows(values_only=True):
        if row and row[0] is not None:
            rows.setdefault(str(row[0]), []).append(str(row[1]))
    return rows


def test_summary_says_whether_the_result_is_proven_and_lists_open_coalitions(
    review: ReviewInput, tmp_path: Path
) -> None:
    from matching.result import BlockingCoalition

    best = review.result.model_copy(update={"status": "optimal", "blocking": (), "blocking_bound": 0})
    proven = _summary_rows(
        write_review_workbook(review.model_copy(update={"result": best}), tmp_path / "p.xlsx")
    )
    assert proven["状態"] == ["最適 (証明済み)"] and "未解消の組" not in proven
    child = next(iter(review.result.assignments))
    nursery = review.nurseries[0]
    open_result = review.result.model_copy(
        update={
            "status": "feasible",
            "blocking": (BlockingCoalition(applicants=(child,), nursery=nursery.id),),
            "blocking_bound": 0,
            "message": "制限時間内に証明できませんでした: ブロッキング 1 件、証明された下限 0",
        }
    )
    rows = _summary_rows(
        write_review_workbook(review.model_copy(update={"result": open_result}), tmp_path / "o.xlsx")
    )
    assert rows["状態"] == ["実行可能 (最適は未証明)"] and rows["ブロッキング"] == ["1 件 (下限 0)"]
    assert "下限 0" in rows["説明"][0] and "調整欄" in rows["対応"][0]
    assert rows["未解消の組"] == [f"{child} → {nursery.name}"]
