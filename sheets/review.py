"""The review workbook staff decide from after an assignment run.

    write_review_workbook(ReviewInput(...), Path("out/review.xlsx"))

Sheets: 結果一覧 (every child, with the 調整 columns staff fill in), 園別内定者, 保留一覧, 集計 (with a
chart), 入力チェック (the ledger issues) and 施設一覧 (the list the 調整施設番号 drop-down offers).
Written in openpyxl's write-only mode (30,000 children in seconds) and saved byte-identically for the
same input (the stamp is `ReviewInput.generated_at`). Adjustment format: see sheets/adjustments.py.
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

__all__ = ["ReviewInput", "write_review_workbook"]


def write_review_workbook(data: ReviewInput, path: Path, *, overwrite: bool = False) -> Path:
    """Write the review workbook to `path` (never over one of `data.source_files`; an existing file only
    with `overwrite`, because it may hold staff adjustments) and return `path`."""
    ensure_writable_output(path, data.source_files, overwrite=overwrite)
    with pause_cyclic_gc():
        model = build_model(data)
        workbook = Workbook(write_only=True)
        # 施設一覧 is written last (write-only sheets are written in order) but the 調整施設番号
        # drop-down on 結果一覧 refers to its rows, so its size is passed along.
        write_results_sheet(workbook.create_sheet("結果一覧"), model, nursery_list_rows=len(data.nurseries))
        write_per_nursery_sheet(workbook.create_sheet("園別内定者"), model)
        write_waitlist_sheet(workbook.create_sheet("保留一覧"), model)
        write_summary_sheet(workbook.create_sheet("集計"), model)
        write_issues_sheet(workbook.create_sheet("入力チェック"), data.issues)
        write_nursery_list_sheet(workbook.create_sheet("施設一覧"), model)
        # The other sheets are read-only for staff (filters still work): decisions go in 結果一覧's 調整.
        for sheet in workbook.worksheets[1:]:
            protect_keeping_filters(sheet)
        payload = workbook_bytes(workbook, data.generated_at)
    write_atomically(path, payload)
    return path
