"""The sample form layouts: the national-style 保育所入所申込書, 就労証明書, and a second city's 申込書.

Field names are the shared vocabulary `ocr.canonical` understands (child_name, guardian1_reason …);
a city's own layout may arrange them any way it likes.
"""

from __future__ import annotations

from samples.forms.city_layouts import CITY_LAYOUTS
from samples.forms.sheet import Checks, Choice, Sheet, Text

RECEIPT = r"^[0-9]{10}$"
NURSERY = r"^N[0-9]{3}$"
KANA = r"^[ァ-ヶー]+( [ァ-ヶー]+)?$"  # family and given name, the space between them kept
PHONE = r"^0[0-9]{1,4}-[0-9]{1,4}-[0-9]{3,4}$"
HOURS = r"^[0-9]{1,3}(\.[0-9])?$"
REASONS = ("就労", "出産", "疾病", "障害", "介護", "求職", "就学", "その他")
RELATIONS = ("父", "母", "その他")
FLAGS = (
    ("flag_single_parent", "ひとり親"),
    ("flag_welfare", "生活保護"),
    ("flag_leave_return", "育休復帰"),
    ("flag_unlicensed_care", "認可外利用中"),
    ("flag_multiple_birth", "多胎児"),
    ("flag_grandparent", "祖父母同居"),
    ("flag_disability_handbook", "障害者手帳"),
    ("flag_child_disability", "児童障害"),
)
STYLES = (
    "正社員",
    "パート・アルバイト",
    "派遣社員",
    "契約社員",
    "会計年度任用職員",
    "自営業主",
    "自営業専従者",
    "家族従事者",
    "内職",
)


def _guardian_rows(sheet: Sheet, n: int, required: bool) -> None:
    sheet.row(
        Text(f"保護者{n}\n氏名", f"guardian{n}_name", "name", span=2, required=required, sample="adult_name"),
        Choice("続柄", f"guardian{n}_relation", RELATIONS, required=required),
    )
    sheet.row(
        Choice(f"保護者{n}\n保育を必要\nとする事由", f"guardian{n}_reason", REASONS, required=required),
        height=160,
    )


def _notes(sheet: Sheet) -> None:
    sheet.gap(60)
    for line in (
        "【記入上の注意】",
        "1. 太枠の中を記入してください。該当する□には✓を付けてください。",
        "2. 保育を必要とする事由を証明する書類（就労証明書など）を添付してください。",
        "3. 記入された個人情報は、保育所等の利用調整の目的以外には使用しません。",
        "4. 申込内容に変更があった場合は、速やかに届け出てください。",
    ):
        sheet.text(line, 180, sheet.y, size=32)
        sheet.gap(52)


def application() -> Sheet:
    sheet = Sheet("hoiku_moushikomi", "保育所等入所申込書")
    sheet.heading(
        "保育所等入所申込書", "（教育・保育給付認定申請書）  みどり市長 様  次のとおり申し込みます。"
    )
    sheet.row(
        Text("受付番号", "receipt_no", "digits", required=True, pattern=RECEIPT, sample="receipt"),
        Text("申込日", "application_date", "date", required=True, range=(2024, 2030), sample="recent"),
    )
    sheet.gap(30)
    sheet.section("申込児童")
    sheet.row(
        Text("フリガナ", "child_kana", "kana", span=2, required=True, pattern=KANA),
        Choice("性別", "child_sex", ("男", "女"), required=True),
    )
    sheet.row(
        Text("児童氏名", "child_name", "name", span=3, required=True, sample="child_name"),
        Text(
            "生年月日", "child_birth", "date", span=2, required=True, range=(2019, 2027), sample="child_birth"
        ),
    )
    sheet.row(Text("住所", "address", "address", required=True))
    sheet.row(
        Text("電話番号", "phone", "phone", required=True, pattern=PHONE),
        Text(
            "入所希望日", "desired_start", "date", required=True, range=(2025, 2028), sample="first_of_month"
        ),
    )
    sheet.gap(30)
    sheet.section("保護者の状況")
    _guardian_rows(sheet, 1, required=True)
    _guardian_rows(sheet, 2, required=False)
    sheet.gap(30)
    sheet.section("希望する保育所（園番号）")
    sheet.row(
        Text("第1希望", "preference_1", "digits", required=True, pattern=NURSERY, charset="N0123456789"),
        Text("第2希望", "preference_2", "digits", pattern=NURSERY, charset="N0123456789"),
        Text("第3希望", "preference_3", "digits", pattern=NURSERY, charset="N0123456789"),
    )
    sheet.row(Checks("きょうだい", (("allow_split", "別々の園でも可"),)))
    sheet.gap(30)
    sheet.section("世帯の状況（該当するものに✓）")
    sheet.row(Checks("世帯", FLAGS[:4]), height=110)
    sheet.row(Checks("世帯", FLAGS[4:]), height=110)
    sheet.row(
        Text("市民税\n所得割額(円)", "income_levy", "digits", pattern=r"^[0-9]{1,7}$", range=(0, 9999999)),
        Text("備考", "note", "text"),
    )
    _notes(sheet)
    return sheet


def certificate() -> Sheet:
    sheet = Sheet("shuro_shomeisho", "就労証明書")
    sheet.heading(
        "就労証明書", "（保育所等の利用申込用・標準的な様式）  みどり市長 様  次のとおり証明します。"
    )
    sheet.row(
        Text("受付番号", "receipt_no", "digits", required=True, pattern=RECEIPT, sample="receipt"),
        Text("証明日", "certified_on", "date", required=True, range=(2024, 2030), sample="recent"),
    )
    sheet.gap(30)
    sheet.section("事業所")
    sheet.row(Text("事業所名", "employer_name", "text", required=True, sample="company"))
    sheet.row(Text("所在地", "employer_address", "address", required=True))
    sheet.row(
        Text("電話番号", "employer_phone", "phone", required=True, pattern=PHONE),
        Text("業種", "industry", "text", sample="industry"),
    )
    sheet.gap(30)
    sheet.section("就労者")
    sheet.row(
        Text("フリガナ", "worker_kana", "kana", span=3, required=True, pattern=KANA),
        Text(
            "生年月日",
            "worker_birth",
            "date",
            span=2,
            required=True,
            range=(1960, 2008),
            sample="adult_birth",
        ),
    )
    sheet.row(Text("就労者氏名", "worker_name", "name", required=True, sample="adult_name"))
    sheet.row(Choice("雇用形態", "employment_type", STYLES, required=True), height=190)
    sheet.row(
        Text(
            "雇用期間\n（始期）", "employed_since", "date", required=True, range=(1980, 2030), sample="past"
        ),
        Text("就労先\n（勤務地）", "workplace", "text", sample="workplace"),
    )
    sheet.gap(30)
    sheet.section("就労時間・就労日数（就労実績）")
    sheet.row(
        Text(
            "1日あたり\n時間",
            "hours_per_day",
            "digits",
            required=True,
            pattern=HOURS,
            range=(1, 24),
            charset="0123456789.",
        ),
        Text(
            "1週あたり\n時間",
            "hours_per_week",
            "digits",
            required=True,
            pattern=HOURS,
            range=(1, 168),
            charset="0123456789.",
        ),
        Text(
            "1か月あたり\n時間",
            "hours_per_month",
            "digits",
            required=True,
            pattern=HOURS,
            range=(1, 744),
            charset="0123456789.",
        ),
    )
    sheet.row(
        Text("1週あたり\n日数", "days_per_week", "digits", required=True, pattern=r"^[1-7]$", range=(1, 7)),
        Text(
            "1か月あたり\n日数",
            "days_per_month",
            "digits",
            required=True,
            pattern=r"^[0-9]{1,2}$",
            range=(1, 31),
        ),
    )
    sheet.gap(30)
    sheet.section("育児休業等の取得")
    sheet.row(
        Choice("育児休業", "parental_leave", ("有", "無"), required=True),
        Text("育休開始日", "leave_start", "date", range=(2018, 2030), sample="leave_start"),
    )
    sheet.row(
        Text("育休終了日", "leave_end", "date", range=(2018, 2030), sample="leave_end"),
        Text("復職予定日", "return_date", "date", range=(2018, 2030), sample="leave_end"),
    )
    _notes(sheet)
    return sheet


def city_b_application() -> Sheet:
    """Another city's layout of the same application: different order, sizes and labels."""
    sheet = Sheet("cityb_moushikomi", "保育園入園申込書", top=260)
    sheet.heading("さくら市 保育園入園申込書", "太枠内をご記入ください。該当する□に✓を付けてください。")
    sheet.row(
        Text("申込年月日", "application_date", "date", required=True, range=(2024, 2030), sample="recent"),
        Text("整理番号", "receipt_no", "digits", required=True, pattern=RECEIPT, sample="receipt"),
        height=140,
    )
    sheet.gap(50)
    sheet.section("保護者")
    sheet.row(Text("申込者氏名", "guardian1_name", "name", required=True, sample="adult_name"), height=140)
    sheet.row(
        Choice("児童との続柄", "guardian1_relation", RELATIONS, required=True),
        Text("連絡先電話", "phone", "phone", required=True, pattern=PHONE),
        height=140,
    )
    sheet.row(Choice("入園を希望\nする理由", "guardian1_reason", REASONS, required=True), height=140)
    sheet.row(Text("現住所", "address", "address", required=True), height=140)
    sheet.gap(50)
    sheet.section("入園を希望する児童")
    sheet.row(Text("ふりがな（カナ）", "child_kana", "kana", required=True, pattern=KANA), height=140)
    sheet.row(
        Text("お子さまの氏名", "child_name", "name", span=3, required=True, sample="child_name"),
        Choice("性別", "child_sex", ("男", "女"), span=2, required=True),
        height=140,
    )
    sheet.row(
        Text("生年月日", "child_birth", "date", required=True, range=(2019, 2027), sample="child_birth"),
        Text(
            "入園希望日", "desired_start", "date", required=True, range=(2025, 2028), sample="first_of_month"
        ),
        height=140,
    )
    sheet.gap(50)
    sheet.section("希望園")
    sheet.row(
        Text("第一希望", "preference_1", "digits", required=True, pattern=NURSERY, charset="N0123456789"),
        Text("第二希望", "preference_2", "digits", pattern=NURSERY, charset="N0123456789"),
        height=140,
    )
    sheet.row(Checks("家庭の状況", (FLAGS[0], FLAGS[1], FLAGS[5])), height=140)
    return sheet


LAYOUTS = {
    "hoiku_moushikomi": application,
    "shuro_shomeisho": certificate,
    "cityb_moushikomi": city_b_application,
    **CITY_LAYOUTS,
}
# Which forms come together in a batch of one layout (`bodx bench ocr --layouts …`).
LAYOUT_SETS: dict[str, tuple[str, ...]] = {
    "standard": ("hoiku_moushikomi", "shuro_shomeisho"),
    "cityb": ("cityb_moushikomi",),
    "kawabe": ("kawabe_moushikomi", "kawabe_shuro"),
    "minato": ("minato_moushikomi", "shuro_shomeisho"),
}
