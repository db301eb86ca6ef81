"""Records v2: what cities' ledgers and forms carry, kept without loss through JSON and into the instance."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from matching.errors import InvalidRecordError
from matching.records import (
    Application,
    GuardianRole,
    Nursery,
    Origin,
    SiblingCondition,
    parse_record,
)
from matching.scoring import build_instance, load_rules
from samples import DEFAULT_RULES

YEAR = 2027


def _full() -> dict[str, object]:
    return {
        "id": "R-0001",
        "received_on": "2026-10-05",
        "household": {
            "number": "H-77",
            "postal_code": "１２３４５６７",
            "address": "ひなた市中央1-2-3",
            "phones": ["+81 90-1234-5678", "(03)1234-5678"],
            "income_levy_yen": None,
            "facts": {"grandparent_status": "同居・保育可能", "moved_in": "2026-04-01"},
            "guardians": [
                {
                    "relation": "母",
                    "name": "山田 花子",
                    "kana": "ヤマダ ハナコ",
                    "birth_date": "1992-05-03",
                    "income_levy_yen": 80000,
                    "reasons": [{"kind": "就労", "work_style": "外勤", "hours_per_week": 40, "days_per_week": 5}],
                    "facts": {"single_posting": False},
                },
                {
                    "relation": "実父",
                    "income_levy_yen": 120000,
                    "reasons": [{"kind": "育休"}],
                },
            ],
        },
        "children": [
            {"id": "R-0001-1", "name": "山田 一郎", "kana": "ヤマダ イチロウ", "sex": "男", "birth_date": "2024-06-15",
             "facts": {"medical_care": True, "ninkagai_months": 7}},
            {"id": "R-0001-2", "name": "山田 二郎", "sex": "男", "birth_date": "2024-06-15"},
        ],
        "preferences": ["N001", "N002"],
        "sibling_condition": "同保順次下",
        "desired_start": "2027-04-01",
        "remarks": "双子。送迎は祖母",
        "origin": {"file": "ledger.xlsx", "sheet": "申込一覧", "rows": [12, 13],
                   "fields": {"children.0.birth_date": "F12"}},
    }  # fmt: skip


def test_every_v2_field_survives_a_json_round_trip() -> None:
    app = parse_record(Application, _full())
    again = Application.model_validate_json(app.model_dump_json())
    assert again == app
    assert again.household.facts["moved_in"] == dt.date(2026, 4, 1)
    assert again.children[0].facts == {"medical_care": True, "ninkagai_months": 7}


def test_contact_values_are_normalised() -> None:
    household = parse_record(Application, _full()).household
    assert household.postal_code == "123-4567"
    assert household.phones == ("09012345678", "0312345678")


@pytest.mark.parametrize("bad", ["12-34567", "〒123", "abcdefg"])
def test_invalid_postal_code_is_refused(bad: str) -> None:
    data = _full()
    data["household"]["postal_code"] = bad  # type: ignore[index]
    with pytest.raises(InvalidRecordError, match="postal_code"):
        parse_record(Application, data)


def test_guardian_roles_and_household_income() -> None:
    household = parse_record(Application, _full()).household
    assert [g.role for g in household.guardians] == [GuardianRole.MOTHER, GuardianRole.FATHER]
    assert household.income_levy_total == 200000


def test_weekly_hours_become_monthly_with_the_city_factor() -> None:
    reason = parse_record(Application, _full()).household.guardians[0].reasons[0]
    assert reason.monthly_hours(Fraction(43, 10)) == 172
    assert reason.monthly_hours() == Fraction(40 * 52, 12)
    assert reason.weekly_hours() == 40


def test_age_in_months_on_the_start_date() -> None:
    child = parse_record(Application, _full()).children[0]
    assert child.age_in_months(dt.date(2027, 4, 1)) == 33
    assert child.age_in_months(dt.date(2024, 7, 14)) == 0
    assert child.age_in_months(dt.date(2024, 7, 15)) == 1


def test_old_files_with_allow_split_load_as_the_two_old_conditions() -> None:
    data = _full()
    del data["sibling_condition"]
    assert parse_record(Application, {**data, "allow_split": True}).sibling_condition is (
        SiblingCondition.SPLIT_SEQUENTIAL_OWN_FIRST
    )
    assert parse_record(Application, {**data, "allow_split": False}).sibling_condition is (
        SiblingCondition.SAME_TOGETHER
    )
    single = {**data, "children": data["children"][:1], "allow_split": False}  # type: ignore[index]
    assert parse_record(Application, single).sibling_condition is None


def test_origin_points_staff_to_the_cell() -> None:
    origin = Origin.model_validate(_full()["origin"])
    assert origin.locate("children.0.birth_date") == "ledger.xlsx 申込一覧!F12"
    assert origin.locate() == "ledger.xlsx 申込一覧 行12,13"
    assert (
        Origin(file="scan.png", page=2, fields={"x": "child_birth"}).locate("x") == "scan.png p.2 child_birth"
    )


def test_v2_records_build_an_instance_that_keeps_the_group() -> None:
    app = parse_record(Application, _full())
    nurseries = [
        Nursery(id="N001", name="さくら", capacity={1: 2, 2: 2}),
        Nursery(id="N002", name="ひまわり", capacity={1: 2, 2: 2}),
    ]
    instance = build_instance([app], nurseries, load_rules(DEFAULT_RULES), YEAR)
    children = {a.id: a for a in instance.applications}
    assert set(children) == {"R-0001-1", "R-0001-2"}
    assert {a.sibling_group for a in children.values()} == {"R-0001"}
    assert all(a.preferences == ("N001", "N002") for a in children.values())
