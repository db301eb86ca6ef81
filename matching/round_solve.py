"""Score, solve and check a planned round (二次, 三次 …) with the earlier rounds' placements fixed.

Scoring runs once over every application the round involves (the children who compete and those who
hold a seat), so a holder's priority is comparable with a competing child's: the same rules, the same
tie order. The round's instance has the competing children and the seats left; the optimizer runs on it
under the same rules as round 1 (public `solve`).

The independent checker then verifies the round twice:
- the round on its own (`check_result`): feasibility, and the engine's blocking coalitions;
- the whole season as it now stands (`check_assignments` on the *combined* instance: the season's
  募集人数, every competing child, and every kept placement as a child pinned to its seat with that seat
  as its only wish). A pin that moved, a seat counted twice, or an old transfer seat given away before
  the transfer accepted shows as a violation. Its blocking coalitions beyond the round's own are the
  coalitions *against the fixed placements*: a child who would have had priority over a holder, kept
  out only because accepted seats are never moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matching.adjustments import AdjustmentKind, StaffAdjustment
from matching.checker import check_assignments, check_result
from matching.errors import RoundError
from matching.instance import Instance, InstanceApplication, InstanceNursery
from matching.optimizer import solve
from matching.priority import ChildPriority
from matching.result import BlockingCoalition, MatchResult
from matching.rounds import RoundPlan, RoundState
from matching.scoring import instance_from_priorities, score_applications
from matching.scoring.build import SiblingPolicy
from matching.scoring.rules import Rules


@dataclass(frozen=True)
class RoundCheck:
    violations: tuple[str, ...]  # the round on its own
    combined_violations: tuple[str, ...]  # the season with the kept placements pinned
    blocking: tuple[BlockingCoalition, ...]  # the round's own (what the engine reported)
    against_fixed: tuple[BlockingCoalition, ...]  # only because kept placements are never moved

    @property
    def ok(self) -> bool:
        return not self.violations and not self.combined_violations


@dataclass(frozen=True)
class RoundSolution:
    priorities: tuple[ChildPriority, ...]  # every child the round involves (competing and holding)
    instance: Instance  # the competing children and the seats the round offers
    result: MatchResult
    adjustments: tuple[StaffAdjustment, ...]  # what the solver respected: 除外 carried + staff 調整
    combined: Instance  # the season as a whole (checked with the kept placements pinned)
    combined_assignments: dict[str, str | None]
    check: RoundCheck


def score_round(plan: RoundPlan, rules: Rules) -> tuple[ChildPriority, ...]:
    """One priority per child of every application with a competing or holding child (full records)."""
    involved = {c.id for a in plan.competing for c in a.children} | {h.child_id for h in plan.holdings}
    applications = [a for a in plan.applications if any(c.id in involved for c in a.children)]
    return score_applications(applications, rules, plan.admission_year)


def round_instance(
    plan: RoundPlan, priorities: Sequence[ChildPriority], siblings: SiblingPolicy | None = None
) -> Instance:
    return instance_from_priorities(plan.competing, plan.nurseries, priorities, plan.admission_year, siblings)


def solve_round(
    plan: RoundPlan,
    rules: Rules,
    *,
    siblings: SiblingPolicy | None = None,
    adjustments: Sequence[StaffAdjustment] = (),
    time_limit: float = 60.0,
) -> RoundSolution:
    """`adjustments`: the staff's 調整 for this round (from its review workbook), added to the 除外 carried."""
    priorities = score_round(plan, rules)
    instance = round_instance(plan, priorities, siblings)
    used = tuple(dict.fromkeys((*plan.competing_exclusions(), *adjustments)))
    result = solve(instance, used, time_limit)
    combined, assignments = combine(plan, instance, result, priorities)
    if result.status == "infeasible":  # e.g. staff pins beyond the seats left: the message says which
        check = RoundCheck((result.message or "infeasible",), (), (), ())
    else:
        check = check_round(plan, instance, result, combined, assignments, used)
    return RoundSolution(
        priorities=priorities,
        instance=instance,
        result=result,
        adjustments=used,
        combined=combined,
        combined_assignments=assignments,
        check=check,
    )


def combine(
    plan: RoundPlan, instance: Instance, result: MatchResult, priorities: Sequence[ChildPriority]
) -> tuple[Instance, dict[str, str | None]]:
    """The season as it stands: the base seats, the competing children and every kept placement.

    A kept placement is a child whose only wish is its seat. An accepted transfer keeps its old nursery
    as current (the checker frees that seat); a transfer not answered yet does not (its old seat stays
    taken). Classes whose kept placements already exceed the seats (plan.seats `over`) get those seats
    added, so the check verifies everything else; the plan reports them to staff.
    """
    by_child = {p.child_id: p for p in priorities}
    over = {(s.nursery, s.age_class): s.over for s in plan.seats if s.over}
    nurseries = tuple(
        InstanceNursery(
            id=n.id,
            name=n.name,
            capacity={age: seats + over.get((n.id, age), 0) for age, seats in n.capacity.items()}
            | {age: extra for (nid, age), extra in over.items() if nid == n.id and age not in n.capacity},
        )
        for n in plan.base_nurseries
    )
    holders = []
    for holding in plan.holdings:
        priority = by_child.get(holding.child_id)
        if priority is None:
            raise RoundError(
                f"席を確保している児童 {holding.child_id} の申込がありません / no application for a child "
                "holding a seat"
            )
        holders.append(
            InstanceApplication(
                id=holding.child_id,
                age_class=holding.age_class,
                preferences=(holding.nursery,),
                score=priority.score,
                tiebreak=priority.tiebreak,
                tiebreak_at=priority.tiebreak_at,
                bonus=priority.bonus,
                current_nursery=holding.transfer_from if holding.accepted else None,
            )
        )
    combined = Instance(
        admission_year=instance.admission_year,
        nurseries=nurseries,
        applications=(*instance.applications, *holders),
    )
    assignments = dict(result.assignments) | {h.child_id: h.nursery for h in plan.holdings}
    return combined, assignments


def check_round(
    plan: RoundPlan,
    instance: Instance,
    result: MatchResult,
    combined: Instance,
    assignments: dict[str, str | None],
    adjustments: Sequence[StaffAdjustment],
) -> RoundCheck:
    own = check_result(instance, result, adjustments)
    pins = tuple(
        StaffAdjustment(child_id=h.child_id, kind=AdjustmentKind.PIN, nursery=h.nursery)
        for h in plan.holdings
    )
    whole = check_assignments(combined, assignments, (*adjustments, *pins))
    violations = list(whole.violations)
    missing = set(own.blocking) - set(whole.blocking)
    if missing:
        # With more admitted children nobody can lose a coalition it had: the two instances disagree.
        violations.append(
            f"round blocking not seen with the fixed placements: {sorted(missing, key=str)[:3]}"
        )
    return RoundCheck(
        violations=own.violations,
        combined_violations=tuple(violations),
        blocking=own.blocking,
        against_fixed=tuple(b for b in whole.blocking if b not in set(own.blocking)),
    )


def combined_result(solution: RoundSolution) -> MatchResult:
    """The season as it stands as a result file: every kept placement at its seat, the round's outcomes,
    and the blocking coalitions of the combined check (the round's own plus those against the fixed)."""
    blocking = tuple(
        sorted(
            (*solution.check.blocking, *solution.check.against_fixed), key=lambda b: (b.applicants, b.nursery)
        )
    )
    return solution.result.model_copy(
        update={
            "assignments": solution.combined_assignments,
            "placed": sum(1 for n in solution.combined_assignments.values() if n is not None),
            "blocking": blocking,
        }
    )


def state_after(plan: RoundPlan, solution: RoundSolution) -> RoundState:
    """The finished round as the round after it needs it (what `round.json` and its files hold)."""
    return RoundState(
        round_id=plan.round_id,
        applications=plan.applications,
        nurseries=plan.base_nurseries,
        instance=solution.instance,
        result=solution.result,
        holdings=plan.holdings,
        exclusions=plan.exclusions,
    )
