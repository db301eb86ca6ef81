"""The records a style's ledger means (the ground truth), and the defects planted in it.

Written from the households, never from the reader. A defect empties the field it spoils (the record
keeps everything else) or, where the record cannot exist without the value (a birth date, a working
guardian's hours), puts the application on hold: it must come out as held, not as an application.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from matching.records import Application, Child, Guardian, Household, Reason, ReasonKind
from samples.ledgers.styles.households import Family, monthly


@dataclass(frozen=True)
class Planted:
    """A deliberate mistake: where the issue list must report it and which kind it is."""

    sheet: str
    row: int
    column: str
    kind: str  # impossible_date, age_out_of_range, missing_required, unknown_facility, bad_hours,
    # bad_yen, invalid_postal, formula_text, duplicate_id
    what: str


@dataclass(frozen=True)
class Carries:
    """Which fields a style's ledger has columns for."""

    weeks_per_month: Fraction
    conditions: dict[str, str]  # the city's label -> SiblingCondition value
    sex: bool = True
    kana: bool = True
    guardian_kana: bool = True
    guardian_birth: bool = True
    guardian_income: bool = True  # per guardian; else one household figure
    address: bool = True
    postal: bool = True
    phones: int = 2
    remarks: bool = True
    received: bool = True
    household_number: bool = True


@dataclass
class Truth:
    """One family's expected outcome: the application (None when held) and the ledger rows it uses."""

    app_id: str
    rows: list[int]
    application: Application | None
    held: bool = False


@dataclass
class Spoiled:
    """Fields a defect empties (`kid0.name`, `parent1.birth`, `postal`, `pref1` …) or a hold."""

    fields: set[str] = field(default_factory=set)
    held: bool = False


def reason_of(
    parent_reason: str, days: int | None, week: int | None, month: int | None, weeks: Fraction
) -> Reason:
    if parent_reason != "就労":
        return Reason(kind=ReasonKind(parent_reason))
    if week is not None:
        return Reason(
            kind=ReasonKind.WORK,
            hours_per_week=week,
            hours_per_month=monthly(week, weeks),
            days_per_week=days,
        )
    return Reason(kind=ReasonKind.WORK, hours_per_month=month, days_per_week=days)


def application_of(
    family: Family,
    app_id: str,
    child_ids: list[str],
    carries: Carries,
    spoiled: Spoiled,
    first_day: dt.date = dt.date(2027, 4, 1),
) -> Application | None:
    if spoiled.held:
        return None
    gone = spoiled.fields
    guardians = []
    for index, parent in enumerate(family.parents):
        key = f"parent{index}"
        guardians.append(
            Guardian(
                relation=parent.relation,
                name=None if f"{key}.name" in gone else parent.name,
                kana=parent.kana if carries.guardian_kana else None,
                birth_date=parent.birth_date
                if carries.guardian_birth and f"{key}.birth" not in gone
                else None,
                income_levy_yen=parent.income
                if carries.guardian_income and f"{key}.income" not in gone
                else None,
                reasons=(
                    reason_of(
                        parent.reason,
                        parent.days,
                        parent.hours_week,
                        parent.hours_month,
                        carries.weeks_per_month,
                    ),
                ),
                facts=dict(parent.facts),
            )
        )
    income = None
    if not carries.guardian_income and "income" not in gone:
        income = sum(p.income for p in family.parents)
    children = [
        Child(
            id=child_id,
            name=None if f"kid{i}.name" in gone else kid.name,
            kana=kid.kana if carries.kana else None,
            sex=kid.sex if carries.sex else None,
            birth_date=kid.birth_date,
            facts=dict(kid.facts),
        )
        for i, (kid, child_id) in enumerate(zip(family.kids, child_ids, strict=True))
    ]
    preferences = [p for i, p in enumerate(family.preferences) if f"pref{i}" not in gone]
    phones = family.phones[: carries.phones]
    return Application(
        id=app_id,
        received_on=family.received if carries.received and "received" not in gone else None,
        household=Household(
            number=family.number if carries.household_number else None,
            guardians=tuple(guardians),
            income_levy_yen=income,
            postal_code=family.postal if carries.postal and "postal" not in gone else None,
            address=family.address if carries.address else None,
            phones=tuple(phones),
            facts=dict(family.facts),
        ),
        children=tuple(children),
        preferences=tuple(preferences),
        sibling_condition=carries.conditions[family.condition] if family.condition else None,
        desired_start=first_day,
        remarks=family.remarks if carries.remarks else None,
    )
