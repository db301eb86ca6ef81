"""さくら市 style: a default-named sheet (Sheet1) with the header on row 2, no 児童番号 column (child ids
are derived from the 受付No.), full-width letters and digits, half-width kana, 元年 and Heisei dates,
hours with notes (160時間(予定)), days as 5日/週, flags listed in one 加点項目 cell, income with 円 and
commas, 有/無 marks, and a child whose name looks like a formula (it must stay text everywhere).
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook

from matching.records import AdjustmentFlag, Guardian, ReasonKind
from samples.ledgers.truth import application, child, nursery, other
from samples.ledgers.truth import work as _work
from samples.ledgers.writing import Defect, LedgerSample, TextCell, fill_rows

SHEET = "Sheet1"


def work(relation: str, hours: float, days: int) -> Guardian:
    return _work(relation, hours, days, style=None)  # this ledger has no 就労形態 column


HEADER = (
    "受付No.", "申込日", "児童氏名", "児童氏名カナ", "生年月日", "クラス", "入所希望日",
    "第１希望園", "第２希望園", "第３希望園",
    "保護者1 続柄", "保護者1 氏名", "保護者1 必要事由", "保護者1 就労時間", "保護者1 就労日数",
    "保護者2 続柄", "保護者2 氏名", "保護者2 必要事由", "保護者2 就労時間", "保護者2 就労日数",
    "加点項目", "所得割額", "兄弟別園可", "TEL", "〒",
)  # fmt: skip
START = dt.date(2024, 4, 1)  # this ledger is of the 令和6年度 season
FORMULA_NAME = '=HYPERLINK("http://example.invalid","桜 たろう")'
NURSERIES = (
    nursery("S1", "さくら第一保育園", {0: 3, 1: 6, 2: 6, 3: 6, 4: 6, 5: 6}),
    nursery("S2", "さくら第二保育園", {0: 2, 1: 4, 2: 4, 3: 4, 4: 4, 5: 4}),
    nursery("S3", "ABCキッズ保育園", {1: 2, 2: 2}, kind="小規模保育事業"),
)


def build() -> LedgerSample:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = "R6年度 入所申込集計表"
    for column, label in enumerate(HEADER, start=1):
        ws.cell(row=2, column=column, value=label)
    # A受付No. B申込日 C児童氏名 D児童氏名カナ E生年月日 Fクラス G入所希望日 H-J 第1..3希望園
    # K-O 保護者1 (続柄 氏名 必要事由 就労時間 就労日数) P-T 保護者2 U加点項目 V所得割額 W兄弟別園可 XTEL Y〒
    rows: list[list[object]] = [
        # row 3: full-width id and digits, half-width kana, Heisei date, hours with a note
        ["Ｓ－００１", "R5.10.1", "桜 みらい", "ｻｸﾗ ﾐﾗｲ", "H31.4.30", "４歳児", "R6.4.1",
         "さくら第一保育園", "さくら第二保育園", None,
         "母", None, "就労", "160時間(予定)", "5日/週", "父", None, "就労", "１８０ｈ", "５日",
         "ひとり親・多胎児", "123,400円", "無", "０９０－１１１１－２２２２", "２７０－１２３４"],
        # row 4: 元年, a formula-looking child name stored as text, 有 mark with a second child row
        ["S-002", "令和5年10月2日", TextCell(FORMULA_NAME), "ｻｸﾗ ﾀﾛｳ", "令和元年6月1日", "4歳児", "令和6年4月1日",
         "さくら第二保育園", None, None,
         "母", None, "求職", None, None, None, None, None, None, None,
         None, "0円", "有", None, None],
        ["S-002", "令和5年10月2日", "桜 じろう", "ｻｸﾗ ｼﾞﾛｳ", "R3.3.3", "3歳児", "令和6年4月1日",
         "さくら第二保育園", None, None,
         "母", None, "求職", None, None, None, None, None, None, None,
         None, "0円", "有", None, None],
        # row 6: DEFECT 令和元年4月30日 is before 令和 began (error)
        ["S-003", "R5.10.3", "梅 ひなた", "ｳﾒ ﾋﾅﾀ", "令和元年4月30日", "4歳児", "R6.4.1",
         "さくら第一保育園", None, None,
         "母", None, "就労", "150時間", "5日", None, None, None, None, None,
         None, None, None, None, None],
        # row 7: DEFECT 就労日数 8日 (error)
        ["S-004", "R5.10.4", "松 ゆず", "ﾏﾂ ﾕｽﾞ", "R4.5.5", "1歳児", "R6.4.1",
         "ＡＢＣキッズ保育園", None, None,
         "母", None, "就労", "150時間", "8日", None, None, None, None, None,
         None, None, None, None, None],
        # row 8: DEFECT 所得割額 不明 (warning: left out)
        ["S-005", "R5.10.5", "竹 あさひ", "ﾀｹ ｱｻﾋ", "2021年7月7日", "2歳児", "R6.4.1",
         "さくら第一保育園", "ＡＢＣキッズ保育園", None,
         "母", None, "就労", "120時間", "4日", "父", None, "就学", None, None,
         None, "不明", None, None, None],
        # row 9: DEFECT 加点項目 has an unknown item (warning: the cell is left out)
        ["S-006", "R5.10.6", "菊 そら", "ｷｸ ｿﾗ", "R3.9.1", "2歳児", "R6.4.1",
         "さくら第二保育園", None, None,
         "母", None, "就労", "100時間", "4日", None, None, None, None, None,
         "ひとり親、要支援", None, None, None, None],
        # row 10: DEFECT クラス 3歳児 but the birth date gives 1歳児 (warning)
        ["S-007", "R5.10.7", "藤 かえで", "ﾌｼﾞ ｶｴﾃﾞ", "R4.4.2", "3歳児", "R6.4.1",
         "さくら第一保育園", None, None,
         "母", None, "就労", "140時間", "5日", "父", None, "就労", "160時間", "5日",
         None, "88,000", None, None, None],
        # row 11: DEFECT 第２希望園 repeats 第１希望園 (error)
        ["S-008", "R5.10.8", "萩 いろは", "ﾊｷﾞ ｲﾛﾊ", "R3.1.20", "3歳児", "R6.4.1",
         "さくら第一保育園", "さくら第一保育園", None,
         "母", None, "就労", "140時間", "5日", None, None, None, None, None,
         None, None, None, None, None],
    ]  # fmt: skip
    fill_rows(ws, 3, rows)
    master = wb.create_sheet("施設マスタ")
    master.append(["施設コード", "施設名称", "施設類型", "0歳", "1歳", "2歳", "3歳", "4歳", "5歳"])
    for n in NURSERIES:
        master.append([n.id, n.name.replace("ABC", "ＡＢＣ"), n.kind, *(n.capacity.get(a) for a in range(6))])
    expected = (
        application(
            "S-001", [child("S-001-1", "桜 みらい", "サクラ ミライ", dt.date(2019, 4, 30))], ["S1", "S2"],
            [work("母", 160, 5), work("父", 180, 5)], received=dt.date(2023, 10, 1), start=START, levy=123400,
            flags=[AdjustmentFlag.SINGLE_PARENT, AdjustmentFlag.MULTIPLE_BIRTH], postal="270-1234",
            phones=["09011112222"],
        ),
        application(
            "S-002",
            [child("S-002-1", FORMULA_NAME, "サクラ タロウ", dt.date(2019, 6, 1)),
             child("S-002-2", "桜 じろう", "サクラ ジロウ", dt.date(2021, 3, 3))],
            ["S2"], [other("母", ReasonKind.JOB_SEARCH)], received=dt.date(2023, 10, 2), start=START, levy=0, split=True,
        ),
        application(
            "S-005", [child("S-005-1", "竹 あさひ", "タケ アサヒ", dt.date(2021, 7, 7))], ["S1", "S3"],
            [work("母", 120, 4), other("父", ReasonKind.STUDY)], received=dt.date(2023, 10, 5), start=START,
        ),
        application(
            "S-006", [child("S-006-1", "菊 そら", "キク ソラ", dt.date(2021, 9, 1))], ["S2"],
            [work("母", 100, 4)], received=dt.date(2023, 10, 6), start=START,
        ),
        application(
            "S-007", [child("S-007-1", "藤 かえで", "フジ カエデ", dt.date(2022, 4, 2))], ["S1"],
            [work("母", 140, 5), work("父", 160, 5)], received=dt.date(2023, 10, 7), start=START, levy=88000,
        ),
        # 第２希望園 repeats 第１希望園: the repeat is left out, the application stays
        application(
            "S-008", [child("S-008-1", "萩 いろは", "ハギ イロハ", dt.date(2021, 1, 20))], ["S1"],
            [work("母", 140, 5)], received=dt.date(2023, 10, 8), start=START,
        ),
    )  # fmt: skip
    defects = (
        Defect(SHEET, 4, "C", "warning", "児童氏名が = で始まる (文字のまま読み、確認を求める)"),
        Defect(SHEET, 6, "E", "error", "令和元年4月30日 は令和より前"),
        Defect(SHEET, 7, "O", "error", "就労日数 8日"),
        Defect(SHEET, 8, "V", "warning", "所得割額 不明"),
        Defect(SHEET, 9, "U", "warning", "加点項目 要支援"),
        Defect(SHEET, 10, "F", "warning", "クラスが生年月日と合わない"),
        Defect(SHEET, 11, "I", "error", "第２希望園が第１希望園と同じ"),
    )
    return LedgerSample("sakura", wb, expected, NURSERIES, defects)
