"""園別内定者名簿: per nursery its placed children and waiting list; the nursery's remarks read back."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

from openpyxl import load_workbook

from sheets.nursery_lists import REMARKS_HEADER, read_remarks, write_nursery_lists
from tests.notices.test_letters import season  # noqa: F401 - the same small season as the letters

STAMP = dt.datetime(2027, 1, 10, 9, 0)


def test_lists_per_nursery_and_combined(season: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]  # noqa: F811
    applications, nurseries, instance, result = season
    written = write_nursery_lists(applications, nurseries, instance, result, tmp_path, STAMP)
    assert set(written) == {"N1", "N2", "全園"}
    book = load_workbook(written["N1"])
    placed = [row for row in book["内定者"].iter_rows(min_row=2, values_only=True)]
    assert [(row[0], row[2], row[4]) for row in placed] == [("C1", "青木 一郎", "1歳児")]
    waiting = [row[:6] for row in book["待機者"].iter_rows(min_row=2, values_only=True)]
    # In priority order at さくら保育園: the twins (45) before C2 (40); each says which wish it was.
    assert [(row[0], row[1], row[5]) for row in waiting] == [
        (1, "C3", "第1希望"),
        (2, "C4", "第1希望"),
        (3, "C2", "第1希望"),
    ]
    assert book["内定者"].protection.sheet is True
    assert "個人情報取扱注意" in book["内定者"].oddFooter.center.text
    combined = load_workbook(written["全園"])
    assert next(combined["待機者"].iter_rows(max_row=1, values_only=True))[0] == "施設"
    assert {r[0] for r in combined["待機者"].iter_rows(min_row=2, values_only=True)} == {
        "さくら保育園",
        "ひまわり園",
    }
    assert stat.S_IMODE(written["N1"].stat().st_mode) == 0o600


def test_the_nursery_remarks_come_back(season: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]  # noqa: F811
    applications, nurseries, instance, result = season
    path = write_nursery_lists(applications, nurseries, instance, result, tmp_path, STAMP)["N1"]
    book = load_workbook(path)
    for name, child, note in (("内定者", "C1", "面接 1/20 10:00"), ("待機者", "C2", "=辞退の連絡あり")):
        sheet = book[name]
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            if row[header.index("児童番号")].value == child:
                row[header.index(REMARKS_HEADER)].value = note
    book.save(path)
    assert read_remarks(path) == {"C1": "面接 1/20 10:00", "C2": "=辞退の連絡あり"}
