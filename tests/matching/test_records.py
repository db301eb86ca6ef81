"""Validation of the admission domain records: every impossible value names the record and the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from matching.errors import InvalidRecordError
from matching.records import (
    AdjustmentFlag,
    Application,
    Child,
    Household,
    Nursery,
    ReasonKind,
    parse_record,
)


def _application(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "R2027-000001",
        "household": {
            "guardians": [
                {
                    "relation": "母",
                    "reasons": [
                        {"kind": "就労", "work_style": "外勤", "hours_per_month": 160, "days_per_week": 5}
                    ],
                },
                {"relation": "父", "reasons": [{"kind": "疾病", "level": "入院"}]},
            ],
            "flags": ["育休復帰"],
        },
        "children": [{"id": "A000001", "birth_date": "2025-06-10"}],
        "preferences": ["N001", "N002"],
        "desired_start": "2027-04-01",
    }
    data.update(overrides)
    return data


def test_valid_application_parses_with_enums() -> None:
    app = parse_record(Application, _application())
    assert app.household.guardians[1].reasons[0].kind is ReasonKind.ILLNESS
    assert app.household.flags == frozenset({AdjustmentFlag.PARENTAL_LEAVE_RETURN})
    assert app.age_classes(2027) == {"A000001": 1}


@pytest.mark.parametrize(
    ("birth", "year", "expected"),
    [
        ("2026-04-01", 2027, 1),  # born on April 1: birthday counted, older class
        ("2026-04-02", 2027, 0),  # born on April 2: the next school year
        ("2022-04-02", 2027, 4),
        ("2021-04-02", 2027, 5),
        ("2027-02-01", 2027, 0),  # born during the admission year's Japanese fiscal year
        ("2027-06-01", 2027, 0),
    ],
)
def test_age_class_as_of_april_first(birth: str, year: int, expected: int) -> None:
    child = Child(id="A1", birth_date=dt.date.fromisoformat(birth))
    assert child.age_class(year) == expected


def test_unknown_age_is_rejected_with_the_child_named() -> None:
    child = Child(id="A000042", birth_date=dt.date(2020, 4, 1))  # 7 on April 1, 2027
    with pytest.raises(InvalidRecordError, match=r"A000042.*0〜5歳児"):
        child.age_class(2027)


def test_child_born_after_admission_year_is_rejected() -> None:
    child = Child(id="A000043", birth_date=dt.date(2028, 5, 1))
    with pytest.raises(InvalidRecordError, match="A000043"):
        child.age_class(2027)


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"preferences": []}, "preferences", "希望園が1つもありません"),
        ({"preferences": ["N001", "N001"]}, "preferences", "N001 が重複"),
        ({"desired_start": "2027-04-15"}, "desired_start", "月の1日"),
        ({"desired_start": "2027-02-30"}, "desired_start", "date"),
        (
            {"children": [{"id": "A000001", "birth_date": "2027-05-01"}]},
            "(record)",
            "入所希望月",
        ),
        (
            {"children": [{"id": "A000001", "birth_date": "2025-13-01"}]},
            "children.0.birth_date",
            "date",
        ),
    ],
)
def test_invalid_application_names_record_and_field(
    overrides: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(InvalidRecordError) as info:
        parse_record(Application, _application(**overrides))
    message = str(info.value)
    assert message.startswith("Application R2027-000001:")
    assert field in message
    assert words in message


def test_work_reason_requires_hours() -> None:
    bad = _application()
    bad["household"]["guardians"][0]["reasons"] = [{"kind": "就労", "work_style": "外勤"}]
    with pytest.raises(InvalidRecordError, match=r"hours \(per month or per week\)"):
        parse_record(Application, bad)


def test_impossible_hours_rejected() -> None:
    bad = _application()
    bad["household"]["guardians"][0]["reasons"][0]["hours_per_month"] = 900
    with pytest.raises(InvalidRecordError, match="hours_per_month"):
        parse_record(Application, bad)


def test_transfer_current_nursery_must_not_be_a_preference() -> None:
    bad = _application(children=[{"id": "A000001", "birth_date": "2024-06-10", "current_nursery": "N001"}])
    with pytest.raises(InvalidRecordError, match="在籍園"):
        parse_record(Application, bad)


def test_negative_capacity_names_the_age_class() -> None:
    with pytest.raises(InvalidRecordError, match=r"Nursery N009: capacity: .*1歳児の募集人数が負の数"):
        parse_record(Nursery, {"id": "N009", "name": "テスト園", "capacity": {0: 3, 1: -2}})


def test_unknown_age_class_in_capacity() -> None:
    with pytest.raises(InvalidRecordError, match="年齢クラス 6"):
        parse_record(Nursery, {"id": "N010", "name": "テスト園", "capacity": {6: 1}})


def test_records_are_frozen() -> None:
    nursery = Nursery(id="N1", name="園", capacity={0: 1})
    with pytest.raises(ValidationError):
        nursery.name = "別の園"  # type: ignore[misc]


def test_household_flags_serialise_sorted() -> None:
    household = Household.model_validate(
        {
            "guardians": [{"relation": "母", "reasons": [{"kind": "求職"}]}],
            "flags": ["生活保護", "ひとり親", "育休復帰"],
        }
    )
    assert household.model_dump(mode="json")["flags"] == sorted(["生活保護", "ひとり親", "育休復帰"])
