"""The checker's own reading of sibling families (issue 23), from the instance file alone.

Shares no code with the engine (optimizer/families.py, family_model.py): the definitions are written
again here so that the engine's family coalitions can be verified.

Which groups are families: every sibling group of two or more children with a combination file, or
with a condition other than 同保同時 (unless a child is a transfer) and 別保順次希 (unless two children
share an age class). A family's outcome gives each child a nursery it listed ("new"), or nothing new
(a transfer child then keeps its current seat). Accepted outcomes: 同保 — the new children share one
nursery; 同時 — all new or none; 順次上 / 下 — when any child is new, the eldest / youngest is. Order
(best first): 順次: more new children; 上 / 下: the elder / younger children new first; 別保…同: more
in one nursery; then the product of the new children's ranks (1-based); then the ranks eldest first.
Children are ordered eldest first (higher age class; twins in instance order). A combination file's
list replaces both. "Nothing new" is every family's last resort.

Blocking: the family and an outcome it prefers, when in every class the outcome uses, the children
entering it (not there now) fit: free seats, seats left by siblings, or seats of lower-priority
children outside the family; Hall's condition over the entrants. Seats here are the class's capacity
plus every transfer child's own seat, and a transfer child sits in its own seat with top priority.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import product

from matching.instance import Instance, InstanceApplication
from matching.records import SiblingCondition as C
from matching.result import BlockingCoalition

Outcome = tuple[str | None, ...]  # per child (eldest first): the new nursery, or None

_SAME = {C.SAME_TOGETHER, C.SAME_SEQUENTIAL_ELDEST, C.SAME_SEQUENTIAL_YOUNGEST}
_TOGETHER = {C.SAME_TOGETHER, C.SPLIT_TOGETHER_SAME_FIRST, C.SPLIT_TOGETHER_OWN_FIRST}


@dataclass(frozen=True)
class CheckedFamily:
    group: str
    children: tuple[InstanceApplication, ...]  # eldest first
    order: tuple[Outcome, ...]  # accepted outcomes, best first ("nothing new" not listed)


def families_of(instance: Instance, excluded: set[tuple[str, str]]) -> list[CheckedFamily]:
    by_group: dict[str, list[InstanceApplication]] = defaultdict(list)
    for app in instance.applications:
        if app.sibling_group is not None:
            by_group[app.sibling_group].append(app)
    found = []
    for group, children in by_group.items():
        if len(children) < 2:
            continue
        condition = children[0].sibling_condition or C.SAME_TOGETHER
        listed = instance.sibling_combinations.get(group)
        transfer = any(c.current_nursery is not None for c in children)
        distinct_ages = len({c.age_class for c in children}) == len(children)
        if listed is None and (
            (condition is C.SAME_TOGETHER and not transfer)
            or (condition is C.SPLIT_SEQUENTIAL_OWN_FIRST and distinct_ages)
        ):
            continue
        eldest_first = tuple(sorted(children, key=lambda c: -c.age_class))
        if listed is not None:
            order = _listed(eldest_first, listed, excluded)
        else:
            order = _derived(condition, eldest_first, excluded)
        found.append(CheckedFamily(group, eldest_first, order))
    return found


def _listed(
    children: Sequence[InstanceApplication],
    listed: Sequence[Mapping[str, str | None]],
    excluded: set[tuple[str, str]],
) -> tuple[Outcome, ...]:
    order: list[Outcome] = []
    for combination in listed:
        outcome = tuple(
            None if combination[c.id] in (None, c.current_nursery) else combination[c.id] for c in children
        )
        if any(n is not None and (c.id, n) in excluded for c, n in zip(children, outcome, strict=True)):
            continue
        if any(n is not None for n in outcome) and outcome not in order:
            order.append(outcome)
    return tuple(order)


def _derived(
    condition: C, children: Sequence[InstanceApplication], excluded: set[tuple[str, str]]
) -> tuple[Outcome, ...]:
    choices = [[*(n for n in c.preferences if (c.id, n) not in excluded), None] for c in children]
    accepted = [o for o in product(*choices) if any(n is not None for n in o) and _accepts(condition, o)]
    return tuple(sorted(accepted, key=lambda o: _worse_first_is_larger(condition, children, o)))


def _accepts(condition: C, outcome: Outcome) -> bool:
    new = [n is not None for n in outcome]
    if condition in _TOGETHER and not all(new):
        return False
    if condition in _SAME and len({n for n in outcome if n is not None}) > 1:
        return False
    if condition is C.SAME_SEQUENTIAL_ELDEST and not new[0]:
        return False
    return not (condition is C.SAME_SEQUENTIAL_YOUNGEST and not new[-1])


def _worse_first_is_larger(
    condition: C, children: Sequence[InstanceApplication], outcome: Outcome
) -> tuple[object, ...]:
    count = sum(n is not None for n in outcome)
    in_one = max((outcome.count(n) for n in outcome if n is not None), default=0)
    ranks = [
        c.preferences.index(n) + 1 if n is not None else 10**6 for c, n in zip(children, outcome, strict=True)
    ]
    rank_product = 1
    for r in ranks:
        if r < 10**6:
            rank_product *= r
    unplaced = [1 if n is None else 0 for n in outcome]
    if condition is C.SAME_SEQUENTIAL_YOUNGEST:
        unplaced.reverse()
    return (
        0 if condition in _TOGETHER else -count,
        tuple(unplaced) if condition in (C.SAME_SEQUENTIAL_ELDEST, C.SAME_SEQUENTIAL_YOUNGEST) else (),
        -in_one if condition in (C.SPLIT_TOGETHER_SAME_FIRST, C.SPLIT_SEQUENTIAL_SAME_FIRST) else 0,
        rank_product,
        tuple(ranks),
    )


def current_outcome(family: CheckedFamily, assignments: Mapping[str, str | None]) -> Outcome:
    return tuple(
        None if assignments.get(c.id) in (None, c.current_nursery) else assignments.get(c.id)
        for c in family.children
    )


def family_violations(family: CheckedFamily, assignments: Mapping[str, str | None]) -> list[str]:
    outcome = current_outcome(family, assignments)
    if all(n is None for n in outcome) or outcome in family.order:
        return []
    return [
        f"sibling group {family.group}: outcome {list(outcome)} is not one its condition or combinations accept"
    ]


def family_blocking(
    instance: Instance,
    family: CheckedFamily,
    assignments: Mapping[str, str | None],
    classes: Classes | None = None,
) -> list[BlockingCoalition]:
    """The family's coalitions; `classes` (seats and sitting children) may be shared between families."""
    outcome = current_outcome(family, assignments)
    better = family.order[: family.order.index(outcome)] if outcome in family.order else family.order
    if not better:
        return []
    classes = classes or Classes(instance, assignments)
    members = {c.id for c in family.children}
    found = []
    for candidate in better:
        if _fits(family, candidate, assignments, classes):
            placement = sorted(
                (c.id, n if n is not None else c.current_nursery)
                for c, n in zip(family.children, candidate, strict=True)
            )
            first = next(n for n in candidate if n is not None)
            found.append(
                BlockingCoalition(
                    applicants=tuple(sorted(members)), nursery=first, combination=tuple(placement)
                )
            )
    return found


def _rank_at(app: InstanceApplication, nursery: str) -> tuple[int, int, str]:
    if app.current_nursery == nursery:
        return (-(1 << 62), 0, app.id)  # a transfer child in its own seat
    return (-(app.score + app.bonus.get(nursery, 0)), app.tiebreak_at.get(nursery, app.tiebreak), app.id)


class Classes:
    """Per nursery and age class: seats (capacity plus every transfer child's own seat) and the priority
    keys of the children sitting there, sorted (computed once per check)."""

    def __init__(self, instance: Instance, assignments: Mapping[str, str | None]) -> None:
        self.seats: dict[tuple[str, int], int] = defaultdict(int)
        for n in instance.nurseries:
            for age, count in n.capacity.items():
                self.seats[(n.id, age)] += count
        sitting: dict[tuple[str, int], list[InstanceApplication]] = defaultdict(list)
        for app in instance.applications:
            if app.current_nursery is not None:
                self.seats[(app.current_nursery, app.age_class)] += 1
            got = assignments.get(app.id)
            if got is not None:
                sitting[(got, app.age_class)].append(app)
        self.keys = {
            (nursery, age): sorted(_rank_at(a, nursery) for a in apps)
            for (nursery, age), apps in sitting.items()
        }

    def above(self, nursery: str, age: int, key: tuple[int, int, str]) -> int:
        """Children sitting in the class with a better key."""
        return bisect_left(self.keys.get((nursery, age), []), key)


def _fits(
    family: CheckedFamily,
    candidate: Outcome,
    assignments: Mapping[str, str | None],
    classes: Classes,
) -> bool:
    placed: dict[tuple[str, int], list[InstanceApplication]] = defaultdict(list)
    for child, nursery in zip(family.children, candidate, strict=True):
        where = nursery if nursery is not None else child.current_nursery
        if where is not None:
            placed[(where, child.age_class)].append(child)
    for (nursery, age), kids in placed.items():
        staying = [k for k in kids if assignments.get(k.id) == nursery]
        entering = sorted(
            (k for k in kids if assignments.get(k.id) != nursery), key=lambda k: _rank_at(k, nursery)
        )
        siblings_there = sorted(
            _rank_at(c, nursery)
            for c in family.children
            if assignments.get(c.id) == nursery and c.age_class == age
        )
        for i, kid in enumerate(entering):
            key = _rank_at(kid, nursery)
            above = classes.above(nursery, age, key) - bisect_left(siblings_there, key)
            if classes.seats.get((nursery, age), 0) - len(staying) - above < len(entering) - i:
                return False
    return True
