"""かわべ町 style: one row per child, siblings on consecutive rows of one 世帯番号 with ditto marks.

How the town's staff keep it: two title rows, a one-row header on row 4; every child has its own
受付番号 and the household is the 世帯番号 column; a sibling's row repeats the household's cells as 同上 /
〃 / 同 (or repeats the value, or leaves it blank); weekly working hours (週40時間, 40) and days (5日);
no 事由 column (the town only takes working households on this ledger); furigana in hiragana; separator
rows and blank rows between groups; a 合計 row with COUNTA formulas (saved by openpyxl, so without
cached values) and a footnote below it; a hidden, stale 第1希望 column left from last year; a 記入上の注意
sheet; the town's own words for sibling conditions and its declared facts (認可外利用月数, 町内保育士,
同居の祖父母).
"""

from __future__ import annotations

import datetime as dt
import random
from fractions import Fraction

from openpyxl import Workbook

from matching.records import Nursery
from samples.ledgers.styles.expect import Carries, Planted, Spoiled, Truth, application_of
from samples.ledgers.styles.households import Family, families, hiragana
from samples.ledgers.styles.sample import StyleSample
from samples.ledgers.writing import DateCell, TextCell, place

SHEET = "申込台帳"
HEADER_ROW = 4
HEADER = (
    "世帯番号", "受付番号", "児童氏名", "ふりがな", "性別", "生年月日", "第1希望", "第１希望園", "第２希望園",
    "第３希望園", "父 氏名", "父 勤務時間（週）", "父 勤務日数", "父 町内保育士", "母 氏名", "母 勤務時間（週）",
    "母 勤務日数", "母 町内保育士", "所得割額（世帯）", "住所", "電話", "きょうだい条件", "認可外利用月数",
    "同居の祖父母", "備考",
)  # fmt: skip
COL = {name: chr(ord("A") + i) for i, name in enumerate(HEADER)}
NURSERIES = (
    Nursery(id="K01", name="かわべ中央保育園", capacity={0: 6, 1: 10, 2: 10, 3: 12, 4: 12, 5: 12}),
    Nursery(id="K02", name="かわべ東保育園", capacity={0: 3, 1: 6, 2: 6, 3: 8, 4: 8, 5: 8}),
    Nursery(id="K03", name="みどり保育園", capacity={0: 3, 1: 6, 2: 6, 3: 6, 4: 6, 5: 6}),
    Nursery(
        id="K04", name="川辺こども園", kind="認定こども園", capacity={0: 3, 1: 6, 2: 9, 3: 15, 4: 15, 5: 15}
    ),
    Nursery(id="K05", name="にじいろ保育室", kind="小規模保育事業", capacity={0: 3, 1: 5, 2: 5}),
)
# How staff write the nursery names: NFKC and spaces differ, and the town's short names (aliases).
WRITTEN = {
    "K01": ("かわべ中央保育園", "中央保育園", "かわべ 中央保育園"),
    "K02": ("かわべ東保育園", "東保育園"),
    "K03": ("みどり保育園", "ﾐﾄﾞﾘ保育園"),
    "K04": ("川辺こども園", "川辺 こども園"),
    "K05": ("にじいろ保育室", "にじいろ"),
}
CONDITIONS = {
    "同一園希望": "同保同時",
    "同一園・上の子から": "同保順次上",
    "別園でも同時入所": "別保同時希",
    "別園可": "別保順次希",
}
CARRIES = Carries(
    weeks_per_month=Fraction(43, 10),
    conditions=CONDITIONS,
    guardian_kana=False,
    guardian_birth=False,
    guardian_income=False,
    postal=False,
    phones=1,
    received=False,
)
DITTO = ("同上", "〃", "同")
HOUSEHOLD_COLUMNS = (
    "第１希望園", "第２希望園", "第３希望園", "父 氏名", "父 勤務時間（週）", "父 勤務日数", "父 町内保育士",
    "母 氏名", "母 勤務時間（週）", "母 勤務日数", "母 町内保育士", "所得割額（世帯）", "住所", "電話", "同居の祖父母",
)  # fmt: skip


def _families(rng: random.Random, count: int) -> list[Family]:
    found = families(7, count, [n.id for n in NURSERIES], prefix="KW", weekly_share=1.0,
                     condition_labels=list(CONDITIONS))  # fmt: skip
    for family in found:
        for parent in family.parents:  # this ledger holds working households only
            if parent.reason != "就労":
                parent.reason, parent.days = "就労", 5
                parent.hours_week = 5 * rng.choice((6, 7, 8))
            if parent.relation == "母" and rng.random() < 0.1:
                parent.facts["nursery_teacher_in_town"] = True
        for kid in family.kids:
            if rng.random() < 0.3:
                kid.facts["ninkagai_months"] = rng.randint(1, 24)
        roll = rng.random()
        if roll < 0.3:
            family.facts["grandparent_status"] = rng.choice(("同居・保育可能", "同居・要介護等"))
        elif roll < 0.5:
            family.facts["grandparent_status"] = "なし"
        family.phones = family.phones[:1]
    return found


def _household_cells(family: Family, rng: random.Random) -> dict[str, object]:
    cells: dict[str, object] = {}
    for rank, nursery_id in enumerate(family.preferences):
        cells[HEADER[7 + rank]] = rng.choice(WRITTEN[nursery_id])
    for parent in family.parents:
        p = parent.relation
        cells[f"{p} 氏名"] = parent.name
        assert parent.hours_week is not None
        cells[f"{p} 勤務時間（週）"] = rng.choice(
            (f"週{parent.hours_week}時間", str(parent.hours_week), parent.hours_week)
        )
        cells[f"{p} 勤務日数"] = rng.choice((f"{parent.days}日", parent.days, f"週{parent.days}日"))
        if parent.facts.get("nursery_teacher_in_town"):
            cells[f"{p} 町内保育士"] = "○"
    levy = sum(p.income for p in family.parents)
    cells["所得割額（世帯）"] = rng.choice((f"{levy:,}", levy, f"{levy}円"))
    cells["住所"] = family.address
    phone = family.phones[0]
    cells["電話"] = rng.choice((f"{phone[:3]}-{phone[3:7]}-{phone[7:]}", phone))
    if "grandparent_status" in family.facts:
        cells["同居の祖父母"] = family.facts["grandparent_status"]
    return cells


def build(count: int = 118) -> StyleSample:
    rng = random.Random(70)
    found = _families(rng, count)
    planted: list[Planted] = []
    spoiled = {i: Spoiled() for i in range(len(found))}
    used: set[int] = set()

    def pick(start: int, test: object = lambda f: True) -> int:
        index = next(i for i in range(start, len(found)) if i not in used and test(found[i]))  # type: ignore[operator]
        used.add(index)
        return index

    single = pick(10, lambda f: len(f.kids) == 1)
    duplicate = pick(60, lambda f: len(f.kids) == 1)
    unknown = pick(20, lambda f: len(f.preferences) >= 2)
    bad_hours, bad_yen, no_name, no_birth = pick(30), pick(35), pick(40), pick(45)
    impossible, too_old, no_father = (
        pick(50),
        pick(55, lambda f: len(f.kids) == 1),
        pick(65, lambda f: len(f.parents) == 2),
    )
    formula = pick(70)
    found[formula].remarks = '=HYPERLINK("http://example.invalid","連絡")'

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = "令和9年度 保育所等入所申込 受付台帳（4月一斉受付）"
    ws.merge_cells("A1:J1")
    ws["A2"] = "かわべ町 健康福祉課 子育て支援係　※同上・〃は上の行と同じ"
    for column, label in enumerate(HEADER, start=1):
        ws.cell(row=HEADER_ROW, column=column, value=label)
    ws.column_dimensions["G"].hidden = True  # last year's 第1希望, kept but hidden
    row = HEADER_ROW + 1
    truths: list[Truth] = []
    serial = 0
    ids: list[str] = []
    since_separator = 0
    for index, family in enumerate(found):
        if since_separator > rng.randint(12, 20):
            ws.cell(row=row, column=1, value=rng.choice(("――――――――", "ーーーーー", None)))
            row += 1
            since_separator = 0
        household = _household_cells(family, rng)
        rows: list[int] = []
        child_ids: list[str] = []
        for k, kid in enumerate(family.kids):
            serial += 1
            app_id = f"R9-{serial:04d}"
            cells: dict[str, object] = {
                "世帯番号": family.number,
                "受付番号": app_id,
                "児童氏名": kid.name,
                "ふりがな": hiragana(kid.kana),
                "性別": kid.sex,
                "生年月日": DateCell(kid.birth_date)
                if rng.random() < 0.7
                else f"{kid.birth_date:%Y/%-m/%-d}",
                "第1希望": rng.choice(("未定", "かわべ中央保育園", "旧みどり園")),
            }
            if "ninkagai_months" in kid.facts:
                cells["認可外利用月数"] = rng.choice(
                    (kid.facts["ninkagai_months"], f"{kid.facts['ninkagai_months']}か月")
                )
            if k == 0:
                cells.update(household)
                if family.condition:
                    cells["きょうだい条件"] = family.condition
                if family.remarks:
                    cells["備考"] = (
                        TextCell(family.remarks) if family.remarks.startswith("=") else family.remarks
                    )
            else:
                for name in HOUSEHOLD_COLUMNS:
                    if name in household:
                        roll = rng.random()
                        cells[name] = (
                            rng.choice(DITTO) if roll < 0.5 else household[name] if roll < 0.8 else None
                        )
                if family.condition and rng.random() < 0.5:
                    cells["きょうだい条件"] = "〃"
            if index == duplicate:
                app_id = ids[single]
                cells["受付番号"] = app_id
                planted.append(
                    Planted(SHEET, row, COL["受付番号"], "duplicate_id", "受付番号の重複 (後の行)")
                )
                app_id = f"{app_id}-R{row}"
            rows.append(row)
            child_ids.append(app_id)
            if k == 0:
                ids.append(app_id)
                _plant_first_row(
                    index,
                    row,
                    cells,
                    family,
                    spoiled[index],
                    planted,
                    locals_of=(
                        unknown,
                        bad_hours,
                        bad_yen,
                        no_name,
                        no_birth,
                        impossible,
                        too_old,
                        no_father,
                        formula,
                    ),
                )
            for name, value in cells.items():
                if value is not None:
                    place(ws.cell(row=row, column=HEADER.index(name) + 1), value)
            row += 1
            since_separator += 1
        if index == 25:
            row += 1  # a blank row
        application = application_of(family, child_ids[0], child_ids, CARRIES, spoiled[index])
        truths.append(Truth(child_ids[0], rows, application, held=application is None))
    last = row - 1
    ws.cell(row=row, column=1, value="合計")
    ws.cell(row=row, column=2, value=f"=COUNTA(B{HEADER_ROW + 1}:B{last})")
    ws.cell(row=row, column=3, value=f"=COUNTA(C{HEADER_ROW + 1}:C{last})")
    ws.cell(row=row + 2, column=1, value="※ 受付担当: 子育て支援係（内線 215）")
    notes = wb.create_sheet("記入上の注意")
    for r, text in enumerate(("記入上の注意", "1. 受付番号は R9- から順に付ける", "2. きょうだいは続けて入力し、同じ欄は 同上 または 〃",
                              "3. 勤務時間は週の時間を書く"), start=1):  # fmt: skip
        notes.cell(row=r, column=1, value=text)
    sheet = wb.create_sheet("施設一覧")
    sheet.append(["施設番号", "施設名", *(f"{age}歳児" for age in range(6))])
    for nursery in NURSERIES:
        sheet.append([nursery.id, nursery.name, *(nursery.capacity.get(age) for age in range(6))])
    return StyleSample("kawabe_rows", "kawabe", "cities/kawabe/ledger/applications.toml", wb, tuple(truths),
                       NURSERIES, tuple(planted))  # fmt: skip


def _plant_first_row(
    index: int,
    row: int,
    cells: dict[str, object],
    family: Family,
    spoiled: Spoiled,
    planted: list[Planted],
    locals_of: tuple[int, ...],
) -> None:
    unknown, bad_hours, bad_yen, no_name, no_birth, impossible, too_old, no_father, formula = locals_of

    def plant(column: str, value: object, kind: str, what: str) -> None:
        cells[column] = value
        planted.append(Planted(SHEET, row, COL[column], kind, what))

    if index == unknown:
        plant("第２希望園", "ひまわり保育園", "unknown_facility", "町にない施設名")
        spoiled.fields.add("pref1")
    elif index == bad_hours:
        parent = family.parents[-1].relation
        plant(f"{parent} 勤務時間（週）", "たくさん", "bad_hours", "勤務時間が数でない")
        spoiled.held = True
    elif index == bad_yen:
        plant("所得割額（世帯）", "-5,000", "bad_yen", "所得割額が負")
        spoiled.fields.add("income")
    elif index == no_name:
        plant("児童氏名", None, "missing_required", "児童氏名が空欄")
        spoiled.fields.add("kid0.name")
    elif index == no_birth:
        plant("生年月日", None, "missing_required", "生年月日が空欄")
        spoiled.held = True
    elif index == impossible:
        plant("生年月日", "2025/2/30", "impossible_date", "2月30日")
        spoiled.held = True
    elif index == too_old:
        plant("生年月日", DateCell(dt.date(2019, 6, 10)), "age_out_of_range", "入所時7歳")
        spoiled.held = True
    elif index == no_father:
        plant("父 氏名", None, "missing_required", "父の氏名が空欄 (勤務時間はある)")
        spoiled.fields.add("parent0.name")
    elif index == formula:
        planted.append(Planted(SHEET, row, COL["備考"], "formula_text", "備考が = で始まる"))
