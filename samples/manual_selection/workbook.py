"""Write a manual selection as clerks keep it: one sheet, one sheet per age class, or one per nursery.

What clerks' workbooks look like (and what a reader must cope with): a title and a blank line above
the header; 受付番号, 児童番号, 氏名, the 指数 they computed; the nursery written by name (per class) or as
number and name (one sheet); 保留 or 在園継続 spelled out; a 集計 sheet of counts and a メモ sheet that
hold no children; per nursery, the waiting children on a sheet of their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from matching.instance import Instance

Layout = Literal["single", "per_class", "per_nursery"]
TITLE = "令和9年度 4月入所 利用調整結果 (手作業)"


@dataclass(frozen=True)
class ChildInfo:
    application_id: str
    name: str


def _outcome_word(nursery: str | None, transfer: bool) -> str:
    if nursery is not None:
        return "内定"
    return "在園継続" if transfer else "保留"


def write_manual_workbook(
    path: Path,
    instance: Instance,
    outcomes: Mapping[str, str | None],
    scores: Mapping[str, int],
    info: Mapping[str, ChildInfo],
    layout: Layout = "single",
) -> Path:
    names = {n.id: n.name for n in instance.nurseries}
    apps = sorted(instance.applications, key=lambda a: (a.age_class, -scores[a.id], a.tiebreak, a.id))
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)

    def child_cells(cid: str) -> list[object]:
        who = info.get(cid)
        return [who.application_id if who else None, cid, who.name if who else None]

    if layout == "single":
        sheet = _titled(workbook, "選考結果", TITLE)
        sheet.append(
            [
                "No",
                "受付番号",
                "児童番号",
                "氏名",
                "年齢クラス",
                "指数",
                "結果",
                "内定施設番号",
                "内定施設名",
                "備考",
            ]
        )
        for number, app in enumerate(apps, start=1):
            nursery = outcomes.get(app.id)
            word = _outcome_word(nursery, app.current_nursery is not None)
            name = names.get(nursery) if nursery else None
            sheet.append(
                [number, *child_cells(app.id), f"{app.age_class}歳児", scores[app.id], word, nursery, name]
            )
    elif layout == "per_class":
        for age in range(6):
            sheet = _titled(workbook, f"{age}歳児", f"{TITLE} {age}歳児クラス")
            sheet.append(["受付番号", "児童番号", "氏名", "指数", "内定園", "備考"])
            for app in (a for a in apps if a.age_class == age):
                nursery = outcomes.get(app.id)
                shown = (
                    names.get(nursery, nursery)
                    if nursery
                    else _outcome_word(None, app.current_nursery is not None)
                )
                sheet.append([*child_cells(app.id), scores[app.id], shown, None])
    else:
        placed: dict[str, list[str]] = {}
        waiting: list[str] = []
        for app in apps:
            nursery = outcomes.get(app.id)
            (placed.setdefault(nursery, []) if nursery else waiting).append(app.id)
        by_id = {a.id: a for a in apps}
        for nursery in sorted(placed):
            sheet = _titled(
                workbook, names.get(nursery, nursery)[:31], f"{TITLE} {names.get(nursery, nursery)}"
            )
            sheet.append(["受付番号", "児童番号", "氏名", "クラス", "指数"])
            for cid in placed[nursery]:
                sheet.append([*child_cells(cid), f"{by_id[cid].age_class}歳児", scores[cid]])
        sheet = _titled(workbook, "保留・在園継続", f"{TITLE} 保留")
        sheet.append(["受付番号", "児童番号", "氏名", "クラス", "指数", "備考"])
        for cid in waiting:
            note = "在園継続" if by_id[cid].current_nursery else None
            sheet.append([*child_cells(cid), f"{by_id[cid].age_class}歳児", scores[cid], note])
    summary = workbook.create_sheet("集計")
    summary.append(["年齢クラス", "内定", "保留"])
    counts = Counter((a.age_class, outcomes.get(a.id) is not None) for a in apps)
    for age in range(6):
        summary.append([f"{age}歳児", counts[(age, True)], counts[(age, False)]])
    workbook.create_sheet("メモ").append(["きょうだい・転園は課長確認済み"])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _titled(workbook: Workbook, name: str, title: str) -> Worksheet:
    sheet = workbook.create_sheet(name)
    sheet.append([title])
    sheet.append([])
    return sheet
