"""An old system's export (旧システム出力): every cell text, padded, with mixed date, phone and number forms.

What such exports look like once opened in Excel: one header row of the system's column names, every
value a string (Excel's "numbers stored as text"), codes zero-padded and fixed-width fields padded with
spaces (full-width ones too), half-width katakana, dates as 20220503 / 2022/05/03 / R04.05.03 /
2022-05-03 00:00:00, phones as 090-1234-5678 / +81-90-1234-5678 / 090(1234)5678, postal codes with or
without the hyphen, yen and hours zero-padded (0160, 012340); one row per child with the application
number repeated on a sibling's next row and a child sequence number; a 入所希望年月 column (202704).
"""

from __future__ import annotations

import datetime as dt
import random
from fractions import Fraction

from openpyxl import Workbook

from matching.records import Nursery
from samples.ledgers.styles.expect import Carries, Planted, Spoiled, Truth, application_of
from samples.ledgers.styles.households import Family, families, half_width
from samples.ledgers.styles.sample import StyleSample

SHEET = "EXPORT"
HEADER = (
    "申込番号", "児童連番", "世帯番号", "児童氏名", "児童カナ", "性別", "生年月日", "入所希望年月",
    "希望1", "希望2", "希望3",
    "保護者1続柄", "保護者1氏名", "保護者1カナ", "保護者1生年月日", "保護者1事由", "保護者1就労時間", "保護者1就労日数", "保護者1所得割額",
    "保護者2続柄", "保護者2氏名", "保護者2カナ", "保護者2生年月日", "保護者2事由", "保護者2就労時間", "保護者2就労日数", "保護者2所得割額",
    "郵便番号", "住所", "電話番号1", "電話番号2", "きょうだい条件", "備考", "受付日",
)  # fmt: skip
COL = {name: chr(ord("A") + i) if i < 26 else "A" + chr(ord("A") + i - 26) for i, name in enumerate(HEADER)}
NURSERIES = (
    Nursery(id="0101", name="ひなた中央保育園", capacity={0: 6, 1: 10, 2: 10, 3: 12, 4: 12, 5: 12}),
    Nursery(id="0102", name="ひまわり保育園", capacity={0: 3, 1: 6, 2: 6, 3: 8, 4: 8, 5: 8}),
    Nursery(id="0103", name="こばと保育園", capacity={0: 3, 1: 6, 2: 6, 3: 6, 4: 6, 5: 6}),
    Nursery(id="0104", name="あおぞら保育園", capacity={0: 3, 1: 5, 2: 5, 3: 5, 4: 5, 5: 5}),
)
CONDITIONS = {"同保同時": "同保同時", "別保順次希": "別保順次希", "別園可": "別保順次希"}
CARRIES = Carries(weeks_per_month=Fraction(52, 12), conditions=CONDITIONS)


def _date(day: dt.date, rng: random.Random) -> str:
    if day >= dt.date(2019, 5, 1):
        era, year = "R", day.year - 2018
    elif day >= dt.date(1989, 1, 8):
        era, year = "H", day.year - 1988
    else:
        era, year = "S", day.year - 1925
    return rng.choice(
        (f"{day:%Y%m%d}", f"{day:%Y/%m/%d}", f"{era}{year:02d}.{day:%m.%d}", f"{day:%Y-%m-%d} 00:00:00")
    )


def _phone(number: str, rng: random.Random) -> str:
    return rng.choice((f"{number[:3]}-{number[3:7]}-{number[7:]}", f"+81-{number[1:3]}-{number[3:7]}-{number[7:]}",
                       f"{number[:3]}({number[3:7]}){number[7:]}", number))  # fmt: skip


def _pad(text: str, rng: random.Random) -> str:
    return rng.choice((text, f"{text}   ", f" {text}", f"{text}　　"))


def _cells(family: Family, rng: random.Random) -> dict[str, str]:
    cells = {
        "世帯番号": family.number,
        "入所希望年月": rng.choice(("202704", "2027/04", "R09.04")),
        "郵便番号": rng.choice((family.postal, family.postal.replace("-", ""))),
        "住所": _pad(family.address, rng),
        "電話番号1": _phone(family.phones[0], rng),
        "受付日": _date(family.received, rng),
    }
    if len(family.phones) > 1:
        cells["電話番号2"] = _phone(family.phones[1], rng)
    for rank, nursery_id in enumerate(family.preferences, start=1):
        cells[f"希望{rank}"] = rng.choice((nursery_id, f"{nursery_id} "))
    for slot, parent in enumerate(family.parents, start=1):
        p = f"保護者{slot}"
        cells[f"{p}続柄"] = parent.relation
        cells[f"{p}氏名"] = _pad(parent.name, rng)
        cells[f"{p}カナ"] = half_width(parent.kana)
        cells[f"{p}生年月日"] = _date(parent.birth_date, rng)
        cells[f"{p}事由"] = parent.reason
        cells[f"{p}所得割額"] = rng.choice((f"{parent.income:07d}", f"{parent.income:,}", str(parent.income)))
        if parent.reason == "就労":
            cells[f"{p}就労時間"] = f"{parent.hours_month:04d}"
            cells[f"{p}就労日数"] = rng.choice((f"{parent.days:02d}", str(parent.days)))
    if family.condition:
        cells["きょうだい条件"] = family.condition
    if family.remarks:
        cells["備考"] = _pad(family.remarks, rng)
    return cells


def build(count: int = 125) -> StyleSample:
    rng = random.Random(90)
    found = families(9, count, [n.id for n in NURSERIES], prefix="H", weekly_share=0.0,
                     condition_labels=list(CONDITIONS))  # fmt: skip
    planted: list[Planted] = []
    spoiled = {i: Spoiled() for i in range(len(found))}
    found[77].remarks = "@SUM(1+1)*cmd"
    taken = {12, 20, 24, 36, 48, 60, 66, 72, 77, 84, 92, 100}
    unknown_at = next(i for i in range(18, count) if i not in taken and len(found[i].preferences) >= 2)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(list(HEADER))
    row = 2
    truths: list[Truth] = []
    ids: list[str] = []
    for index, family in enumerate(found):
        app_id = f"{index + 1:08d}"
        household = _cells(family, rng)
        if index == 100:
            household["申込番号"] = ids[20]
            planted.append(Planted(SHEET, row, COL["申込番号"], "duplicate_id", "申込番号の重複 (後の行)"))
            app_id = f"{ids[20]}-R{row}"
        ids.append(app_id)
        rows = []
        for seq, kid in enumerate(family.kids, start=1):
            cells: dict[str, object] = {
                "申込番号": household.get("申込番号", f"{index + 1:08d}"),
                "児童連番": f"{seq:02d}",
                "児童氏名": _pad(kid.name, rng),
                "児童カナ": half_width(kid.kana),
                "性別": rng.choice(({"男": "1", "女": "2"}[kid.sex], kid.sex)),
                "生年月日": _date(kid.birth_date, rng),
                **household,
            }
            if seq == 1:
                _plant(index, row, cells, family, spoiled[index], planted, unknown_at)
            for name, value in cells.items():
                if value is not None and name in COL:
                    ws[f"{COL[name]}{row}"] = value
                    ws[f"{COL[name]}{row}"].data_type = "s"
            rows.append(row)
            row += 1
        application = application_of(
            family, app_id, [f"{app_id}-{n}" for n in range(1, len(rows) + 1)], CARRIES, spoiled[index]
        )
        truths.append(Truth(app_id, rows, application, held=application is None))
    sheet = wb.create_sheet("施設")
    sheet.append(["施設コード", "施設名", *(f"{age}歳児" for age in range(6))])
    for nursery in NURSERIES:
        sheet.append([nursery.id, nursery.name, *(str(nursery.capacity.get(age, 0)) for age in range(6))])
    return StyleSample("export_text", "hinata", "samples/ledgers/styles/export_text.mapping.toml", wb,
                       tuple(truths), NURSERIES, tuple(sorted(planted, key=lambda p: (p.row, p.column))))  # fmt: skip


def _plant(
    index: int,
    row: int,
    cells: dict[str, object],
    family: Family,
    spoiled: Spoiled,
    planted: list[Planted],
    unknown_at: int,
) -> None:
    def plant(name: str, value: object, kind: str, what: str) -> None:
        cells[name] = value
        planted.append(Planted(SHEET, row, COL[name], kind, what))

    if index == 77:
        planted.append(Planted(SHEET, row, COL["備考"], "formula_text", "備考が @ で始まる"))
    elif index == 12:
        plant("郵便番号", "920-12345", "invalid_postal", "8桁")
        spoiled.fields.add("postal")
    elif index == unknown_at:
        plant("希望2", "0199", "unknown_facility", "ない施設コード")
        spoiled.fields.add("pref1")
    elif index == 24 and family.parents[0].reason == "就労":
        plant("保護者1就労時間", "01６0ｈｒ?", "bad_hours", "数として読めない")
        spoiled.held = True
    elif index == 36:
        plant("保護者1所得割額", "-0001200", "bad_yen", "負の額")
        spoiled.fields.add("parent0.income")
    elif index == 48:
        plant("保護者1生年月日", "19880231", "impossible_date", "2月31日")
        spoiled.fields.add("parent0.birth")
    elif index == 60:
        plant("生年月日", "", "missing_required", "生年月日が空欄")
        spoiled.held = True
    elif index == 66:
        plant("児童氏名", "   ", "missing_required", "児童氏名が空白だけ")
        spoiled.fields.add("kid0.name")
    elif index == 72:
        plant("生年月日", "20190415", "age_out_of_range", "入所時7歳")
        spoiled.held = True
    elif index == 84:
        plant("保護者1氏名", "", "missing_required", "第1保護者の氏名が空欄")
        spoiled.fields.add("parent0.name")
    elif index == 92:
        plant("受付日", "2026/11/31", "impossible_date", "11月31日")
        spoiled.fields.add("received")
