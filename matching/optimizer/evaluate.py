"""Blocking coalitions of an outcome, computed on the compiled arrays (the engine's own list).

The independent checker (matching/checker.py) recomputes the same list from the instance file; the tests
require both to agree.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from matching.optimizer.compiled import Compiled


@dataclass(frozen=True)
class Blocking:
    group: int  # same-nursery group index, or -1 for an individual child
    child: int  # the individual child, or the group's (family's) first member
    entry: int  # entry index of the nursery the coalition would rather have (a family: -1)
    family: int = -1  # family index (optimizer/families.py), or -1
    combo: int = -1  # the family's outcome it would rather have


def outcome_index(comp: Compiled, outcome: list[int], child: int) -> int:
    """Entry index of the outcome; unplaced ranks after every entry."""
    j = outcome[child]
    return j if j >= 0 else len(comp.ent_class[child])


def admitted_positions(comp: Compiled, outcome: list[int]) -> list[list[int]]:
    """Per class, the sorted roster positions of admitted children (staying transfers included)."""
    admitted: list[list[int]] = [[] for _ in comp.class_cap]
    for c, j in enumerate(outcome):
        if j >= 0:
            admitted[comp.ent_class[c][j]].append(comp.ent_pos[c][j])
    for positions in admitted:
        positions.sort()
    return admitted


def find_blocking(comp: Compiled, outcome: list[int]) -> list[Blocking]:
    cap = comp.class_cap
    admitted = admitted_positions(comp, outcome)
    found: list[Blocking] = []
    ent_class, ent_pos = comp.ent_class, comp.ent_pos
    for c in range(comp.n_children):
        if not comp.is_individual(c):
            continue
        for j in range(outcome_index(comp, outcome, c)):
            k = ent_class[c][j]
            seated = admitted[k]
            if len(seated) < cap[k] or (seated and seated[-1] > ent_pos[c][j]):
                found.append(Blocking(-1, c, j))
    for g, members in enumerate(comp.groups):
        for j in range(outcome_index(comp, outcome, members[0])):
            if group_fits(comp, members, j, admitted):
                found.append(Blocking(g, members[0], j))
    for f, family in enumerate(comp.families):
        for r in range(family.index_of(outcome)):
            if family_fits(comp, family.members, family.combos[r], outcome, admitted):
                found.append(Blocking(-1, family.members[0], -1, f, r))
    return found


def family_fits(
    comp: Compiled,
    members: tuple[int, ...],
    combo: tuple[int, ...],
    outcome: list[int],
    admitted: list[list[int]],
) -> bool:
    """Can every class of the family's outcome `combo` take the children it puts there?

    Per class, members already there stay; each entrant needs a free seat, one a sibling leaves, or one
    held by a lower-priority child outside the family. Hall's condition over the entrants, best first:
    for the i-th of s entrants (0-based), cap - stayers - (non-family admitted above it) >= s - i.
    """
    family = set(members)
    per_class: dict[int, list[int]] = {}  # class -> positions of the entrants
    stayers: dict[int, int] = {}
    for m, j in zip(members, combo, strict=True):
        if j == -1:
            continue
        k = comp.ent_class[m][j]
        if outcome[m] == j:
            stayers[k] = stayers.get(k, 0) + 1
        else:
            per_class.setdefault(k, []).append(comp.ent_pos[m][j])
    for k, positions in per_class.items():
        positions.sort()
        own = sorted(
            comp.ent_pos[m][outcome[m]]
            for m in family
            if outcome[m] >= 0 and comp.ent_class[m][outcome[m]] == k
        )
        s = len(positions)
        for i, q in enumerate(positions):
            others_above = bisect_left(admitted[k], q) - bisect_left(own, q)
            if comp.class_cap[k] - stayers.get(k, 0) - others_above < s - i:
                return False
    return True


def group_fits(comp: Compiled, members: list[int], j: int, admitted: list[list[int]]) -> bool:
    """Can the group's j-th nursery take all members at once, displacing only lower-priority children?

    Per class with r members at positions q_1 < ... < q_r (best first), Hall's condition for nested
    sets: for every i, free seats plus admitted children below q_i must be at least r - i + 1, that is
    cap - (admitted above q_i) >= r - i + 1.
    """
    per_class: dict[int, list[int]] = {}
    for m in members:
        per_class.setdefault(comp.ent_class[m][j], []).append(comp.ent_pos[m][j])
    for k, positions in per_class.items():
        positions.sort()
        r = len(positions)
        for i, q in enumerate(positions):
            if comp.class_cap[k] - bisect_left(admitted[k], q) < r - i:
                return False
    return True


def count_placed(outcome: list[int]) -> int:
    return sum(1 for j in outcome if j >= 0)
