"""The seven sibling conditions (issue 23) as far as the engine goes today: loading, pass-through from the
records, the two conditions the engine handles, and a clear refusal of the five it does not."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from matching.checker import check_assignments
from matching.errors import InstanceError
from matching.instance import Instance, InstanceApplication
from matching.optimizer import solve
from matching.records import Nursery, SiblingCondition
from matching.scoring import build_instance
from tests.matching.optimizer_support import app, instance
from tests.matching.test_scoring_support import YEAR, application, rules

UNHANDLED = [
    c
    for c in SiblingCondition
    if c not in (SiblingCondition.SAME_TOGETHER, SiblingCondition.SPLIT_SEQUENTIAL_OWN_FIRST)
]


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


@pytest.mark.parametrize("condition", UNHANDLED)
def test_the_engine_refuses_a_condition_it_does_not_model_and_names_the_group(
    condition: SiblingCondition,
) -> None:
    inst = _pair(condition)
    with pytest.raises(InstanceError, match=condition.value) as caught:
        solve(inst, time_limit=10)
    assert "G" in str(caught.value) and "同保同時" in str(caught.value)
    report = check_assignments(inst, {"S1": "N2", "S2": "N2", "X": "N1"})
    assert any("not checked" in v for v in report.violations)
