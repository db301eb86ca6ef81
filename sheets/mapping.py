"""Per-city column mapping files (TOML): which ledger header means which canonical field.

A mapping only adds to the built-in synonyms below, so most cities need a few lines. Synonyms are
compared after NFKC with whitespace and ・:_- removed, so `児童 氏名`, `児童氏名` and `児童・氏名` are one.
Placeholders: `{n}` the preference rank (第{n}希望), `{g}` a guardian slot label (see [guardians]),
`{age}` an age class (0..5) in the nursery sheet. The format is documented in samples/ledgers/README.md.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from matching.records import AdjustmentFlag, ReasonKind, WorkStyle
from sheets.errors import MappingFileError

APPLICATION_FIELDS: dict[str, tuple[str, ...]] = {
    "application_id": ("受付番号", "申込番号", "受付No", "受付no.", "整理番号"),
    "received_on": ("受付日", "受付年月日", "申込日"),
    "desired_start": ("入所希望月", "入所希望日", "入所希望年月", "希望入所月"),
    "preference": ("第{n}希望", "希望{n}", "第{n}希望園", "希望園{n}", "希望施設{n}", "第{n}希望施設"),
    "allow_split": ("きょうだい別園可", "兄弟別園可", "別園可", "きょうだい別々可"),
    "siblings_enrolled_at": ("兄弟在園", "きょうだい在園", "兄弟在園施設", "在園きょうだい"),
    "income_levy_yen": ("市民税所得割額", "所得割額", "市町村民税所得割額", "区民税所得割額"),
    "flags": ("加点項目", "調整項目", "該当事項"),
    "phone": ("電話番号", "連絡先", "電話", "TEL", "携帯番号"),
    "postal_code": ("郵便番号", "〒"),
}
CHILD_FIELDS: dict[str, tuple[str, ...]] = {
    "child_id": ("児童番号", "児童ID", "児童No"),
    "child_name": ("児童氏名", "氏名", "お子様の氏名", "お子さまの氏名", "児童名", "入所児童氏名"),
    "kana": ("フリガナ", "ふりがな", "児童フリガナ", "カナ", "児童氏名カナ", "氏名カナ"),
    "birth_date": ("生年月日", "児童生年月日", "誕生日"),
    "age_class": ("年齢クラス", "クラス", "入所クラス", "歳児クラス"),
    "current_nursery": ("在籍園(転園)", "在籍園", "現在の在籍園", "転園元"),
}
GUARDIAN_FIELDS: dict[str, tuple[str, ...]] = {
    "relation": ("{g}続柄",),
    "name": ("{g}氏名", "{g}名前"),
    "reason": ("{g}事由", "{g}保育を必要とする事由", "{g}必要事由"),
    "work_style": ("{g}就労形態", "{g}勤務形態"),
    "hours_per_month": ("{g}月就労時間", "{g}就労時間", "{g}月間就労時間", "{g}勤務時間"),
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

Synonyms = dict[str, tuple[str, ...]]


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LedgerSettings(_Section):
    name: str = ""
    application_sheets: tuple[str, ...] = ()  # empty: every sheet whose header is found
    nursery_sheet: str | None = None
    header_search_rows: int = Field(default=20, ge=1, le=200)
    nurseries_by: Literal["name", "id", "either"] = "either"
    list_separators: str = "、,，・/／ "
    # No 児童番号 column: child ids become `<受付番号>-<n>` (n = the child's order in the application).
    derive_child_id: bool = False
    # Guardians without a 続柄 column take their slot label (e.g. slots 父 / 母) as relation.
    relation_from_slot: bool = False


class GuardianSettings(_Section):
    slots: tuple[str, ...] = ("保護者1", "保護者2")

    @field_validator("slots")
    @classmethod
    def _slots(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not 1 <= len(value) <= 4:
            raise ValueError("guardians.slots は1〜4個にしてください / 1 to 4 guardian slots")
        return value


class LedgerMapping(BaseModel):
    """A parsed mapping file; `*_columns` hold the merged (built-in + file) synonyms."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ledger: LedgerSettings = LedgerSettings()
    guardians: GuardianSettings = GuardianSettings()
    columns: Synonyms = Field(default_factory=dict)
    guardian_columns: Synonyms = Field(default_factory=dict)
    flag_columns: Synonyms = Field(default_factory=dict)
    nursery_columns: Synonyms = Field(default_factory=dict)
    reasons: Synonyms = Field(default_factory=dict)
    work_styles: Synonyms = Field(default_factory=dict)
    nursery_aliases: Synonyms = Field(default_factory=dict)  # nursery id -> other names staff write
    true_marks: tuple[str, ...] = ()

    @field_validator("columns")
    @classmethod
    def _known_columns(cls, value: Synonyms) -> Synonyms:
        return _check_keys(value, {**APPLICATION_FIELDS, **CHILD_FIELDS}, "columns")

    @field_validator("guardian_columns")
    @classmethod
    def _known_guardian_columns(cls, value: Synonyms) -> Synonyms:
        return _check_keys(value, GUARDIAN_FIELDS, "guardian_columns")

    @field_validator("nursery_columns")
    @classmethod
    def _known_nursery_columns(cls, value: Synonyms) -> Synonyms:
        return _check_keys(value, NURSERY_FIELDS, "nursery_columns")

    @field_validator("flag_columns")
    @classmethod
    def _known_flags(cls, value: Synonyms) -> Synonyms:
        return _check_keys(value, FLAG_SYNONYMS, "flag_columns")

    @field_validator("reasons")
    @classmethod
    def _known_reasons(cls, value: Synonyms) -> Synonyms:
        return _check_keys(value, REASON_SYNONYMS, "reasons")

    @field_validator("work_styles")
    @classmethod
    def _known_styles(cls, value: Synonyms) -> Synonyms:
        return _check_keys(value, WORK_STYLE_SYNONYMS, "work_styles")

    def merged(self, table: str) -> Synonyms:
        """Built-in synonyms of `table` with this file's additions first (they win ambiguities)."""
        builtin = {
            "columns": {**APPLICATION_FIELDS, **CHILD_FIELDS},
            "guardian_columns": GUARDIAN_FIELDS,
            "flag_columns": FLAG_SYNONYMS,
            "nursery_columns": NURSERY_FIELDS,
            "reasons": REASON_SYNONYMS,
            "work_styles": WORK_STYLE_SYNONYMS,
        }[table]
        extra: Synonyms = getattr(self, table)
        return {key: (*extra.get(key, ()), *names) for key, names in builtin.items()}


def _check_keys(value: Synonyms, known: Synonyms, table: str) -> Synonyms:
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise ValueError(
            f"[{table}] に知らない項目があります: {', '.join(unknown)}（使える項目: {', '.join(known)}） / "
            f"unknown keys in [{table}]"
        )
    return value


def load_mapping(path: Path) -> LedgerMapping:
    """Read a mapping file (TOML). A bad file raises :class:`MappingFileError` naming what to fix."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingFileError(
            f"{path}: 対応表ファイルを読めません / cannot read the mapping file ({exc})"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise MappingFileError(f"{path}: TOMLの書式が誤っています / malformed TOML: {exc}") from exc
    try:
        return LedgerMapping.model_validate(_as_tuples(raw))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(file)'}: {err['msg']}" for err in exc.errors()
        )
        raise MappingFileError(f"{path}: {problems}") from exc


def _as_tuples(raw: object) -> object:
    """Accept a single string where a list of synonyms is expected (`氏名 = "お名前"`)."""
    if isinstance(raw, dict):
        synonym_tables = {
            "columns", "guardian_columns", "flag_columns", "nursery_columns", "reasons", "work_styles",
            "nursery_aliases",
        }  # fmt: skip
        return {
            key: (
                {k: (v,) if isinstance(v, str) else v for k, v in value.items()}
                if key in synonym_tables and isinstance(value, dict)
                else value
            )
            for key, value in raw.items()
        }
    return raw
