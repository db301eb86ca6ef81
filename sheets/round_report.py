"""The change report workbook of a round (二次調整 …): what changed since the previous round.

Sheets: 変更一覧 (every child: previous outcome → this round's, with the reason; changed rows tinted),
園別 (per nursery and class: seats kept, returned, offered, filled, left), 固定に対する阻止連合 (children
who had priority over a fixed placement), 要確認 (the round's issues and the responses workbook's
unusable cells) and 集計. Every sheet is protected (nothing to fill in) and carries the 個人情報取扱注意
header and footer; the file is 0600 and byte-identical for the same input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from matching.files import write_atomically
from matching.records import AGE_CLASS_LABELS, Application
from matching.round_report import ChangeReport
from sheets.cells import header_row, safe_row
from sheets.deterministic import workbook_bytes
from sheets.issues import LedgerIssue
from sheets.review_layout import highlight_rows, prepare_sheet

CHANGED_MARK = "○"
CHANGE_COLUMNS = (
    ("児童番号", 12), ("受付番号", 15), ("氏名", 14), ("年齢クラス", 9), ("前回", 16), ("今回", 16),
    ("変更", 6), ("理由", 80),
)  # fmt: skip
NURSERY_COLUMNS = (
    ("施設番号", 10), ("施設名", 20), ("年齢クラス", 9), ("募集", 6), ("承諾で確定", 9), ("回答待ち", 8),
    ("辞退", 6), ("取消", 6), ("面接不可", 8), ("転園で空き", 9), ("この回の空き", 10), ("この回の内定", 10),
    ("残り", 6), ("超過", 6),
)  # fmt: skip
COALITION_COLUMNS = (("児童番号", 24), ("施設番号", 10), ("施設名", 20), ("指数が下の固定児童", 40))
ISSUE_COLUMNS = (("区分", 8), ("場所", 28), ("児童番号", 12), ("受付番号", 15), ("値", 16), ("内容", 90))


def write_change_report(
    report: ChangeReport,
    path: Path,
    *,
    applications: Sequence[Application],
    reading_issues: Sequence[LedgerIssue] = (),
    stamp: dt.datetime,
) -> Path:
    names = {c.id: c.name for a in applications for c in a.children}
    nursery_names = {n.nursery: n.name for n in report.nurseries}
    book = Workbook(write_only=True)
    rows = sorted(report.children, key=lambda c: (not c.changed, c.child_id))
    _table(
        book.create_sheet("変更一覧"),
        CHANGE_COLUMNS,
        [
            [
                c.child_id,
                c.application_id,
                names.get(c.child_id),
                AGE_CLASS_LABELS[c.age_class],
                c.before,
                c.after,
                CHANGED_MARK if c.changed else None,
                c.reason,
            ]
            for c in rows
        ],
        highlight=(6, CHANGED_MARK),
    )
    _table(
        book.create_sheet("園別"),
        NURSERY_COLUMNS,
        [
            [
                n.nursery,
                n.name,
                AGE_CLASS_LABELS[n.age_class],
                n.base,
                n.accepted,
                n.pending,
                n.returned.get("辞退", 0),
                n.returned.get("取消", 0),
                n.returned.get("面接不可", 0),
                n.transfer_freed,
                n.available,
                n.filled,
                n.remaining,
                n.over or None,
            ]
            for n in report.nurseries
        ],
    )
    _table(
        book.create_sheet("固定に対する阻止連合"),
        COALITION_COLUMNS,
        [
            ["、".join(b.applicants), b.nursery, nursery_names.get(b.nursery, b.nursery), "、".join(b.fixed)]
            for b in report.against_fixed
        ],
    )
    issues = [
        [{"error": "エラー", "warning": "警告", "info": "情報"}[i.severity], "二次調整", i.child_id, i.application_id,
         None, i.message]
        for i in report.issues
    ] + [
        [i.severity.label, f"{i.file} {i.sheet or ''}{f'!{i.column}{i.row}' if i.row else ''}", None, None, i.raw,
         i.message]
        for i in reading_issues
    ]  # fmt: skip
    _table(book.create_sheet("要確認"), ISSUE_COLUMNS, issues)
    summary: list[list[object]] = [
        ["選考回", f"{report.previous_round} → {report.round_id}"],
        ["最適化", report.status],
        ["検証 (確定した席を固定して)", "問題なし / ok" if report.checker_ok else "問題あり / failed"],
    ]
    summary += [["検証のメッセージ", message] for message in report.checker_messages]
    summary += [[label, count] for label, count in report.counts.items()]
    _table(book.create_sheet("集計"), (("項目", 36), ("値", 40)), summary)
    return write_atomically(path, workbook_bytes(book, stamp))


def _table(
    sheet: WriteOnlyWorksheet,
    columns: Sequence[tuple[str, float]],
    rows: Sequence[Sequence[object]],
    highlight: tuple[int, str] | None = None,
) -> None:
    prepare_sheet(sheet, columns, len(rows))
    if highlight is not None:
        highlight_rows(sheet, len(columns), len(rows), *highlight)
    sheet.protection.sheet = True
    sheet.protection.autoFilter = False
    sheet.protection.sort = False
    sheet.append(header_row(sheet, [label for label, _ in columns]))
    for row in rows:
        sheet.append(safe_row(sheet, list(row)))
