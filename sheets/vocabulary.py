"""The built-in header and value synonyms every mapping starts from (a mapping only adds to them).

Compared after NFKC with whitespace and ・:_- removed (sheets.values.header_key). Placeholders: `{n}` a
rank or number (第{n}希望, 電話{n}), `{g}` a guardian slot label, `{age}` an age class (0..5).
"""

from __future__ import annotations

from matching.records import AdjustmentFlag, ReasonKind, WorkStyle

APPLICATION_FIELDS: dict[str, tuple[str, ...]] = {
    "application_id": ("受付番号", "申込番号", "受付No", "受付no.", "整理番号"),
    "received_on": ("受付日", "受付年月日", "申込日"),
    "desired_start": ("入所希望月", "入所希望日", "入所希望年月", "希望入所月"),
    "preference": ("第{n}希望", "希望{n}", "第{n}希望園", "希望園{n}", "希望施設{n}", "第{n}希望施設"),
    "allow_split": ("きょうだい別園可", "兄弟別園可", "別園可", "きょうだい別々可"),
    "siblings_enrolled_at": ("兄弟在園", "きょうだい在園", "兄弟在園施設", "在園きょうだい"),
    "income_levy_yen": ("市民税所得割額", "所得割額", "市町村民税所得割額", "区民税所得割額"),
    "flags": ("加点項目", "調整項目", "該当事項"),
    "phone": (
        "電話番号",
        "連絡先",
        "電話",
        "TEL",
        "携帯番号",
        "電話番号{n}",
        "電話{n}",
        "TEL{n}",
        "連絡先{n}",
    ),
    "postal_code": ("郵便番号", "〒"),
    "household_number": ("世帯番号", "世帯コード", "世帯No", "世帯ID"),
    "address": ("住所", "現住所", "住所地"),
    "remarks": ("備考", "特記事項", "備考欄"),
    "sibling_condition": ("きょうだい条件", "兄弟条件", "きょうだい", "きょうだい入所条件", "兄弟入所条件"),
}
CHILD_FIELDS: dict[str, tuple[str, ...]] = {
    "child_id": ("児童番号", "児童ID", "児童No"),
    "child_name": ("児童氏名", "氏名", "お子様の氏名", "お子さまの氏名", "児童名", "入所児童氏名"),
    "kana": (
        "フリガナ",
        "ふりがな",
        "児童フリガナ",
        "児童ふりがな",
        "カナ",
        "児童カナ",
        "児童氏名カナ",
        "氏名カナ",
    ),
    "sex": ("性別", "児童性別"),
    "birth_date": ("生年月日", "児童生年月日", "誕生日"),
    "age_class": ("年齢クラス", "クラス", "入所クラス", "歳児クラス"),
    "current_nursery": ("在籍園(転園)", "在籍園", "現在の在籍園", "転園元"),
}
GUARDIAN_FIELDS: dict[str, tuple[str, ...]] = {
    "relation": ("{g}続柄",),
    "name": ("{g}氏名", "{g}名前"),
    "kana": ("{g}ふりがな", "{g}フリガナ", "{g}カナ", "{g}氏名カナ"),
    "birth_date": ("{g}生年月日",),
    "income_levy_yen": ("{g}所得割額", "{g}市民税所得割額"),
    "reason": ("{g}事由", "{g}保育を必要とする事由", "{g}必要事由"),
    "work_style": ("{g}就労形態", "{g}勤務形態"),
    "hours_per_month": ("{g}月就労時間", "{g}就労時間", "{g}月間就労時間", "{g}勤務時間"),
    "hours_per_week": ("{g}週就労時間", "{g}勤務時間(週)", "{g}就労時間(週)", "{g}週勤務時間"),
    "days_per_week": ("{g}週就労日数", "{g}就労日数", "{g}勤務日数"),
    "level": ("{g}事由詳細", "{g}詳細", "{g}程度"),
}
NURSERY_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("施設番号", "施設コード", "園番号", "施設ID"),
    "name": ("施設名", "園名", "施設名称"),
    "kind": ("種別", "施設種別", "施設類型"),
    "district": ("地区", "地域", "エリア"),
    "capacity": ("{age}歳児", "{age}歳", "{age}歳児募集", "{age}歳児募集数"),
}
REASON_SYNONYMS: dict[str, tuple[str, ...]] = {
    ReasonKind.WORK.value: ("就労", "勤務", "仕事", "就業", "就労中"),
    ReasonKind.PREGNANCY.value: ("出産", "妊娠", "妊娠・出産", "産前産後"),
    ReasonKind.ILLNESS.value: ("疾病", "病気", "疾病・負傷", "負傷"),
    ReasonKind.DISABILITY.value: ("障害", "障がい", "心身障害"),
    ReasonKind.CARE.value: ("介護", "看護", "介護・看護"),
    ReasonKind.DISASTER.value: ("災害", "災害復旧"),
    ReasonKind.JOB_SEARCH.value: ("求職", "求職中", "求職活動"),
    ReasonKind.STUDY.value: ("就学", "通学", "就学中"),
    ReasonKind.ABSENT.value: ("不存在", "死亡", "離別", "行方不明", "不在"),
    ReasonKind.OTHER.value: ("その他",),
}
WORK_STYLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    WorkStyle.EMPLOYED.value: ("外勤", "会社員", "被雇用", "常勤", "パート", "雇用"),
    WorkStyle.SELF_EMPLOYED.value: ("自営", "自営業", "自営(中心者)", "自営中心者"),
    WorkStyle.FAMILY_HELPER.value: ("自営協力者", "自営協力", "家族従事者"),
    WorkStyle.HOME_PIECEWORK.value: ("内職",),
}
FLAG_SYNONYMS: dict[str, tuple[str, ...]] = {
    AdjustmentFlag.SINGLE_PARENT.value: ("ひとり親", "母子家庭", "父子家庭", "ひとり親世帯"),
    AdjustmentFlag.WELFARE.value: ("生活保護", "生保", "生活保護世帯"),
    AdjustmentFlag.PARENTAL_LEAVE_RETURN.value: ("育休復帰", "育児休業復帰", "育休明け"),
    AdjustmentFlag.UNLICENSED_CARE.value: ("認可外利用中", "認可外", "認可外保育施設利用"),
    AdjustmentFlag.MULTIPLE_BIRTH.value: ("多胎児", "双子", "多胎"),
    AdjustmentFlag.GRANDPARENT_AT_HOME.value: ("祖父母同居", "同居祖父母"),
    AdjustmentFlag.FEE_ARREARS.value: ("保育料滞納", "滞納"),
    AdjustmentFlag.GUARDIAN_DISABILITY_HANDBOOK.value: ("障害者手帳", "保護者障害者手帳"),
    AdjustmentFlag.CHILD_DISABILITY.value: ("児童障害", "障害児", "児童の障害"),
    AdjustmentFlag.FOSTER.value: ("里親",),
    AdjustmentFlag.DV.value: ("DV", "DV被害"),
}
