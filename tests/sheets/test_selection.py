"""Manual result workbooks as clerks keep them: one sheet, per class, per nursery; what is skipped is said."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from sheets.errors import LedgerFormatError, WorkbookRefusedError
from sheets.outcomes import read_outcomes
from sheets.selection import read_selection

NAMES = {"N001": "さくら保育園", "N002": "ひまわり保育園"}


def _book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def test_per_class_sheets_with_names_scores_and_a_skipped_summary(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "manual.xlsx",
        {
            "0歳児": [
                ["令和9年度 0歳児クラス 利用調整"],
                [],
                ["受付番号", "児童番号", "氏名", "指数", "内定園", "備考"],
                ["R-1", "C1", "山田 花", 120, "さくら保育園", None],
                ["R-2", "C2", "田中 空", "１１０点", "保留", None],
            ],
            "1歳児": [
                ["受付番号", "児童番号", "氏名", "指数", "内定園"],
                ["R-3", 1003, "鈴木 海", 100.0, "ひまわり"],  # 保育園 left off, id typed as a number
                ["R-4", "C4", "佐藤 陸", "高い", "在園継続"],
            ],
            "集計": [["年齢クラス", "内定", "保留"], ["0歳児", 1, 1]],
        },
    )
    selection = read_selection(path, NAMES)
    assert selection.outcomes == {"C1": "N001", "C2": None, "1003": "N002", "C4": None}
    assert selection.scores == {"C1": 120, "C2": 110, "1003": 100}
    assert selection.sheets_read == ("0歳児", "1歳児")
    assert [s.sheet for s in selection.skipped] == ["集計"]
    assert len(selection.problems) == 1 and "高い" in selection.problems[0]
    row = next(r for r in selection.rows if r.child_id == "C1")
    assert (row.application_id, row.name, row.sheet, row.row) == ("R-1", "山田 花", "0歳児", 4)
    assert "集計" in selection.describe()


def test_per_nursery_sheets_take_the_nursery_from_the_sheet_name(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "by_nursery.xlsx",
        {
            "さくら保育園": [
                ["受付番号", "児童番号", "氏名", "クラス", "指数"],
                ["R-1", "C1", "山田 花", "0歳児", 120],
            ],
            "ひまわり保育園": [
                ["受付番号", "児童番号", "氏名", "クラス", "指数"],
                ["R-3", "C3", "鈴木 海", "1歳児", 100],
            ],
            "保留・在園継続": [
                ["受付番号", "児童番号", "氏名", "クラス", "指数"],
                ["R-2", "C2", "田中 空", "0歳児", 110],
            ],
            "全体": [["児童番号", "内定施設番号"], ["C1", "N001"], ["C3", "N002"]],  # the same children again
            "メモ": [["児童番号の付け方は台帳と同じ"]],
        },
    )
    selection = read_selection(path, NAMES)
    assert selection.outcomes == {"C1": "N001", "C3": "N002", "C2": None}
    assert [s.sheet for s in selection.skipped] == ["メモ"]
    # Without the nursery list the per-nursery sheets cannot be placed: they are skipped, and said so.
    bare = read_selection(path)
    assert {s.sheet for s in bare.skipped} == {"さくら保育園", "ひまわり保育園", "メモ"}


def test_a_child_with_two_different_outcomes_names_both_places(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "twice.xlsx",
        {
            "0歳児": [["児童番号", "内定施設番号"], ["C1", "N001"]],
            "全体": [["児童番号", "内定施設番号"], ["C1", "N002"]],
        },
    )
    with pytest.raises(LedgerFormatError, match=r"「0歳児」2行目.*「全体」2行目"):
        read_selection(path, NAMES)


def test_unknown_nursery_is_kept_and_reported(tmp_path: Path) -> None:
    path = _book(tmp_path / "odd.xlsx", {"結果": [["児童番号", "内定施設"], ["C1", "こもれび園"]]})
    selection = read_selection(path, NAMES)
    assert selection.outcomes == {"C1": "こもれび園"} and "こもれび園" in selection.problems[0]


def test_no_readable_sheet_is_a_clear_error_and_non_workbooks_are_refused(tmp_path: Path) -> None:
    path = _book(tmp_path / "other.xlsx", {"台帳": [["児童番号", "施設"], ["C1", "N001"]]})
    with pytest.raises(LedgerFormatError, match="内定施設番号"):
        read_selection(path, NAMES)
    with pytest.raises(LedgerFormatError, match="内定施設番号"):
        read_outcomes(path)
    text = tmp_path / "result.xlsx.txt"
    text.write_text("児童番号,内定施設番号\n")
    with pytest.raises(WorkbookRefusedError):
        read_selection(text)


def test_outcomes_reader_takes_numeric_ids_blank_as_waiting_and_the_first_list_only(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "review.xlsx",
        {
            "結果一覧": [
                ["児童番号", "内定施設番号"],
                [1001, 101],
                [1002, None],
                [None, None],
                ["1003", "  "],
            ],
            "保留一覧": [["児童番号", "内定施設番号"], [1002, None], [1003, None]],
        },
    )
    assert read_outcomes(path) == {"1001": "101", "1002": None, "1003": None}
