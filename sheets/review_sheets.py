"""The sheets of the review workbook, each written row by row in write-only mode.

Write-only sheets need their layout (widths, frozen panes, filter, validations, print setup) before the
first row, so every writer sets it up first through :func:`_prepare`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from matching.adjustments import AdjustmentKind
from matching.records import AGE_CLASS_LABELS, AGE_CLASSES
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
from sheets.issues import LedgerIssue
from sheets.review_layout import (
    fit_row_height,
    highlight_rows,
    input_cells,
    prepare_sheet,
    protect_keeping_filters,
    text_lines,
    wrapped_cells,
)
from sheets.review_model import ChildRow, ReviewModel, nursery_choice, rank_label
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


def write_results_sheet(sheet: WriteOnlyWorksheet, model: ReviewModel, nursery_list_rows: int) -> None:
    """Every child; 保留 rows tinted; protected so only the 調整 input columns take typing."""
    rows = model.rows
    _prepare(sheet, RESULT_COLUMNS, len(rows))
    _adjustment_validations(sheet, len(rows), nursery_list_rows)
    highlight_rows(sheet, len(RESULT_COLUMNS), len(rows), _column_of("結果"), "保留")
    protect_keeping_filters(sheet)
    input_cell, wrapped = input_cells(sheet), wrapped_cells(sheet)
    sheet.append(header_row(sheet, [label for label, _ in RESULT_COLUMNS]))
    for number, row in enumerate(rows, start=2):
        priority = row.priority
        application = row.application
        rank_class, points = model.rank_and_points(priority) if priority else (None, None)
        adjustment = row.adjustment
        breakdown = _breakdown_text(model, row)
        if breakdown:
            fit_row_height(sheet, number, text_lines(breakdown, _BREAKDOWN_WIDTH))
        sheet.append(
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
            ]
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


PER_NURSERY_COLUMNS = (
    ("施設番号", 10),
    ("施設名", 22),
    ("年齢クラス", 9),
    ("募集数", 8),
    ("内定数", 8),
    ("残り枠", 8),
    ("児童番号", 12),
    ("受付番号", 15),
    ("氏名", 14),
    ("希望順位", 10),
)


def write_per_nursery_sheet(sheet: WriteOnlyWorksheet, model: ReviewModel) -> None:
    """One row per placed child (filters and printing work per child); a class nobody was placed in
    still gets one row so its free seats show. The class's counts repeat on each of its rows."""
    placed: dict[tuple[str, int], list[ChildRow]] = defaultdict(list)
    for row in model.rows:
        if row.assigned is not None:
            placed[(row.assigned, row.age_class)].append(row)
    lines: list[list[object]] = []
    for nursery in model.data.nurseries:
        for age in AGE_CLASSES:
            children = placed.get((nursery.id, age), [])
            if age not in nursery.capacity and not children:
                continue
            seats = nursery.seats(age)
            counts = [
                nursery.id,
                nursery.name,
                AGE_CLASS_LABELS[age],
                seats,
                len(children),
                seats - len(children),
            ]
            lines.extend(
                [*counts, c.child.id, c.application.id, c.child.name, rank_label(c)] for c in children
            )
            if not children:
                lines.append([*counts, None, None, None, None])
    _prepare(sheet, PER_NURSERY_COLUMNS, len(lines), freeze="C2")
    sheet.append(header_row(sheet, [label for label, _ in PER_NURSERY_COLUMNS]))
    for line in lines:
        sheet.append(safe_row(sheet, line))


WAITLIST_COLUMNS = (
    ("児童番号", 12),
    ("受付番号", 15),
    ("氏名", 14),
    ("年齢クラス", 9),
    ("区分", 10),
    ("指数", 8),
    ("希望数", 7),
    ("保留の理由（希望園ごと）", 90),
)
_EXPLANATION_WIDTH = dict(WAITLIST_COLUMNS)["保留の理由（希望園ごと）"]


def write_waitlist_sheet(sheet: WriteOnlyWorksheet, model: ReviewModel) -> None:
    waiting = [row for row in model.rows if row.assigned is None]
    _prepare(sheet, WAITLIST_COLUMNS, len(waiting))
    sheet.append(header_row(sheet, [label for label, _ in WAITLIST_COLUMNS]))
    explanations = model.data.result.explanations
    wrapped = wrapped_cells(sheet)
    for number, row in enumerate(waiting, start=2):
        texts = [item.text for item in explanations.get(row.child.id, ())]
        explanation = "\n".join(texts) if texts else "（最適化の説明がありません / no explanation given）"
        rank_class, points = model.rank_and_points(row.priority) if row.priority else (None, None)
        values = safe_row(
            sheet,
            [
                row.child.id,
                row.application.id,
                row.child.name,
                AGE_CLASS_LABELS[row.age_class],
                rank_class,
                points,
                len(row.application.preferences),
            ],
        )
        values.append(wrapped(explanation))
        fit_row_height(sheet, number, text_lines(explanation, _EXPLANATION_WIDTH))
        sheet.append(values)


ISSUE_COLUMNS = (
    ("重要度", 8),
    ("ファイル", 22),
    ("シート", 12),
    ("行", 6),
    ("列", 6),
    ("見出し", 16),
    ("値", 22),
    ("内容", 90),
)


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def write_issues_sheet(sheet: WriteOnlyWorksheet, issues: Sequence[LedgerIssue]) -> None:
    """Errors first, then warnings, then notes; within each, in the order given (the ledger's order)."""
    _prepare(sheet, ISSUE_COLUMNS, len(issues))
    sheet.append(header_row(sheet, [label for label, _ in ISSUE_COLUMNS]))
    for issue in sorted(issues, key=lambda i: _SEVERITY_ORDER[i.severity.value]):
        sheet.append(
            safe_row(
                sheet,
                [
                    issue.severity.label,
                    issue.file,
                    issue.sheet,
                    issue.row,
                    issue.column,
                    issue.header,
                    issue.raw,
                    issue.message,
                ],
            )
        )


NURSERY_LIST_COLUMNS = (
    ("施設番号", 10),
    ("施設名", 24),
    ("種別", 16),
    ("地区", 10),
    *((AGE_CLASS_LABELS[age] + "募集", 9) for age in AGE_CLASSES),
    ("調整施設の選択肢", 30),  # what the 調整施設番号 drop-down lists; must stay the last column
)


def write_nursery_list_sheet(sheet: WriteOnlyWorksheet, model: ReviewModel) -> None:
    nurseries = model.data.nurseries
    _prepare(sheet, NURSERY_LIST_COLUMNS, len(nurseries))
    sheet.append(header_row(sheet, [label for label, _ in NURSERY_LIST_COLUMNS]))
    for nursery in nurseries:
        sheet.append(
            safe_row(
                sheet,
                [
                    nursery.id,
                    nursery.name,
                    nursery.kind,
                    nursery.district,
                    *(nursery.seats(a) for a in AGE_CLASSES),
                    nursery_choice(nursery),
                ],
            )
        )
