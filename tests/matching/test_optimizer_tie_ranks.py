"""Per-nursery tie ranks (`tiebreak_at`, e.g. 希望順位): the engine and the checker order classes by them."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.checker import check_result
from matching.instance import Instance
from matching.optimizer import solve
from matching.optimizer.testing import tiny_instance
from tests.matching.optimizer_support import (
    app,
    feasible_assignments,
    individuals_stable,
    instance,
    objective,
)


def test_the_tie_rank_at_the_nursery_decides_not_the_global_one() -> None:
    # Equal points; A is first in the global tie order, but B ranks first at N1 (listed N1 first).
    a = app("A", ("N2", "N1"), 10, tiebreak=0).model_copy(update={"tiebreak_at": {"N2": 0, "N1": 1}})
    b = app("B", ("N1",), 10, tiebreak=1).model_copy(update={"tiebreak_at": {"N1": 0}})
    c = app("C", ("N2",), 20, tiebreak=2)
    inst = instance({"N1": {1: 1}, "N2": {1: 1}}, [a, b, c])
    result = solve(inst, time_limit=10)
    assert result.assignments == {"A": None, "B": "N1", "C": "N2"}
    assert check_result(inst, result).ok and result.blocking == ()
    # Without per-nursery ranks the global order gives N1 to A.
    plain = instance(
        {"N1": {1: 1}, "N2": {1: 1}},
        [app("A", ("N2", "N1"), 10, tiebreak=0), app("B", ("N1",), 10, tiebreak=1), c],
    )
    assert solve(plain, time_limit=10).assignments["A"] == "N1"


def _with_tie_ranks(inst: Instance, seed: int) -> Instance:
    rng = random.Random(seed)
    apps = []
    for a in inst.applications:
        apps.append(a.model_copy(update={"tiebreak_at": {n: rng.randint(0, 3) for n in a.preferences}}))
    return inst.model_copy(update={"applications": tuple(apps)})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6))
def test_engine_with_tie_ranks_matches_brute_force(seed: int) -> None:
    inst = _with_tie_ranks(tiny_instance(seed), seed)
    result = solve(inst, time_limit=20)
    assert result.status == "optimal"
    report = check_result(inst, result)
    assert report.ok, report.violations
    best = min(objective(inst, a) for a in feasible_assignments(inst) if individuals_stable(inst, a))
    assert objective(inst, result.assignments) == best
