"""Shared helpers for the optimizer tests: tiny instances and a brute-force reference."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from matching.adjustments import StaffAdjustment
from matching.checker import check_assignments
from matching.instance import Instance, InstanceApplication, InstanceNursery


def app(
    cid: str,
    prefs: tuple[str, ...],
    score: int,
    age: int = 1,
    tiebreak: int = 0,
    group: str | None = None,
    split: bool = False,
    current: str | None = None,
    bonus: dict[str, int] | None = None,
) -> InstanceApplication:
    return InstanceApplication(
        id=cid,
        age_class=age,
        preferences=prefs,
        score=score,
        tiebreak=tiebreak,
        bonus=bonus or {},
        sibling_group=group,
        allow_split=split,
        current_nursery=current,
    )


def instance(capacity: dict[str, dict[int, int]], apps: list[InstanceApplication]) -> Instance:
    nurseries = tuple(InstanceNursery(id=n, name=f"{n}園", capacity=c) for n, c in capacity.items())
    return Instance(admission_year=2027, nurseries=nurseries, applications=tuple(apps))


def rank_sum(inst: Instance, assignments: dict[str, str | None]) -> int:
    total = 0
    for a in inst.applications:
        got = assignments[a.id]
        if got is None:
            continue
        total += a.preferences.index(got) if got in a.preferences else len(a.preferences)
    return total


def objective(
    inst: Instance, assignments: dict[str, str | None], adjustments: Sequence[StaffAdjustment] = ()
) -> tuple[int, int, int]:
    """(blocking coalitions, -placed, rank sum): the engine's lexicographic objective."""
    report = check_assignments(inst, assignments, adjustments)
    placed = sum(1 for v in assignments.values() if v is not None)
    return (len(report.blocking), -placed, rank_sum(inst, assignments))


def feasible_assignments(
    inst: Instance, adjustments: Sequence[StaffAdjustment] = ()
) -> Iterator[dict[str, str | None]]:
    """Every assignment that satisfies capacity, sibling and transfer rules (checked by the checker)."""
    units: list[list[str]] = []
    seen: set[str] = set()
    groups: dict[str, list[str]] = {}
    for a in inst.applications:
        if a.sibling_group is not None and not a.allow_split:
            groups.setdefault(a.sibling_group, []).append(a.id)
    by_id = {a.id: a for a in inst.applications}
    options: list[list[str | None]] = []
    for a in inst.applications:
        if a.id in seen:
            continue
        members = (
            groups.get(a.sibling_group or "", [a.id]) if a.sibling_group and not a.allow_split else [a.id]
        )
        seen.update(members)
        units.append(members)
        common = [n for n in a.preferences if all(n in by_id[m].preferences for m in members)]
        choice: list[str | None] = list(common)
        choice.append(a.current_nursery)  # None for a non-transfer child
        options.append(choice)
    for combo in itertools.product(*options):
        assignments: dict[str, str | None] = {}
        for members, nursery in zip(units, combo, strict=True):
            for m in members:
                assignments[m] = nursery
        if not check_assignments(inst, assignments, adjustments).violations:
            yield assignments


def individuals_stable(inst: Instance, assignments: dict[str, str | None]) -> bool:
    grouped = {
        a.id
        for a in inst.applications
        if a.sibling_group is not None
        and not a.allow_split
        and sum(1 for b in inst.applications if b.sibling_group == a.sibling_group) > 1
    }
    report = check_assignments(inst, assignments)
    return not any(len(b.applicants) == 1 and b.applicants[0] not in grouped for b in report.blocking)
