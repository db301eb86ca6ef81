"""The review workbook staff decide from after an assignment run.

    write_review_workbook(ReviewInput(...), Path("out/review.xlsx"))

Sheets: 結果一覧 (every child, with the 調整 columns staff fill in), 園別内定者, 保留一覧, 集計 (with a
chart), 入力チェック (the ledger issues) and 施設一覧 (the list the 調整施設番号 drop-down offers).
Written in openpyxl's write-only mode, the rows through sheets.xlsx_rows.RowWriter (the bytes openpyxl
writes, without a Cell per value: 30,000 children in about 2.5 CPU s), and saved byte-identically for
the same input (the stamp is `ReviewInput.generated_at`). Adjustment format: see sheets/adjustments.py.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from sheets.deterministic import workbook_bytes
from sheets.gcpause import pause_cyclic_gc
from sheets.review_layout import protect_keeping_filters
from sheets.review_model import ReviewInput, build_model
from sheets.review_results import write_results_sheet
from sheets.review_sheets import (
    write_issues_sheet,
    write_nursery_list_sheet,
    write_per_nursery_sheet,
    write_waitlist_sheet,
)
from sheets.review_summary import write_summary_sheet
from sheets.safety import ensure_writable_output, write_atomically
from sheets.xlsx_rows import RowWriter

__all__ = ["ReviewInput", "write_review_workbook"]

SHEETS = ("結果一覧", "園別内定者", "保留一覧", "集計", "入力チェック", "施設一覧")


def write_review_workbook(data: ReviewInput, path: Path, *, overwrite: bool = False) -> Path:
    """Write the review workbook to `path` (never over one of `data.source_files`; an existing file only
    with `overwrite`, because it may hold staff adjustments) and return `path`."""
    ensure_writable_output(path, data.source_files, overwrite=overwrite)
    with pause_cyclic_gc():
        model = build_model(data)
        workbook = Workbook(write_only=True)
        sheets = [RowWriter(workbook.create_sheet(title)) for title in SHEETS]
        results, per_nursery, waitlist, summary, issues, nursery_list = sheets
        # 施設一覧 is written last (write-only sheets are written in order) but the 調整施設番号
        # drop-down on 結果一覧 refers to its rows, so its size is passed along.
        write_results_sheet(results, model, nursery_list_rows=len(data.nurseries))
        write_per_nursery_sheet(per_nursery, model)
        write_waitlist_sheet(waitlist, model)
        write_summary_sheet(summary, model)
        write_issues_sheet(issues, data.issues)
        write_nursery_list_sheet(nursery_list, model)
        # The other sheets are read-only for staff (filters still work): decisions go in 結果一覧's 調整.
        for sheet in workbook.worksheets[1:]:
            protect_keeping_filters(sheet)
        payload = workbook_bytes(workbook, data.generated_at, sheets)
    write_atomically(path, payload)
    return path
