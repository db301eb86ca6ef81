"""The admission engine: compile, deferred-acceptance hint, cut-off model, CP-SAT, decode, verify."""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from matching._exec.cpsat import SolveOutcome
from matching.adjustments import StaffAdjustment
from matching.deferred_acceptance import da_outcome, individual_da, outcome_to_assignments
from matching.errors import SolverError
from matching.instance import Instance
from matching.optimizer.compiled import NONE, Compiled, compile_instance
from matching.optimizer.evaluate import count_placed, find_blocking
from matching.optimizer.formulation import Formulation, build, second_stage
from matching.optimizer.hints import hint_values
from matching.result import BlockingCoalition, MatchResult, coalition_order

DEFAULT_TIME_LIMIT = 60.0


@dataclass(frozen=True)
class SolveStats:
    """Figures of one engine run (kept out of the result file so that it stays byte-identical)."""

    compile_seconds: float
    da_seconds: float
    build_seconds: float
    solve_seconds: float
    variables: int
    constraints: int
    placed_da: int
    solver_status: str
    deterministic_time: float
    reduced: bool = False  # the strict-mode reduction was used (the hint fitted in the reduced model)
    stage1_seconds: float = 0.0  # of solve_seconds: blocking and placed (stage 2 is the rank sum)
    stage1_status: str = ""  # "optimal": fewest blocking and most placed are proven, whatever stage 2 did


def solve(
    instance: Instance,
    adjustments: Sequence[StaffAdjustment] = (),
    time_limit: float = DEFAULT_TIME_LIMIT,
    *,
    workers: int = 1,
    seed: int = 0,
    explain: bool = True,
    exact: bool = False,
) -> MatchResult:
    """Assign children to nurseries (see issue 3 for the stability definition).

    Lexicographic objective: fewest blocking coalitions, then most children placed, then the smallest
    sum of preference ranks. By default every individual child (no same-nursery group) is kept strictly
    stable and the sibling-group coalitions are minimised (the policy measured in issue 3; "optimal" then
    means proven among such assignments). `exact=True` lets individual children block too and minimises
    over all assignments. A staff pin makes nobody eligible; the coalitions it causes are counted.
    """
    return solve_with_stats(
        instance, adjustments, time_limit, workers=workers, seed=seed, explain=explain, exact=exact
    )[0]


def solve_with_stats(
    instance: Instance,
    adjustments: Sequence[StaffAdjustment] = (),
    time_limit: float = DEFAULT_TIME_LIMIT,
    *,
    workers: int = 1,
    seed: int = 0,
    explain: bool = True,
    exact: bool = False,
) -> tuple[MatchResult, SolveStats]:
    if time_limit <= 0:
        raise SolverError("制限時間は正の数にしてください / the time limit must be positive")
    with _gc_paused():
        return _solve(instance, adjustments, time_limit, workers, seed, explain, exact)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The engine allocates millions of small lists and ints and no reference cycles worth collecting;
    pausing the cyclic collector saved about 25 % CPU at 60,000 children."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _solve(
    instance: Instance,
    adjustments: Sequence[StaffAdjustment],
    time_limit: float,
    workers: int,
    seed: int,
    explain: bool,
    exact: bool,
) -> tuple[MatchResult, SolveStats]:
    started = time.perf_counter()
    # The time limit is end to end: compiling, the hint, building, solving and explaining all count, so
    # the solver stops early enough to leave the explanations their (measured) share.
    comp = compile_instance(instance, adjustments)
    compiled_at = time.perf_counter()
    deadline = started + time_limit - _reserve(compiled_at - started, explain)
    adjustment_cost = 0
    strict = not exact
    if adjustments:
        # The stability cost of the adjustments: best blocking count with them minus without them,
        # both solved the same way.
        plain = compile_instance(instance, ())
        half = compiled_at + (deadline - compiled_at) / 2
        baseline = _run(plain, half, workers, seed, strict=strict)
    run = _run(comp, deadline, workers, seed, strict=strict, compile_seconds=compiled_at - started)
    result, stats = run
    if adjustments and result.status != "infeasible":
        adjustment_cost = len(result.blocking) - len(baseline[0].blocking)
    if explain and result.status != "infeasible":
        from matching.explain import explain_outcome

        result = result.model_copy(
            update={"explanations": explain_outcome(instance, result.assignments, adjustments)}
        )
    if adjustments:
        result = result.model_copy(update={"adjustment_cost": adjustment_cost})
    return result, stats


def _reserve(compile_seconds: float, explain: bool) -> float:
    """Seconds kept back from the solver for decoding, verifying and explaining. Both are pure Python,
    linear in the preference entries like compiling: explaining took 1.15 times the compile time
    (60,000 children: 1.23 s compile, 1.39 s explain, 0.12 s verify), so scaling by the compile time
    measured just now also follows a busy machine; twice that, because the load of a shared machine
    changes within a run (at load ~16, 1.6x still overran 60 s by 2-4 s)."""
    return 0.3 + compile_seconds * (2.0 if explain else 0.4)


def _pin_overflow(comp: Compiled) -> str | None:
    pinned = Counter(comp.ent_class[c][p] for c, p in enumerate(comp.pin) if p >= 0)
    for k, count in sorted(pinned.items()):
        seats = comp.class_cap[k]
        if count > seats:
            nursery = comp.nursery_ids[comp.class_nursery[k]]
            return (
                f"{nursery} {comp.class_age[k]}歳児: 固定 {count} 人が受入可能数 {seats} を超えています。"
                f"固定を減らしてください / {nursery} age {comp.class_age[k]}: {count} children pinned "
                f"but at most {seats} seats"
            )
    return None


def _run(
    comp: Compiled,
    deadline: float,
    workers: int,
    seed: int,
    strict: bool,
    compile_seconds: float = 0.0,
) -> tuple[MatchResult, SolveStats]:
    overflow = _pin_overflow(comp)
    if overflow is not None:
        return _infeasible(comp, overflow), SolveStats(compile_seconds, 0, 0, 0, 0, 0, 0, "precheck", 0.0)
    t0 = time.perf_counter()
    hint = da_outcome(comp)
    ceiling = None
    if strict:
        groups_free = individual_da(comp, {})
        ceiling = [j if j >= 0 else len(comp.ent_class[c]) for c, j in enumerate(groups_free)]
    t1 = time.perf_counter()
    form = build(comp, strict, ceiling)
    values = hint_values(comp, form, hint)
    reduced = ceiling is not None
    if values is None:  # cannot happen if the theory holds; stay correct anyway with the full model
        reduced = False
        form = build(comp, strict, None)
        values = hint_values(comp, form, hint)
    if values is not None:
        form.model.hint(range(form.model.num_vars), values)
    t2 = time.perf_counter()
    outcome = form.model.solve(max(deadline - t2, 0.5), workers=workers, seed=seed)
    first = outcome
    stage1_done = time.perf_counter()
    if outcome.status == "optimal":
        # Stage 2: hold blocking and placed at their optimum, minimise the preference-rank sum.
        blocking_best = _model_blocking(form, outcome)
        placed_best = sum(outcome.values[v] * n for v, n in form.placed_coeffs.items())
        second_stage(form, blocking_best, placed_best)
        form.model.hint(range(form.model.num_vars), outcome.values)
        second = form.model.solve(max(deadline - time.perf_counter(), 0.5), workers=workers, seed=seed)
        if second.status in ("optimal", "feasible"):
            outcome = second
        else:  # not even the hint back: keep stage 1's assignment, honestly as "feasible"
            outcome = SolveOutcome("feasible", first.values, first.objective, first.bound, 0.0, 0.0)
    t3 = time.perf_counter()
    variables, constraints = form.model.stats()
    stats = SolveStats(
        compile_seconds=compile_seconds,
        da_seconds=t1 - t0,
        build_seconds=t2 - t1,
        solve_seconds=t3 - t2,
        stage1_seconds=stage1_done - t2,
        stage1_status=first.status,
        variables=variables,
        constraints=constraints,
        placed_da=count_placed(hint),
        solver_status=outcome.status,
        deterministic_time=outcome.deterministic_time,
        reduced=reduced,
    )
    if outcome.status == "invalid":  # a bug (inputs are range-checked at loading), never advice to staff
        raise SolverError(
            "内部エラー: ソルバーがモデルを不正と判断しました。開発担当に連絡してください / internal error: the "
            "solver rejected the model as invalid (this is a bug, not a problem with pins or siblings)"
        )
    if outcome.status == "infeasible":
        message = (
            "条件をすべて満たす割当がありません（固定・除外・きょうだい条件を見直してください） / no "
            "assignment satisfies every pin, exclusion and sibling rule"
        )
        return _infeasible(comp, message), stats
    if outcome.status == "optimal" or outcome.status == "feasible":
        chosen = _decode(comp, form, outcome)
        status = outcome.status
    else:
        # No solution within the time limit: deferred acceptance respects capacity, pins, exclusions and
        # sibling rules (and, without pins, keeps every individual stable), so it is feasible for the
        # model; report it honestly as a feasible result with the solver's proven bound.
        chosen, status = hint, "feasible"
    blocking = find_blocking(comp, chosen)
    bound = min(_blocking_bound(form, first), len(blocking))
    result = MatchResult(
        status="optimal" if status == "optimal" else "feasible",
        blocking=tuple(_coalitions(comp, blocking)),
        assignments=outcome_to_assignments(comp, chosen),
        blocking_bound=bound,
        placed=count_placed(chosen),
        message=None if status == "optimal" else _gap_message(len(blocking), bound, first.status),
    )
    if first.status == "optimal" and _model_blocking(form, first) != len(blocking):
        raise SolverError(
            "内部エラー: モデルと検算の阻止連合数が一致しません / internal error: the model's blocking count "
            f"{_model_blocking(form, first)} differs from the recomputed {len(blocking)}"
        )
    return result, stats


def _gap_message(found: int, bound: int, stage1: str) -> str:
    """What a result that is not proven optimal does and does not guarantee, in staff wording."""
    if stage1 == "optimal":
        return (
            f"阻止連合 {found} 件は最少、内定数は最多と証明済みです。希望順位の合計のみ最良と未証明です / "
            f"{found} blocking coalitions (proven minimum) and the most children placed (proven); only the "
            "sum of preference ranks is not proven best"
        )
    return (
        f"制限時間内に最適と証明できませんでした: 阻止連合 {found} 件（証明済みの下限 {bound} 件）。"
        "一覧の連合（児童と施設）は職員の手作業による調整で解消できる場合があります / not proven optimal "
        f"within the time limit: {found} blocking coalitions found, proven lower bound {bound}; staff may "
        "resolve the listed coalitions (children and nursery) by hand"
    )


def _decode(comp: Compiled, form: Formulation, outcome: SolveOutcome) -> list[int]:
    values = outcome.values
    chosen = [NONE] * comp.n_children
    for c, xs in enumerate(form.x):
        for j, v in enumerate(xs):
            if v >= 0 and values[v]:
                chosen[c] = j
                break
    return chosen


def _model_blocking(form: Formulation, outcome: SolveOutcome) -> int:
    return sum(outcome.values[v] for v in form.blocking_vars)


def _blocking_bound(form: Formulation, outcome: SolveOutcome) -> int:
    """Proven lower bound on blocking coalitions from stage 1's objective bound.

    Stage 1 minimises W * blocking - placed with W > children, so an assignment with b coalitions has
    objective <= W * b; no assignment with W * b < bound exists, hence b >= ceil(bound / W).
    """
    if outcome.status == "optimal":
        return _model_blocking(form, outcome)
    if outcome.status not in ("feasible", "unknown"):
        return 0
    return max(0, -(-outcome.bound // form.weight_blocking))


def _coalitions(comp: Compiled, blocking: list) -> list[BlockingCoalition]:
    items = []
    for b in blocking:
        if b.family >= 0:
            items.append(_family_coalition(comp, b.family, b.combo))
            continue
        members = comp.groups[b.group] if b.group >= 0 else [b.child]
        k = comp.ent_class[b.child][b.entry]
        nursery = comp.nursery_ids[comp.class_nursery[k]]
        items.append(
            BlockingCoalition(applicants=tuple(sorted(comp.child_ids[m] for m in members)), nursery=nursery)
        )
    items.sort(key=coalition_order)
    return items


def _family_coalition(comp: Compiled, f: int, r: int) -> BlockingCoalition:
    family = comp.families[f]
    combo = family.combos[r]
    placed: list[tuple[str, str | None]] = []
    first: str | None = None
    for m, j in zip(family.members, combo, strict=True):
        nursery = None if j == NONE else comp.nursery_ids[comp.class_nursery[comp.ent_class[m][j]]]
        if first is None and j != NONE and j != family.fallback[family.members.index(m)]:
            first = nursery
        placed.append((comp.child_ids[m], nursery))
    return BlockingCoalition(
        applicants=tuple(sorted(comp.child_ids[m] for m in family.members)),
        nursery=first or "",
        combination=tuple(sorted(placed)),
    )


def _infeasible(comp: Compiled, message: str) -> MatchResult:
    return MatchResult(
        status="infeasible",
        assignments=dict.fromkeys(comp.child_ids),
        message=message,
    )
