"""A city's profile (city.toml): who the city is, its rounds, and the facts its 利用調整基準 scores.

What differs between cities is data, never code: a city declares here the extra facts its table
scores (単身赴任, 医療的ケア, 認可外の利用月数 …) with their type and level; the ledger mapping and the
form template fill them, the rules file refers to them. The folder around city.toml (rules, mappings,
templates, recipe) is found by `cityprofile`; this module only reads and validates city.toml itself.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from matching.config import ConfigProblems, KeyPath, did_you_mean, read_toml_text, unknown_keys
from matching.errors import ProfileError
from matching.limits import DEFAULT_LIMITS, LIMIT_NAMES, Limits, limits_from_table, limits_problems
from matching.records import DEFAULT_WEEKS_PER_MONTH, Application, FactValue, SiblingCondition

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class FactType(StrEnum):
    BOOL = "bool"
    INT = "int"
    DATE = "date"
    CHOICE = "choice"
    TEXT = "text"


class FactLevel(StrEnum):
    HOUSEHOLD = "household"
    GUARDIAN = "guardian"
    CHILD = "child"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FactDeclaration(_Frozen):
    """One fact a city's table scores, e.g. name = "tanshin_funin", label = "単身赴任", type = "bool"."""

    name: str = Field(pattern=_NAME.pattern)
    label: str = Field(min_length=1)
    type: FactType
    level: FactLevel
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    @model_validator(mode="after")
    def _choices_for_choice(self) -> Self:
        if (self.type is FactType.CHOICE) != bool(self.choices):
            raise ValueError(
                'choices は type = "choice" のときだけ、1つ以上書きます / choices belong to choice facts'
            )
        return self

    def coerce(self, value: Any) -> FactValue:
        """The value as this fact's type; ValueError with a message for staff when it cannot be."""
        if self.type is FactType.BOOL:
            if isinstance(value, bool):
                return value
            raise ValueError(
                f"{self.label}: はい/いいえ (true/false) で書いてください / must be true or false"
            )
        if self.type is FactType.INT:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{self.label}: 整数で書いてください / must be an integer")
            if (self.minimum is not None and value < self.minimum) or (
                self.maximum is not None and value > self.maximum
            ):
                raise ValueError(
                    f"{self.label}: {value} は範囲 {self.minimum}〜{self.maximum} の外です / out of range"
                )
            return value
        if self.type is FactType.DATE:
            if isinstance(value, dt.date):
                return value
            if isinstance(value, str):
                try:
                    return dt.date.fromisoformat(value)
                except ValueError:
                    pass
            raise ValueError(f"{self.label}: 日付 (例 2027-04-01) で書いてください / must be a date")
        text = value.isoformat() if isinstance(value, dt.date) else value
        if not isinstance(text, str):
            raise ValueError(f"{self.label}: 文字で書いてください / must be text")
        if self.type is FactType.CHOICE and text not in self.choices:
            raise ValueError(
                f"{self.label}: 「{text}」は選択肢 ({', '.join(self.choices)}) にありません / not one of the choices"
            )
        return text


class Round(_Frozen):
    """One selection round (一次, 二次 …) and its dates."""

    id: str = Field(min_length=1)
    label: str = Field(min_length=1)
    first_day: dt.date = Field(description="入所日: the default 入所希望日 of an application")
    applications_until: dt.date | None = None
    results_on: dt.date | None = None

    @field_validator("first_day")
    @classmethod
    def _first_of_month(cls, value: dt.date) -> dt.date:
        if value.day != 1:
            raise ValueError("first_day は月の1日にしてください / first_day must be the 1st of a month")
        return value


class NoticeSettings(_Frozen):
    """How the city writes its 内定・保留通知書 ([notices] in city.toml)."""

    document_prefix: str = Field("保育", min_length=1, description="文書番号の頭 (例: ひ保第)")
    contact: str = Field("", description="問い合わせ先 (課・電話番号)")
    publish_waiting_position: bool = Field(False, description="保留通知に待機順位を書く市か")


class CityProfile(_Frozen):
    """What city.toml says. Paths of the other files are resolved by `cityprofile.CityFolder`."""

    slug: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,39}$")
    name: str = Field(min_length=1, description="市区町村名 (例: ひなた市)")
    section: str = Field(min_length=1, description="担当課 (例: こども未来部 保育課)")
    admission_year: int = Field(ge=2000, le=2100)
    rounds: tuple[Round, ...] = Field(min_length=1)
    facts: tuple[FactDeclaration, ...] = ()
    weeks_per_month: Fraction = DEFAULT_WEEKS_PER_MONTH
    sibling_default: SiblingCondition = SiblingCondition.SAME_TOGETHER
    # Until the optimizer models all seven conditions (issue 23): "refuse" an instance that uses one it
    # does not, or treat it as 同保同時, stricter than any of them (never a placement the family did
    # not accept, possibly fewer placements); the choice is the city's, and every such group is counted.
    sibling_unsupported: Literal["refuse", "stricter"] = "refuse"
    # The city's own words for the seven conditions as staff write them in a ledger or on a form.
    sibling_labels: dict[str, SiblingCondition] = Field(default_factory=dict)
    notices: NoticeSettings = Field(default_factory=NoticeSettings)
    # Input size limits (matching.limits): the defaults unless city.toml has a [limits] table.
    limits: Limits = DEFAULT_LIMITS

    @model_validator(mode="after")
    def _unique(self) -> Self:
        for what, names in (("rounds", [r.id for r in self.rounds]), ("facts", [f.name for f in self.facts])):
            twice = sorted({n for n in names if names.count(n) > 1})
            if twice:
                raise ValueError(f"{what}: {', '.join(twice)} が2回あります / appear twice")
        return self

    def round(self, round_id: str | None = None) -> Round:
        if round_id is None:
            return self.rounds[0]
        for candidate in self.rounds:
            if candidate.id == round_id:
                return candidate
        raise ProfileError(
            f"{self.name}: 選考回「{round_id}」は city.toml にありません (あるもの: "
            f"{', '.join(r.id for r in self.rounds)}) / no round {round_id!r} in city.toml"
        )

    def fact(self, name: str) -> FactDeclaration | None:
        return next((f for f in self.facts if f.name == name), None)

    def sibling_condition(self, label: str) -> SiblingCondition | None:
        """A condition from the city's label or the standard name (同保同時 …); None if neither."""
        text = label.strip()
        if text in self.sibling_labels:
            return self.sibling_labels[text]
        try:
            return SiblingCondition(text)
        except ValueError:
            return None

    def fact_problems(self, application: Application) -> list[str]:
        """Facts of an application that the city did not declare, or of the wrong type or level."""
        problems: list[str] = []
        household = application.household
        places: list[tuple[FactLevel, str, dict[str, FactValue]]] = [
            (FactLevel.HOUSEHOLD, "世帯", household.facts)
        ]
        places += [(FactLevel.GUARDIAN, f"保護者{i + 1}", g.facts) for i, g in enumerate(household.guardians)]
        places += [(FactLevel.CHILD, f"児童 {c.id}", c.facts) for c in application.children]
        for level, where, facts in places:
            for name, value in facts.items():
                declared = self.fact(name)
                if declared is None:
                    guess = did_you_mean(name, [f.name for f in self.facts])
                    hint = f" (「{guess}」?)" if guess else ""
                    problems.append(
                        f"{application.id} {where}: 項目「{name}」は city.toml の [[facts]] にありません{hint} / "
                        f"fact {name!r} is not declared in city.toml"
                    )
                elif declared.level is not level:
                    problems.append(
                        f"{application.id} {where}: 「{declared.label}」は {declared.level.value} の項目です / "
                        f"fact {name!r} belongs to the {declared.level.value} level"
                    )
                else:
                    try:
                        declared.coerce(value)
                    except ValueError as exc:
                        problems.append(f"{application.id} {where}: {exc}")
        return problems


_TOP = {"city", "rounds", "facts", "conventions", "siblings", "files", "notices", "limits"}
_NOTICES = {"document_prefix", "contact", "publish_waiting_position"}
_CITY = {"slug", "name", "section", "admission_year"}
_ROUND = {"id", "label", "first_day", "applications_until", "results_on"}
_FACT = {"name", "label", "type", "level", "choices", "minimum", "maximum"}
_CONVENTIONS = {"weeks_per_month"}
_SIBLINGS = {"default", "labels", "unsupported"}
FILE_KEYS = {"rules", "ledger_mappings", "form_templates", "robot_recipe", "notices"}


def load_profile(path: Path) -> tuple[CityProfile, dict[str, Any]]:
    """Read city.toml strictly; return the profile and its [files] table (paths, resolved by the caller).

    Every problem of the file is reported at once, each with its line; unknown keys get a "did you mean".
    """
    data, text = read_toml_text(path, ProfileError, "city.toml", "city.toml")
    check = ConfigProblems(text, str(path), ProfileError, "city.toml に誤りがあります / city.toml has errors")
    unknown_keys(check, data, _TOP, ())
    city = _table(check, data, "city")
    unknown_keys(check, city, _CITY, ("city",))
    rounds = _array(check, data, "rounds")
    for i, item in enumerate(rounds):
        unknown_keys(check, item, _ROUND, ("rounds", i))
    facts = _array(check, data, "facts")
    for i, item in enumerate(facts):
        unknown_keys(check, item, _FACT, ("facts", i))
    conventions = _table(check, data, "conventions", required=False)
    unknown_keys(check, conventions, _CONVENTIONS, ("conventions",))
    siblings = _table(check, data, "siblings", required=False)
    unknown_keys(check, siblings, _SIBLINGS, ("siblings",))
    notices = _table(check, data, "notices", required=False)
    unknown_keys(check, notices, _NOTICES, ("notices",))
    files = _table(check, data, "files", required=False)
    unknown_keys(check, files, FILE_KEYS, ("files",))
    limits = _table(check, data, "limits", required=False)
    unknown_keys(check, limits, LIMIT_NAMES, ("limits",))
    for key, ja, en in limits_problems(limits):
        check.add(("limits", key), ja, en)
    weeks = _weeks_per_month(check, conventions.get("weeks_per_month"))
    labels = siblings.get("labels", {})
    if not isinstance(labels, dict):
        check.add(("siblings", "labels"), "labels は表にしてください", "labels must be a table")
        labels = {}
    # Unknown keys are reported above; the rest is still validated so that one pass shows everything.
    fields: dict[str, Any] = {
        "limits": limits_from_table({k: v for k, v in limits.items() if not limits_problems({k: v})}),
        **{key: value for key, value in city.items() if key in _CITY},
        "slug": city.get("slug", path.parent.name),
        "rounds": [{k: v for k, v in item.items() if k in _ROUND} for item in rounds],
        "facts": [{k: v for k, v in item.items() if k in _FACT} for item in facts],
        "sibling_labels": labels,
        "notices": {k: v for k, v in notices.items() if k in _NOTICES},
    }
    if weeks is not None:
        fields["weeks_per_month"] = weeks
    if "default" in siblings:
        fields["sibling_default"] = siblings["default"]
    if "unsupported" in siblings:
        fields["sibling_unsupported"] = siblings["unsupported"]
    profile = None
    try:
        profile = CityProfile.model_validate(fields)
    except ValidationError as exc:
        _report_validation(check, exc)
    check.raise_if_any()
    assert profile is not None  # a failed validation added its problems above
    return profile, files


def files_table(path: Path) -> dict[str, Any]:
    """Only the [files] table of a city.toml, read leniently: a broken profile's other files can still
    be found and checked (their problems are reported beside city.toml's own)."""
    try:
        data, _ = read_toml_text(path, ProfileError, "city.toml", "city.toml")
    except ProfileError:
        return {}
    files = data.get("files", {})
    return files if isinstance(files, dict) else {}


def _report_validation(check: ConfigProblems, exc: ValidationError) -> None:
    for err in exc.errors():
        loc = tuple(err["loc"])
        path: KeyPath
        if loc and loc[0] in ("rounds", "facts"):
            path = loc
        elif loc and loc[0] == "sibling_labels":
            path = ("siblings", "labels", *loc[1:])
        elif loc and loc[0] == "notices":
            path = loc
        elif loc and loc[0] == "sibling_default":
            path = ("siblings", "default")
        elif loc and loc[0] == "sibling_unsupported":
            path = ("siblings", "unsupported")
        else:
            path = ("city", *loc)
        field = ".".join(str(p) for p in loc) or "(city.toml)"
        check.add_text(path, f"{field}: {_japanese(err)}")


def _japanese(err: Any) -> str:
    """pydantic's message, led by a Japanese one for the errors staff meet in city.toml."""
    message = str(err["msg"]).removeprefix("Value error, ")
    kind, value = err.get("type"), err.get("input")
    if kind == "enum":
        allowed = (err.get("ctx") or {}).get("expected", "")
        return f"「{value}」は使えません。使えるもの: {allowed} / {message}"
    if kind == "missing":
        return f"必ず書く項目です / {message}"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return f"「{value}」は日付 (例 2027-04-01) にしてください / {message}"
    if kind == "string_pattern_mismatch":
        return f"「{value}」は書き方が違います (半角英小文字・数字・_) / {message}"
    return message


def _table(check: ConfigProblems, data: dict[str, Any], key: str, required: bool = True) -> dict[str, Any]:
    value = data.get(key)
    if value is None:
        if required:
            check.add_missing(f"[{key}] がありません", f"[{key}] is missing")
        return {}
    if not isinstance(value, dict):
        check.add((key,), f"{key} は [{key}] の表にしてください", f"{key} must be a table")
        return {}
    return value


def _array(check: ConfigProblems, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        check.add((key,), f"{key} は [[{key}]] の表の並びにしてください", f"{key} must be [[{key}]] tables")
        return []
    return value


def _weeks_per_month(check: ConfigProblems, raw: Any) -> Fraction | None:
    """4, 4.3 or "52/12": the factor a city turns 週…時間 into monthly hours with."""
    if raw is None:
        return None
    try:
        if isinstance(raw, bool):
            raise ValueError
        value = Fraction(raw) if isinstance(raw, str) else Fraction(Decimal(str(raw)))
    except (ValueError, ZeroDivisionError):
        value = Fraction(0)
    if not Fraction(3) <= value <= Fraction(5):
        check.add(
            ("conventions", "weeks_per_month"),
            f'weeks_per_month = {raw!r} は 4, 4.3, "52/12" のような3〜5の数にしてください',
            f'weeks_per_month must be a number between 3 and 5 such as 4, 4.3 or "52/12", not {raw!r}',
        )
        return None
    return value
