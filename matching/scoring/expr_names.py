"""What the names of the condition language mean: built-in record fields and the city's declared facts.

Every name has a type (bool, num, text, date, texts = a list of text), a level and a getter:
- household (usable anywhere): the household flags by their Japanese names (ひとり親, 生活保護 …),
  `income_levy`, `guardian_count`, `children_applying`, `siblings_enrolled_any`, household facts;
- child (per child): `age_months` (completed months on the desired start date), `age_class`, `transfer`,
  child facts;
- nursery (per nursery the child asks for: a per-nursery bonus): `sibling_here`, `choice_rank`;
- guardian (inside any_guardian / all_guardians / count_guardians, and in the reason and work tables):
  `role` (父 母 その他 不明), `reasons`, `work_styles`, `levy`, `main_earner`, guardian facts;
- reason (in a reason's `cases` and a work table's `when`): `reason`, `level`, `style`, `hours_month`,
  `hours_week`, `days_week`.
A fact a record does not carry is `None`: false as a condition, and any comparison with it is false.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

from matching.record_types import role_of
from matching.records import AdjustmentFlag, Application, Child, Guardian, Reason, ReasonKind, WorkStyle

HOUSEHOLD, CHILD, NURSERY = 0, 1, 2
LEVEL_NAMES = {HOUSEHOLD: "世帯", CHILD: "児童", NURSERY: "施設"}
ROLES = ("父", "母", "その他", "不明")


class Env:
    """Where a condition is evaluated: one application, and the child, guardian, reason, nursery in view."""

    __slots__ = ("_earner", "admission_year", "app", "child", "guardian", "nursery", "reason", "weeks")

    def __init__(self, app: Application, admission_year: int, weeks: Fraction) -> None:
        self.app = app
        self.admission_year = admission_year
        self.weeks = weeks
        self.child: Child | None = None
        self.guardian: Guardian | None = None
        self.reason: Reason | None = None
        self.nursery: str | None = None
        self._earner: Guardian | bool | None = False  # computed when a rule first asks

    @property
    def main_earner(self) -> Guardian | None:
        """生計中心者: the guardian with the highest 所得割額; the first listed when equal or unknown."""
        if self._earner is False:
            guardians = self.app.household.guardians
            self._earner = max(guardians, key=lambda g: g.income_levy_yen or 0) if guardians else None
        return self._earner  # type: ignore[return-value]


@lru_cache(maxsize=256)
def _role(relation: str) -> str:
    return role_of(relation).value  # NFKC and a word list: once per distinct 続柄 text


Getter = Callable[[Env], Any]


@dataclass(frozen=True)
class NameDef:
    type: str  # bool num text date texts
    level: int
    get: Getter
    needs: str = ""  # "" | "guardian" | "reason": the context the name only exists in
    choices: tuple[str, ...] | None = None  # the values a text name can take (checked in comparisons)


def _num(value: float | int | Fraction | None) -> Fraction | int | None:
    if value is None or isinstance(value, int | Fraction):
        return value
    return Fraction(str(value))


def _child(env: Env) -> Child:
    assert env.child is not None
    return env.child


def _guardian(env: Env) -> Guardian:
    assert env.guardian is not None
    return env.guardian


def _reason(env: Env) -> Reason:
    assert env.reason is not None
    return env.reason


def _style(env: Env) -> str | None:
    # A work reason without a stated style is scored as 外勤 (the usual case); other reasons have none.
    reason = _reason(env)
    if reason.work_style is not None:
        return reason.work_style.value
    return WorkStyle.EMPLOYED.value if reason.kind is ReasonKind.WORK else None


def _flag_getter(flag: AdjustmentFlag) -> Getter:
    return lambda env: flag in env.app.household.flags


def _fact_getter(level: str, name: str) -> Getter:
    if level == "household":
        return lambda env: env.app.household.facts.get(name)
    if level == "child":
        return lambda env: _child(env).facts.get(name)
    return lambda env: _guardian(env).facts.get(name)


def _choice_rank(env: Env) -> int | None:
    prefs = env.app.preferences
    return prefs.index(env.nursery) + 1 if env.nursery in prefs else None


def builtin_names() -> dict[str, NameDef]:
    kinds = tuple(k.value for k in ReasonKind)
    styles = tuple(s.value for s in WorkStyle)
    names: dict[str, NameDef] = {
        flag.value: NameDef("bool", HOUSEHOLD, _flag_getter(flag)) for flag in AdjustmentFlag
    }
    names.update(
        income_levy=NameDef("num", HOUSEHOLD, lambda e: e.app.household.income_levy_total),
        guardian_count=NameDef("num", HOUSEHOLD, lambda e: len(e.app.household.guardians)),
        children_applying=NameDef("num", HOUSEHOLD, lambda e: len(e.app.children)),
        siblings_enrolled_any=NameDef(
            "bool", HOUSEHOLD, lambda e: bool(e.app.household.siblings_enrolled_at)
        ),
        age_months=NameDef("num", CHILD, lambda e: _child(e).age_in_months(e.app.desired_start)),
        age_class=NameDef("num", CHILD, lambda e: _child(e).age_class(e.admission_year)),
        transfer=NameDef("bool", CHILD, lambda e: _child(e).current_nursery is not None),
        sibling_here=NameDef("bool", NURSERY, lambda e: e.nursery in e.app.household.siblings_enrolled_at),
        choice_rank=NameDef("num", NURSERY, _choice_rank),
        role=NameDef("text", HOUSEHOLD, lambda e: _role(_guardian(e).relation), "guardian", ROLES),
        # ReasonKind is a StrEnum: its members equal their text, no .value lookup needed per call.
        reasons=NameDef(
            "texts", HOUSEHOLD, lambda e: [r.kind for r in _guardian(e).reasons], "guardian", kinds
        ),
        work_styles=NameDef(
            "texts",
            HOUSEHOLD,
            lambda e: [r.work_style.value for r in _guardian(e).reasons if r.work_style is not None],
            "guardian",
            styles,
        ),
        levy=NameDef("num", HOUSEHOLD, lambda e: _guardian(e).income_levy_yen, "guardian"),
        main_earner=NameDef("bool", HOUSEHOLD, lambda e: e.guardian is e.main_earner, "guardian"),
        reason=NameDef("text", HOUSEHOLD, lambda e: _reason(e).kind, "reason", kinds),
        level=NameDef("text", HOUSEHOLD, lambda e: _reason(e).level, "reason"),
        style=NameDef(
            "text",
            HOUSEHOLD,
            _style,
            "reason",
            styles,
        ),
        hours_month=NameDef("num", HOUSEHOLD, lambda e: _num(_reason(e).monthly_hours(e.weeks)), "reason"),
        hours_week=NameDef("num", HOUSEHOLD, lambda e: _num(_reason(e).weekly_hours(e.weeks)), "reason"),
        days_week=NameDef("num", HOUSEHOLD, lambda e: _reason(e).days_per_week, "reason"),
    )
    return names


_FACT_TYPES = {"bool": "bool", "int": "num", "date": "date", "choice": "text", "text": "text"}
_FACT_LEVELS = {"household": HOUSEHOLD, "child": CHILD, "guardian": HOUSEHOLD}


def fact_name(name: str, type_: str, level: str, choices: tuple[str, ...]) -> NameDef:
    """A city-declared fact (matching.profile.FactDeclaration) as a name of the language."""
    getter = _fact_getter(level, name)
    if type_ == "date":
        inner = getter

        def getter(env: Env) -> dt.date | None:
            value = inner(env)
            return value if isinstance(value, dt.date) else None

    return NameDef(
        _FACT_TYPES[type_],
        _FACT_LEVELS[level],
        getter,
        "guardian" if level == "guardian" else "",
        choices or None,
    )
