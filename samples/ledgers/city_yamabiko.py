"""やまびこ町 style: one sheet per age band (0〜2歳児 / 3〜5歳児), a two-row header with merged group
cells (児童 over 番号/氏名/フリガナ/生年月日, 保護者1 over its six columns …), western dates typed as text,
real date cells and bare Excel serial numbers, preferences by id or by name, ○/〇 marks, one sibling
application whose rows sit on both sheets, a blank row and a note-only row.
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from matching.records import AdjustmentFlag, ReasonKind, WorkStyle
from samples.ledgers.truth import application, child, nursery, other, work
from samples.ledgers.writing import Defect, LedgerSample, date_cell, fill_rows

# (top label, sub labels): a top label with no sub labels spans both header rows.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("受付番号", ()),
    ("受付日", ()),
    ("児童", ("番号", "氏名", "フリガナ", "生年月日")),
    ("入所希望月", ()),
    ("希望施設", ("第1希望", "第2希望", "第3希望")),
    ("きょうだい別園可", ()),
    ("保護者1", ("続柄", "氏名", "事由", "就労形態", "月就労時間", "週就労日数", "事由詳細")),
    ("保護者2", ("続柄", "氏名", "事由", "就労形態", "月就労時間", "週就労日数", "事由詳細")),
    ("兄弟在園", ()),
    ("所得割額", ()),
    ("ひとり親", ()),
    ("多胎児", ()),
    ("備考", ()),
)
YOUNG, OLD = "0〜2歳児", "3〜5歳児"
NURSERIES = (
    nursery("Y01", "やまびこ保育園", {0: 3, 1: 6, 2: 6, 3: 8, 4: 8, 5: 8}, district="北"),
    nursery("Y02", "こだま保育園", {0: 2, 1: 3, 2: 3, 3: 5, 4: 5, 5: 5}, district="南"),
    nursery("Y03", "もりのこ園", {0: 0, 1: 2, 2: 2}, kind="小規模保育事業", district="北"),
)


def _header(ws: Worksheet) -> None:
    ws["A1"] = "令和9年度 入所申込一覧（やまびこ町）"
    column = 1
    for top, subs in GROUPS:
        ws.cell(row=2, column=column, value=top)
        if subs:
            if len(subs) > 1:
                ws.merge_cells(start_row=2, start_column=column, end_row=2, end_column=column + len(subs) - 1)
            for offset, sub in enumerate(subs):
                ws.cell(row=3, column=column + offset, value=sub)
            column += len(subs)
        else:
            ws.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
            column += 1


def build() -> LedgerSample:
    wb = Workbook()
    young = wb.active
    young.title = YOUNG
    old = wb.create_sheet(OLD)
    for ws in (young, old):
        _header(ws)
    # Columns: A受付番号 B受付日 C番号 D氏名 Eフリガナ F生年月日 G入所希望月 H第1 I第2 J第3 K別園可
    # L-R 保護者1 (続柄 氏名 事由 就労形態 月就労時間 週就労日数 事由詳細), S-Y 保護者2, Z兄弟在園 AA所得割額
    # ABひとり親 AC多胎児 AD備考
    young_rows: list[list[object]] = [
        # row 4: text dates, preferences by id
        ["Y-101", "2026/10/01", "K101", "山田 はな", "ヤマダ ハナ", "2024/5/3", "2027年4月", "Y01", "Y02", None, None,
         "母", "山田 花子", "就労", "外勤", 160, 5, None, "父", "山田 太郎", "就労", "外勤", 180, 5, None,
         None, 123400, None, None, None],
        # row 5: real date cells, a bare Excel serial for the birth date (45689 = 2025-02-01), name prefs
        ["Y-102", date_cell(dt.date(2026, 10, 2)), "K102", "川口 そら", "カワグチ ソラ", 45689, date_cell(dt.date(2027, 4, 1)),
         "もりのこ園", "やまびこ保育園", None, None,
         "母", None, "出産", None, None, None, "出産前後", "父", None, "就労", "自営", 200, 6, None,
         "こだま保育園", 56000, None, None, None],
        # row 6: blank on purpose
        [],
        # row 7: the younger child of sibling group Y-103 (the older one is on the other sheet)
        ["Y-103", "2026/10/03", "K103", "森 ゆき", "モリ ユキ", "2025/6/30", "2027年4月", "Y02", "Y01", None, "〇",
         "母", None, "就労", "外勤", 120, 4, None, None, None, None, None, None, None, None,
         None, 0, "○", None, None],
        # row 8: DEFECT no 入所希望月 (error)
        ["Y-104", "2026/10/04", "K104", "林 みく", "ハヤシ ミク", "2024/8/8", None, "Y01", None, None, None,
         "母", None, "求職", None, None, None, None, None, None, None, None, None, None, None,
         None, None, None, None, None],
        # row 9: DEFECT 生年月日 9999999 is no date (error)
        ["Y-105", "2026/10/05", "K105", "谷 りく", "タニ リク", 9999999, "2027年4月", "Y02", None, None, None,
         "母", None, "就労", "外勤", 150, 5, None, None, None, None, None, None, None, None,
         None, None, "○", None, None],
        # row 10: a note only (info: skipped)
        [None] * 29 + ["※10/6 父から電話。書類は後日提出"],
        # row 11: DEFECT 事由 「パート」 is no reason (error)
        ["Y-106", "2026/10/06", "K106", "岡 めい", "オカ メイ", "2023/12/24", "2027年4月", "Y01", "Y03", None, None,
         "母", None, "パート", None, 100, 4, None, None, None, None, None, None, None, None,
         None, None, "○", None, None],
        # rows 12-13: twins Y-107
        ["Y-107", "2026/10/07", "K107", "泉 かい", "イズミ カイ", "2024/1/15", "2027年4月", "Y01", None, None, None,
         "母", None, "就労", "外勤", 140, 5, None, "父", None, "疾病", None, None, None, "入院",
         None, 80000, None, "○", None],
        ["Y-107", "2026/10/07", "K108", "泉 りん", "イズミ リン", "2024/1/15", "2027年4月", "Y01", None, None, None,
         "母", None, "就労", "外勤", 140, 5, None, "父", None, "疾病", None, None, None, "入院",
         None, 80000, None, "○", None],
    ]  # fmt: skip
    old_rows: list[list[object]] = [
        # row 4: the older child of Y-103; DEFECT its 第1希望 differs from the first row (warning)
        ["Y-103", "2026/10/03", "K109", "森 たける", "モリ タケル", "2022/2/2", "2027年4月", "Y01", "Y01", None, "〇",
         "母", None, "就労", "外勤", 120, 4, None, None, None, None, None, None, None, None,
         None, 0, "○", None, None],
        # row 5: a transfer-free 5歳児 with 介護
        ["Y-108", "2026/10/08", "K110", "星 あかり", "ホシ アカリ", "2021/7/7", "2027年4月", "Y02", "Y01", None, None,
         "母", None, "介護", None, None, None, "常時介護", "父", None, "就労", "外勤", "168", "5", None,
         None, 150000, None, None, None],
    ]  # fmt: skip
    fill_rows(young, 4, young_rows)
    fill_rows(old, 4, old_rows)
    sheet = wb.create_sheet("施設一覧")
    sheet.append(["施設番号", "施設名", "種別", "地区", "0歳児", "1歳児", "2歳児", "3歳児", "4歳児", "5歳児"])
    for n in NURSERIES:
        sheet.append([n.id, n.name, n.kind, n.district, *(n.capacity.get(a) for a in range(6))])
    expected = (
        application(
            "Y-101", [child("K101", "山田 はな", "ヤマダ ハナ", dt.date(2024, 5, 3))], ["Y01", "Y02"],
            [work("母", 160, 5, name="山田 花子"), work("父", 180, 5, name="山田 太郎")],
            received=dt.date(2026, 10, 1), levy=123400,
        ),
        application(
            "Y-102", [child("K102", "川口 そら", "カワグチ ソラ", dt.date(2025, 2, 1))], ["Y03", "Y01"],
            [other("母", ReasonKind.PREGNANCY, "出産前後"), work("父", 200, 6, style=WorkStyle.SELF_EMPLOYED)],
            received=dt.date(2026, 10, 2), levy=56000, siblings_at=["Y02"],
        ),
        application(
            "Y-103",
            [child("K103", "森 ゆき", "モリ ユキ", dt.date(2025, 6, 30)),
             child("K109", "森 たける", "モリ タケル", dt.date(2022, 2, 2))],
            ["Y02", "Y01"], [work("母", 120, 4)], received=dt.date(2026, 10, 3), levy=0, split=True,
            flags=[AdjustmentFlag.SINGLE_PARENT],
        ),
        application(
            "Y-107",
            [child("K107", "泉 かい", "イズミ カイ", dt.date(2024, 1, 15)),
             child("K108", "泉 りん", "イズミ リン", dt.date(2024, 1, 15))],
            ["Y01"], [work("母", 140, 5), other("父", ReasonKind.ILLNESS, "入院")],
            received=dt.date(2026, 10, 7), levy=80000, flags=[AdjustmentFlag.MULTIPLE_BIRTH],
        ),
        application(
            "Y-108", [child("K110", "星 あかり", "ホシ アカリ", dt.date(2021, 7, 7))], ["Y02", "Y01"],
            [other("母", ReasonKind.CARE, "常時介護"), work("父", 168, 5)],
            received=dt.date(2026, 10, 8), levy=150000,
        ),
    )  # fmt: skip
    defects = (
        Defect(YOUNG, 8, "G", "error", "入所希望月がない"),
        Defect(YOUNG, 9, "F", "error", "生年月日 9999999"),
        Defect(YOUNG, 10, "AD", "info", "備考だけの行"),
        Defect(YOUNG, 11, "N", "error", "事由 パート"),
        Defect(OLD, 4, "H", "warning", "同じ受付番号で第1希望が違う"),
    )
    return LedgerSample("yamabiko", wb, expected, NURSERIES, defects)
