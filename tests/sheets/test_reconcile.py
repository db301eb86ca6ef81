"""The reconciliation workbook: protected, 0600, one row per differing child grouped by root cause."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook

from matching.compare import Comparison, Kind, compare_outcomes
from matching.instance import Instance
from sheets.errors import OutputExistsError
from sheets.reconcile import DIFFERENCE_COLUMNS, Person, ReconcileInput, write_reconcile_workbook

STAMP = dt.datetime(2027, 2, 1, 9, 0)


def _comparison() -> Comparison:
    instance = Instance.model_validate(
        {
            "admission_year": 2027,
            "nurseries": [
                {"id": "N1", "name": "さくら保育園", "capacity": {"1": 1}},
                {"id": "N2", "name": "ひまわり保育園", "capacity": {"1": 1}},
            ],
            "applications": [
                {"id": "C1", "age_class": 1, "preferences": ["N1", "N2"], "score": 100, "tiebreak": 1},
                {"id": "C2", "age_class": 1, "preferences": ["N2"], "score": 90, "tiebreak": 2},
                {"id": "C3", "age_class": 1, "preferences": ["N2"], "score": 80, "tiebreak": 3},
            ],
        }
    )
    manual = {"C1": "N2", "C2": None, "C3": None}  # C1 left beside N1's free seat, C2 displaced
    program = {"C1": "N1", "C2": "N2", "C3": None}
    return compare_outcomes(manual, program, instance, manual_scores={"C1": 100, "C2": 90, "C3": 85})


def _input(tmp_path: Path) -> ReconcileInput:
    people = {
        "C1": Person("R-001", "山田 花"),
        "C2": Person("R-002", '=HYPERLINK("http://x","y")'),  # a typed name must stay text
        "C3": Person("R-003", "鈴木 海"),
    }
    return ReconcileInput(
        comparison=_comparison(),
        people=people,
        masks={"C1": "C*1", "C2": "C*2", "C3": "C*3"},
        generated_at=STAMP,
        sources=[tmp_path / "manual.xlsx"],
        sheets_read=["0歳児", "1歳児"],
        skipped=[("集計", "見出しがありません")],
    )


def test_workbook_is_protected_private_and_grouped_by_root_cause(tmp_path: Path) -> None:
    path = write_reconcile_workbook(_input(tmp_path), tmp_path / "照合.xlsx")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    book = load_workbook(path)
    assert book.sheetnames == ["集計", "相違一覧", "指数のみ相違"]
    assert book.security is not None and book.security.lockStructure
    assert all(book[name].protection.sheet for name in book.sheetnames)
    rows = list(book["相違一覧"].iter_rows(values_only=True))
    assert list(rows[0]) == [label for label, _ in DIFFERENCE_COLUMNS]
    body = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [(r["児童番号"], r["原因番号"]) for r in body] == [("C1", "R001"), ("C2", "R001")]
    first, second = body
    assert first["原因"] == Kind.FREE_SEAT_LEFT.label and first["受付番号"] == "R-001"
    assert first["手作業"] == "ひまわり保育園 (N2)" and first["プログラム"] == "さくら保育園 (N1)"
    assert second["原因"].startswith(Kind.CHAIN.label) and "R-001 山田 花 (C1)" in second["理由"]
    assert "R-001 山田 花 (C1)" in second["同じ原因の児童"]
    name_cell = book["相違一覧"]["G3"]
    assert name_cell.value.startswith("=HYPERLINK") and name_cell.data_type == "s"
    summary = [row for row in book["集計"].iter_rows(values_only=True) if row and row[0]]
    flat = {row[0]: row[1] for row in summary}
    assert flat["対象児童"] == 3 and flat["一致"] == 1 and flat["一致率"] == pytest.approx(1 / 3)
    assert any(row[1] == Kind.FREE_SEAT_LEFT.label and row[2] == 1 and row[3] == 2 for row in summary)
    assert any("集計" in str(row[0]) for row in summary)
    scores = list(book["指数のみ相違"].iter_rows(values_only=True))
    assert scores[1][:2] == ("R-003", "C3") and scores[1][4:6] == (85, 80)


def test_never_written_over_an_input_or_an_existing_file(tmp_path: Path) -> None:
    data = _input(tmp_path)
    with pytest.raises(OutputExistsError):
        write_reconcile_workbook(data, tmp_path / "manual.xlsx")
    path = write_reconcile_workbook(data, tmp_path / "out.xlsx")
    with pytest.raises(OutputExistsError):
        write_reconcile_workbook(data, path)
    first = path.read_bytes()
    write_reconcile_workbook(data, path, overwrite=True)
    assert path.read_bytes() == first  # same input, same bytes
