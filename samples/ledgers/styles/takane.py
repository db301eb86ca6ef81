"""ひなた市 受付一覧 style: title rows above a three-row merged header; household cells merged down.

How this kind of ledger looks: a title and a period/author line, a blank row, then a header of three
rows (児童 over 氏名 / ふりがな …; 保護者（父） over 氏名 … and 就労状況 over 時間 / 日数); one row per
child, and a sibling's household cells (受付番号, 受付日, 希望施設, guardians, contacts) merged down over
the children's rows; no 入所希望月 column (everyone applies for the round's first day); hours in every
form staff type (160, 160時間, １６０ｈ, 月160時間, 160.0, 週5日8時間, 週5日・1日8時間); furigana in
hiragana or katakana; dates as date cells and 和暦 text; the city's sibling words and facts.
"""

from __future__ import annotations

import datetime as dt
import random
from fractions import Fraction

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from matching.records import Nursery
from samples.ledgers.styles.expect import Carries, Planted, Spoiled, Truth, application_of
from samples.ledgers.styles.households import Family, Parent, families, full_width, hiragana, wareki
from samples.ledgers.styles.sample import StyleSample
from samples.ledgers.writing import DateCell, TextCell, place

SHEET = "受付一覧"
GUARDIAN = ("氏名", "ふりがな", "生年月日", "所得割額", "事由", "時間", "日数", "単身赴任")
# (top, middle, bottom) label per column; None where a merge from above covers the cell.
COLUMNS: list[tuple[str, str | None, str | None]] = [
    ("受付番号", None, None), ("受付日", None, None),
    ("児童", "氏名", None), ("児童", "ふりがな", None), ("児童", "性別", None), ("児童", "生年月日", None),
    ("希望施設", "第1希望", None), ("希望施設", "第2希望", None), ("希望施設", "第3希望", None),
]  # fmt: skip
for _who in ("保護者（父）", "保護者（母）"):
    for _label in GUARDIAN:
        COLUMNS.append((_who, "就労状況", _label) if _label in ("時間", "日数") else (_who, _label, None))
COLUMNS += [("連絡先", "郵便番号", None), ("連絡先", "住所", None), ("連絡先", "電話1", None),
            ("連絡先", "電話2", None), ("きょうだい", None, None), ("医療的ケア", None, None), ("備考", None, None)]  # fmt: skip
LETTER = {(top, mid, low): get_column_letter(i + 1) for i, (top, mid, low) in enumerate(COLUMNS)}
HEADER_TOP = 4
NURSERIES = (
    Nursery(id="H01", name="ひなた中央保育園", capacity={0: 6, 1: 10, 2: 10, 3: 12, 4: 12, 5: 12}),
    Nursery(id="H02", name="ひまわり保育園", capacity={0: 3, 1: 6, 2: 6, 3: 8, 4: 8, 5: 8}),
    Nursery(id="H03", name="こばと保育園", capacity={0: 3, 1: 6, 2: 6, 3: 6, 4: 6, 5: 6}),
    Nursery(id="H04", name="ひなたＡＢＣ保育園", capacity={0: 3, 1: 5, 2: 5, 3: 5, 4: 5, 5: 5}),
    Nursery(id="H05", name="すくすく保育室", kind="小規模保育事業", capacity={0: 3, 1: 5, 2: 5}),
)
WRITTEN = {
    "H01": ("ひなた中央保育園", "ひなた 中央保育園"),
    "H02": ("ひまわり保育園", "ﾋﾏﾜﾘ保育園"),
    "H03": ("こばと保育園", "こばと 保育園"),
    "H04": ("ひなたABC保育園", "ひなたＡＢＣ保育園"),
    "H05": ("すくすく保育室", "すくすく"),
}
CONDITIONS = {"別園可": "別保順次希", "同じ園のみ": "同保同時", "同保順次上": "同保順次上"}
CARRIES = Carries(weeks_per_month=Fraction(52, 12), conditions=CONDITIONS, household_number=False)


def column(top: str, mid: str | None = None, low: str | None = None) -> str:
    return LETTER[(top, mid, low)]


def hours_text(parent: Parent, rng: random.Random) -> tuple[object, object]:
    """(hours cell, days cell) in one of the forms staff write."""
    if parent.hours_week is not None:
        per_day = parent.hours_week // parent.days  # type: ignore[operator]
        text = rng.choice((f"週{parent.days}日{per_day}時間", f"週{parent.days}日・1日{per_day}時間"))
        return text, rng.choice((None, f"{parent.days}日"))
    month = parent.hours_month
    return rng.choice((month, f"{month}時間", full_width(f"{month}h"), f"月{month}時間", float(month or 0), f"{month}.0")), \
        rng.choice((f"{parent.days}日", parent.days, f"{parent.days}日/週"))  # fmt: skip


def _header(ws: object) -> None:
    top, mid, low = HEADER_TOP, HEADER_TOP + 1, HEADER_TOP + 2
    spans: dict[str, list[int]] = {}
    for i, (a, b, c) in enumerate(COLUMNS, start=1):
        spans.setdefault(a, []).append(i)
        if b is None:
            ws.cell(row=top, column=i, value=a)  # type: ignore[attr-defined]
            ws.merge_cells(start_row=top, start_column=i, end_row=low, end_column=i)  # type: ignore[attr-defined]
            continue
        if c is None:
            ws.cell(row=mid, column=i, value=b)  # type: ignore[attr-defined]
            ws.merge_cells(start_row=mid, start_column=i, end_row=low, end_column=i)  # type: ignore[attr-defined]
        else:
            ws.cell(row=low, column=i, value=c)  # type: ignore[attr-defined]
    for label, cols in spans.items():
        if len(cols) > 1:
            ws.cell(row=top, column=cols[0], value=label)  # type: ignore[attr-defined]
            ws.merge_cells(start_row=top, start_column=cols[0], end_row=top, end_column=cols[-1])  # type: ignore[attr-defined]
    for who in ("保護者（父）", "保護者（母）"):
        first = next(i for i, c in enumerate(COLUMNS, start=1) if c[:2] == (who, "就労状況"))
        ws.cell(row=mid, column=first, value="就労状況")  # type: ignore[attr-defined]
        ws.merge_cells(start_row=mid, start_column=first, end_row=mid, end_column=first + 1)  # type: ignore[attr-defined]


def build(count: int = 120) -> StyleSample:
    rng = random.Random(40)
    found = families(4, count, [n.id for n in NURSERIES], prefix="T", weekly_share=0.35,
                     condition_labels=list(CONDITIONS))  # fmt: skip
    for family in found:
        for kid in family.kids:
            if rng.random() < 0.08:
                kid.facts["medical_care"] = True
        for parent in family.parents:
            if parent.relation == "父" and rng.random() < 0.1:
                parent.facts["single_posting"] = True
    planted: list[Planted] = []
    spoiled = {i: Spoiled() for i in range(len(found))}
    formula = 33
    found[formula].remarks = "=cmd|' /C calc'!A0"
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = "令和9年度 ひなた市 保育所入所申込 受付一覧"
    ws.merge_cells("A1:P1")
    ws["A2"] = "受付期間 令和8年10月1日〜10月31日　作成: こども未来部 保育課"
    _header(ws)
    row = HEADER_TOP + 3
    truths: list[Truth] = []
    ids: list[str] = []
    for index, family in enumerate(found):
        app_id = f"T{index + 1:04d}"
        cells: dict[str, object] = {
            column("受付番号"): app_id,
            column("受付日"): DateCell(family.received)
            if rng.random() < 0.5
            else wareki(family.received, short=True),
            column("連絡先", "郵便番号"): family.postal,
            column("連絡先", "住所"): family.address,
            column(
                "連絡先", "電話1"
            ): f"{family.phones[0][:3]}-{family.phones[0][3:7]}-{family.phones[0][7:]}",
        }
        if len(family.phones) > 1:
            cells[column("連絡先", "電話2")] = family.phones[1]
        for rank, nursery_id in enumerate(family.preferences, start=1):
            cells[column("希望施設", f"第{rank}希望")] = rng.choice(WRITTEN[nursery_id])
        for parent in family.parents:
            who = f"保護者（{parent.relation}）"
            cells[column(who, "氏名")] = parent.name
            cells[column(who, "ふりがな")] = parent.kana
            cells[column(who, "生年月日")] = wareki(parent.birth_date, short=rng.random() < 0.5)
            cells[column(who, "所得割額")] = rng.choice((parent.income, f"{parent.income:,}円"))
            cells[column(who, "事由")] = parent.reason
            if parent.reason == "就労":
                hours, days = hours_text(parent, rng)
                cells[column(who, "就労状況", "時間")] = hours
                cells[column(who, "就労状況", "日数")] = days
            if parent.facts.get("single_posting"):
                cells[column(who, "単身赴任")] = "○"
        if family.condition:
            cells[column("きょうだい")] = family.condition
        if family.remarks:
            cells[column("備考")] = (
                TextCell(family.remarks) if family.remarks.startswith("=") else family.remarks
            )
        if index == 90:  # a later row reusing an earlier 受付番号 (not a sibling: not the row below)
            cells[column("受付番号")] = ids[12]
            planted.append(Planted(SHEET, row, column("受付番号"), "duplicate_id", "受付番号の重複 (後の行)"))
            app_id = f"{ids[12]}-R{row}"
        ids.append(app_id)
        _plant(index, row, cells, family, spoiled[index], planted)
        rows = list(range(row, row + len(family.kids)))
        for offset, kid in enumerate(family.kids):
            kid_cells: dict[str, object] = {
                column("児童", "氏名"): kid.name,
                column("児童", "ふりがな"): hiragana(kid.kana) if rng.random() < 0.6 else kid.kana,
                column("児童", "性別"): kid.sex,
                column("児童", "生年月日"): DateCell(kid.birth_date)
                if rng.random() < 0.6
                else wareki(kid.birth_date),
                column("医療的ケア"): "○" if kid.facts.get("medical_care") else None,
            }
            if offset == 0:
                _plant_child(index, row, kid_cells, spoiled[index], planted)
            for letter, kid_value in kid_cells.items():
                if kid_value is not None:
                    place(ws[f"{letter}{row + offset}"], kid_value)
        for letter, value in cells.items():
            if value is not None:
                place(ws[f"{letter}{row}"], value)
        if len(rows) > 1:  # household cells merged down over the children's rows
            for letter in sorted(
                {column("受付番号"), column("受付日"), *(c for c in cells if cells[c] is not None)}
            ):
                ws.merge_cells(f"{letter}{rows[0]}:{letter}{rows[-1]}")
        child_ids = [f"{app_id}-{n}" for n in range(1, len(family.kids) + 1)]
        application = application_of(family, app_id, child_ids, CARRIES, spoiled[index])
        truths.append(Truth(app_id, rows, application, held=application is None))
        row += len(rows)
    if formula < len(found):
        planted.append(
            Planted(SHEET, truths[formula].rows[0], column("備考"), "formula_text", "備考が = で始まる")
        )
    sheet = wb.create_sheet("施設一覧")
    sheet.append(["施設番号", "施設名", *(f"{age}歳児" for age in range(6))])
    for nursery in NURSERIES:
        sheet.append([nursery.id, nursery.name, *(nursery.capacity.get(age) for age in range(6))])
    return StyleSample("takane_merged", "hinata", "samples/ledgers/styles/takane_merged.mapping.toml", wb,
                       tuple(truths), NURSERIES, tuple(sorted(planted, key=lambda p: (p.row, p.column))))  # fmt: skip


def _plant(
    index: int, row: int, cells: dict[str, object], family: Family, spoiled: Spoiled, planted: list[Planted]
) -> None:
    def plant(letter: str, value: object, kind: str, what: str) -> None:
        cells[letter] = value
        planted.append(Planted(SHEET, row, letter, kind, what))

    first = f"保護者（{family.parents[0].relation}）"
    if index == 15 and len(family.preferences) >= 2:
        plant(column("希望施設", "第2希望"), "ふたば保育園", "unknown_facility", "市にない施設")
        spoiled.fields.add("pref1")
    elif index == 20:
        plant(column(first, "生年月日"), "昭和63年2月30日", "impossible_date", "2月30日")
        spoiled.fields.add("parent0.birth")
    elif index == 25 and family.parents[0].reason == "就労":
        plant(column(first, "就労状況", "時間"), "-160", "bad_hours", "負の時間")
        spoiled.held = True
    elif index == 30:
        plant(column(first, "所得割額"), "不明", "bad_yen", "所得割額が数でない")
        spoiled.fields.add("parent0.income")
    elif index == 40:
        plant(column("連絡先", "郵便番号"), "12-3456", "invalid_postal", "郵便番号が7桁でない")
        spoiled.fields.add("postal")
    elif index == 50:
        plant(column(first, "氏名"), None, "missing_required", "第1保護者の氏名が空欄")
        spoiled.fields.add("parent0.name")
    elif index == 60:
        plant(column("受付日"), "令和8年10月35日", "impossible_date", "10月35日")
        spoiled.fields.add("received")


def _plant_child(
    index: int, row: int, cells: dict[str, object], spoiled: Spoiled, planted: list[Planted]
) -> None:
    def plant(letter: str, value: object, kind: str, what: str) -> None:
        cells[letter] = value
        planted.append(Planted(SHEET, row, letter, kind, what))

    if index == 45:
        plant(
            column("児童", "生年月日"),
            DateCell(dt.date(2027, 5, 20)),
            "age_out_of_range",
            "入所日より後に生まれる",
        )
        spoiled.held = True
    elif index == 55:
        plant(column("児童", "氏名"), None, "missing_required", "児童氏名が空欄")
        spoiled.fields.add("kid0.name")
    elif index == 70:
        plant(column("児童", "生年月日"), "令和6年13月1日", "impossible_date", "13月")
        spoiled.held = True
