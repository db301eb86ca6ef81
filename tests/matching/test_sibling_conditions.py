"""The seven sibling conditions (issue 23): loading, pass-through from the records, what each condition
means on small hand-made cases. Brute force over random cases: test_families_brute_force.py."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from matching.checker import check_assignments
from matching.instance import Instance, InstanceApplication
from matching.optimizer import solve
from matching.records import Nursery, SiblingCondition
from matching.scoring import build_instance
from tests.matching.optimizer_support import app, instance
from tests.matching.test_scoring_support import YEAR, application, rules


def _child(cid: str, **extra: object) -> dict[str, object]:
    return {
        "id": cid,
        "age_class": 1,
        "preferences": ["N1"],
        "score": 1,
        "tiebreak": 1,
        "sibling_group": "G",
        **extra,
    }


def test_old_files_with_allow_split_load_as_the_two_conditions_they_meant() -> None:
    together = InstanceApplication.model_validate(_child("A", allow_split=False))
    split = InstanceApplication.model_validate(_child("B", allow_split=True))
    plain = InstanceApplication.model_validate(_child("C"))
    assert together.sibling_condition is SiblingCondition.SAME_TOGETHER
    assert split.sibling_condition is SiblingCondition.SPLIT_SEQUENTIAL_OWN_FIRST
    assert plain.sibling_condition is SiblingCondition.SAME_TOGETHER
    single = InstanceApplication.model_validate({**_child("D"), "sibling_group": None})
    assert single.sibling_condition is None


@pytest.mark.parametrize("condition", list(SiblingCondition))
def test_each_condition_loads_and_sets_allow_split(condition: SiblingCondition) -> None:
    loaded = InstanceApplication.model_validate_json(
        json.dumps(_child("A", sibling_condition=condition.value))
    )
    assert loaded.sibling_condition is condition
    assert loaded.allow_split == condition.value.startswith("別保")
    with pytest.raises(ValidationError, match="contradicts"):
        InstanceApplication.model_validate(
            _child("A", sibling_condition=condition.value, allow_split=not loaded.allow_split)
        )


def test_children_of_one_group_must_share_the_condition() -> None:
    nursery = {"id": "N1", "name": "園", "capacity": {"1": 1}}
    apps = [_child("A", sibling_condition="同保同時"), _child("B", sibling_condition="同保順次上")]
    with pytest.raises(ValidationError, match="differs between children"):
        Instance.model_validate({"admission_year": 2027, "nurseries": [nursery], "applications": apps})


def test_scoring_passes_the_records_condition_through() -> None:
    sibling = application("R1", children=("C1", "C2")).model_copy(
        update={"sibling_condition": SiblingCondition.SPLIT_TOGETHER_SAME_FIRST}
    )
    nurseries = [Nursery(id=f"N{i}", name=f"園{i}", capacity={1: i}) for i in (1, 2)]
    inst = build_instance([sibling, application("R2", children=("C3",))], nurseries, rules(), YEAR)
    by_id = {a.id: a for a in inst.applications}
    assert (
        by_id["C1"].sibling_condition
        is by_id["C2"].sibling_condition
        is SiblingCondition.SPLIT_TOGETHER_SAME_FIRST
    )
    assert by_id["C1"].allow_split and by_id["C3"].sibling_condition is None
    unsaid = build_instance([application("R3", children=("C4", "C5"))], nurseries, rules(), YEAR)
    assert {a.sibling_condition for a in unsaid.applications} == {SiblingCondition.SAME_TOGETHER}


def _pair(condition: SiblingCondition) -> Instance:
    members = [
        InstanceApplication.model_validate(
            {
                **_child(cid),
                "preferences": ["N1", "N2"],
                "score": 5,
                "tiebreak": t,
                "sibling_condition": condition.value,
            }
        )
        for t, cid in enumerate(("S1", "S2"))
    ]
    return instance({"N1": {1: 1}, "N2": {1: 2}}, [*members, app("X", ("N1",), 9, tiebreak=5)])


def test_the_two_handled_conditions_mean_what_they_say() -> None:
    together = solve(_pair(SiblingCondition.SAME_TOGETHER), time_limit=10)
    assert together.assignments == {"S1": "N2", "S2": "N2", "X": "N1"}
    own = solve(_pair(SiblingCondition.SPLIT_SEQUENTIAL_OWN_FIRST), time_limit=10)
    assert own.assignments == {"S1": "N2", "S2": "N2", "X": "N1"}
    # With two seats at N1 the each-on-its-own pair splits; the together pair moves as one.
    roomy = {"N1": {1: 2}, "N2": {1: 2}}
    split = instance(roomy, list(_pair(SiblingCondition.SPLIT_SEQUENTIAL_OWN_FIRST).applications))
    unit = instance(roomy, list(_pair(SiblingCondition.SAME_TOGETHER).applications))
    assert solve(split, time_limit=10).assignments == {"S1": "N1", "S2": "N2", "X": "N1"}
    assert solve(unit, time_limit=10).assignments == {"S1": "N2", "S2": "N2", "X": "N1"}


def test_a_waiting_letter_names_the_together_condition() -> None:
    # S1 outranks X at N1's 1歳児 class, but N1 has no 0歳児 seat for S2: the pair goes to N2 together.
    s1 = app("S1", ("N1", "N2"), 5, age=1, tiebreak=0, group="G")
    s2 = app("S2", ("N1", "N2"), 5, age=0, tiebreak=1, group="G")
    inst = instance({"N1": {0: 0, 1: 1}, "N2": {0: 1, 1: 1}}, [s1, s2, app("X", ("N1",), 3, tiebreak=2)])
    result = solve(inst, time_limit=10)
    assert result.assignments == {"S1": "N2", "S2": "N2", "X": "N1"}
    (line,) = result.explanations["S1"]
    assert "同保同時" in line.text and "最低内定指数 3" in line.text


def _three(condition: SiblingCondition, seats: dict[str, dict[int, int]]) -> dict[str, str | None]:
    """An elder child E (age 2) and twins T1, T2 (age 1), all listing N1 then N2; no rivals."""
    kids = [
        app("T1", ("N1", "N2"), 5, age=1, tiebreak=1, group="G"),
        app("E", ("N1", "N2"), 5, age=2, tiebreak=0, group="G"),
        app("T2", ("N1", "N2"), 5, age=1, tiebreak=2, group="G"),
    ]
    kids = [
        k.model_copy(update={"sibling_condition": condition, "allow_split": condition.allows_split})
        for k in kids
    ]
    result = solve(instance(seats, kids), time_limit=10)
    assert result.status == "optimal" and not result.blocking
    assert check_assignments(instance(seats, kids), result.assignments).ok
    return result.assignments


def test_what_each_condition_does_when_seats_are_short() -> None:
    # N1: one seat for the elder, one for the twins; N2: two seats for the twins, none for the elder.
    seats = {"N1": {1: 1, 2: 1}, "N2": {1: 2, 2: 0}}
    C = SiblingCondition
    # All together in one nursery: impossible, so nobody.
    assert _three(C.SAME_TOGETHER, seats) == {"E": None, "T1": None, "T2": None}
    # One nursery, some now: the eldest must be among them; at N1 only one twin fits beside the elder.
    assert _three(C.SAME_SEQUENTIAL_ELDEST, seats) == {"E": "N1", "T1": "N1", "T2": None}
    # The youngest (T2, the later twin) must be among them: the twins together at N2 place two.
    assert _three(C.SAME_SEQUENTIAL_YOUNGEST, seats) == {"E": None, "T1": "N2", "T2": "N2"}
    # Several nurseries, all now: the elder at N1, one twin at N1 and one at N2.
    together = _three(C.SPLIT_TOGETHER_OWN_FIRST, seats)
    assert together == {"E": "N1", "T1": "N1", "T2": "N2"}
    assert _three(C.SPLIT_TOGETHER_SAME_FIRST, seats) == together  # N1 can hold two of them at most
    # Some now, more first, then the same nursery: three placed beats any two.
    assert _three(C.SPLIT_SEQUENTIAL_SAME_FIRST, seats) == together
    assert _three(C.SPLIT_SEQUENTIAL_OWN_FIRST, seats) == together


def test_same_first_prefers_one_nursery_over_first_choices() -> None:
    # Twins: N1 has one seat, N2 two. 別保…同 keeps them together at N2; 別保…希 takes N1 for one of them.
    seats = {"N1": {1: 1}, "N2": {1: 2}}
    twins = [app(cid, ("N1", "N2"), 5, age=1, tiebreak=t, group="G") for t, cid in enumerate(("A", "B"))]
    for condition, expected in (
        (SiblingCondition.SPLIT_TOGETHER_SAME_FIRST, {"A": "N2", "B": "N2"}),
        (SiblingCondition.SPLIT_SEQUENTIAL_SAME_FIRST, {"A": "N2", "B": "N2"}),
        (SiblingCondition.SPLIT_TOGETHER_OWN_FIRST, {"A": "N1", "B": "N2"}),
        (SiblingCondition.SPLIT_SEQUENTIAL_OWN_FIRST, {"A": "N1", "B": "N2"}),
    ):
        kids = [k.model_copy(update={"sibling_condition": condition, "allow_split": True}) for k in twins]
        inst = instance(seats, kids)
        result = solve(inst, time_limit=10)
        assert result.assignments == expected, condition
        assert check_assignments(inst, result.assignments).ok


def test_a_family_blocks_with_a_whole_outcome_and_both_sides_name_it() -> None:
    # 別保同時希 twins and a rival R pinned by staff to N1's only seat: the family would rather have one
    # twin at N1 (product of ranks 2) than both at N2 (4), and each twin outranks R there: two family
    # coalitions, each with its outcome.
    from matching.adjustments import AdjustmentKind, StaffAdjustment

    seats = {"N1": {1: 1}, "N2": {1: 2}}
    twins = [
        app(cid, ("N1", "N2"), 5, age=1, tiebreak=t, group="G").model_copy(
            update={"sibling_condition": SiblingCondition.SPLIT_TOGETHER_OWN_FIRST, "allow_split": True}
        )
        for t, cid in enumerate(("A", "B"))
    ]
    inst = instance(seats, [*twins, app("R", ("N1",), 1, tiebreak=9)])
    pins = (StaffAdjustment(child_id="R", kind=AdjustmentKind.PIN, nursery="N1"),)
    result = solve(inst, pins, time_limit=10)
    assert result.assignments == {"A": "N2", "B": "N2", "R": "N1"}
    family = [b for b in result.blocking if b.combination]
    assert [(b.applicants, b.nursery, b.combination) for b in family] == [
        (("A", "B"), "N1", (("A", "N1"), ("B", "N2"))),
        (("A", "B"), "N2", (("A", "N2"), ("B", "N1"))),
    ]
    report = check_assignments(inst, result.assignments, pins)
    assert report.ok and report.blocking == result.blocking


def test_a_combination_file_replaces_the_derived_order() -> None:
    # The family says: both at N2, else only the elder at N1; nothing else (not even both at N1).
    kids = [
        app("E", ("N1", "N2"), 5, age=2, tiebreak=0, group="G"),
        app("Y", ("N1", "N2"), 5, age=1, tiebreak=1, group="G"),
    ]
    seats = {"N1": {1: 1, 2: 1}, "N2": {1: 1, 2: 1}}
    listed = {"G": ({"E": "N2", "Y": "N2"}, {"E": "N1", "Y": None})}
    inst = instance(seats, kids).model_copy(update={"sibling_combinations": listed})
    inst = Instance.model_validate_json(inst.to_json())  # the file round-trips
    assert inst.sibling_combinations["G"][1] == {"E": "N1", "Y": None}
    result = solve(inst, time_limit=10)
    assert result.assignments == {"E": "N2", "Y": "N2"}
    blocked = inst.model_copy(
        update={
            "nurseries": tuple(
                n.model_copy(update={"capacity": {1: 0, 2: 1}}) if n.id == "N2" else n for n in inst.nurseries
            )
        }
    )
    assert solve(blocked, time_limit=10).assignments == {"E": "N1", "Y": None}
    report = check_assignments(blocked, {"E": "N1", "Y": "N1"})
    assert any("not one its condition or combinations accept" in v for v in report.violations)


def test_combination_files_are_checked_when_loaded() -> None:
    kids = [app("E", ("N1",), 5, age=2, group="G"), app("Y", ("N1",), 5, age=1, group="G")]
    base = instance({"N1": {1: 1, 2: 1}}, kids).model_dump(mode="json")
    for combos, message in (
        ({"G": [{"E": "N1"}]}, "name exactly the children"),
        ({"G": [{"E": "N1", "Y": "N9"}]}, "did not list"),
        ({"G": [{"E": "N1", "Y": None}, {"Y": None, "E": "N1"}]}, "the same combination twice"),
        ({"H": [{"E": "N1", "Y": None}]}, "no sibling group"),
    ):
        with pytest.raises(ValidationError, match=message):
            Instance.model_validate({**base, "sibling_combinations": combos})


def test_a_transfer_child_in_a_same_nursery_group_is_a_family() -> None:
    # 同保同時 with a transfer child: both move into N1 together, or the transfer keeps its seat at N3.
    kids = [
        app("T", ("N1",), 5, age=2, group="G", current="N3"),
        app("Y", ("N1",), 5, age=1, group="G"),
    ]
    inst = instance({"N1": {1: 1, 2: 1}, "N3": {2: 0}}, kids)
    assert solve(inst, time_limit=10).assignments == {"T": "N1", "Y": "N1"}
    full = instance({"N1": {1: 0, 2: 1}, "N3": {2: 0}}, kids)
    result = solve(full, time_limit=10)
    assert result.assignments == {"T": "N3", "Y": None}
    assert check_assignments(full, result.assignments).ok


def test_an_applications_combination_list_reaches_the_instance() -> None:
    sibling = application("R1", children=("C1", "C2")).model_copy(
        update={"sibling_combinations": ({"C1": "N2", "C2": "N2"}, {"C1": "N1", "C2": None})}
    )
    checked = type(sibling).model_validate(sibling.model_dump(mode="json"))  # validated and round-tripped
    assert checked.sibling_combinations == sibling.sibling_combinations
    nurseries = [Nursery(id=f"N{i}", name=f"園{i}", capacity={1: i}) for i in (1, 2)]
    inst = build_instance([checked, application("R2", children=("C3",))], nurseries, rules(), YEAR)
    assert inst.sibling_combinations == {"R1": ({"C1": "N2", "C2": "N2"}, {"C1": "N1", "C2": None})}
    with pytest.raises(ValidationError, match="every child"):
        type(sibling).model_validate(
            {**sibling.model_dump(mode="json"), "sibling_combinations": [{"C1": "N1"}]}
        )
    with pytest.raises(ValidationError, match="not a preference"):
        type(sibling).model_validate(
            {**sibling.model_dump(mode="json"), "sibling_combinations": [{"C1": "N9", "C2": None}]}
        )
