"""園別内定者名簿 for 園との調整: per nursery its placed children and its waiting list, one workbook each.

In January each nursery receives its list: who was placed (class, start date, contact, sibling notes)
and who waits for it in priority order. The nursery writes its remarks (面接日, 辞退の連絡 …) into the
「園からの連絡」 column, the only column left unlocked, and staff read them back with `read_remarks`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Protection
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from matching.files import write_atomically
from matching.instance import Instance
from matching.records import AGE_CLASS_LABELS, Application, Nursery
from matching.result import MatchResult
from sheets.cells import header_row, safe_row, text_cell
from sheets.deterministic import workbook_bytes
from sheets.errors import ReviewInputError
from sheets.safety import open_workbook
from sheets.wareki import format_wareki

REMARKS_HEADER = "園からの連絡"
PLACED_SHEET, WAITING_SHEET = "内定者", "待機者"
PLACED_COLUMNS = (
    "児童番号",
    "受付番号",
    "氏名",
    "フリガナ",
    "クラス",
    "利用開始日",
    "保護者",
    "電話",
    "きょうだい",
    REMARKS_HEADER,
)
WAITING_COLUMNS = ("順位", "児童番号", "受付番号", "氏名", "クラス", "希望順位", REMARKS_HEADER)
_UNLOCKED = Protection(locked=False)


@dataclass(frozen=True)
class _Child:
    child_id: str
    application: Application
    name: str
    kana: str
    age_class: int


def write_nursery_lists(
    applications: Sequence[Application],
    nurseries: Sequence[Nursery],
    instance: Instance,
    result: MatchResult,
    out_dir: Path,
    stamp: dt.datetime,
) -> dict[str, Path]:
    """One workbook per nursery that placed or is wanted by a child, and 全園.xlsx (with a 施設 column)."""
    children = _children(applications, instance)
    placed: dict[str, list[list[object]]] = defaultdict(list)
    waiting: dict[str, list[list[object]]] = defaultdict(list)
    for entry in sorted(instance.applications, key=lambda a: (-a.score, a.tiebreak)):
        child = children.get(entry.id)
        if child is None:
            continue
        got = result.assignments.get(entry.id)
        if got is not None and got != entry.current_nursery:
            placed[got].append(_placed_row(child))
        elif got is None:
            for rank, wanted in enumerate(entry.preferences, start=1):
                # Ordered by the city-wide priority; a per-nursery 加点 can reorder one nursery's list.
                waiting[wanted].append(_waiting_row(child, rank, entry.score + entry.bonus.get(wanted, 0)))
    for rows in waiting.values():
        rows.sort(key=lambda row: -int(row[-1]))  # type: ignore[call-overload]
    written: dict[str, Path] = {}
    all_placed: list[list[object]] = []
    all_waiting: list[list[object]] = []
    for nursery in nurseries:
        here, queue = placed.get(nursery.id, []), [row[:-1] for row in waiting.get(nursery.id, [])]
        if not here and not queue:
            continue
        queue = [[position, *row] for position, row in enumerate(queue, start=1)]
        book = Workbook(write_only=True)
        _write(book, nursery.name, here, queue, ())
        written[nursery.id] = write_atomically(
            out_dir / f"{nursery.id}_{nursery.name}.xlsx", workbook_bytes(book, stamp)
        )
        all_placed += [[nursery.name, *row] for row in here]
        all_waiting += [[nursery.name, *row] for row in queue]
    book = Workbook(write_only=True)
    _write(book, "全園", all_placed, all_waiting, ("施設",))
    written["全園"] = write_atomically(out_dir / "全園.xlsx", workbook_bytes(book, stamp))
    return written


def _children(applications: Sequence[Application], instance: Instance) -> dict[str, _Child]:
    classes = {a.id: a.age_class for a in instance.applications}
    return {
        child.id: _Child(child.id, app, child.name or "", child.kana or "", classes[child.id])
        for app in applications
        for child in app.children
        if child.id in classes
    }


def _placed_row(child: _Child) -> list[object]:
    app = child.application
    guardian = next((g.name for g in app.household.guardians if g.name), "")
    siblings = "、".join(c.name or c.id for c in app.children if c.id != child.child_id)
    return [
        child.child_id, app.id, child.name, child.kana, AGE_CLASS_LABELS[child.age_class],
        format_wareki(app.desired_start), guardian, " ".join(app.household.phones), siblings,
    ]  # fmt: skip


def _waiting_row(child: _Child, rank: int, priority: int) -> list[object]:
    # The last value (the priority at this nursery) orders the list and is not written.
    return [
        child.child_id,
        child.application.id,
        child.name,
        AGE_CLASS_LABELS[child.age_class],
        f"第{rank}希望",
        priority,
    ]


def _write(
    book: Workbook, title: str, placed: list[list[object]], waiting: list[list[object]], lead: tuple[str, ...]
) -> None:
    for name, columns, rows in (
        (PLACED_SHEET, PLACED_COLUMNS, placed),
        (WAITING_SHEET, WAITING_COLUMNS, waiting),
    ):
        sheet = book.create_sheet(name)
        _layout(sheet, f"{title} {name}", (*lead, *columns))
        for row in rows:
            sheet.append([*safe_row(sheet, row), _remarks_cell(sheet)])


def _layout(sheet: WriteOnlyWorksheet, title: str, columns: Sequence[str]) -> None:
    # A write-only sheet takes its settings before the first row.
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True  # only the remarks column is unlocked
    sheet.oddHeader.center.text = title
    sheet.oddFooter.center.text = "&P / &N  個人情報取扱注意"
    sheet.page_setup.orientation = "landscape"
    sheet.append(header_row(sheet, list(columns)))


def _remarks_cell(sheet: WriteOnlyWorksheet) -> WriteOnlyCell:
    cell = text_cell(sheet, "")
    cell.protection = _UNLOCKED
    return cell


def read_remarks(path: Path) -> dict[str, str]:
    """The nursery's 「園からの連絡」 per child id, from both sheets (empty cells left out)."""
    # Formulas as their text: a nursery that typed "=…" meant words, and a formula has no cached value
    # until Excel recalculates, so data_only would lose the remark.
    book = open_workbook(path, read_only=True, data_only=False)
    try:
        remarks: dict[str, str] = {}
        for name in (PLACED_SHEET, WAITING_SHEET):
            if name not in book.sheetnames:
                raise ReviewInputError(f"{path.name}: シート「{name}」がありません / sheet {name} is missing")
            rows = book[name].iter_rows(values_only=True)
            header = [str(v) if v is not None else "" for v in next(rows, ())]
            if REMARKS_HEADER not in header or "児童番号" not in header:
                raise ReviewInputError(
                    f"{path.name} {name}: 列の見出しが変わっています / the header row was changed"
                )
            child_at, remark_at = header.index("児童番号"), header.index(REMARKS_HEADER)
            for row in rows:
                remark = row[remark_at] if remark_at < len(row) else None
                if row[child_at] and remark not in (None, ""):
                    remarks[str(row[child_at])] = str(remark)
        return remarks
    finally:
        book.close()
