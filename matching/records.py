"""Domain records of the nursery admission season (保育所入所選考).

Frozen pydantic v2 models: they cross package borders (OCR and sheets produce them, scoring and the
optimizer consume them). Every validator message says, in Japanese and English, what is wrong so that
staff can fix the source ledger or form.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Self, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_serializer,
    field_validator,
    model_validator,
)

from matching.errors import InvalidRecordError

AGE_CLASSES: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
AGE_CLASS_LABELS: dict[int, str] = {age: f"{age}歳児" for age in AGE_CLASSES}
MAX_HOURS_PER_MONTH = 744  # 31 days x 24 h: anything above is a typing error


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class ReasonKind(StrEnum):
    """保育の必要性の事由 (the reason a guardian cannot look after the child)."""

    WORK = "就労"
    PREGNANCY = "出産"
    ILLNESS = "疾病"
    DISABILITY = "障害"
    CARE = "介護"
    DISASTER = "災害"
    JOB_SEARCH = "求職"
    STUDY = "就学"
    ABSENT = "不存在"  # 死亡・離別・行方不明: the guardian does not exist for this household
    OTHER = "その他"


class WorkStyle(StrEnum):
    """就労の形態: cities score these differently."""

    EMPLOYED = "外勤"
    SELF_EMPLOYED = "自営"
    FAMILY_HELPER = "自営協力者"
    HOME_PIECEWORK = "内職"


class AdjustmentFlag(StrEnum):
    """Household facts that 調整指数 rules add or subtract points for."""

    SINGLE_PARENT = "ひとり親"
    WELFARE = "生活保護"
    PARENTAL_LEAVE_RETURN = "育休復帰"
    UNLICENSED_CARE = "認可外利用中"
    MULTIPLE_BIRTH = "多胎児"
    GRANDPARENT_AT_HOME = "祖父母同居"
    FEE_ARREARS = "保育料滞納"
    GUARDIAN_DISABILITY_HANDBOOK = "障害者手帳"
    CHILD_DISABILITY = "児童障害"
    FOSTER = "里親"
    DV = "DV"  # never written into logs or reports: sensitive


class Reason(_Record):
    """One reason of one guardian, with the details a rules file can score by."""

    kind: ReasonKind
    work_style: WorkStyle | None = None
    hours_per_month: float | None = Field(default=None, ge=0, le=MAX_HOURS_PER_MONTH)
    days_per_week: int | None = Field(default=None, ge=0, le=7)
    # Free level for the non-work reasons, matched by the rules file: e.g. "入院", "1ヶ月以上",
    # "身体1級", "常時介護". Keeping it a string lets each city name its own levels.
    level: str | None = None

    @model_validator(mode="after")
    def _work_needs_hours(self) -> Self:
        if self.kind is ReasonKind.WORK and (self.hours_per_month is None or self.days_per_week is None):
            raise ValueError(
                "就労には月の就労時間と週の就労日数が必要です / "
                "a work reason needs hours_per_month and days_per_week"
            )
        return self


class Guardian(_Record):
    """保護者. `reasons` may hold several; rules files decide which one counts (usually the highest)."""

    relation: str = Field(min_length=1, description="続柄: 父, 母, 祖母 …")
    name: str | None = None
    reasons: tuple[Reason, ...] = Field(min_length=1)


class Child(_Record):
    """申込児童. The age class is not stored: it is computed for the admission year."""

    id: str = Field(min_length=1, description="児童番号 / child id (unique in the season)")
    name: str | None = None
    kana: str | None = None
    birth_date: dt.date
    current_nursery: str | None = Field(default=None, description="転園希望の場合の現在の在籍園")

    def age_class(self, admission_year: int) -> int:
        """Age class (0歳児..5歳児) as of April 1 of the admission year.

        Ordinary completed years on April 1: a child born on April 1 has its birthday counted (the
        Japanese school year runs from April 2 to April 1), which is exactly what `date` arithmetic gives.
        """
        reference = dt.date(admission_year, 4, 1)
        if self.birth_date > dt.date(admission_year + 1, 3, 31):
            raise InvalidRecordError(
                f"児童 {self.id}: 生年月日 {self.birth_date} は {admission_year}年度より後です / "
                f"child {self.id}: birth date {self.birth_date} is after the admission year {admission_year}"
            )
        years = reference.year - self.birth_date.year
        if (reference.month, reference.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        age = max(years, 0)  # born during the admission year: 0歳児
        if age not in AGE_CLASSES:
            raise InvalidRecordError(
                f"児童 {self.id}: {admission_year}年4月1日時点で{age}歳のため保育所の年齢クラス"
                f"(0〜5歳児)にあたりません。生年月日を確認してください / child {self.id} is {age} on "
                f"April 1, {admission_year}: no age class 0-5; check the birth date"
            )
        return age


class Household(_Record):
    """世帯: guardians, adjustment flags and the facts tie-breaks use."""

    guardians: tuple[Guardian, ...] = Field(min_length=1, max_length=4)
    flags: frozenset[AdjustmentFlag] = frozenset()
    # 市民税所得割額 (yen): a common tie-break (lower first). None when not yet known.
    income_levy_yen: int | None = Field(default=None, ge=0)
    # Nurseries where an older sibling is already enrolled (兄弟在園): a per-nursery bonus.
    siblings_enrolled_at: tuple[str, ...] = ()

    @field_serializer("flags")
    def _sorted_flags(self, flags: frozenset[AdjustmentFlag]) -> list[str]:
        # Set order depends on the process's hash seed; files must not.
        return sorted(flag.value for flag in flags)


class Application(_Record):
    """入所申込: one household's application for one or more children."""

    id: str = Field(min_length=1, description="受付番号")
    received_on: dt.date | None = None
    household: Household
    children: tuple[Child, ...] = Field(min_length=1)
    preferences: tuple[str, ...] = Field(description="希望園 (nursery ids), first choice first")
    allow_split: bool = Field(default=False, description="きょうだい別園可")
    desired_start: dt.date = Field(description="入所希望月 (first day of the month)")

    @field_validator("preferences")
    @classmethod
    def _preferences_valid(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("希望園が1つもありません / no nursery preference given")
        seen: set[str] = set()
        for nursery in value:
            if nursery in seen:
                raise ValueError(
                    f"希望園 {nursery} が重複しています / nursery {nursery} appears twice in the preferences"
                )
            seen.add(nursery)
        return value

    @field_validator("desired_start")
    @classmethod
    def _first_of_month(cls, value: dt.date) -> dt.date:
        if value.day != 1:
            raise ValueError(
                f"入所希望月 {value} は月の1日にしてください / desired start must be the 1st of a month"
            )
        return value

    @model_validator(mode="after")
    def _children_consistent(self) -> Self:
        ids = [child.id for child in self.children]
        if len(set(ids)) != len(ids):
            raise ValueError("同じ児童番号が2回あります / the same child id appears twice")
        for child in self.children:
            if child.birth_date > self.desired_start:
                raise ValueError(
                    f"児童 {child.id} の生年月日 {child.birth_date} が入所希望月 {self.desired_start} より後です "
                    f"/ child {child.id} is born after the desired start"
                )
            if child.current_nursery is not None and child.current_nursery in self.preferences:
                raise ValueError(
                    f"児童 {child.id}: 在籍園 {child.current_nursery} が希望園に含まれています / the current "
                    "nursery of a transfer request must not be among the preferences"
                )
        return self

    @property
    def is_sibling_group(self) -> bool:
        return len(self.children) > 1

    def age_classes(self, admission_year: int) -> dict[str, int]:
        return {child.id: child.age_class(admission_year) for child in self.children}


class Nursery(_Record):
    """保育施設 with the seats open to this run per age class."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    kind: str = "認可保育所"
    district: str | None = None
    capacity: dict[int, int] = Field(description="募集人数 per age class 0..5")

    @field_validator("capacity")
    @classmethod
    def _capacity_valid(cls, value: dict[int, int]) -> dict[int, int]:
        for age, seats in value.items():
            if age not in AGE_CLASSES:
                raise ValueError(f"年齢クラス {age} はありません (0〜5) / unknown age class {age}")
            if seats < 0:
                raise ValueError(
                    f"{age}歳児の募集人数が負の数 ({seats}) です / capacity for age {age} is negative"
                )
        return value

    def seats(self, age_class: int) -> int:
        return self.capacity.get(age_class, 0)


RecordT = TypeVar("RecordT", bound=BaseModel)


def parse_record(model: type[RecordT], data: Any) -> RecordT:
    """Validate `data` as `model`; on failure raise one :class:`InvalidRecordError` naming the record.

    pydantic's own error lists the field path; this adds the record's id (受付番号, 園番号 …) so staff can
    find the row, and keeps the message free of the other values of the record (personal data).
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        record_id = data.get("id") if isinstance(data, dict) else None
        where = f"{model.__name__} {record_id}" if record_id else model.__name__
        problems = "; ".join(
            f"{'.'.join(str(part) for part in err['loc']) or '(record)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise InvalidRecordError(f"{where}: {problems}") from exc
