"""The generated city as a staff-style Excel ledger (受付台帳): one row per child.

It looks like what staff keep: a title row, the header on row 3, Japanese column names, wareki dates,
○ marks, hours with units, nursery names instead of ids. The sheets package reads it back through
`cities/hinata/ledger/applications.toml`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from openpyxl import Workbook

from matching.records import AGE_CLASS_LABELS, AGE_CLASSES, AdjustmentFlag, Application, Guardian, Reason
from samples.citygen.generate import SyntheticCity
from sheets.deterministic import save_deterministic
from sheets.wareki import era_of, format_wareki, format_wareki_short

MAX_PREFERENCES = 6
FLAG_COLUMNS = (
    AdjustmentFlag.SINGLE_PARENT,
    AdjustmentFlag.WELFARE,
    AdjustmentFlag.PARENTAL_LEAVE_RETURN,
    AdjustmentFlag.UNLICENSED_CARE,
    AdjustmentFlag.MULTIPLE_BIRTH,
    AdjustmentFlag.GRANDPARENT_AT_HOME,
    AdjustmentFlag.FEE_ARREARS,
    AdjustmentFlag.CHILD_DISABILITY,
)
GUARDIAN_FIELDS = ("続柄", "氏名", "事由", "就労形態", "月就労時間", "週就労日数", "事由詳細")
LEDGER_HEADER: tuple[str, ...] = (
    "受付番号",
    "受付日",
    "児童番号",
    "児童氏名",
    "フリガナ",
    "生年月日",
    "年齢クラス",
    "入所希望月",
    *(f"第{rank}希望" for rank in range(1, MAX_PREFERENCES + 1)),
    "きょうだい別園可",
    "在籍園(転園)",
    *(f"保護者{n}{field}" for n in (1, 2) for field in GUARDIAN_FIELDS),
    *(flag.value for flag in FLAG_COLUMNS),
    "兄弟在園",
    "市民税所得割額",
    "備考",
)
NURSERY_HEADER: tuple[str, ...] = (
    "施設番号",
    "施設名",
    "種別",
    "地区",
    *(AGE_CLASS_LABELS[a] for a in AGE_CLASSES),
)


def write_ledger(city: SyntheticCity, path: Path) -> None:
    names = {n.id: n.name for n in city.nurseries}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("申込一覧")
    year = city.admission_year
    era, era_year = era_of(dt.date(year, 4, 1))
    sheet.append([f"{era.name}{era_year}年度 保育所等入所申込 受付台帳"])
    sheet.append([])
    sheet.append(list(LEDGER_HEADER))
    for application in city.applications:
        for row in _application_rows(application, names, year):
            sheet.append(row)
    nurseries = workbook.create_sheet("施設一覧")
    nurseries.append(list(NURSERY_HEADER))
    for nursery in city.nurseries:
        nurseries.append(
            [
                nursery.id,
                nursery.name,
                nursery.kind,
                nursery.district,
                *(nursery.seats(a) for a in AGE_CLASSES),
            ]
        )
    save_deterministic(workbook, path, dt.datetime(year - 1, 11, 1, 9, 0, 0))


def _application_rows(app: Application, names: dict[str, str], year: int) -> Iterator[list[object]]:
    preferences = [names[p] for p in app.preferences] + [None] * (MAX_PREFERENCES - len(app.preferences))
    guardians: list[Guardian | None] = [*app.household.guardians[:2], None, None][:2]
    guardian_cells: list[object] = []
    for guardian in guardians:
        guardian_cells.extend(_guardian_cells(guardian))
    flags = ["○" if flag in app.household.flags else None for flag in FLAG_COLUMNS]
    enrolled = "、".join(names[n] for n in app.household.siblings_enrolled_at) or None
    for child in app.children:
        yield [
            app.id,
            format_wareki_short(app.received_on) if app.received_on else None,
            child.id,
            child.name,
            child.kana,
            format_wareki(child.birth_date),
            AGE_CLASS_LABELS[child.age_class(year)],
            f"{app.desired_start.year}/{app.desired_start.month}",
            *preferences,
            "○" if app.allow_split else None,
            names[child.current_nursery] if child.current_nursery else None,
            *guardian_cells,
            *flags,
            enrolled,
            app.household.income_levy_yen,
            None,
        ]


def _guardian_cells(guardian: Guardian | None) -> list[object]:
    if guardian is None:
        return [None] * len(GUARDIAN_FIELDS)
    reason: Reason = guardian.reasons[0]
    hours = f"{reason.hours_per_month:g}時間" if reason.hours_per_month is not None else None
    days = f"{reason.days_per_week}日" if reason.days_per_week is not None else None
    style = reason.work_style.value if reason.work_style else None
    return [guardian.relation, guardian.name, reason.kind.value, style, hours, days, reason.level]
