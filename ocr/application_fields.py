"""The standard field names of application forms and certificates, and how their values become the
fields of an `Application` record (records v2).

A city's layout uses these names for what it asks; what it does not ask comes from its template's
`[constants]` / `[defaults]` ("@round_start", "@certificate", "@fact:NAME") or stays unknown.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from matching.records import (
    CONDITION_OF_ALLOW_SPLIT,
    AdjustmentFlag,
    FactValue,
    ReasonKind,
    SiblingCondition,
    WorkStyle,
)
from ocr.readings import Value

APPLICATION_FIELDS = frozenset({"receipt_no", "child_name", "child_birth", "guardian1_name"})
CERTIFICATE_FIELDS = frozenset({"receipt_no", "worker_name"})  # and hours a month or a week
CERTIFICATE_HOURS = ("hours_per_month", "hours_per_week")
FLAG_FIELDS: dict[str, AdjustmentFlag] = {
    "flag_single_parent": AdjustmentFlag.SINGLE_PARENT,
    "flag_welfare": AdjustmentFlag.WELFARE,
    "flag_leave_return": AdjustmentFlag.PARENTAL_LEAVE_RETURN,
    "flag_unlicensed_care": AdjustmentFlag.UNLICENSED_CARE,
    "flag_multiple_birth": AdjustmentFlag.MULTIPLE_BIRTH,
    "flag_grandparent": AdjustmentFlag.GRANDPARENT_AT_HOME,
    "flag_disability_handbook": AdjustmentFlag.GUARDIAN_DISABILITY_HANDBOOK,
    "flag_child_disability": AdjustmentFlag.CHILD_DISABILITY,
}
# 雇用形態 on the standard certificate → the work style rules files score.
WORK_STYLES: dict[str, WorkStyle] = {
    "正社員": WorkStyle.EMPLOYED,
    "パート・アルバイト": WorkStyle.EMPLOYED,
    "派遣社員": WorkStyle.EMPLOYED,
    "契約社員": WorkStyle.EMPLOYED,
    "会計年度任用職員": WorkStyle.EMPLOYED,
    "自営業主": WorkStyle.SELF_EMPLOYED,
    "自営業専従者": WorkStyle.FAMILY_HELPER,
    "家族従事者": WorkStyle.FAMILY_HELPER,
    "内職": WorkStyle.HOME_PIECEWORK,
}
GUARDIAN_SUFFIXES = ("name", "kana", "relation", "reason", "birth", "income_levy", "phone")
# City facts (declared in city.toml): household_fact_NAME, child_fact_NAME, guardian1_fact_NAME …
HOUSEHOLD_FACT, CHILD_FACT = "household_fact_", "child_fact_"
# Every name the converter understands (the template check warns about a near miss of one of them).
STANDARD_FIELDS = frozenset(
    {
        *APPLICATION_FIELDS,
        *CERTIFICATE_FIELDS,
        *CERTIFICATE_HOURS,
        *FLAG_FIELDS,
        *(f"guardian{n}_{s}" for n in (1, 2) for s in GUARDIAN_SUFFIXES),
        *(f"preference_{k}" for k in (1, 2, 3, 4, 5)),
        "application_date",
        "child_kana",
        "child_sex",
        "address",
        "postal_code",
        "phone",
        "phone2",
        "household_no",
        "income_levy",
        "desired_start",
        "allow_split",
        "sibling_condition",
        "note",
        "remarks",
        "employment_type",
        "days_per_week",
        "hours_per_week",
        "worker_kana",
        "worker_birth",
    }
)
# Fields the standard forms carry that no record field takes (read, shown in review, kept in readings).
KNOWN_FIELDS = STANDARD_FIELDS | {
    "certified_on",
    "employer_name",
    "employer_address",
    "employer_phone",
    "industry",
    "employed_since",
    "workplace",
    "hours_per_day",
    "days_per_month",
    "parental_leave",
    "leave_start",
    "leave_end",
    "return_date",
}
ROUND_START, FROM_CERTIFICATE, FACT = "@round_start", "@certificate", "@fact:"


@dataclass(frozen=True)
class Context:
    """What a form does not say but the city profile does."""

    round_start: dt.date | None = None  # the admission round's first day (default 入所希望日)
    facts: Mapping[str, FactValue] = field(default_factory=dict)  # city facts for "@fact:NAME"


def resolve(value: Value | int, context: Context) -> Value | int:
    """A template constant or default as a field value ("@certificate" is resolved per guardian)."""
    if value == ROUND_START:
        return context.round_start.isoformat() if context.round_start else None
    if isinstance(value, str) and value.startswith(FACT):
        fact = context.facts.get(value.removeprefix(FACT))
        return fact.isoformat() if isinstance(fact, dt.date) else fact
    return value


def same_person(a: Value, b: Value) -> bool:
    def key(v: Value) -> str:
        return "".join(unicodedata.normalize("NFKC", str(v or "")).split())

    return bool(a) and key(a) == key(b)


def date_of(value: Value) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


def _int(value: Value) -> int | None:
    return int(str(value)) if value not in (None, "") else None


def reason_of(kind_text: Value, certificate: Mapping[str, Value] | None) -> dict[str, object]:
    kind = ReasonKind(str(kind_text))
    if kind is not ReasonKind.WORK or certificate is None:
        return {"kind": kind.value}
    style = WORK_STYLES.get(str(certificate.get("employment_type") or ""))
    month, week = certificate.get("hours_per_month"), certificate.get("hours_per_week")
    return {
        "kind": kind.value,
        "work_style": style.value if style else None,
        "hours_per_month": float(str(month)) if month else None,
        "hours_per_week": float(str(week)) if week and not month else None,
        "days_per_week": _int(certificate.get("days_per_week")),
    }


def guardian_record(
    values: Mapping[str, Value], n: int, reasons: list[dict[str, object]]
) -> dict[str, object]:
    return {
        "relation": str(values.get(f"guardian{n}_relation") or "不明"),
        "name": str(values[f"guardian{n}_name"]),
        "kana": values.get(f"guardian{n}_kana") or None,
        "birth_date": date_of(values.get(f"guardian{n}_birth")),
        "income_levy_yen": _int(values.get(f"guardian{n}_income_levy")),
        "reasons": reasons,
        "facts": _facts(values, f"guardian{n}_fact_"),
    }


def _facts(values: Mapping[str, Value], prefix: str) -> dict[str, object]:
    return {k.removeprefix(prefix): v for k, v in values.items() if k.startswith(prefix) and v is not None}


def _sibling_condition(values: Mapping[str, Value]) -> str | None:
    stated = values.get("sibling_condition")
    if stated:
        return SiblingCondition(str(stated)).value
    if values.get("allow_split") is True:  # 「別々の園でも可」 ticked; unticked says nothing
        return CONDITION_OF_ALLOW_SPLIT[True].value
    return None


def application_record(
    values: Mapping[str, Value], record_id: str, guardians: list[dict[str, object]], context: Context
) -> dict[str, object]:
    """The `Application` fields of an application page's values (guardians built by the caller)."""
    preferences = [str(values[f"preference_{k}"]) for k in range(1, 6) if values.get(f"preference_{k}")]
    phones = [
        str(values[k]) for k in ("phone", "phone2", "guardian1_phone", "guardian2_phone") if values.get(k)
    ]
    desired = date_of(values.get("desired_start")) or context.round_start
    return {
        "id": record_id,
        "received_on": date_of(values.get("application_date")),
        "household": {
            "number": values.get("household_no") or None,
            "guardians": guardians,
            "flags": sorted(flag.value for name, flag in FLAG_FIELDS.items() if values.get(name) is True),
            "income_levy_yen": _int(values.get("income_levy")),
            "postal_code": values.get("postal_code") or None,
            "address": values.get("address") or None,
            "phones": list(dict.fromkeys(phones)),
            "facts": _facts(values, HOUSEHOLD_FACT),
        },
        "children": [
            {
                "id": f"{record_id}-1",
                "name": values.get("child_name"),
                "kana": values.get("child_kana") or None,
                "sex": values.get("child_sex") or None,
                "birth_date": date_of(values.get("child_birth")),
                "facts": _facts(values, CHILD_FACT),
            }
        ],
        "preferences": preferences,
        "sibling_condition": _sibling_condition(values),
        "desired_start": desired,
        "remarks": values.get("remarks") or values.get("note") or None,
    }
