"""みなと市 style: title and remark rows above a header on row 4, 父/母 columns side by side, 希望1..3
with nursery names in mixed widths and kana, ✓/レ marks, wareki dates in three shapes and real date
cells, phone and postal code columns, a 施設 sheet with full-width digits in its headers.
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook

from matching.records import AdjustmentFlag, ReasonKind, WorkStyle
from samples.ledgers.truth import application, child, nursery, other, work
from samples.ledgers.writing import Defect, LedgerSample, date_cell, fill_rows

HEADER = (
    "申込番号", "受付年月日", "児童番号", "お子様の氏名", "ふりがな", "生年月日", "入所希望年月",
    "希望1", "希望2", "希望3", "別園可",
    "父事由", "父勤務形態", "父勤務時間", "父勤務日数",
    "母事由", "母勤務形態", "母勤務時間", "母勤務日数",
    "母子父子", "生保", "育休明け", "電話番号", "郵便番号", "備考",
)  # fmt: skip
SHEET = "申込受付"

NURSERIES = (
    nursery("N001", "さくら保育園", {0: 3, 1: 5, 2: 5, 3: 6, 4: 6, 5: 6}),
    nursery("N002", "ひまわり保育園", {0: 2, 1: 4, 2: 4, 3: 5, 4: 5, 5: 5}),
    nursery("N003", "みなとこども園", {0: 1, 1: 2, 2: 3, 3: 10, 4: 10, 5: 10}, kind="認定こども園"),
    nursery("N004", "うみかぜ保育室", {0: 3, 1: 4, 2: 4}, kind="小規模保育事業"),
)


def build() -> LedgerSample:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = "令和9年度 保育所入所申込 受付簿（みなと市 子ども家庭課）"
    ws["A2"] = "※ 個人情報につき取扱注意。生年月日は和暦で入力のこと"
    # row 3 stays blank
    for column, label in enumerate(HEADER, start=1):
        ws.cell(row=4, column=column, value=label)
    rows: list[list[object]] = [
        # row 5: ordinary two-parent household, names in full-width digits and half-width kana
        ["M-0001", "R8.10.3", "C0001", "港 はると", "ﾐﾅﾄ ﾊﾙﾄ", "令和6年5月3日", "令和9年4月",
         "さくら保育園", "ひまわり保育園", None, None,
         "就労", "会社員", "１６０ｈ", "5日", "就労", "パート", "96時間", "4日", None, None, "✓",
         "090-1234-5678", "〒105-0011", None],
        # row 6: single mother, R-short date, alias サクラ保育園 (mapping), レ mark
        ["M-0002", "R8.10.5", "C0002", "汐留 ゆい", "しおどめ ゆい", "R5.8.20", "R9.4",
         "ｻｸﾗ保育園", "みなとこども園", "うみかぜ保育室", None,
         None, None, None, None, "就労", "外勤", "140時間", "5日", "レ", None, None,
         "0312345678", "1050012", "窓口受付"],
        # row 7 + 8: twins, one application over two rows; 別園可 ✓
        ["M-0003", date_cell(dt.date(2026, 10, 7)), "C0003", "芝 そうた", "シバ ソウタ", "令和7年1月9日", "2027/4",
         "みなとこども園", "さくら保育園", None, "✓",
         "就労", "自営", "200時間", "6日", "就労", "自営協力", "120時間", "5日", None, None, None,
         "03-5555-0101", "105-0014", None],
        ["M-0003", date_cell(dt.date(2026, 10, 7)), "C0004", "芝 ゆうた", "シバ ユウタ", "令和7年1月9日", "2027/4",
         "みなとこども園", "さくら保育園", None, "✓",
         "就労", "自営", "200時間", "6日", "就労", "自営協力", "120時間", "5日", None, None, None,
         "03-5555-0101", "105-0014", None],
        # row 9: DEFECT 生年月日 13月 (error: the application is left out)
        ["M-0004", "R8.10.9", "C0005", "高輪 みお", "たかなわ みお", "令和6年13月1日", "令和9年4月",
         "ひまわり保育園", None, None, None,
         "就労", "会社員", "170時間", "5日", "求職", None, None, None, None, None, None, None, None, None],
        # row 10: DEFECT 母勤務時間 「約160時間」 (error)
        ["M-0005", "R8.10.10", "C0006", "白金 れん", "しろかね れん", "令和5年11月30日", "令和9年4月",
         "さくら保育園", None, None, None,
         "就労", "会社員", "160時間", "5日", "就労", "会社員", "約160時間", "5日", None, None, None,
         None, None, None],
        # row 11: DEFECT 電話番号 too short (warning: the application is kept)
        ["M-0006", "R8.10.11", "C0007", "三田 あおい", "みた あおい", "令和4年6月1日", "令和9年5月",
         "ひまわり保育園", "さくら保育園", None, None,
         "就労", "会社員", "176時間", "5日", "疾病", None, None, None, None, "○", None,
         "03-1234-56", "108-0073", None],
        # row 12: DEFECT 希望2 is not a nursery of the city (error)
        ["M-0007", "R8.10.12", "C0008", "麻布 こはる", "あざぶ こはる", "令和6年2月14日", "令和9年4月",
         "うみかぜ保育室", "ひかり保育園", None, None,
         "就労", "会社員", "160時間", "5日", "就労", "会社員", "160時間", "5日", None, None, None,
         None, None, None],
        # row 13: DEFECT 母子父子 「?」 (warning: the flag is left out)
        ["M-0008", "R8.10.13", "C0009", "赤坂 いつき", "アカサカ イツキ", "令和3年9月9日", "令和9年4月",
         "みなとこども園", None, None, None,
         None, None, None, None, "就労", "会社員", "150時間", "5日", "?", None, None, None, None, None],
    ]  # fmt: skip
    fill_rows(ws, 5, rows)
    ws.column_dimensions["D"].width = 14
    nurseries = wb.create_sheet("施設")
    nurseries.append(["園番号", "園名", "種別", "０歳児", "１歳児", "２歳児", "３歳児", "４歳児", "５歳児"])
    for n in NURSERIES:
        nurseries.append(
            [n.id, n.name, n.kind, *(f"{n.capacity[a]}人" if a in n.capacity else None for a in range(6))]
        )
    expected = (
        application(
            "M-0001", [child("C0001", "港 はると", "ミナト ハルト", dt.date(2024, 5, 3))], ["N001", "N002"],
            [work("父", 160, 5), work("母", 96, 4)], received=dt.date(2026, 10, 3),
            flags=[AdjustmentFlag.PARENTAL_LEAVE_RETURN], postal="105-0011", phones=["09012345678"],
        ),
        application(
            "M-0002", [child("C0002", "汐留 ゆい", "シオドメ ユイ", dt.date(2023, 8, 20))], ["N001", "N003", "N004"],
            [work("母", 140, 5)], received=dt.date(2026, 10, 5), flags=[AdjustmentFlag.SINGLE_PARENT],
            postal="105-0012", phones=["0312345678"], remarks="窓口受付",
        ),
        application(
            "M-0003",
            [child("C0003", "芝 そうた", "シバ ソウタ", dt.date(2025, 1, 9)),
             child("C0004", "芝 ゆうた", "シバ ユウタ", dt.date(2025, 1, 9))],
            ["N003", "N001"],
            [work("父", 200, 6, WorkStyle.SELF_EMPLOYED), work("母", 120, 5, WorkStyle.FAMILY_HELPER)],
            received=dt.date(2026, 10, 7), split=True, postal="105-0014", phones=["0355550101"],
        ),
        application(
            "M-0006", [child("C0007", "三田 あおい", "ミタ アオイ", dt.date(2022, 6, 1))], ["N002", "N001"],
            [work("父", 176, 5), other("母", ReasonKind.ILLNESS)], received=dt.date(2026, 10, 11),
            start=dt.date(2027, 5, 1), flags=[AdjustmentFlag.WELFARE], postal="108-0073",
        ),
        # 希望2 is not a nursery of the city: that preference is left out, the application stays
        application(
            "M-0007", [child("C0008", "麻布 こはる", "アザブ コハル", dt.date(2024, 2, 14))], ["N004"],
            [work("父", 160, 5), work("母", 160, 5)], received=dt.date(2026, 10, 12),
        ),
        application(
            "M-0008", [child("C0009", "赤坂 いつき", "アカサカ イツキ", dt.date(2021, 9, 9))], ["N003"],
            [work("母", 150, 5)], received=dt.date(2026, 10, 13),
        ),
    )  # fmt: skip
    defects = (
        Defect(SHEET, 9, "F", "error", "生年月日 令和6年13月1日"),
        Defect(SHEET, 10, "R", "error", "母勤務時間 約160時間"),
        Defect(SHEET, 11, "W", "warning", "電話番号が短い"),
        Defect(SHEET, 12, "I", "error", "希望2 が施設一覧にない (その希望だけ除く)"),
        Defect(SHEET, 13, "T", "warning", "母子父子 ?"),
    )
    return LedgerSample("minato", wb, expected, NURSERIES, defects)
