"""Deferred acceptance (children propose): the fast pure-Python baseline and the optimizer's hint.

Without sibling groups this is the classic child-optimal stable assignment. Transfer children (転園)
carry their current seat as a last entry where they have absolute priority (see optimizer.compiled), so
a transfer keeps its seat unless it gets something it prefers, and a seat it frees is taken by the next
child in line within the same run. The baseline way of handling same-nursery sibling groups, documented
because the optimizer is compared against it:

1. Groups propose as a unit: all members enter their classes at the group's next nursery; if any member
   is rejected there (now or later) the whole group leaves that nursery and proposes to its next one.
   Seats a leaving group frees are not re-offered in this pass.
2. Individual children are then re-run alone around the groups that ended up placed (fixed occupants).
   A placed group that a higher-priority individual envies (the child prefers that class and outranks a
   member) is unplaced and the individuals run again. So every individual child is stable; only sibling
   groups can be left with justified envy.
Staff pins are fixed occupants; excluded pairs are not proposed to.
"""

from __future__ import annotations

from collections.abc import Sequence
from heapq import heappop, heappush, heapreplace

from matching.adjustments import StaffAdjustment
from matching.instance import Instance
from matching.optimizer.compiled import NONE, Compiled, compile_instance


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
    placed_groups = _group_phase(comp)
    for _ in range(len(comp.groups) + 1):
        outcome = individual_da(comp, placed_groups)
        envied = _envied_groups(comp, outcome, placed_groups)
        if not envied:
            return outcome
        for g in envied:
            del placed_groups[g]
    raise AssertionError("unreachable: each round unplaces at least one group")


def individual_da(comp: Compiled, placed_groups: dict[int, int]) -> list[int]:
    """Child-proposing DA of the individual children around pins and the given placed groups.

    With no groups placed this is the child-optimal stable assignment of the market without the
    same-nursery groups: no individual can do better than this in any assignment where individuals are
    stable (capacity monotonicity of deferred acceptance), which the optimizer uses to shrink its model.
    """
    outcome = [NONE] * comp.n_children
    cap = list(comp.class_cap)
    ent_class, group_of, pin = comp.ent_class, comp.group_of, comp.pin
    for c, p in enumerate(pin):
        if p >= 0 and group_of[c] < 0:
            outcome[c] = p
            cap[ent_class[c][p]] -= 1
    for g, j in placed_groups.items():
        for m in comp.groups[g]:
            outcome[m] = j
            cap[ent_class[m][j]] -= 1
    heaps: list[list[int]] = [[] for _ in cap]
    stack = [c for c in range(comp.n_children - 1, -1, -1) if group_of[c] < 0 and pin[c] == NONE]
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


def _group_phase(comp: Compiled) -> dict[int, int]:
    """Step 1: everyone proposes, groups as units. Returns group -> entry index of placed groups.

    Heaps hold entry keys (larger is better, so the worst holder is on top) with lazy deletion: an
    entry is live while its child still holds that class.
    """
    n = comp.n_children
    ent_class, ent_key, group_of, groups = comp.ent_class, comp.ent_key, comp.group_of, comp.groups
    mask = (1 << 20) - 1
    cap = list(comp.class_cap)
    hold = [-1] * n  # class currently held, -1 none
    nxt = [0] * n
    gnext = [0] * len(groups)
    heaps: list[list[int]] = [[] for _ in cap]
    load = [0] * len(cap)
    fixed_groups: dict[int, int] = {}
    for c, p in enumerate(comp.pin):
        if p >= 0:
            g = group_of[c]
            if g >= 0:
                fixed_groups[g] = p
            cap[ent_class[c][p]] -= 1
    stack: list[int] = []  # agents: child c >= 0, group g encoded as -(g + 1)
    for c in range(n - 1, -1, -1):
        if group_of[c] < 0 and comp.pin[c] == NONE:
            stack.append(c)
    for g in range(len(groups) - 1, -1, -1):
        if g not in fixed_groups:
            stack.append(-(g + 1))

    def release_group(g: int) -> None:
        for m in groups[g]:
            k = hold[m]
            if k >= 0:
                hold[m] = -1
                load[k] -= 1

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
                heappop(heap)
            item = ent_key[agent][j]
            if load[k] < cap[k]:
                heappush(heap, item)
                hold[agent] = k
                load[k] += 1
            elif heap and heap[0] < item:
                loser = (-heapreplace(heap, item)) & mask
                hold[agent] = k
                g = group_of[loser]
                if g >= 0:
                    release_group(g)
                    load[k] += 1
                    push(-(g + 1))
                else:
                    hold[loser] = -1
                    push(loser)
            else:
                push(agent)
            continue
        g = -agent - 1
        j = gnext[g]
        if j >= len(comp.group_nurseries[g]):
            continue
        gnext[g] = j + 1
        touched = []
        for m in groups[g]:
            k = ent_class[m][j]
            heappush(heaps[k], ent_key[m][j])
            hold[m] = k
            load[k] += 1
            touched.append(k)
        # Trim every class that went over capacity; a rejected member takes its whole group out.
        for k in touched:
            heap = heaps[k]
            while load[k] > max(cap[k], 0):
                worst = (-heappop(heap)) & mask
                if hold[worst] != k:
                    continue
                wg = group_of[worst]
                if wg >= 0:
                    release_group(wg)
                    push(-(wg + 1))
                else:
                    hold[worst] = -1
                    load[k] -= 1
                    push(worst)
    placed = dict(fixed_groups)
    for g, members in enumerate(groups):
        if g not in placed and hold[members[0]] >= 0:
            placed[g] = gnext[g] - 1
    return placed


def _envied_groups(comp: Compiled, outcome: list[int], placed_groups: dict[int, int]) -> list[int]:
    """Placed (unpinned) groups with a member below an individual child who prefers that class."""
    best_envious = [1 << 60] * comp.n_classes
    ent_class, ent_pos = comp.ent_class, comp.ent_pos
    for c, current in enumerate(outcome):
        if comp.group_of[c] >= 0 or comp.pin[c] != NONE:
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
    return envied
