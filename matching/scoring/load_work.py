"""Validate the 就労 tables ([[work]] and [[work.bands]]) of a rules file."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from matching.config.toml_lines import KeyPath
from matching.records import WorkStyle
from matching.scoring.checker import Checker, choices, points_value, unknown_keys
from matching.scoring.expr_names import NameDef
from matching.scoring.load_conditions import condition
from matching.scoring.rules import HoursUnit, WorkBand, WorkTable

_TABLE_KEYS = {"styles", "unit", "bands", "when", "label"}
_BAND_KEYS = {"points", "hours_min", "hours_below", "days_min", "days_max", "label"}


def work_tables(
    check: Checker, tables: Any, scale: int, names: dict[str, NameDef], partial_ok: bool = False
) -> tuple[WorkTable, ...]:
    if not isinstance(tables, list) or not tables:
        report = check.add_missing if tables is None else partial(check.add, ("work",))
        report(
            "就労の表 [[work]] がありません。外勤・自営・自営協力者・内職の表を書いてください",
            "no [[work]] table; add one for 外勤, 自営, 自営協力者 and 内職",
        )
        return ()
    result = []
    covered: dict[WorkStyle, int] = {}
    misspelt: list[str] = []
    for index, table in enumerate(tables):
        path: KeyPath = ("work", index)
        misspelt += unknown_keys(check, table, _TABLE_KEYS, path)
        when = condition(check, names, table["when"], (*path, "when"), "reason") if "when" in table else None
        styles = []
        for style in table.get("styles", []):
            try:
                parsed = WorkStyle(style)
            except ValueError:
                check.add(
                    (*path, "styles"),
                    f"就労形態「{style}」はありません。使える形態: {choices(w.value for w in WorkStyle)}",
                    f"unknown work style {style!r}",
                )
                continue
            if parsed in covered and "when" not in table:
                check.add(
                    (*path, "styles"),
                    f"就労形態「{style}」が2つの表にあります。どちらか一方から消してください",
                    f"work style {style!r} is in two [[work]] tables; remove it from one",
                )
            if "when" not in table:
                covered[parsed] = index
            styles.append(parsed)
        try:
            unit = HoursUnit(table.get("unit", "month"))
        except ValueError:
            check.add(
                (*path, "unit"),
                'unit は "month" (月) か "week" (週) にしてください',
                'unit must be "month" or "week"',
            )
            unit = HoursUnit.MONTH
        found = bands(check, table.get("bands", []), path, unit, scale)
        label = str(table.get("label", ""))
        result.append(WorkTable(styles=tuple(styles), unit=unit, bands=found, when=when, label=label))
    for style in WorkStyle:
        if style not in covered and not partial_ok and not misspelt:  # (style = … for styles: one message)
            check.add(
                ("work",),
                f"就労形態「{style.value}」の表がありません。どれかの [[work]] の styles に加えてください",
                f"no [[work]] table (without when) covers work style {style.value!r}; add it to one table's "
                'styles, or say in [meta] partial = "…" which part of the table is not transcribed',
            )
    return tuple(result)


def bands(
    check: Checker, rows: Any, table_path: KeyPath, unit: HoursUnit, scale: int
) -> tuple[WorkBand, ...]:
    """The hour/day bands of a work table or a reason table; overlapping bands are refused."""
    if not isinstance(rows, list) or not rows or not all(isinstance(row, dict) for row in rows):
        check.add(
            table_path,
            "この表に [[….bands]] (時間と日数の帯) がありません",
            "this table has no [[....bands]] (hour and day bands)",
        )
        return ()
    found: list[WorkBand] = []
    checked: list[int] = []  # bands with only known keys: the ones overlap is judged between
    for index, row in enumerate(rows):
        path = (*table_path, "bands", index)
        # A misspelt key (hours_bellow) is one problem: that band is left out of the overlap checks,
        # which would otherwise report the open-ended band it seems to be as clashing with the others.
        misspelt = unknown_keys(check, row, _BAND_KEYS, path)
        points = points_value(check, row.get("points"), (*path, "points"), scale)
        hours_min = Decimal(row.get("hours_min", 0))
        below_raw = row.get("hours_below")
        hours_below = Decimal(below_raw) if below_raw is not None else None
        days_min, days_max = int(row.get("days_min", 0)), int(row.get("days_max", 7))
        if hours_below is not None and hours_below <= hours_min:
            check.add(
                (*path, "hours_below"),
                "hours_below は hours_min より大きくしてください",
                "hours_below must exceed hours_min",
            )
        if not 0 <= days_min <= days_max <= 7:
            check.add(
                (*path, "days_min"),
                "日数は 0 ≤ days_min ≤ days_max ≤ 7 にしてください",
                "need 0 <= days_min <= days_max <= 7",
            )
        band = WorkBand(points, hours_min, hours_below, days_min, days_max, row.get("label") or "")
        band = WorkBand(
            points, hours_min, hours_below, days_min, days_max, band.label or _band_label(band, unit)
        )
        for earlier_index in [] if misspelt else checked:
            earlier = found[earlier_index]
            if band.overlaps(earlier):
                earlier_line = check.line_of((*table_path, "bands", earlier_index))
                check.add(
                    path,
                    f"この時間帯 ({band.label}) は {earlier_line} 行目の帯 ({earlier.label}) と重なっています。"
                    "hours_below を次の帯の hours_min と同じ値にするなど、重ならないようにしてください",
                    f"this hour band overlaps the band on line {earlier_line}; make hours_below of one equal "
                    "hours_min of the next so that every hour count falls in exactly one band",
                )
        if not misspelt:
            checked.append(index)
        found.append(band)
    return tuple(found)


def _band_label(band: WorkBand, unit: HoursUnit) -> str:
    per = "月" if unit is HoursUnit.MONTH else "週"
    hours = f"{per}{band.hours_min}時間以上"
    if band.hours_below is not None:
        hours += f"{band.hours_below}時間未満"
    if band.days_min == 0 and band.days_max == 7:
        return hours
    if band.days_max == 7:
        days = f"週{band.days_min}日以上"
    elif band.days_min == band.days_max:
        days = f"週{band.days_min}日"
    else:
        days = f"週{band.days_min}〜{band.days_max}日"
    return f"{days}・{hours}"
