"""Engine rules on hand-made instances: siblings, transfers, adjustments, determinism, infeasibility."""

from __future__ import annotations

from matching.adjustments import AdjustmentKind, StaffAdjustment
from matching.checker import check_result
from matching.optimizer import solve
from matching.optimizer.testing import random_instance
from tests.matching.optimizer_support import app, instance


def test_same_nursery_siblings_all_or_none() -> None:
    # N001 has one 0歳 and one 1歳 seat; the group needs both, the single 1歳 child outranks the sibling.
    inst = instance(
        {"N001": {0: 1, 1: 1}, "N002": {0: 1, 1: 1}},
        [
            app("A1", ("N001", "N002"), 100, age=0, group="G1"),
            app("A2", ("N001", "N002"), 100, age=1, group="G1"),
            app("A3", ("N001",), 150, age=1),
        ],
    )
    result = solve(inst)
    assert result.assignments == {"A1": "N002", "A2": "N002", "A3": "N001"}
    assert result.blocking == ()
    assert check_result(inst, result).ok


def test_split_allowed_siblings_may_be_apart() -> None:
    inst = instance(
        {"N001": {0: 1, 1: 0}, "N002": {0: 0, 1: 1}},
        [
            app("A1", ("N001", "N002"), 100, age=0, group="G1", split=True),
            app("A2", ("N001", "N002"), 100, age=1, group="G1", split=True),
        ],
    )
    result = solve(inst)
    assert result.assignments == {"A1": "N001", "A2": "N002"}


def test_group_that_cannot_fit_is_unplaced_and_the_coalition_reported() -> None:
    # Twins need two 1歳 seats; N001 has two, held by a higher (A3) and a lower (A4) child.
    # Displacing A4 alone is not enough (A3 outranks both twins), so the group does not block.
    inst = instance(
        {"N001": {1: 2}},
        [
            app("A1", ("N001",), 100, group="G1"),
            app("A2", ("N001",), 100, tiebreak=1, group="G1"),
            app("A3", ("N001",), 200),
            app("A4", ("N001",), 50),
        ],
    )
    result = solve(inst)
    assert result.assignments == {"A1": None, "A2": None, "A3": "N001", "A4": "N001"}
    assert result.blocking == ()
    # With the higher child gone, both seats are winnable: the engine places the twins instead.
    inst2 = instance({"N001": {1: 2}}, [a for a in inst.applications if a.id != "A3"])
    result2 = solve(inst2)
    assert result2.assignments == {"A1": "N001", "A2": "N001", "A4": None}
    assert check_result(inst2, result2).ok


def test_transfer_keeps_seat_unless_better_and_freed_seat_goes_to_next_in_line() -> None:
    inst = instance(
        {"N001": {1: 0}, "N002": {1: 1}, "N003": {1: 0}},
        [
            app("T1", ("N002",), 100, current="N001"),  # moves to N002, frees its N001 seat
            app("A2", ("N001",), 50),  # next in line at N001: gets the freed seat in the same run
            app("A3", ("N001",), 40),
            app("T2", ("N002",), 10, current="N003"),  # loses N002 to T1 and keeps its seat
        ],
    )
    result = solve(inst)
    assert result.assignments == {"T1": "N002", "A2": "N001", "A3": None, "T2": "N003"}
    assert result.blocking == ()
    assert result.placed == 3
    assert check_result(inst, result).ok


def test_kept_transfer_seat_is_never_contested() -> None:
    inst = instance(
        {"N001": {1: 0}, "N002": {1: 0}},
        [app("T1", ("N002",), 0, current="N001"), app("A2", ("N001",), 999)],
    )
    result = solve(inst)
    assert result.assignments == {"T1": "N001", "A2": None}
    assert result.blocking == ()


def test_pin_and_exclusion_are_respected_and_their_cost_reported() -> None:
    inst = instance(
        {"N001": {1: 1}, "N002": {1: 1}},
        [app("A1", ("N001", "N002"), 200), app("A2", ("N001", "N002"), 100)],
    )
    plain = solve(inst)
    assert plain.assignments == {"A1": "N001", "A2": "N002"}
    pin = (StaffAdjustment(child_id="A2", kind=AdjustmentKind.PIN, nursery="N001"),)
    pinned = solve(inst, pin)
    assert pinned.assignments == {"A1": "N002", "A2": "N001"}
    # A1 outranks A2 at N001 and prefers it: the pin costs one blocking coalition.
    assert [b.applicants for b in pinned.blocking] == [("A1",)]
    assert pinned.adjustment_cost == 1
    assert check_result(inst, pinned, pin).ok
    exclude = (StaffAdjustment(child_id="A1", kind=AdjustmentKind.EXCLUDE, nursery="N001"),)
    excluded = solve(inst, exclude)
    assert excluded.assignments == {"A1": "N002", "A2": "N001"}
    assert excluded.blocking == ()  # an excluded pair never blocks
    assert excluded.adjustment_cost == 0
    assert check_result(inst, excluded, exclude).ok


def test_pins_beyond_capacity_are_infeasible_with_a_clear_message() -> None:
    inst = instance({"N001": {1: 1}}, [app("A1", ("N001",), 1), app("A2", ("N001",), 2)])
    pins = tuple(StaffAdjustment(child_id=c, kind=AdjustmentKind.PIN, nursery="N001") for c in ("A1", "A2"))
    result = solve(inst, pins)
    assert result.status == "infeasible"
    assert result.message is not None and "N001" in result.message and "固定" in result.message
    assert set(result.assignments.values()) == {None}


def test_pin_splitting_a_same_nursery_group_is_rejected() -> None:
    import pytest

    from matching.errors import InstanceError

    inst = instance(
        {"N001": {0: 1, 1: 1}, "N002": {0: 1, 1: 1}},
        [app("A1", ("N001", "N002"), 1, age=0, group="G1"), app("A2", ("N001", "N002"), 1, group="G1")],
    )
    pins = (
        StaffAdjustment(child_id="A1", kind=AdjustmentKind.PIN, nursery="N001"),
        StaffAdjustment(child_id="A2", kind=AdjustmentKind.PIN, nursery="N002"),
    )
    with pytest.raises(InstanceError, match="siblings pinned apart"):
        solve(inst, pins)


def test_same_input_same_bytes() -> None:
    inst = random_instance(
        7, children=1500, nurseries=40, max_preferences=5, sibling_share=0.1, transfer_share=0.05
    )
    first = solve(inst, time_limit=30).to_json()
    second = solve(inst, time_limit=30).to_json()
    assert first == second


def test_no_solution_in_time_falls_back_to_deferred_acceptance(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from matching._exec import cpsat

    def give_up(self, time_limit, **kwargs):  # type: ignore[no-untyped-def]
        return cpsat.SolveOutcome("unknown", [], 0, 0, time_limit, 0.0)

    monkeypatch.setattr(cpsat.CpSatModel, "solve", give_up)
    inst = random_instance(11, children=300, nurseries=8, max_preferences=4, sibling_share=0.3)
    result = solve(inst, time_limit=1)
    assert result.status == "feasible"
    assert result.blocking_bound == 0
    assert check_result(inst, result).ok
    from matching.deferred_acceptance import deferred_acceptance

    assert result.assignments == deferred_acceptance(inst)
