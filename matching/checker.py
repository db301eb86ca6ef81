"""Independent checker of a match result: feasibility rules and the blocking coalitions, from scratch.

Written straight from the definitions of issue 3 on the instance file itself (it shares no code with the
engine), so that the engine's list of blocking coalitions can be verified:

- a child is placed only at a nursery it listed (a transfer child: or its current nursery; never None);
  staff pins hold and excluded pairs are not used;
- per nursery and age class, new admissions <= capacity + seats freed by transfer children who moved;
- a same-nursery sibling group (同保同時 without transfer children) is placed all together at one
  nursery, or not at all; a 別保順次希 group whose children are all in different age classes is a set of
  individuals; every other sibling group is a family (checker_families.py) whose outcome must be one its
  condition or combination file accepts;
- blocking: an individual child (no group, 別保順次希, or transfer) blocks with a nursery it prefers
  to its outcome when that class has a free seat or admits a child of lower priority there; a
  same-nursery group blocks with a nursery on its common list it prefers when, per age class, the free
  seats plus admitted children of lower priority can take all its members (Hall's condition). Priority
  at nursery n: score + bonus[n] higher first, then the tie rank there lower (tiebreak_at[n], else
  tiebreak), then child id. A transfer child's kept seat is not in the capacity and is never
  contested. Excluded pairs never block. A family blocks with a whole outcome it prefers
  (checker_families.py).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from matching.adjustments import AdjustmentKind, StaffAdjustment
from matching.checker_families import Classes, families_of, family_blocking, family_violations
from matching.instance import Instance, InstanceApplication
from matching.records import SiblingCondition
from matching.result import BlockingCoalition, MatchResult, coalition_order


@dataclass(frozen=True)
class CheckReport:
    violations: tuple[str, ...]
    blocking: tuple[BlockingCoalition, ...]

    @property
    def ok(self) -> bool:
        return not self.violations


def _key(app: InstanceApplication, nursery: str) -> tuple[int, int, str]:
    """Smaller is better: higher points, then the lower tie rank at that nursery, then child id."""
    return (-(app.score + app.bonus.get(nursery, 0)), app.tiebreak_at.get(nursery, app.tiebreak), app.id)


def check_assignments(
    instance: Instance,
    assignments: Mapping[str, str | None],
    adjustments: Sequence[StaffAdjustment] = (),
) -> CheckReport:
    apps = {a.id: a for a in instance.applications}
    capacity = {n.id: n.capacity for n in instance.nurseries}
    excluded = {(a.child_id, a.nursery) for a in adjustments if a.kind is AdjustmentKind.EXCLUDE}
    pins = {a.child_id: a.nursery for a in adjustments if a.kind is AdjustmentKind.PIN}
    violations: list[str] = []

    missing = [cid for cid in apps if cid not in assignments]
    extra = [cid for cid in assignments if cid not in apps]
    if missing:
        violations.append(f"children without an assignment: {missing[:5]}")
    if extra:
        violations.append(f"assignments for unknown children: {extra[:5]}")

    admitted: dict[tuple[str, int], list[InstanceApplication]] = defaultdict(list)
    freed: dict[tuple[str, int], int] = defaultdict(int)
    for cid, app in apps.items():
        got = assignments.get(cid)
        if app.current_nursery is not None:
            if got is None:
                violations.append(f"{cid}: a transfer child lost its current seat")
                continue
            if got == app.current_nursery:
                continue  # kept seat: outside the capacity of this run
            freed[(app.current_nursery, app.age_class)] += 1
        if got is None:
            continue
        if got not in app.preferences:
            violations.append(f"{cid}: placed at {got}, which it did not list")
        if (cid, got) in excluded:
            violations.append(f"{cid}: placed at excluded nursery {got}")
        admitted[(got, app.age_class)].append(app)
    for cid, nursery in pins.items():
        if assignments.get(cid) != nursery:
            violations.append(f"{cid}: pinned to {nursery} but placed at {assignments.get(cid)}")
    for (nursery, age), seated in sorted(admitted.items()):
        seats = capacity[nursery].get(age, 0) + freed[(nursery, age)]
        if len(seated) > seats:
            violations.append(f"{nursery} age {age}: {len(seated)} admitted, {seats} seats")

    families = families_of(instance, excluded)
    in_family = {c.id for family in families for c in family.children}
    groups: dict[str, list[InstanceApplication]] = defaultdict(list)
    for app in instance.applications:
        if app.sibling_group is None or app.id in in_family:
            continue
        if app.sibling_condition is SiblingCondition.SAME_TOGETHER:
            groups[app.sibling_group].append(app)
    for family in families:
        violations.extend(family_violations(family, assignments))
    grouped = {a.id for members in groups.values() if len(members) > 1 for a in members} | in_family
    for gid, members in groups.items():
        outcomes = {assignments.get(a.id) for a in members}
        if len(members) > 1 and len(outcomes) > 1:
            violations.append(f"sibling group {gid}: split between {sorted(map(str, outcomes))}")

    def seats_of(nursery: str, age: int) -> int:
        return capacity[nursery].get(age, 0) + freed[(nursery, age)]

    sorted_keys: dict[tuple[str, int], list[tuple[int, int, str]]] = {}

    def keys_of(nursery: str, age: int) -> list[tuple[int, int, str]]:
        found = sorted_keys.get((nursery, age))
        if found is None:
            found = sorted_keys[(nursery, age)] = sorted(_key(o, nursery) for o in admitted[(nursery, age)])
        return found

    blocking: list[BlockingCoalition] = []
    for app in instance.applications:
        if app.id in grouped:
            continue
        got = assignments.get(app.id)
        better = (
            app.preferences
            if got is None or got not in app.preferences
            else app.preferences[: app.preferences.index(got)]
        )
        for nursery in better:
            if (app.id, nursery) in excluded:
                continue
            keys = keys_of(nursery, app.age_class)
            if len(keys) < seats_of(nursery, app.age_class) or (keys and keys[-1] > _key(app, nursery)):
                blocking.append(BlockingCoalition(applicants=(app.id,), nursery=nursery))
    for members in groups.values():
        if len(members) < 2:
            continue
        common = [n for n in members[0].preferences if all(n in m.preferences for m in members)]
        common = [n for n in common if all((m.id, n) not in excluded for m in members)]
        common.sort(key=lambda n: _group_order(members, n))
        got = assignments.get(members[0].id)
        preferred = common if got not in common else common[: common.index(got)]
        for nursery in preferred:
            if _group_fits(members, nursery, keys_of, seats_of):
                ids = tuple(sorted(m.id for m in members))
                blocking.append(BlockingCoalition(applicants=ids, nursery=nursery))
    classes = Classes(instance, assignments) if families else None
    for family in families:
        blocking.extend(family_blocking(instance, family, assignments, classes))
    blocking.sort(key=coalition_order)
    return CheckReport(violations=tuple(violations), blocking=tuple(blocking))


def _group_order(members: list[InstanceApplication], nursery: str) -> tuple[int, list[int]]:
    """A same-nursery group's order of its nurseries: the product of the children's 1-based ranks there,
    then the ranks of the eldest first (twins in instance order)."""
    ranks = [m.preferences.index(nursery) + 1 for m in sorted(members, key=lambda m: -m.age_class)]
    total = 1
    for r in ranks:
        total *= r
    return total, ranks


def _group_fits(
    members: list[InstanceApplication],
    nursery: str,
    keys_of: Callable[[str, int], list[tuple[int, int, str]]],
    seats_of: Callable[[str, int], int],
) -> bool:
    by_age: dict[int, list[InstanceApplication]] = defaultdict(list)
    for m in members:
        by_age[m.age_class].append(m)
    for age, kids in by_age.items():
        kids.sort(key=lambda a: _key(a, nursery))
        seats = seats_of(nursery, age)
        others = keys_of(nursery, age)
        # The i-th best sibling (0-based) needs seats - (admitted above it) >= len(kids) - i.
        for i, kid in enumerate(kids):
            if seats - bisect_left(others, _key(kid, nursery)) < len(kids) - i:
                return False
    return True


def check_result(
    instance: Instance, result: MatchResult, adjustments: Sequence[StaffAdjustment] = ()
) -> CheckReport:
    """Check a result; a disagreement with the engine's blocking list is a violation too."""
    if result.status == "infeasible":
        return CheckReport((), ())  # nothing is assigned; the message says why
    report = check_assignments(instance, result.assignments, adjustments)
    violations = list(report.violations)
    if tuple(result.blocking) != report.blocking:
        engine, mine = set(result.blocking), set(report.blocking)
        violations.append(
            f"blocking coalitions differ: engine-only {sorted(engine - mine, key=str)[:3]}, "
            f"checker-only {sorted(mine - engine, key=str)[:3]}"
        )
    placed = sum(1 for v in result.assignments.values() if v is not None)
    if placed != result.placed:
        violations.append(f"placed count {result.placed} but {placed} children are placed")
    return CheckReport(violations=tuple(violations), blocking=report.blocking)
