"""Deferred acceptance baseline."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.checker import check_assignments
from matching.deferred_acceptance import deferred_acceptance
from matching.optimizer.testing import random_instance
from tests.matching.optimizer_support import app, instance


def test_classic_example_child_optimal() -> None:
    # Two nurseries, one seat each; priorities disagree with preferences: child-optimal is the swap.
    inst = instance(
        {"N001": {1: 1}, "N002": {1: 1}},
        [app("A1", ("N001", "N002"), 100, bonus={"N002": 50}), app("A2", ("N002", "N001"), 120)],
    )
    assert deferred_acceptance(inst) == {"A1": "N001", "A2": "N002"}


def test_ties_broken_by_tiebreak_then_id() -> None:
    inst = instance(
        {"N001": {1: 1}}, [app("A1", ("N001",), 10, tiebreak=5), app("A2", ("N001",), 10, tiebreak=3)]
    )
    assert deferred_acceptance(inst) == {"A1": None, "A2": "N001"}
    same = instance({"N001": {1: 1}}, [app("A2", ("N001",), 10), app("A1", ("N001",), 10)])
    assert deferred_acceptance(same) == {"A2": None, "A1": "N001"}


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), children=st.integers(1, 60), transfers=st.sampled_from([0.0, 0.3]))
def test_stable_without_sibling_groups(seed: int, children: int, transfers: float) -> None:
    inst = random_instance(
        seed, children=children, nurseries=5, max_preferences=4, sibling_share=0.0, transfer_share=transfers
    )
    report = check_assignments(inst, deferred_acceptance(inst))
    assert report.ok, report.violations
    assert report.blocking == ()


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), children=st.integers(2, 80))
def test_with_siblings_feasible_and_only_groups_block(seed: int, children: int) -> None:
    inst = random_instance(
        seed, children=children, nurseries=5, max_preferences=4, sibling_share=0.5, transfer_share=0.1
    )
    report = check_assignments(inst, deferred_acceptance(inst))
    assert report.ok, report.violations
    grouped = {a.id for a in inst.applications if a.sibling_group and not a.allow_split}
    for coalition in report.blocking:
        assert len(coalition.applicants) > 1 or coalition.applicants[0] not in grouped
        assert len(coalition.applicants) > 1  # individuals are always stable in the baseline
