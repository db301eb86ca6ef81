"""The engine against brute-force enumeration on small random instances (Hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.checker import check_result
from matching.deferred_acceptance import deferred_acceptance
from matching.optimizer import solve, solve_with_stats
from matching.optimizer.testing import random_instance, tiny_instance
from tests.matching.optimizer_support import feasible_assignments, individuals_stable, objective

SMALL = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SMALL
@given(seed=st.integers(0, 10**6))
def test_default_policy_matches_brute_force(seed: int) -> None:
    inst = tiny_instance(seed)
    result, stats = solve_with_stats(inst, time_limit=20)
    assert result.status == "optimal" and stats.reduced
    report = check_result(inst, result)
    assert report.ok, report.violations
    candidates = list(feasible_assignments(inst))
    # Every individual child stays stable (hard); the rest is optimised lexicographically.
    best = min(objective(inst, a) for a in candidates if individuals_stable(inst, a))
    assert objective(inst, result.assignments) == best
    assert result.blocking_bound == len(result.blocking)


@SMALL
@given(seed=st.integers(0, 10**6))
def test_exact_mode_matches_brute_force_over_all_assignments(seed: int) -> None:
    inst = tiny_instance(seed)
    result = solve(inst, time_limit=20, exact=True)
    assert result.status == "optimal"
    assert check_result(inst, result).ok
    best = min(objective(inst, a) for a in feasible_assignments(inst))
    assert objective(inst, result.assignments) == best


def test_exact_mode_can_beat_the_default_policy() -> None:
    """Seed found by search: letting one individual block removes more sibling coalitions."""
    found = None
    for seed in range(1000):
        inst = tiny_instance(seed)
        default, exact = solve(inst, time_limit=20), solve(inst, time_limit=20, exact=True)
        assert len(exact.blocking) <= len(default.blocking)
        if len(exact.blocking) < len(default.blocking):
            found = seed
            break
    assert found is not None  # the two policies really differ, so the option is not decoration


@SMALL
@given(seed=st.integers(0, 10**6), children=st.integers(2, 30))
def test_without_siblings_and_transfers_equals_deferred_acceptance(seed: int, children: int) -> None:
    inst = random_instance(
        seed, children=children, nurseries=4, max_preferences=3, sibling_share=0.0, transfer_share=0.0
    )
    for exact in (False, True):
        result = solve(inst, time_limit=20, exact=exact)
        assert result.status == "optimal"
        assert result.blocking == ()
        da = deferred_acceptance(inst)
        assert result.placed == sum(1 for v in da.values() if v is not None)
        # The child-optimal stable assignment is the unique rank-sum minimum among stable ones.
        assert result.assignments == da
        assert check_result(inst, result).ok


@SMALL
@given(seed=st.integers(0, 10**6), children=st.integers(5, 80))
def test_checker_agrees_with_engine_on_every_result(seed: int, children: int) -> None:
    inst = random_instance(
        seed, children=children, nurseries=5, max_preferences=4, sibling_share=0.4, transfer_share=0.15
    )
    result, stats = solve_with_stats(inst, time_limit=20)
    assert stats.reduced  # deferred acceptance's hint always fits the reduced model
    report = check_result(inst, result)
    assert report.ok, report.violations
    assert result.blocking == report.blocking


@SMALL
@given(seed=st.integers(0, 10**6), pins=st.integers(1, 3), excludes=st.integers(0, 2))
def test_adjustments_on_small_instances(seed: int, pins: int, excludes: int) -> None:
    """Pins and exclusions: the result respects them, the checker agrees with the engine's list (the
    engine itself verifies that its model counted exactly those coalitions), and nothing beats it by
    more than the documented policy allows: strict individuals except what pins cost."""
    import random

    from matching.adjustments import AdjustmentKind, StaffAdjustment

    inst = tiny_instance(seed)
    rng = random.Random(seed)
    chosen: list[StaffAdjustment] = []
    for a in rng.sample(list(inst.applications), min(pins + excludes, len(inst.applications))):
        kind = AdjustmentKind.PIN if len(chosen) < pins else AdjustmentKind.EXCLUDE
        if a.sibling_group is not None:
            continue
        chosen.append(StaffAdjustment(child_id=a.id, kind=kind, nursery=rng.choice(a.preferences)))
    result = solve(inst, tuple(chosen), time_limit=20)
    if result.status == "infeasible":
        assert result.message
        return
    assert result.status == "optimal"
    report = check_result(inst, result, tuple(chosen))
    assert report.ok, report.violations
    exact = solve(inst, tuple(chosen), time_limit=20, exact=True)
    assert check_result(inst, exact, tuple(chosen)).ok
    assert len(exact.blocking) <= len(result.blocking)
    best = min(objective(inst, a, chosen) for a in feasible_assignments(inst, chosen))
    assert objective(inst, exact.assignments, chosen) == best
