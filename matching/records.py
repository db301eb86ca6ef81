"""Domain records of the nursery admission season (保育所入所選考).

Frozen pydantic v2 models: they cross package borders (OCR and sheets produce them, scoring and the
optimizer consume them). Every validator message says, in Japanese and English, what is wrong so that
staff can fix the source ledger or form.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
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
from matching.record_types import (
    CONDITION_OF_ALLOW_SPLIT,
    AdjustmentFlag,
    Facts,
    FactValue,
    GuardianRole,
    Origin,
    PhoneNumber,
    PostalCode,
    ReasonKind,
    Sex,
    SiblingCondition,
    WorkStyle,
    role_of,
)

AGE_CLASSES: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
AGE_CLASS_LABELS: dict[int, str] = {age: f"{age}歳児" for age in AGE_CLASSES}
MAX_HOURS_PER_MONTH = 744  # 31 days x 24 h: anything above is a typing error


MAX_HOURS_PER_WEEK = 168
MAX_TEXT = 2_000  # a name, an address or a remark longer than this is a paste error, not data
# 52 weeks / 12 months: the factor that turns weekly hours into monthly ones when a city says nothing.
DEFAULT_WEEKS_PER_MONTH = Fraction(52, 12)

__all__ = [
    "AGE_CLASSES",
    "AGE_CLASS_LABELS",
    "CONDITION_OF_ALLOW_SPLIT",
    "AdjustmentFlag",
    "Application",
    "Child",
    "FactValue",
    "Facts",
    "Guardian",
    "GuardianRole",
    "Household",
    "Nursery",
    "Origin",
    "Reason",
    "ReasonKind",
    "Sex",
    "SiblingCondition",
    "WorkStyle",
    "parse_record",
]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Reason(_Record):
    """One reason of one guardian, with the details a rules file can score by."""

    kind: ReasonKind
    work_style: WorkStyle | None = None
    hours_per_month: float | None = Field(default=None, ge=0, le=MAX_HOURS_PER_MONTH)
    # Some tables (and 就労証明書) state hours a week; the record keeps what was written.
    hours_per_week: float | None = Field(default=None, ge=0, le=MAX_HOURS_PER_WEEK)
    days_per_week: int | None = Field(default=None, ge=0, le=7)
    # Free level for the non-work reasons, matched by the rules file: e.g. "入院", "1ヶ月以上",
    # "身体1級", "常時介護". Keeping it a string lets each city name its own levels.
    level: str | None = None

    @model_validator(mode="after")
    def _work_needs_hours(self) -> Self:
        no_hours = self.hours_per_month is None and self.hours_per_week is None
        if self.kind is ReasonKind.WORK and (no_hours or self.days_per_week is None):
            raise ValueError(
                "就労には就労時間 (月または週) と週の就労日数が必要です / "
                "a work reason needs hours (per month or per week) and days_per_week"
            )
        return self

    def monthly_hours(self, weeks_per_month: Fraction = DEFAULT_WEEKS_PER_MONTH) -> Fraction | None:
        """Hours a month as written, else weekly hours x the city's weeks per month (4, 4.3 or 52/12)."""
        if self.hours_per_month is not None:
            return Fraction(Decimal(str(self.hours_per_month)))
        if self.hours_per_week is not None:
            return Fraction(Decimal(str(self.hours_per_week))) * weeks_per_month
        return None

    def weekly_hours(self, weeks_per_month: Fraction = DEFAULT_WEEKS_PER_MONTH) -> Fraction | None:
        if self.hours_per_week is not None:
            return Fraction(Decimal(str(self.hours_per_week)))
        if self.hours_per_month is not None:
            return Fraction(Decimal(str(self.hours_per_month))) / weeks_per_month
        return None


class Guardian(_Record):
    """保護者. `reasons` may hold several; rules files decide which one counts (usually the highest)."""

    relation: str = Field(min_length=1, description="続柄: 父, 母, 祖母 … (不明 when unknown)")
    name: str | None = Field(default=None, max_length=MAX_TEXT)
    kana: str | None = Field(default=None, max_length=MAX_TEXT)
    birth_date: dt.date | None = None
    # 市民税所得割額 of this guardian (yen); the household's total is Household.income_levy_total.
    income_levy_yen: int | None = Field(default=None, ge=0)
    reasons: tuple[Reason, ...] = Field(min_length=1)
    facts: Facts = Field(default_factory=dict)

    @property
    def role(self) -> GuardianRole:
        return role_of(self.relation)


class Child(_Record):
    """申込児童. The age class is not stored: it is computed for the admission year."""

    id: str = Field(min_length=1, description="児童番号 / child id (unique in the season)")
    name: str | None = Field(default=None, max_length=MAX_TEXT)
    kana: str | None = Field(default=None, max_length=MAX_TEXT)
    sex: Sex | None = None
    birth_date: dt.date
    current_nursery: str | None = Field(default=None, description="転園希望の場合の現在の在籍園")
    facts: Facts = Field(
        default_factory=dict, description="city-declared facts of this child (障害, 医療的ケア …)"
    )

    def age_in_months(self, on: dt.date) -> int:
        """Completed months of age on a date (育休明け rules: at least N months old on the start date)."""
        months = (on.year - self.birth_date.year) * 12 + on.month - self.birth_date.month
        return months - 1 if on.day < self.birth_date.day else months

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

    number: str | None = Field(default=None, max_length=64, description="世帯番号 (the city's own)")
    guardians: tuple[Guardian, ...] = Field(min_length=1, max_length=4)
    flags: frozenset[AdjustmentFlag] = frozenset()
    # 市民税所得割額 (yen) of the household: a common tie-break (lower first). None when not yet known.
    income_levy_yen: int | None = Field(default=None, ge=0)
    # Nurseries where an older sibling is already enrolled (兄弟在園): a per-nursery bonus.
    siblings_enrolled_at: tuple[str, ...] = ()
    postal_code: PostalCode | None = None
    address: str | None = Field(default=None, max_length=MAX_TEXT)
    phones: tuple[PhoneNumber, ...] = ()
    facts: Facts = Field(default_factory=dict, description="city-declared facts of the household")

    @property
    def income_levy_total(self) -> int | None:
        """The household's 所得割額: as stated, else the sum of its guardians' (None if none is known)."""
        if self.income_levy_yen is not None:
            return self.income_levy_yen
        known = [g.income_levy_yen for g in self.guardians if g.income_levy_yen is not None]
        return sum(known) if known else None

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
    # None: the application does not say; the city profile's default applies (同保同時 if none).
    sibling_condition: SiblingCondition | None = Field(default=None, description="きょうだいの入所条件")
    desired_start: dt.date = Field(
        description="入所希望月 (first day of the month; default: the round's first day)"
    )
    remarks: str | None = Field(default=None, max_length=MAX_TEXT, description="備考")
    # 組合せ希望: the whole outcomes the family accepts, best first (child id -> nursery id, or None for
    # "not this round"); when given they replace the order derived from the condition.
    sibling_combinations: tuple[dict[str, str | None], ...] = Field(default=(), description="組合せ希望")
    origin: Origin | None = Field(default=None, description="where this application was read from")

    @model_validator(mode="before")
    @classmethod
    def _allow_split_of_old_files(cls, data: Any) -> Any:
        # Files written before records v2 carry allow_split (true/false): the two conditions it meant.
        if isinstance(data, dict) and "allow_split" in data:
            data = dict(data)
            old = data.pop("allow_split")
            siblings = len(data.get("children") or ()) > 1
            if data.get("sibling_condition") is None and isinstance(old, bool) and siblings:
                data["sibling_condition"] = CONDITION_OF_ALLOW_SPLIT[old]
        return data

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
        for number, combination in enumerate(self.sibling_combinations, start=1):
            if set(combination) != set(ids) or len(ids) < 2:
                raise ValueError(
                    f"組合せ希望 {number}: きょうだい全員 ({', '.join(ids)}) を書いてください / combination {number} "
                    "must name every child of the application (two or more)"
                )
            current = {c.id: c.current_nursery for c in self.children}
            stray = [
                n
                for cid, n in combination.items()
                if n is not None and n not in self.preferences and n != current[cid]
            ]
            if stray:
                raise ValueError(
                    f"組合せ希望 {number}: 希望園にない施設 {stray[0]} / combination {number}: {stray[0]} is not a "
                    "preference"
                )
        return self

    @property
    def is_sibling_group(self) -> bool:
        return len(self.children) > 1

    @property
    def allow_split(self) -> bool:
        """The children may be placed in different nurseries (a 別保 condition)."""
        return self.sibling_condition is not None and self.sibling_condition.allows_split

    def age_classes(self, admission_year: int) -> dict[str, int]:
        return {child.id: child.age_class(admission_year) for child in self.children}


class Nursery(_Record):
    """保育施設 with the seats open to this run per age class."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    kind: str = "認可保育所"
    district: str | None = None
    capacity: dict[int, int] = Field(description="募集人数 per age class 0..5")
    # Other names staff write for it (ひまわり園, ﾋﾏﾜﾘ …): ledgers and screens match on these too.
    aliases: tuple[str, ...] = ()

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
