"""The other sheets of the review workbook (園別内定者, 保留一覧, 入力チェック, 施設一覧; 結果一覧 is in
sheets.review_results), each written row by row in write-only mode.

Write-only sheets need their layout (widths, frozen panes, filter, validations, print setup) before the
first row, so every writer sets it up first through :func:`prepare_sheet`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from matching.records import AGE_CLASS_LABELS, AGE_CLASSES
from sheets.cells import header_row, safe_row
from sheets.issues import LedgerIssue
from sheets.review_layout import (
    prepare_sheet,
    row_height,
    text_lines,
    wrapped_cells,
)
from sheets.review_model import ChildRow, ReviewModel, nursery_choice, rank_label
from sheets.xlsx_rows import RowWriter

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


def write_per_nursery_sheet(out: RowWriter, model: ReviewModel) -> None:
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
    sheet = out.sheet
    prepare_sheet(sheet, PER_NURSERY_COLUMNS, len(lines), freeze="C2")
    out.append(header_row(sheet, [label for label, _ in PER_NURSERY_COLUMNS]))
    for line in lines:
        out.append(safe_row(sheet, line))


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


def write_waitlist_sheet(out: RowWriter, model: ReviewModel) -> None:
    sheet = out.sheet
    waiting = [row for row in model.rows if row.assigned is None]
    prepare_sheet(sheet, WAITLIST_COLUMNS, len(waiting))
    out.append(header_row(sheet, [label for label, _ in WAITLIST_COLUMNS]))
    explanations = model.data.result.explanations
    wrapped = wrapped_cells(sheet)
    for row in waiting:
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
        out.append(values, row_height(text_lines(explanation, _EXPLANATION_WIDTH)))


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


def write_issues_sheet(out: RowWriter, issues: Sequence[LedgerIssue]) -> None:
    """Errors first, then warnings, then notes; within each, in the order given (the ledger's order)."""
    sheet = out.sheet
    prepare_sheet(sheet, ISSUE_COLUMNS, len(issues))
    out.append(header_row(sheet, [label for label, _ in ISSUE_COLUMNS]))
    for issue in sorted(issues, key=lambda i: _SEVERITY_ORDER[i.severity.value]):
        out.append(
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


def write_nursery_list_sheet(out: RowWriter, model: ReviewModel) -> None:
    sheet = out.sheet
    nurseries = model.data.nurseries
    prepare_sheet(sheet, NURSERY_LIST_COLUMNS, len(nurseries))
    out.append(header_row(sheet, [label for label, _ in NURSERY_LIST_COLUMNS]))
    for nursery in nurseries:
        out.append(
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
