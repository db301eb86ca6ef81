"""The review workbook as staff read it (issue 18): wrapped breakdown, input columns next to the outcome
on a protected sheet, 保留 rows tinted, header/footer on every sheet, nursery names in the drop-down,
one row per child in 園別内定者, and the score as 区分 + 指数."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from matching.adjustments import AdjustmentKind, StaffAdjustment
from matching.scoring import load_rules, score_applications
from samples import DEFAULT_RULES
from samples.citygen.generate import generate_city
from samples.ledgers.review_input import synthetic_review_input
from sheets.adjustments import read_adjustments
from sheets.review import ReviewInput, write_review_workbook

INPUTS = ["調整", "調整施設番号", "調整メモ", "調整点", "調整理由"]


@pytest.fixture(scope="module")
def scored() -> ReviewInput:
    """The synthetic review input with the demo city's rules' real priorities (順位区分, scale 10)."""
    review = synthetic_review_input(generate_city(120, seed=5))
    rules = load_rules(DEFAULT_RULES)
    priorities = score_applications(review.applications, rules, review.admission_year)
    return review.model_copy(update={"priorities": tuple(priorities), "points_scale": rules.scale})


@pytest.fixture(scope="module")
def workbook(scored: ReviewInput, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_review_workbook(scored, tmp_path_factory.mktemp("layout") / "review.xlsx")


def _columns(sheet: Worksheet) -> dict[str, int]:
    """Header -> 1-based column."""
    return {cell.value: cell.column for cell in sheet[1]}


def test_breakdown_wrapped_one_rule_per_line_tall_enough(scored: ReviewInput, workbook: Path) -> None:
    sheet = load_workbook(workbook)["結果一覧"]
    columns = _columns(sheet)
    priorities = {p.child_id: p for p in scored.priorities}
    tall = 0
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row, columns["指数内訳"])
        priority = priorities[sheet.cell(row, columns["児童番号"]).value]
        lines = cell.value.split("\n")
        assert len(lines) == len(priority.breakdown)
        assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
        if len(lines) > 1:
            tall += 1
            assert sheet.row_dimensions[row].height >= 15 * len(lines)
    assert tall > 0
    # Points without 点 in the rule's label are shown as the table writes them (scale 10: +1.5, not +15).
    assert not any("(+15)" in str(c.value) for c in sheet[get_letter(columns["指数内訳"])])


def get_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def test_input_columns_next_to_outcome_unlocked_on_protected_sheet(workbook: Path) -> None:
    sheet = load_workbook(workbook)["結果一覧"]
    headers = [cell.value for cell in sheet[1]]
    after = headers.index("内定施設名") + 1
    assert headers[after : after + len(INPUTS)] == INPUTS
    assert sheet.protection.sheet
    assert not sheet.protection.autoFilter and not sheet.protection.sort  # still allowed
    assert sheet.auto_filter.ref
    for row in (2, sheet.max_row):
        for column, label in enumerate(headers, start=1):
            cell = sheet.cell(row, column)
            if label in INPUTS:
                assert not cell.protection.locked, label
                assert cell.fill.fgColor.rgb.endswith("FFF2CC"), label
            else:
                assert cell.protection.locked, label
    assert all(cell.protection.locked for cell in sheet[1])  # headers stay protected
    assert [c.value for c in sheet[1] if c.fill.fgColor.rgb.endswith("FFF2CC")] == INPUTS  # marked as input


def test_every_other_sheet_is_read_only_with_filters_allowed(workbook: Path) -> None:
    book = load_workbook(workbook)
    for sheet in book.worksheets[1:]:
        assert sheet.protection.sheet and not sheet.protection.autoFilter, sheet.title
        unlocked = [c.coordinate for row in sheet.iter_rows() for c in row if not c.protection.locked]
        assert not unlocked, (sheet.title, unlocked[:5])


def test_waiting_rows_highlighted(scored: ReviewInput, workbook: Path) -> None:
    sheet = load_workbook(workbook)["結果一覧"]
    result_letter = get_letter(_columns(sheet)["結果"])
    found = [
        (str(area.sqref), rule)
        for area in sheet.conditional_formatting
        for rule in area.rules
        if rule.formula and f'${result_letter}2="保留"' in rule.formula[0]
    ]
    assert len(found) == 1
    area, rule = found[0]
    assert area == f"A2:{get_letter(sheet.max_column)}{sheet.max_row}"
    assert rule.dxf.fill is not None
    waiting = sum(1 for nursery in scored.result.assignments.values() if nursery is None)
    assert waiting and sum(1 for c in sheet[result_letter][1:] if c.value == "保留") == waiting


def test_every_sheet_prints_page_numbers_date_and_confidentiality(workbook: Path) -> None:
    book = load_workbook(workbook)
    for sheet in book.worksheets:
        header, footer = sheet.oddHeader, sheet.oddFooter
        assert "&P" in footer.center.text and "&N" in footer.center.text, sheet.title
        assert "&D" in footer.right.text, sheet.title
        assert "個人情報取扱注意" in header.right.text and "個人情報取扱注意" in footer.left.text, sheet.title
        assert sheet.page_setup.paperSize == 9, sheet.title  # A4


def test_nursery_drop_down_lists_names_and_reads_back_ids(scored: ReviewInput, tmp_path: Path) -> None:
    first, second = scored.nurseries[0], scored.nurseries[1]
    waiting = next(c for c, n in scored.result.assignments.items() if n is None)
    pinned = StaffAdjustment(child_id=waiting, kind=AdjustmentKind.PIN, nursery=first.id)
    path = write_review_workbook(scored.model_copy(update={"adjustments": (pinned,)}), tmp_path / "r.xlsx")
    book = load_workbook(path)
    sheet, listing = book["結果一覧"], book["施設一覧"]
    columns = _columns(sheet)
    nursery_letter = get_letter(columns["調整施設番号"])
    rule = next(r for r in sheet.data_validations.dataValidation if nursery_letter in str(r.sqref))
    choice_letter = get_letter(listing.max_column)
    assert rule.formula1 == f"'施設一覧'!${choice_letter}$2:${choice_letter}${len(scored.nurseries) + 1}"
    choices = [c.value for c in listing[choice_letter][1:]]
    assert choices == [f"{n.id} {n.name}" for n in scored.nurseries]
    # The pre-filled decision shows the name too and reads back as the id.
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, columns["児童番号"]).value == waiting)
    assert sheet.cell(row, columns["調整施設番号"]).value == f"{first.id} {first.name}"
    assert read_adjustments(path) == (pinned,)
    # A clerk picks another entry from the list: read back as that nursery's id.
    sheet.cell(row, columns["調整"]).value = "除外"
    sheet.cell(row, columns["調整施設番号"]).value = choices[1]
    book.save(tmp_path / "edited.xlsx")
    assert read_adjustments(tmp_path / "edited.xlsx") == (
        StaffAdjustment(child_id=waiting, kind=AdjustmentKind.EXCLUDE, nursery=second.id),
    )


def test_per_nursery_one_row_per_child(scored: ReviewInput, workbook: Path) -> None:
    sheet = load_workbook(workbook)["園別内定者"]
    columns = _columns(sheet)
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    shown = Counter(row[columns["児童番号"] - 1] for row in rows if row[columns["児童番号"] - 1])
    placed = {c: n for c, n in scored.result.assignments.items() if n is not None}
    assert set(shown) == set(placed) and set(shown.values()) == {1}
    for row in rows:
        child = row[columns["児童番号"] - 1]
        assert not any("、" in str(value) for value in row if value is not None)
        if child:
            assert row[columns["施設番号"] - 1] == placed[child]
        else:  # a class nobody was placed in still shows its free seats
            assert (
                row[columns["内定数"] - 1] == 0 and row[columns["残り枠"] - 1] == row[columns["募集数"] - 1]
            )


def test_score_shown_as_rank_class_and_points(scored: ReviewInput, workbook: Path) -> None:
    book = load_workbook(workbook)
    rules = load_rules(DEFAULT_RULES)
    classes = {rank.name for rank in rules.ranks}
    priorities = {p.child_id: p for p in scored.priorities}
    for name in ("結果一覧", "保留一覧"):
        sheet = book[name]
        columns = _columns(sheet)
        for row in sheet.iter_rows(min_row=2, values_only=True):
            priority = priorities[row[columns["児童番号"] - 1]]
            rank = next(item for item in priority.breakdown if item.rule_id.startswith("rank."))
            assert row[columns["区分"] - 1] in classes
            assert row[columns["区分"] - 1] == rank.rule_id.removeprefix("rank.")
            points = row[columns["指数"] - 1]
            assert points == (priority.score - rank.points) / rules.scale
            assert abs(points) * rules.scale < rules.rank_multiplier  # no ×1000 class mixed in
