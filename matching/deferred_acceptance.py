"""Deferred acceptance (children propose): the fast pure-Python baseline and the optimizer's hint.

Without sibling groups this is the classic child-optimal stable assignment. Transfer children (転園)
carry their current seat as a last entry where they have absolute priority (see optimizer.compiled), so
a transfer keeps its seat unless it gets something it prefers, and a seat it frees is taken by the next
child in line within the same run. The baseline way of handling same-nursery sibling groups, documented
because the optimizer is compared against it:

1. Groups propose as a unit: all members enter their classes at the group's next nursery; if any member
   is rejected there (now or later) the whole group leaves that nursery and proposes to its next one.
   Seats a leaving group frees are not re-offered in this pass.
   A family (optimizer/families.py) proposes its outcomes in its own order the same way: every child
   newly placed by the outcome enters its class (a transfer child staying at its seat always fits); a
   rejected child takes the family to its next outcome, and "nobody new" is the last.
2. Individual children are then re-run alone around the groups and families that ended up placed
   (fixed occupants). A placed group or family that a higher-priority individual envies (the child
   prefers that class and outranks a member) is unplaced (a family falls back to "nobody new") and the
   individuals run again. So every individual child is stable; only sibling groups and families can be
   left with justified envy.
Staff pins are fixed occupants; excluded pairs are not proposed to.
"""

from __future__ import annotations

from collections.abc import Sequence
from heapq import heappop, heappush, heapreplace

from matching.adjustments import StaffAdjustment
from matching.instance import Instance
from matching.optimizer.compiled import NONE, Compiled, compile_instance
from matching.optimizer.families import Family


def deferred_acceptance(
    instance: Instance, adjustments: Sequence[StaffAdjustment] = ()
) -> dict[str, str | None]:
    """Child id -> nursery id (a staying transfer: its current nursery; 保留: None)."""
    comp = compile_instance(instance, adjustments)
    return outcome_to_assignments(comp, da_outcome(comp))


def outcome_to_assignments(comp: Compiled, outcome: list[int]) -> dict[str, str | None]:
    result: dict[str, str | None] = {}
    nursery_ids, class_nursery, ent_class = comp.nursery_ids, comp.class_nursery, comp.ent_class
    for c, j in enumerate(outcome):
        result[comp.child_ids[c]] = nursery_ids[class_nursery[ent_class[c][j]]] if j >= 0 else None
    return result


def da_outcome(comp: Compiled) -> list[int]:
    """Per child: entry index or NONE. Every individual child is stable in the result."""
    placed_groups, placed_families = _group_phase(comp)
    for _ in range(len(comp.groups) + len(comp.families) + 1):
        outcome = individual_da(comp, placed_groups, placed_families)
        envied_groups, envied_families = _envied_units(comp, outcome, placed_groups, placed_families)
        if not envied_groups and not envied_families:
            return outcome
        for g in envied_groups:
            del placed_groups[g]
        for f in envied_families:
            placed_families[f] = comp.families[f].fallback
    raise AssertionError("unreachable: each round unplaces at least one group or family")


def individual_da(
    comp: Compiled, placed_groups: dict[int, int], placed_families: dict[int, tuple[int, ...]] | None = None
) -> list[int]:
    """Child-proposing DA of the individual children around pins and the given placed groups.

    With no groups placed this is the child-optimal stable assignment of the market without the
    same-nursery groups: no individual can do better than this in any assignment where individuals are
    stable (capacity monotonicity of deferred acceptance), which the optimizer uses to shrink its model.
    """
    outcome = [NONE] * comp.n_children
    cap = list(comp.class_cap)
    ent_class, pin = comp.ent_class, comp.pin
    individual = [comp.is_individual(c) for c in range(comp.n_children)]
    for c, p in enumerate(pin):
        if p >= 0 and individual[c]:
            outcome[c] = p
            cap[ent_class[c][p]] -= 1
    for g, j in placed_groups.items():
        for m in comp.groups[g]:
            outcome[m] = j
            cap[ent_class[m][j]] -= 1
    for f, combo in (placed_families or {}).items():
        for m, j in zip(comp.families[f].members, combo, strict=True):
            if j != NONE:
                outcome[m] = j
                cap[ent_class[m][j]] -= 1
    heaps: list[list[int]] = [[] for _ in cap]
    stack = [c for c in range(comp.n_children - 1, -1, -1) if individual[c] and pin[c] == NONE]
    nxt = [0] * comp.n_children
    ent_key = comp.ent_key
    mask = (1 << 20) - 1
    pop, push = stack.pop, stack.append
    while stack:
        c = pop()
        j = nxt[c]
        entries = ent_class[c]
        if j >= len(entries):
            continue
        nxt[c] = j + 1
        k = entries[j]
        heap = heaps[k]
        item = ent_key[c][j]
        if len(heap) < cap[k]:
            heappush(heap, item)
            outcome[c] = j
        elif heap and heap[0] < item:  # the worst holder has a larger roster position
            loser = (-heapreplace(heap, item)) & mask
            outcome[c] = j
            outcome[loser] = NONE
            push(loser)
        else:
            push(c)
    return outcome


def _group_phase(comp: Compiled) -> tuple[dict[int, int], dict[int, tuple[int, ...]]]:
    """Step 1: everyone proposes, groups and families as units. Returns group -> entry index of placed
    groups, and family -> the outcome each family ended with.

    Heaps hold entry keys (larger is better, so the worst holder is on top) with lazy deletion: an
    entry is live while its child still holds that class.
    """
    n = comp.n_children
    ent_class, ent_key, group_of, groups = comp.ent_class, comp.ent_key, comp.group_of, comp.groups
    family_of, families = comp.family_of, comp.families
    mask = (1 << 20) - 1
    cap = list(comp.class_cap)
    hold = [-1] * n  # class currently held, -1 none
    nxt = [0] * n
    gnext = [0] * len(groups)
    fnext = [0] * len(families)
    heaps: list[list[int]] = [[] for _ in cap]
    load = [0] * len(cap)
    fixed_groups: dict[int, int] = {}
    for c, p in enumerate(comp.pin):
        if p >= 0:
            g = group_of[c]
            if g >= 0:
                fixed_groups[g] = p
            cap[ent_class[c][p]] -= 1
    stack: list[int] = []  # agents: child c >= 0, group g as -(g + 1), family f as -(G + f + 1)
    for c in range(n - 1, -1, -1):
        if comp.is_individual(c) and comp.pin[c] == NONE:
            stack.append(c)
    n_groups = len(groups)
    for f in range(len(families) - 1, -1, -1):
        stack.append(-(n_groups + f + 1))
    for g in range(n_groups - 1, -1, -1):
        if g not in fixed_groups:
            stack.append(-(g + 1))

    def release(child: int) -> int:
        """Take the child's unit out of its classes; the agent that proposes again."""
        g, f = group_of[child], family_of[child]
        members = groups[g] if g >= 0 else families[f].members if f >= 0 else (child,)
        for m in members:
            k = hold[m]
            if k >= 0 and comp.pin[m] == NONE:
                hold[m] = -1
                load[k] -= 1
        return -(g + 1) if g >= 0 else -(n_groups + f + 1) if f >= 0 else child

    # A family may come back to a class in a later outcome while its earlier (stale) heap entry is still
    # there: the entry is then live again instead of pushed twice.
    in_heap: set[tuple[int, int]] = set()

    def popped(child: int, k: int) -> None:
        if family_of[child] >= 0:
            in_heap.discard((child, k))

    def enter(m: int, j: int, touched: list[int]) -> None:
        k = ent_class[m][j]
        if family_of[m] < 0 or (m, k) not in in_heap:
            heappush(heaps[k], ent_key[m][j])
            if family_of[m] >= 0:
                in_heap.add((m, k))
        hold[m] = k
        load[k] += 1
        touched.append(k)

    pop, push = stack.pop, stack.append
    while stack:
        agent = pop()
        if agent >= 0:  # an individual: the classic step, with lazy deletion
            j = nxt[agent]
            entries = ent_class[agent]
            if j >= len(entries):
                continue
            nxt[agent] = j + 1
            k = entries[j]
            heap = heaps[k]
            while heap and hold[(-heap[0]) & mask] != k:
                popped((-heappop(heap)) & mask, k)
            item = ent_key[agent][j]
            if load[k] < cap[k]:
                heappush(heap, item)
                hold[agent] = k
                load[k] += 1
            elif heap and heap[0] < item:
                loser = (-heapreplace(heap, item)) & mask
                popped(loser, k)
                hold[agent] = k
                if comp.is_individual(loser):
                    hold[loser] = -1
                    push(loser)
                else:
                    load[k] += 1
                    push(release(loser))
            else:
                push(agent)
            continue
        touched: list[int] = []
        if agent >= -n_groups:
            g = -agent - 1
            j = gnext[g]
            if j >= len(comp.group_nurseries[g]):
                continue
            gnext[g] = j + 1
            for m in groups[g]:
                enter(m, j, touched)
        else:
            family = families[-agent - n_groups - 1]
            r = fnext[-agent - n_groups - 1]
            options = _options(family, comp.pin)
            if r >= len(options):
                continue
            fnext[-agent - n_groups - 1] = r + 1
            for m, j in zip(family.members, options[r], strict=True):
                if j != NONE and comp.pin[m] == NONE:
                    enter(m, j, touched)
        # Trim every class that went over capacity; a rejected member takes its whole unit out.
        for k in touched:
            heap = heaps[k]
            while load[k] > max(cap[k], 0):
                worst = (-heappop(heap)) & mask
                popped(worst, k)
                if hold[worst] != k:
                    continue
                if comp.is_individual(worst):
                    hold[worst] = -1
                    load[k] -= 1
                    push(worst)
                else:
                    push(release(worst))
    placed = dict(fixed_groups)
    for g, members in enumerate(groups):
        if g not in placed and hold[members[0]] >= 0:
            placed[g] = gnext[g] - 1
    outcomes: dict[int, tuple[int, ...]] = {}
    for f, family in enumerate(families):
        options = _options(family, comp.pin)
        settled = 0 < fnext[f] <= len(options) and all(
            (hold[m] >= 0) == (j != NONE) or comp.pin[m] != NONE
            for m, j in zip(family.members, options[fnext[f] - 1], strict=True)
        )
        if settled:
            outcomes[f] = options[fnext[f] - 1]
        elif family.fallback_allowed:
            outcomes[f] = family.fallback
        else:  # pinned members and no outcome fitted: the best one, as staff pinned (CP-SAT decides)
            outcomes[f] = options[0]
    return placed, outcomes


def _options(family: Family, pin: list[int]) -> tuple[tuple[int, ...], ...]:
    """The outcomes a family proposes, in its order: those that honour its pins; then "nobody new"."""
    if not family.fallback_allowed:
        return tuple(c for c in family.combos if family.honours(c, pin))
    return (*family.combos, family.fallback)


def _envied_units(
    comp: Compiled,
    outcome: list[int],
    placed_groups: dict[int, int],
    placed_families: dict[int, tuple[int, ...]],
) -> tuple[list[int], list[int]]:
    """Placed (unpinned) groups and families with a member below an individual child who prefers that
    class."""
    best_envious = [1 << 60] * comp.n_classes
    ent_class, ent_pos = comp.ent_class, comp.ent_pos
    for c, current in enumerate(outcome):
        if not comp.is_individual(c) or comp.pin[c] != NONE:
            continue
        entries = ent_class[c]
        upto = current if current >= 0 else len(entries)
        positions = ent_pos[c]
        for j in range(upto):
            k = entries[j]
            if positions[j] < best_envious[k]:
                best_envious[k] = positions[j]
    envied = []
    for g, j in placed_groups.items():
        members = comp.groups[g]
        if comp.pin[members[0]] != NONE:
            continue
        if any(ent_pos[m][j] > best_envious[ent_class[m][j]] for m in members):
            envied.append(g)
    envied_families = []
    for f, combo in placed_families.items():
        family = comp.families[f]
        if combo == family.fallback or not family.fallback_allowed:
            continue
        if any(
            j != NONE and ent_pos[m][j] > best_envious[ent_class[m][j]]
            for m, j in zip(family.members, combo, strict=True)
        ):
            envied_families.append(f)
    return envied, envied_families
