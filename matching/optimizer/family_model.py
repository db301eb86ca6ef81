"""Sibling families in the cut-off model (issue 23): one literal per outcome, and soft family blocking.

Per family, z[r] says "the family takes its r-th outcome" (at most one; exactly one when a member is
pinned); nothing chosen is the fallback, "nobody newly placed" (transfer children keep their seats).
A member's placement literal for entry j is the sum of the z of the outcomes that give it j (for a
transfer child's current seat: one minus the outcomes that move it), so capacity, eligibility and the
individuals' stability clauses of formulation.py see family members as ordinary occupants.

A family blocks with outcome r it prefers to its own when every class of r can take the children r
puts there. Per class k, the members r places in k are *stayers* (already in k) or *entrants*; an
entrant needs a seat that is free, held by a lower-priority child who is not in the family, or left by
a family member that r moves out of k (a *vacator*). Hall's condition over the entrants, best first:
for the i-th of s entrants (0-based), cap − stayers − (non-family admitted above it) ≥ s − i. Rewritten
over counts the model has (admitted above q, all children): entrant m at position q fails when

    admitted_above(q) − vacators_above(q) ≥ cap − (members of r in k at or below q) + 1,

so a failure literal d per member says "this member enters and its condition fails"; blk[r] is forced
when the family is worse than r and no d of r can be set — exactly the coalition the evaluator counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matching._exec.cpsat import CpSatModel, negated
from matching.optimizer.compiled import NONE, Compiled

ABSENT = -1


@dataclass
class FamilyVars:
    z: list[list[tuple[int, int]]] = field(default_factory=list)  # per family: (outcome index, literal)
    # (blk, family, outcome index, failure literals)
    blocking: list[tuple[int, int, int, tuple[int, ...]]] = field(default_factory=list)
    # (d, placement literal of the member at its entry or ABSENT, prefix var, vacator literals, need)
    failures: list[tuple[int, int, int, tuple[int, ...], int]] = field(default_factory=list)
    chains: list[list[int]] = field(default_factory=list)  # per family, per outcome: "this or better"


def restrict_possible(comp: Compiled, possible: list[list[bool]]) -> list[list[bool]]:
    """Per family, which outcomes are possible (every entry possible); a member's entry stays possible
    only when some possible outcome uses it. Mutates `possible` for family members."""
    usable: list[list[bool]] = []
    for family in comp.families:
        ok = [
            all(j == NONE or possible[m][j] for m, j in zip(family.members, combo, strict=True))
            for combo in family.combos
        ]
        usable.append(ok)
        used = [[False] * len(comp.ent_class[m]) for m in family.members]
        for combo, good in zip(family.combos, ok, strict=True):
            if good:
                for i, j in enumerate(combo):
                    if j != NONE:
                        used[i][j] = True
        if family.fallback_allowed:
            for i, j in enumerate(family.fallback):
                if j != NONE:
                    used[i][j] = True
        for i, m in enumerate(family.members):
            possible[m] = [p and u for p, u in zip(possible[m], used[i], strict=True)]
    return usable


def family_literals(
    comp: Compiled, model: CpSatModel, x: list[list[int]], usable: list[list[bool]]
) -> FamilyVars:
    """Outcome literals and the members' placement literals (written into `x`)."""
    out = FamilyVars()
    for f, family in enumerate(comp.families):
        z = [(r, model.new_bools(1)) for r, ok in enumerate(usable[f]) if ok]
        out.z.append(z)
        literals = [v for _, v in z]
        if not family.fallback_allowed:
            model.add_linear(literals, [1] * len(literals), 1, 1)
        elif len(literals) > 1:
            model.add_at_most_one(literals)
        for i, m in enumerate(family.members):
            users: dict[int, list[int]] = {}
            for r, v in z:
                users.setdefault(family.combos[r][i], []).append(v)
            stay = family.fallback[i]
            row = [ABSENT] * len(comp.ent_class[m])
            for j in range(len(row)):
                if j == stay and family.fallback_allowed:
                    movers = [v for r, v in z if family.combos[r][i] != stay]
                    row[j] = model.new_bools(1)
                    model.add_linear([row[j], *movers], [1] * (len(movers) + 1), 1, 1)
                elif len(users.get(j, ())) == 1:
                    row[j] = users[j][0]
                elif users.get(j):
                    row[j] = model.new_bools(1)
                    model.add_linear([row[j], *users[j]], [1] + [-1] * len(users[j]), 0, 0)
            x[m] = row
    return out


@dataclass(frozen=True)
class _Condition:
    member_x: int  # the member's placement literal at its entry in the outcome (ABSENT: cannot stay)
    k: int
    q: int
    vacators: tuple[tuple[int, int], ...]  # (child, entry) of family members outside r that may sit above
    need: int


def blocking_conditions(
    comp: Compiled, x: list[list[int]], active: list[int], pinned_below: dict[int, int]
) -> list[tuple[int, int, list[_Condition]]]:
    """(family, outcome, conditions) for every outcome that may block; positions needing a prefix count
    are the conditions' (k, q). An outcome that can never fit is left out."""
    found = []
    ent_class, ent_pos, cap = comp.ent_class, comp.ent_pos, comp.class_cap
    for f, family in enumerate(comp.families):
        for r, combo in enumerate(family.combos):
            per_class: dict[int, list[tuple[int, int, int]]] = {}  # k -> (position, child, entry)
            for m, j in zip(family.members, combo, strict=True):
                if j != NONE:
                    per_class.setdefault(ent_class[m][j], []).append((ent_pos[m][j], m, j))
            conditions: list[_Condition] = []
            possible = True
            for k, placed in per_class.items():
                placed.sort()
                inside = {m for _, m, _ in placed}
                outside = [
                    (m, j)
                    for m in family.members
                    if m not in inside
                    for j, kk in enumerate(ent_class[m])
                    if kk == k and x[m][j] != ABSENT
                ]
                for i, (q, m, j) in enumerate(placed):
                    vacators = tuple((mm, jj) for mm, jj in outside if ent_pos[mm][jj] < q)
                    below_cut = q >= active[k] and pinned_below.get(k, -1) <= q
                    if below_cut and not vacators and x[m][j] == ABSENT:
                        # Below the class's cut: the class is full of children above it, none of them a
                        # sibling who could make room, and the child cannot be there now: never fits.
                        possible = False
                        break
                    conditions.append(_Condition(x[m][j], k, q, vacators, cap[k] - (len(placed) - i) + 1))
                if not possible:
                    break
            if possible:
                found.append((f, r, conditions))
    return found


def add_blocking(
    comp: Compiled,
    model: CpSatModel,
    x: list[list[int]],
    fam: FamilyVars,
    found: list[tuple[int, int, list[_Condition]]],
    prefix_var: dict[tuple[int, int], int],
    true: int,
) -> None:
    at_least = _at_least(model, fam, found)
    # Outcomes share conditions: a child entering a class with the same siblings around it fails or fits
    # alike in every outcome that differs elsewhere (twins with five nurseries: 20 distinct conditions
    # for 70 uses), so each condition gets one failure literal.
    shared: dict[_Condition, int] = {}
    for f, r, conditions in found:
        better = at_least[f][r]
        failures = []
        for cond in conditions:
            if cond.member_x == true:
                continue  # certainly a stayer: no seat needed
            d = shared.get(cond, ABSENT)
            if d == ABSENT:
                d = shared[cond] = model.new_bools(1)
                if cond.member_x != ABSENT:
                    model.add_clause([negated(d), negated(cond.member_x)])  # d only for an entrant
                p = prefix_var[(cond.k, cond.q)]
                vac = [x[m][j] for m, j in cond.vacators]
                if cond.need > 0:
                    model.add_linear([p, *vac], [1] + [-1] * len(vac), cond.need, 1 << 40, enforcement=d)
                fam.failures.append((d, cond.member_x, p, tuple(vac), cond.need))
            failures.append(d)
        blk = model.new_bools(1)
        model.add_clause([*([better] if better != ABSENT else []), *failures, blk])
        fam.blocking.append((blk, f, r, tuple(failures)))


def _at_least(
    model: CpSatModel, fam: FamilyVars, found: list[tuple[int, int, list[_Condition]]]
) -> list[list[int]]:
    """Per family and outcome index r, a literal "the family has its r-th outcome or a better one"
    (ABSENT while none of them is possible), chained a[r] = a[r-1] or z[r]: linear in the outcomes,
    where listing z[0..r] in every blocking clause grew with their square (86,000 literals at 8,000
    children)."""
    last = [-1] * len(fam.z)
    for f, r, _ in found:
        last[f] = max(last[f], r)
    chains: list[list[int]] = []
    for f, z in enumerate(fam.z):
        literal_of = dict(z)
        chain: list[int] = []
        current = ABSENT
        for r in range(last[f] + 1):
            zr = literal_of.get(r)
            if zr is not None:
                if current == ABSENT:
                    current = zr
                else:
                    a = model.new_bools(1)
                    model.add_clause([negated(zr), a])
                    model.add_clause([negated(current), a])
                    model.add_clause([negated(a), current, zr])
                    current = a
            chain.append(current)
        chains.append(chain)
    fam.chains = chains
    return chains


def hint_family(comp: Compiled, fam: FamilyVars, outcome: list[int], values: list[int]) -> bool:
    """Set the outcome literals, failure and blocking literals from an outcome; False when the outcome
    is not one the model allows for some family."""
    index: list[int] = []
    for f, family in enumerate(comp.families):
        r = family.index_of(outcome)
        index.append(r)
        literal = dict(fam.z[f]).get(r)
        if r < len(family.combos):
            if literal is None:
                return False
            values[literal] = 1
        elif not family.fallback_allowed:
            return False
    for f, chain in enumerate(fam.chains):
        previous = ABSENT
        for r, a in enumerate(chain):
            if a != ABSENT and a != previous:
                values[a] = 1 if index[f] <= r else 0
            previous = a
    for d, member_x, p, vac, need in fam.failures:
        entrant = member_x == ABSENT or not values[member_x]
        values[d] = 1 if entrant and values[p] - sum(values[v] for v in vac) >= need else 0
    for blk, f, r, failures in fam.blocking:
        values[blk] = 0 if index[f] <= r or any(values[d] for d in failures) else 1
    return True
