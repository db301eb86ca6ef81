"""Issue 23: every sibling condition (and combination files) — the engine against brute force over every
assignment of small random cities, and the independent checker against the engine."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.checker import check_assignments, check_result
from matching.checker_families import families_of
from matching.instance import Instance
from matching.optimizer import solve, solve_with_stats
from matching.optimizer.testing import tiny_family_instance
from matching.records import SiblingCondition
from tests.matching.optimizer_support import rank_sum

CASES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def every_assignment(inst: Instance) -> Iterator[tuple[dict[str, str | None], tuple[int, int, int]]]:
    """Every assignment the checker accepts (capacity, transfers, groups, families), with the engine's
    objective (blocking coalitions, -placed, rank sum) computed by the checker."""
    apps = list(inst.applications)
    options = [[*a.preferences, a.current_nursery] for a in apps]  # None: not placed (no transfer)
    for combo in itertools.product(*options):
        assignments = {a.id: n for a, n in zip(apps, combo, strict=True)}
        report = check_assignments(inst, assignments)
        if report.violations:
            continue
        placed = sum(1 for n in combo if n is not None)
        yield assignments, (len(report.blocking), -placed, rank_sum(inst, assignments))


def individuals(inst: Instance) -> set[str]:
    """Children that apply alone: no same-nursery group (同保同時 without transfers) and no family."""
    in_family = {c.id for f in families_of(inst, set()) for c in f.children}
    sizes: dict[str, int] = {}
    for a in inst.applications:
        if a.sibling_group is not None:
            sizes[a.sibling_group] = sizes.get(a.sibling_group, 0) + 1
    grouped = {
        a.id
        for a in inst.applications
        if a.sibling_group is not None
        and sizes[a.sibling_group] > 1
        and a.sibling_condition is SiblingCondition.SAME_TOGETHER
    }
    return {a.id for a in inst.applications} - in_family - grouped


def individually_stable(inst: Instance, assignments: dict[str, str | None], alone: set[str]) -> bool:
    report = check_assignments(inst, assignments)
    return not any(len(b.applicants) == 1 and b.applicants[0] in alone for b in report.blocking)


@pytest.mark.parametrize("condition", list(SiblingCondition))
@CASES
@given(seed=st.integers(0, 10**6))
def test_engine_is_the_brute_force_optimum_for_every_condition(
    condition: SiblingCondition, seed: int
) -> None:
    inst = tiny_family_instance(seed, condition)
    result, stats = solve_with_stats(inst, time_limit=20)
    assert result.status == "optimal" and stats.reduced
    report = check_result(inst, result)
    assert report.ok, report.violations
    alone = individuals(inst)
    candidates = [(a, o) for a, o in every_assignment(inst) if individually_stable(inst, a, alone)]
    best = min(o for _, o in candidates)
    found = (len(result.blocking), -result.placed, rank_sum(inst, result.assignments))
    assert found == best
    assert result.blocking_bound == len(result.blocking)


@pytest.mark.parametrize(
    "condition", [SiblingCondition.SAME_SEQUENTIAL_YOUNGEST, SiblingCondition.SPLIT_TOGETHER_SAME_FIRST]
)
@CASES
@given(seed=st.integers(0, 10**6))
def test_exact_mode_is_the_optimum_over_all_assignments(condition: SiblingCondition, seed: int) -> None:
    inst = tiny_family_instance(seed, condition)
    result = solve(inst, time_limit=20, exact=True)
    assert result.status == "optimal"
    assert check_result(inst, result).ok
    found = (len(result.blocking), -result.placed, rank_sum(inst, result.assignments))
    assert found == min(o for _, o in every_assignment(inst))


@CASES
@given(seed=st.integers(0, 10**6), condition=st.sampled_from(list(SiblingCondition)))
def test_combination_files_brute_force(seed: int, condition: SiblingCondition) -> None:
    inst = tiny_family_instance(seed, condition, combinations=True)
    result = solve(inst, time_limit=20)
    assert result.status == "optimal"
    report = check_result(inst, result)
    assert report.ok, report.violations
    alone = individuals(inst)
    best = min(o for a, o in every_assignment(inst) if individually_stable(inst, a, alone))
    assert (len(result.blocking), -result.placed, rank_sum(inst, result.assignments)) == best


@MANY
@given(
    seed=st.integers(0, 10**6), condition=st.sampled_from(list(SiblingCondition)), pick=st.integers(0, 10**6)
)
def test_model_evaluator_and_checker_count_the_same_coalitions_of_any_assignment(
    seed: int, condition: SiblingCondition, pick: int
) -> None:
    """Any feasible assignment, fixed in the exact-mode model: the model's blocking count equals the
    evaluator's, and the evaluator's coalitions are the checker's. Random assignments block far more
    often than optimal ones, so this exercises the family blocking literals (stayers, vacators)."""
    import random

    from matching._exec.cpsat import negated
    from matching.optimizer.compiled import compile_instance
    from matching.optimizer.engine import _coalitions
    from matching.optimizer.evaluate import find_blocking
    from matching.optimizer.formulation import ABSENT, build

    inst = tiny_family_instance(seed, condition)
    feasible = [a for a, _ in every_assignment(inst)]
    chosen = random.Random(pick).choice(feasible)
    comp = compile_instance(inst)
    form = build(comp, strict=False)
    outcome = []
    for c, cid in enumerate(comp.child_ids):
        got = chosen[cid]
        nurseries = [comp.nursery_ids[comp.class_nursery[k]] for k in comp.ent_class[c]]
        outcome.append(nurseries.index(got) if got is not None else -1)
        for j, v in enumerate(form.x[c]):
            if v != ABSENT and v != form.true:
                form.model.fix(v if j == outcome[c] else negated(v))
    solved = form.model.solve(10.0)
    assert solved.status == "optimal"
    model_count = sum(solved.values[v] for v in form.blocking_vars)
    found = find_blocking(comp, outcome)
    assert model_count == len(found)
    assert tuple(_coalitions(comp, found)) == check_assignments(inst, chosen).blocking
