"""The instance turned into integer arrays: what deferred acceptance, the model and the evaluator share.

Children, nurseries and age classes become indices. Each child has *entries*: the classes it may be placed
in, best first (its preferences minus staff exclusions). Each class has a *roster*: every entry that names
it, sorted by priority at that nursery (higher score + bonus first, then lower tie-break, then child id so
the order is strict even when two children tie completely).

A transfer child (転園) gets its current seat as one more entry after its preferences: the class's
capacity grows by that seat and the child has absolute priority there. So its kept seat is never
contested, and when it moves the seat is simply free for the next child in line, in the same run.

Agents: a child is an *individual* (no sibling group, or a 別保順次希 group whose children are all in
different age classes), a member of a same-nursery *group* (同保同時 without transfer children), or a
member of a *family* (every other sibling group, see optimizer/families.py). A group's list is the
nurseries every member listed, in the family order of families.py (product of the children's ranks, then
the eldest's rank); the members' entries follow that list index for index, so entry j of every member is
"the group at its j-th nursery". A family member has its own entries like an individual; the family's
outcome is one of its ranked combinations (an entry per member).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from matching.adjustments import AdjustmentKind, StaffAdjustment
from matching.errors import InstanceError
from matching.instance import Instance, InstanceApplication
from matching.limits import DEFAULT_LIMITS
from matching.optimizer.families import (
    Family,
    MemberEntries,
    derived_combos,
    eldest_first,
    listed_combos,
    needs_family,
)
from matching.records import SiblingCondition

NONE = -1  # outcome of a child left unplaced (保留); otherwise an outcome is an entry index
TOP_PRIORITY = 1 << 40  # a transfer child's points at its own current seat


@dataclass
class Compiled:
    child_ids: list[str]
    child_age: list[int]
    nursery_ids: list[str]
    nursery_names: list[str]
    class_nursery: list[int]
    class_age: list[int]
    class_cap: list[int]
    # Per child, best first: class index, original 0-based preference rank, points (score + bonus).
    ent_class: list[list[int]]
    ent_rank: list[list[int]]
    ent_points: list[list[int]]
    ent_pos: list[list[int]] = field(default_factory=list)  # position in the class roster (0 = best)
    # Heap key of an entry for deferred acceptance: -(position << 20 | child); larger is better, and
    # one int compares faster than a tuple.
    ent_key: list[list[int]] = field(default_factory=list)
    roster: list[list[tuple[int, int]]] = field(default_factory=list)  # per class: (child, entry index)
    group_of: list[int] = field(default_factory=list)  # same-nursery group index or -1
    groups: list[list[int]] = field(default_factory=list)  # members, in instance order
    group_nurseries: list[list[int]] = field(default_factory=list)
    current_class: list[int] = field(default_factory=list)  # transfer child's current class or -1
    pin: list[int] = field(default_factory=list)  # entry index or NONE (not pinned)
    pinned_any: bool = False
    family_of: list[int] = field(default_factory=list)  # family index or -1
    families: list[Family] = field(default_factory=list)

    @property
    def n_children(self) -> int:
        return len(self.child_ids)

    @property
    def n_classes(self) -> int:
        return len(self.class_cap)

    def is_individual(self, child: int) -> bool:
        """Neither in a same-nursery group nor in a family: applies alone and is kept stable."""
        return self.group_of[child] < 0 and self.family_of[child] < 0

    def is_transfer(self, child: int) -> bool:
        return self.current_class[child] >= 0

    def preference_count(self, child: int) -> int:
        """Entries that are real preferences (a transfer's last entry is its current seat)."""
        return len(self.ent_class[child]) - (1 if self.current_class[child] >= 0 else 0)


def compile_instance(instance: Instance, adjustments: Sequence[StaffAdjustment] = ()) -> Compiled:
    """Index the instance; adjustments become pins and removed entries. Raises InstanceError on conflicts."""
    nursery_ids = [n.id for n in instance.nurseries]
    nursery_index = {nid: i for i, nid in enumerate(nursery_ids)}
    class_index: dict[tuple[int, int], int] = {}
    class_nursery: list[int] = []
    class_age: list[int] = []
    class_cap: list[int] = []
    capacities = [n.capacity for n in instance.nurseries]

    def class_of(nursery: int, age: int) -> int:
        key = (nursery, age)
        found = class_index.get(key)
        if found is None:
            found = class_index[key] = len(class_cap)
            class_nursery.append(nursery)
            class_age.append(age)
            class_cap.append(capacities[nursery].get(age, 0))
        return found

    apps = instance.applications
    child_ids = [a.id for a in apps]
    child_index = {cid: i for i, cid in enumerate(child_ids)}
    excluded, pins = _read_adjustments(adjustments, child_index, nursery_index)

    # Sibling groups, members in instance order: same-nursery groups, families, or individuals.
    group_members: dict[str, list[int]] = {}
    for i, app in enumerate(apps):
        if app.sibling_group is not None:
            group_members.setdefault(app.sibling_group, []).append(i)
    group_of = [-1] * len(apps)
    family_of = [-1] * len(apps)
    family_groups: list[tuple[str, list[int]]] = []
    groups: list[list[int]] = []
    group_nurseries: list[list[int]] = []
    for gid, members in group_members.items():
        if len(members) < 2:
            continue  # a "group" of one is an individual child
        condition = apps[members[0]].sibling_condition or SiblingCondition.SAME_TOGETHER
        transfers = any(apps[m].current_nursery is not None for m in members)
        ages = [apps[m].age_class for m in members]
        if needs_family(condition, ages, transfers, gid in instance.sibling_combinations):
            for m in members:
                family_of[m] = len(family_groups)
            family_groups.append((gid, members))
            continue
        if condition is not SiblingCondition.SAME_TOGETHER:
            continue  # 別保順次希 in different age classes: individuals (families.py says why)
        common = set(apps[members[0]].preferences)
        for m in members[1:]:
            common &= set(apps[m].preferences)
        listed = [n for n in apps[members[0]].preferences if n in common]
        listed = [n for n in listed if all((m, nursery_index[n]) not in excluded for m in members)]
        eldest = _eldest_first_order(apps, members)
        listed.sort(key=lambda n: _group_key(apps, eldest, n))
        for m in members:
            group_of[m] = len(groups)
        groups.append(members)
        group_nurseries.append([nursery_index[n] for n in listed])

    ent_class: list[list[int]] = []
    ent_rank: list[list[int]] = []
    ent_points: list[list[int]] = []
    current_class = [-1] * len(apps)
    for i, app in enumerate(apps):
        g = group_of[i]
        if g >= 0:
            order = {nid: r for r, nid in enumerate(app.preferences)}
            nurseries = group_nurseries[g]
            ranks = [order[nursery_ids[n]] for n in nurseries]
        elif not excluded:
            nurseries = [nursery_index[nid] for nid in app.preferences]
            ranks = list(range(len(nurseries)))
        else:
            pairs = [
                (r, nursery_index[nid])
                for r, nid in enumerate(app.preferences)
                if (i, nursery_index[nid]) not in excluded
            ]
            ranks = [r for r, _ in pairs]
            nurseries = [n for _, n in pairs]
        classes = [class_of(n, app.age_class) for n in nurseries]
        points = [app.score + app.bonus.get(nursery_ids[n], 0) for n in nurseries]
        if app.current_nursery is not None:
            if (i, nursery_index[app.current_nursery]) in excluded:
                raise InstanceError(
                    f"転園児 {app.id} の在園施設 {app.current_nursery} は除外できません / a transfer child's "
                    "current nursery cannot be excluded"
                )
            current = class_of(nursery_index[app.current_nursery], app.age_class)
            current_class[i] = current
            class_cap[current] += 1  # the child's own seat, reserved for it while it stays
            classes.append(current)
            ranks = [*ranks, len(app.preferences)]
            points.append(TOP_PRIORITY)
        ent_class.append(classes)
        ent_rank.append(ranks)
        ent_points.append(points)

    comp = Compiled(
        child_ids=child_ids,
        child_age=[a.age_class for a in apps],
        nursery_ids=nursery_ids,
        nursery_names=[n.name for n in instance.nurseries],
        class_nursery=class_nursery,
        class_age=class_age,
        class_cap=class_cap,
        ent_class=ent_class,
        ent_rank=ent_rank,
        ent_points=ent_points,
        group_of=group_of,
        groups=groups,
        group_nurseries=group_nurseries,
        current_class=current_class,
        family_of=family_of,
    )
    _build_rosters(comp, apps)
    comp.pin = _resolve_pins(comp, pins, excluded, nursery_index)
    comp.pinned_any = any(p != NONE for p in comp.pin)
    comp.families = [
        _family(comp, instance, gid, members, excluded, nursery_index) for gid, members in family_groups
    ]
    return comp


def _eldest_first_order(apps: Sequence[InstanceApplication], members: list[int]) -> list[int]:
    return sorted(members, key=lambda m: -apps[m].age_class)  # stable: twins keep instance order


def _group_key(
    apps: Sequence[InstanceApplication], order: list[int], nursery: str
) -> tuple[int, tuple[int, ...]]:
    """The family order of a same-nursery group's nurseries: the product of the children's ranks there
    (1 = first choice), then each child's rank, eldest first (optimizer/families.py, steps 4 and 5)."""
    ranks = tuple(apps[m].preferences.index(nursery) for m in order)
    product = 1
    for r in ranks:
        product *= r + 1
    return product, ranks


def _family(
    comp: Compiled,
    instance: Instance,
    gid: str,
    members: list[int],
    excluded: set[tuple[int, int]],
    nursery_index: dict[str, int],
) -> Family:
    """The family's ranked outcomes over its members' entries (an error when none honours the pins)."""
    entries = [
        MemberEntries(
            child=m,
            age_class=comp.child_age[m],
            nurseries=tuple(comp.class_nursery[k] for k in comp.ent_class[m]),
            ranks=tuple(comp.ent_rank[m]),
            stay=len(comp.ent_class[m]) - 1 if comp.current_class[m] >= 0 else NONE,
        )
        for m in members
    ]
    ordered = eldest_first(entries)
    listed = instance.sibling_combinations.get(gid)
    if listed is not None:
        child_index = {comp.child_ids[m]: m for m in members}
        by_id = [
            {child_index[cid]: (None if n is None else nursery_index[n]) for cid, n in combination.items()}
            for combination in listed
        ]
        combos = listed_combos(ordered, by_id, excluded)
    else:
        condition = instance.applications[members[0]].sibling_condition or SiblingCondition.SAME_TOGETHER
        combos = derived_combos(gid, condition, ordered, DEFAULT_LIMITS.max_family_outcomes)
    pinned = [(i, comp.pin[m.child]) for i, m in enumerate(ordered) if comp.pin[m.child] != NONE]
    if pinned and not any(all(c[i] == p for i, p in pinned) for c in combos):
        names = ", ".join(comp.child_ids[m.child] for m in ordered)
        raise InstanceError(
            f"きょうだい ({names}) の固定はきょうだい条件・組合せ希望のどの入所パターンとも両立しません / the "
            f"pins of siblings {names} fit none of the outcomes their condition or combinations allow"
        )
    # Every outcome stays in the family's order (it may still block); pins only restrict which one it
    # gets (the model's possible entries, deferred acceptance's proposals).
    return Family(
        members=tuple(m.child for m in ordered),
        combos=tuple(combos),
        fallback=tuple(m.stay for m in ordered),
        fallback_allowed=not pinned,
    )


def _read_adjustments(
    adjustments: Sequence[StaffAdjustment], child_index: dict[str, int], nursery_index: dict[str, int]
) -> tuple[set[tuple[int, int]], dict[int, int]]:
    excluded: set[tuple[int, int]] = set()
    pins: dict[int, int] = {}
    for adj in adjustments:
        child = child_index.get(adj.child_id)
        nursery = nursery_index.get(adj.nursery)
        if child is None:
            raise InstanceError(
                f"調整の児童 {adj.child_id} が申込にありません / adjustment for unknown child"
            )
        if nursery is None:
            raise InstanceError(f"調整の施設 {adj.nursery} がありません / adjustment for unknown nursery")
        if adj.kind is AdjustmentKind.EXCLUDE:
            excluded.add((child, nursery))
        else:
            if child in pins and pins[child] != nursery:
                raise InstanceError(
                    f"児童 {adj.child_id} が2つの施設に固定されています / child pinned to two nurseries"
                )
            pins[child] = nursery
    return excluded, pins


def _resolve_pins(
    comp: Compiled, pins: dict[int, int], excluded: set[tuple[int, int]], nursery_index: dict[str, int]
) -> list[int]:
    pin = [NONE] * comp.n_children
    for child, nursery in pins.items():
        cid, nid = comp.child_ids[child], comp.nursery_ids[nursery]
        if (child, nursery) in excluded:
            raise InstanceError(
                f"児童 {cid} は {nid} に固定かつ除外されています / pinned and excluded at once"
            )
        listed = [comp.class_nursery[k] for k in comp.ent_class[child]]
        if nursery not in listed:
            raise InstanceError(
                f"児童 {cid} の固定先 {nid} は希望園（きょうだい共通の希望園）にありません。希望園に追加してから"
                f"固定してください / pin {cid} -> {nid}: the nursery is not among the child's (or the sibling "
                f"group's common) preferences"
            )
        pin[child] = listed.index(nursery)
    # A pinned sibling pins the whole same-nursery group.
    for members in comp.groups:
        chosen = {pin[m] for m in members if pin[m] != NONE}
        if len(chosen) > 1:
            names = ", ".join(comp.child_ids[m] for m in members)
            raise InstanceError(
                f"きょうだい同園希望 ({names}) が別々の施設に固定されています / siblings pinned apart"
            )
        if chosen:
            value = chosen.pop()
            for m in members:
                pin[m] = value
    return pin


def _tie_ranks(comp: Compiled, apps: Sequence[InstanceApplication]) -> tuple[list[list[int]], int]:
    """Per entry, the rank of (tie rank at that nursery, child id) among all such pairs, and their count."""
    ids = comp.child_ids
    if not any(a.tiebreak_at for a in apps):  # one tie order everywhere: one rank per child
        order = sorted(range(len(ids)), key=lambda c: (apps[c].tiebreak, ids[c]))
        rank = [0] * len(ids)
        for r, c in enumerate(order):
            rank[c] = r
        return [[rank[c]] * len(classes) for c, classes in enumerate(comp.ent_class)], max(len(ids), 1)
    nursery_ids, class_nursery = comp.nursery_ids, comp.class_nursery
    ties = [
        [(apps[c].tie_rank(nursery_ids[class_nursery[k]]), ids[c]) for k in classes]
        for c, classes in enumerate(comp.ent_class)
    ]
    pair_rank = {pair: r for r, pair in enumerate(sorted({pair for row in ties for pair in row}))}
    return [[pair_rank[pair] for pair in row] for row in ties], max(len(pair_rank), 1)


def _build_rosters(comp: Compiled, apps: Sequence[InstanceApplication]) -> None:
    """Sort each class's entries by priority. One int per entry sorts much faster than tuples:
    (-points) * m + (the rank of (tie rank there, child id) among m such pairs), then the entry's code.
    The tie rank is the child's `tiebreak`, or `tiebreak_at[n]` where the rules' tie order differs per
    nursery (希望順位 …)."""
    ids = comp.child_ids
    n = len(ids)
    if n >= 1 << 20:
        raise InstanceError("申込が多すぎます / more than 1,048,575 children in one instance")
    width = max((len(classes) for classes in comp.ent_class), default=0) + 1
    span = n * width
    tie_ranks, m = _tie_ranks(comp, apps)
    per_class: list[list[int]] = [[] for _ in comp.class_cap]
    for c, classes in enumerate(comp.ent_class):
        points = comp.ent_points[c]
        ranks = tie_ranks[c]
        code = c * width
        for j, k in enumerate(classes):
            per_class[k].append((-points[j] * m + ranks[j]) * span + code + j)
    comp.ent_pos = [[0] * len(classes) for classes in comp.ent_class]
    comp.ent_key = [[0] * len(classes) for classes in comp.ent_class]
    ent_pos, ent_key = comp.ent_pos, comp.ent_key
    comp.roster = []
    for keys in per_class:
        keys.sort()
        roster = []
        for pos, key in enumerate(keys):
            c, j = divmod(key % span, width)
            ent_pos[c][j] = pos
            ent_key[c][j] = -((pos << 20) | c)
            roster.append((c, j))
        comp.roster.append(roster)
