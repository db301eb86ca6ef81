"""The 結果一覧 sheet of the review workbook: every child with its outcome, the staff's 調整 input columns
right after it (tinted, unlocked on the protected sheet, drop-downs), 区分 + 指数 and the wrapped 指数内訳;
保留 rows tinted. Written row by row in write-only mode (layout first, see sheets.review_layout)."""

from __future__ import annotations

from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from matching.adjustments import AdjustmentKind
from matching.records import AGE_CLASS_LABELS
from sheets.adjustments import (
    ADJUSTMENT_KIND_HEADER,
    ADJUSTMENT_NOTE_HEADER,
    ADJUSTMENT_NURSERY_HEADER,
    ASSIGNED_HEADER,
    CHILD_ID_HEADER,
    NURSERY_LIST_SHEET,
    STAFF_POINTS_HEADER,
    STAFF_REASON_HEADER,
)
from sheets.cells import header_row, safe_row
from sheets.review_layout import (
    INPUT_FILL,
    highlight_rows,
    input_cells,
    prepare_sheet,
    protect_keeping_filters,
    row_height,
    text_lines,
    wrapped_cells,
)
from sheets.review_model import ChildRow, ReviewModel, rank_label
from sheets.review_sheets import NURSERY_LIST_COLUMNS
from sheets.xlsx_rows import RowWriter
from sheets.xlsx_stream import column_letters

# The staff's input columns sit right after the outcome they adjust (readers find every column by its
# header, so the order is free).
RESULT_COLUMNS: tuple[tuple[str, float], ...] = (
    (CHILD_ID_HEADER, 12),
    ("受付番号", 15),
    ("氏名", 14),
    ("年齢クラス", 9),
    ("結果", 7),
    (ASSIGNED_HEADER, 12),
    ("内定施設名", 20),
    (ADJUSTMENT_KIND_HEADER, 8),
    (ADJUSTMENT_NURSERY_HEADER, 24),
    (ADJUSTMENT_NOTE_HEADER, 24),
    (STAFF_POINTS_HEADER, 8),  # 職権調整の点 (-3, +1.5 …): bodx score --staff-points reads it back
    (STAFF_REASON_HEADER, 24),
    ("希望順位", 10),
    ("区分", 10),  # the rules' 順位区分 (福祉の事由 / 一般 / 求職中 …): a higher class goes first
    ("指数", 8),  # points within the class, as the city's table writes them
    ("内定園加点", 9),
    ("同点時順位", 10),
    ("指数内訳", 60),
    ("希望園", 48),
    ("在籍園", 12),
    ("同一申込の児童", 16),
)
INPUT_HEADERS = frozenset(
    {ADJUSTMENT_KIND_HEADER, ADJUSTMENT_NURSERY_HEADER, ADJUSTMENT_NOTE_HEADER, STAFF_POINTS_HEADER,
     STAFF_REASON_HEADER}
)  # fmt: skip
_BREAKDOWN_WIDTH = dict(RESULT_COLUMNS)["指数内訳"]


_prepare = prepare_sheet


def write_results_sheet(out: RowWriter, model: ReviewModel, nursery_list_rows: int) -> None:
    """Every child; 保留 rows tinted; protected so only the 調整 input columns take typing."""
    sheet = out.sheet
    rows = model.rows
    prepare_sheet(sheet, RESULT_COLUMNS, len(rows))
    _adjustment_validations(sheet, len(rows), nursery_list_rows)
    highlight_rows(sheet, len(RESULT_COLUMNS), len(rows), _column_of("結果"), "保留")
    protect_keeping_filters(sheet)
    input_cell, wrapped = input_cells(sheet), wrapped_cells(sheet)
    header = header_row(sheet, [label for label, _ in RESULT_COLUMNS])
    for cell in header:
        if cell.value in INPUT_HEADERS:
            cell.fill = INPUT_FILL  # the header says "fill in here" too (the cell itself stays locked)
    out.append(header)
    for row in rows:
        priority = row.priority
        application = row.application
        rank_class, points = model.rank_and_points(priority) if priority else (None, None)
        adjustment = row.adjustment
        breakdown = _breakdown_text(model, row)
        out.append(
            [
                *safe_row(
                    sheet,
                    [
                        row.child.id,
                        application.id,
                        row.child.name,
                        AGE_CLASS_LABELS[row.age_class],
                        "内定" if row.assigned else "保留",
                        row.assigned,
                        model.nursery_name(row.assigned),
                    ],
                ),
                input_cell(adjustment.kind.value if adjustment else None),
                input_cell(model.nursery_choice(adjustment.nursery) if adjustment else None),
                input_cell(None),
                input_cell(None),
                input_cell(None),
                *safe_row(
                    sheet,
                    [
                        rank_label(row),
                        rank_class,
                        points,
                        model.points(priority.bonus.get(row.assigned, 0))
                        if priority and row.assigned
                        else None,
                        # The tie rank at the nursery the child got (it differs per nursery under 希望順位).
                        priority.tiebreak_at.get(row.assigned or "", priority.tiebreak) if priority else None,
                    ],
                ),
                wrapped(breakdown) if breakdown else None,
                *safe_row(
                    sheet,
                    [
                        " / ".join(
                            f"第{rank} {model.nursery_name(n)}({n})"
                            for rank, n in enumerate(application.preferences, 1)
                        ),
                        row.child.current_nursery,
                        "、".join(c.id for c in application.children if c.id != row.child.id) or None,
                    ],
                ),
            ],
            row_height(text_lines(breakdown, _BREAKDOWN_WIDTH)) if breakdown else None,
        )


def _adjustment_validations(sheet: WriteOnlyWorksheet, rows: int, nursery_rows: int) -> None:
    kind_column = column_letters(_column_of(ADJUSTMENT_KIND_HEADER))
    nursery_column = column_letters(_column_of(ADJUSTMENT_NURSERY_HEADER))
    kinds = ",".join(kind.value for kind in AdjustmentKind)
    kind_rule = DataValidation(type="list", formula1=f'"{kinds}"', allow_blank=True)
    kind_rule.error = f"{kinds} のどちらかを選んでください / choose {kinds}"
    kind_rule.errorTitle = "調整"
    kind_rule.prompt = "固定: この施設に必ず内定 / 除外: この施設には内定させない"
    kind_rule.promptTitle = "調整"
    kind_rule.add(f"{kind_column}2:{kind_column}{rows + 1}")
    choices = column_letters(len(NURSERY_LIST_COLUMNS) - 1)  # 「N001 さくら保育園」: staff pick by name
    nursery_rule = DataValidation(
        type="list",
        formula1=f"'{NURSERY_LIST_SHEET}'!${choices}$2:${choices}${max(nursery_rows, 1) + 1}",
        allow_blank=True,
    )
    nursery_rule.error = "施設一覧シートの施設から選んでください / choose a nursery from the 施設一覧 sheet"
    nursery_rule.prompt = "空欄: 内定施設番号の園 / blank: the nursery in 内定施設番号"
    nursery_rule.promptTitle = ADJUSTMENT_NURSERY_HEADER
    nursery_rule.errorTitle = ADJUSTMENT_NURSERY_HEADER
    nursery_rule.add(f"{nursery_column}2:{nursery_column}{rows + 1}")
    for rule in (kind_rule, nursery_rule):
        rule.showErrorMessage = True
        rule.showInputMessage = True
        sheet.data_validations.append(rule)


def _column_of(label: str) -> int:
    return next(index for index, (name, _) in enumerate(RESULT_COLUMNS) if name == label)


def _breakdown_text(model: ReviewModel, row: ChildRow) -> str | None:
    """One line per rule (wrapped, so it reads without scrolling sideways); labels carry the table's points."""
    if row.priority is None:
        return None
    parts = [
        item.label
        + (
            ""
            if "点" in item.label or item.rule_id.startswith("rank.")
            else f" ({_signed(model.points(item.points))})"
        )
        + (f"［{item.nursery}のみ］" if item.nursery else "")
        for item in row.priority.breakdown
    ]
    return "\n".join(parts) or None


def _signed(points: int | float) -> str:
    return f"+{points}" if points > 0 else str(points)
