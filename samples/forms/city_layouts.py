"""Three more cities' forms, drawn from what real municipal 申込書 look like (not from the reader):

- **かわべ町 保育施設等利用申込書** (`kawabe_moushikomi`): printed in green on white with 明朝 (Mincho)
  labels, shaded label cells; 性別 and 続柄 are words to circle (「男・女」を○で囲む), the sibling wish
  and the household questions are □ boxes; the form asks neither 事由 (the 就労証明書 says it) nor
  入所希望日 (the round's first day); it asks the town's own facts (months in 認可外, 祖父母の同居).
- **かわべ町 就労証明書** (`kawabe_shuro`): 明朝, black; hours and days written per week with the
  unit printed after the box (時間 / 日); 雇用形態 circled among printed words. Employers often fax
  it, so it arrives bilevel.
- **みなと区 入園申込書** (`minato_moushikomi`): ゴシック bold labels in blue, a mark-sheet habit
  (「該当する□を塗りつぶしてください」), tall writing areas for large typing, postal code and two
  phone numbers, guardians' kana, birth dates and 所得割額.

Field names are the standard vocabulary (`ocr.application_fields.STANDARD_FIELDS`); a town's own
facts use `child_fact_…`, `household_fact_…`, `guardian1_fact_…` named as in its city.toml.
"""

from __future__ import annotations

from samples.forms.sheet import Checks, Choice, Sheet, Text

RECEIPT = r"^[0-9]{10}$"
NURSERY = r"^N[0-9]{3}$"
KANA = r"^[ァ-ヶー]+( [ァ-ヶー]+)?$"
PHONE = r"^0[0-9]{1,4}-[0-9]{1,4}-[0-9]{3,4}$"
POSTAL = r"^[0-9]{3}-[0-9]{4}$"
HOURS = r"^[0-9]{1,3}(\.[0-9])?$"
GREEN, GREEN_SHADE, GREEN_BAND = (20, 110, 60), (226, 242, 230), (200, 228, 208)
BLUE, BLUE_SHADE, BLUE_BAND = (20, 60, 150), (228, 236, 250), (205, 218, 245)
SIBLINGS = (  # value stored (records v2) / words printed on かわべ町's form
    ("同保同時", "同じ園で同時に"),
    ("別保同時希", "別の園でも同時に"),
    ("別保順次希", "別の園・順番でも可"),
)
GRANDPARENTS = ("なし", "同居・保育可能", "同居・要介護等")
REASONS = ("就労", "出産", "疾病", "障害", "介護", "求職", "就学", "その他")
KAWABE_STYLES = ("正社員", "パート・アルバイト", "派遣社員", "契約社員", "自営業主", "家族従事者")


def kawabe_application() -> Sheet:
    sheet = Sheet("kawabe_moushikomi", "保育施設等利用申込書", top=200)
    sheet.label_font, sheet.ink, sheet.shade, sheet.band = "serif", GREEN, GREEN_SHADE, GREEN_BAND
    sheet.defaults = {
        "desired_start": "@round_start",
        "guardian1_reason": "@certificate",
        "guardian2_reason": "@certificate",
    }
    sheet.heading(
        "保育施設等利用申込書", "かわべ町長 様　太枠内を記入し、該当する語を○で囲むか□に印を付けてください。"
    )
    sheet.row(
        Text("受付番号", "receipt_no", "digits", required=True, pattern=RECEIPT, sample="receipt"),
        Text("申込日", "application_date", "date", required=True, range=(2024, 2030), sample="recent"),
        height=130,
    )
    sheet.gap(40)
    sheet.section("入所を希望するお子さん")
    sheet.row(Text("ふりがな", "child_kana", "kana", required=True, pattern=KANA), height=130)
    sheet.row(
        Text("氏名", "child_name", "name", span=3, required=True, sample="child_name"),
        Choice("性別", "child_sex", ("男", "女"), span=2, required=True, words=True),
        height=130,
    )
    sheet.row(
        Text("生年月日", "child_birth", "date", required=True, range=(2019, 2027), sample="child_birth"),
        Text(
            "認可外の\n利用期間",
            "child_fact_ninkagai_months",
            "digits",
            pattern=r"^[0-9]{1,2}$",
            range=(0, 72),
            unit="か月",
        ),
        height=130,
    )
    sheet.gap(40)
    sheet.section("保護者")
    sheet.row(Text("ふりがな", "guardian1_kana", "kana", required=True, pattern=KANA), height=130)
    sheet.row(
        Text("氏名", "guardian1_name", "name", span=3, required=True, sample="adult_name"),
        Choice("続柄", "guardian1_relation", ("父", "母", "その他"), span=2, required=True, words=True),
        height=130,
    )
    sheet.row(
        Text("氏名\n(配偶者)", "guardian2_name", "name", span=3, sample="adult_name"),
        Choice("続柄", "guardian2_relation", ("父", "母", "その他"), span=2, words=True),
        height=130,
    )
    sheet.row(Text("住所", "address", "address", required=True), height=130)
    sheet.row(Text("電話番号", "phone", "phone", required=True, pattern=PHONE), height=130)
    sheet.row(
        Checks("町内保育施設", (("guardian1_fact_nursery_teacher_in_town", "保育士として勤務している"),)),
        height=110,
    )
    sheet.gap(40)
    sheet.section("希望する施設と世帯の状況")
    sheet.row(
        Text("第1希望", "preference_1", "digits", required=True, pattern=NURSERY, charset="N0123456789"),
        Text("第2希望", "preference_2", "digits", pattern=NURSERY, charset="N0123456789"),
        height=130,
    )
    sheet.row(Choice("きょうだい\nの入所", "sibling_condition", SIBLINGS), height=130)
    sheet.row(Choice("祖父母", "household_fact_grandparent_status", GRANDPARENTS, required=True), height=110)
    sheet.row(Checks("世帯", (("flag_single_parent", "ひとり親"), ("flag_welfare", "生活保護"))), height=110)
    return sheet


def kawabe_certificate() -> Sheet:
    sheet = Sheet("kawabe_shuro", "就労証明書（かわべ町）", top=200)
    sheet.label_font = "serif"
    sheet.heading("就 労 証 明 書", "かわべ町長 様　下記のとおり就労していることを証明します。")
    sheet.row(
        Text("受付番号", "receipt_no", "digits", required=True, pattern=RECEIPT, sample="receipt"),
        Text("証明日", "certified_on", "date", required=True, range=(2024, 2030), sample="recent"),
        height=130,
    )
    sheet.gap(40)
    sheet.section("事業所")
    sheet.row(Text("名称", "employer_name", "text", required=True, sample="company"), height=130)
    sheet.row(Text("所在地", "employer_address", "address", required=True), height=130)
    sheet.row(Text("電話", "employer_phone", "phone", required=True, pattern=PHONE), height=130)
    sheet.gap(40)
    sheet.section("就労者")
    sheet.row(Text("フリガナ", "worker_kana", "kana", required=True, pattern=KANA), height=130)
    sheet.row(Text("氏名", "worker_name", "name", required=True, sample="adult_name"), height=130)
    sheet.row(
        Choice("雇用形態\n(○で囲む)", "employment_type", KAWABE_STYLES, required=True, words=True), height=130
    )
    sheet.gap(40)
    sheet.section("就労の状況（1週あたり）")
    sheet.row(
        Text(
            "就労時間",
            "hours_per_week",
            "digits",
            required=True,
            pattern=HOURS,
            range=(1, 80),
            charset="0123456789.",
            unit="時間",
        ),
        Text(
            "就労日数", "days_per_week", "digits", required=True, pattern=r"^[1-7]$", range=(1, 7), unit="日"
        ),
        height=130,
    )
    sheet.row(Choice("育児休業", "parental_leave", ("取得予定なし", "取得中"), required=True), height=110)
    return sheet


def minato_application() -> Sheet:
    sheet = Sheet("minato_moushikomi", "入園申込書（みなと区）", top=180)
    sheet.ink, sheet.shade, sheet.band = BLUE, BLUE_SHADE, BLUE_BAND
    sheet.heading(
        "みなと区 入園申込書", "該当する□を塗りつぶしてください。数字は算用数字で記入してください。"
    )
    sheet.row(
        Text("受付番号", "receipt_no", "digits", required=True, pattern=RECEIPT, sample="receipt"),
        Text(
            "入園希望日", "desired_start", "date", required=True, range=(2025, 2028), sample="first_of_month"
        ),
        height=140,
    )
    sheet.section("児童")
    sheet.row(
        Text("カナ", "child_kana", "kana", span=3, required=True, pattern=KANA),
        Choice("性別", "child_sex", ("男", "女"), span=2, required=True),
        height=140,
    )
    sheet.row(
        Text("氏名", "child_name", "name", required=True, sample="child_name"),
        Text("生年月日", "child_birth", "date", required=True, range=(2019, 2027), sample="child_birth"),
        height=140,
    )
    sheet.row(
        Text("郵便番号", "postal_code", "digits", pattern=POSTAL, charset="0123456789-"),
        Text("電話", "phone", "phone", required=True, pattern=PHONE),
        height=140,
    )
    sheet.row(Text("住所", "address", "address", required=True), height=140)
    sheet.section("保護者1")
    sheet.row(
        Text("氏名", "guardian1_name", "name", required=True, sample="adult_name"),
        Text("カナ", "guardian1_kana", "kana", required=True, pattern=KANA),
        height=140,
    )
    sheet.row(
        Choice("続柄", "guardian1_relation", ("父", "母", "その他"), required=True),
        Text("生年月日", "guardian1_birth", "date", range=(1960, 2008), sample="adult_birth"),
        height=120,
    )
    sheet.row(Choice("事由", "guardian1_reason", REASONS, required=True), height=120)
    sheet.section("保護者2")
    sheet.row(
        Text("氏名", "guardian2_name", "name", sample="adult_name"),
        Text("カナ", "guardian2_kana", "kana", pattern=KANA),
        height=140,
    )
    sheet.row(
        Choice("続柄", "guardian2_relation", ("父", "母", "その他")),
        Text("所得割額", "income_levy", "digits", pattern=r"^[0-9]{1,7}$", range=(0, 9999999), unit="円"),
        height=120,
    )
    sheet.row(Choice("事由", "guardian2_reason", REASONS), height=120)
    sheet.section("希望園・世帯")
    sheet.row(
        Text("第1希望", "preference_1", "digits", required=True, pattern=NURSERY, charset="N0123456789"),
        Text("第2希望", "preference_2", "digits", pattern=NURSERY, charset="N0123456789"),
        Text("第3希望", "preference_3", "digits", pattern=NURSERY, charset="N0123456789"),
        height=140,
    )
    sheet.row(
        Checks(
            "世帯",
            (
                ("flag_single_parent", "ひとり親"),
                ("flag_grandparent", "祖父母同居"),
                ("allow_split", "別の園でも可"),
            ),
        ),
        height=110,
    )
    return sheet


CITY_LAYOUTS = {
    "kawabe_moushikomi": kawabe_application,
    "kawabe_shuro": kawabe_certificate,
    "minato_moushikomi": minato_application,
}
# Choices printed as words to circle, not as boxes, per form (people mark them differently).
WORD_CHOICES: dict[str, frozenset[str]] = {
    "kawabe_moushikomi": frozenset({"child_sex", "guardian1_relation", "guardian2_relation"}),
    "kawabe_shuro": frozenset({"employment_type"}),
}
