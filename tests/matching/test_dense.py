"""Dense-sibling cities (issue 16): the generator's shape, optimal and checked results, honest gaps."""

from __future__ import annotations

from collections import Counter

import pytest

from matching._exec.cpsat import SolveOutcome
from matching.checker import check_result
from matching.optimizer import solve, solve_with_stats
from samples.densecity import DenseShape, generate_dense_city


def test_dense_city_has_the_described_shape_and_is_reproducible() -> None:
    shape = DenseShape(2000, sibling_share=0.20, transfer_share=0.05)
    city = generate_dense_city(shape, seed=5)
    assert city.to_json() == generate_dense_city(shape, seed=5).to_json()
    apps = city.applications
    groups = Counter(a.sibling_group for a in apps if a.sibling_group)
    in_groups = sum(groups.values()) / len(apps)
    assert 0.17 <= in_groups <= 0.23
    assert set(groups.values()) == {2, 3}
    ages: dict[str, set[int]] = {}
    for a in apps:
        if a.sibling_group:
            ages.setdefault(a.sibling_group, set()).add(a.age_class)
    multiples = [g for g, seen in ages.items() if len(seen) == 1]
    triplets = [g for g in multiples if groups[g] == 3]
    assert multiples and triplets  # twins and triplets: several seats in one class at once
    split = {a.sibling_group for a in apps if a.allow_split}
    assert 0.25 < len(split) / len(groups) < 0.55
    transfers = sum(a.current_nursery is not None for a in apps) / len(apps)
    assert 0.03 < transfers < 0.07
    seats = sum(sum(n.capacity.values()) for n in city.nurseries)
    assert 0.4 < seats / len(apps) < 0.6


@pytest.mark.parametrize("workers", [1, 2])
def test_dense_city_is_solved_to_proven_optimum_deterministically(workers: int) -> None:
    city = generate_dense_city(DenseShape(800), seed=1)
    result = solve(city, time_limit=30, workers=workers)
    assert result.status == "optimal" and result.message is None
    assert result.blocking_bound == len(result.blocking)
    report = check_result(city, result)
    assert report.ok, report.violations
    again = solve(city, time_limit=30, workers=workers)
    assert again.to_json() == result.to_json()


def test_a_result_not_proven_optimal_says_so_with_bound_and_coalitions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The solver finds nothing in time: the deferred-acceptance assignment comes back as "feasible",
    with the proven bound, the coalitions the checker also finds, and the gap in staff wording."""
    from matching._exec import cpsat

    city = generate_dense_city(DenseShape(800, sibling_share=0.3), seed=2)
    optimal = solve(city, time_limit=30)

    def nothing_in_time(self: cpsat.CpSatModel, time_limit: float, **_: object) -> SolveOutcome:
        return SolveOutcome("unknown", [], 0, -(10**12), time_limit, 0.0)

    monkeypatch.setattr(cpsat.CpSatModel, "solve", nothing_in_time)
    result, stats = solve_with_stats(city, time_limit=30)
    assert result.status == "feasible" and stats.solver_status == "unknown"
    assert result.blocking_bound == 0
    assert result.message is not None and "not proven optimal" in result.message
    assert str(len(result.blocking)) in result.message
    report = check_result(city, result)
    assert report.ok, report.violations
    assert (len(result.blocking), -result.placed) >= (len(optimal.blocking), -optimal.placed)
