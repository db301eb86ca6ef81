"""The cut-off formulation: a CP-SAT model linear in the number of preference entries.

Per class, every roster slot (child, class) has an eligibility literal e ("above the class's cut-off");
eligibility is monotone down the roster (e[i+1] -> e[i]), an admitted child is eligible (x -> e), and a
class with a free seat makes everyone eligible. Stability of an individual child is then one clause per
entry: eligible at k -> placed at k or at a nursery it prefers. A justified-envy pair (c, k) cannot
exist: k has a free seat (all eligible) or admits someone below c (eligible, so c is eligible too).

Same-nursery sibling groups block softly. "The group fits at nursery n" is Hall's condition per class
(see evaluate.group_fits) written with prefix counts of admitted children: per class, one integer per
roster position where a group member sits counts the admitted children above it; a failure literal d
says "this condition fails" and may only be set when it really fails. blk[g, j] is forced when the group
is not at its j-th nursery or better and no failure literal of that pair is set.

Reduction (strict mode): when every individual must be stable, no individual can do better than in the
child-optimal assignment of the market without same-nursery groups (`ceiling`). An individual entry
above its ceiling is then never eligible, so the class's roster is cut at the first such entry: nobody
below it can be admitted and the class is full. This removes most of the model before CP-SAT sees it
(CP-SAT's own probing finds the same fixings, but takes seconds to do so at city scale). Then a floor is
propagated: if fewer than `cap` children above c at class k can still be admitted there, c is eligible
at k whatever happens, so c ends at k or better and its worse entries leave the model; that removes
possible admissions elsewhere, and so on to a fixed point.

Objective, lexicographic in two solves: first weight * blocking coalitions - children placed, then,
with both held at their optimum, the sum of preference ranks of placed children (a staying transfer
counts one past its last choice).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matching._exec.cpsat import CpSatModel, negated
from matching.optimizer.compiled import Compiled
from matching.optimizer.family_model import (
    FamilyVars,
    add_blocking,
    blocking_conditions,
    family_literals,
    restrict_possible,
)
from matching.optimizer.propagation import Propagator

ABSENT = -1  # an entry whose placement literal is fixed to 0 and left out of the model


@dataclass
class Formulation:
    model: CpSatModel
    x: list[list[int]]  # per child, per entry: placement literal or ABSENT (group members share)
    e_base: list[int]  # per class: variable index of roster slot 0's eligibility literal
    active: list[int]  # per class: roster positions [0, active) are in the model
    # (var, group, entry, failure literals of that pair)
    group_blocking: list[tuple[int, int, int, tuple[int, ...]]] = field(default_factory=list)
    # (var, child, entry, kind): kind "e" blocks when eligible there and not placed there or better;
    # "below" (above a pinned occupant) blocks whenever not placed there or better.
    single_blocking: list[tuple[int, int, int, str]] = field(default_factory=list)
    prefix: list[tuple[int, int, int]] = field(default_factory=list)  # (var, class, roster position)
    failures: list[tuple[int, int, int]] = field(default_factory=list)  # (var, prefix var, needed count)
    blocking_vars: list[int] = field(default_factory=list)
    guaranteed: list[int] = field(default_factory=list)  # per class: roster slots [0, g) always eligible
    true: int = -1  # a literal fixed to true (certain placements)
    strict: bool = True
    weight_blocking: int = 0
    placed_coeffs: dict[int, int] = field(default_factory=dict)
    rank_coeffs: dict[int, int] = field(default_factory=dict)
    families: FamilyVars = field(default_factory=FamilyVars)  # sibling families (family_model.py)


def build(comp: Compiled, strict: bool, ceiling: list[int] | None = None) -> Formulation:
    """The model; `ceiling` (strict mode only) is each child's best reachable entry index."""
    model = CpSatModel()
    roster, ent_pos, ent_class = comp.roster, comp.ent_pos, comp.ent_class
    active = [len(r) for r in roster]
    pin = comp.pin
    if strict and ceiling is not None:
        for c in range(comp.n_children):
            if comp.is_individual(c) and pin[c] < 0:
                for j in range(min(ceiling[c], len(ent_class[c]))):
                    k = ent_class[c][j]
                    if ent_pos[c][j] < active[k]:
                        active[k] = ent_pos[c][j]
    possible = [
        [ent_pos[c][j] < active[k] for j, k in enumerate(classes)] for c, classes in enumerate(ent_class)
    ]
    for c, p in enumerate(pin):
        if p >= 0:  # a pinned child needs no eligibility: its seat is the staff's decision
            possible[c] = [j == p for j in range(len(ent_class[c]))]
    for members in comp.groups:
        for j in range(len(ent_class[members[0]])):
            if not all(possible[m][j] for m in members):
                for m in members:
                    possible[m][j] = False
    usable = restrict_possible(comp, possible)
    guaranteed: list[int] = []
    certain: list[bool] = []
    if strict and ceiling is not None:
        propagator = Propagator(comp, possible, active)
        guaranteed = propagator.run()
        certain = propagator.fixed
    x: list[list[int]] = [[ABSENT] * len(classes) for classes in ent_class]
    group_y: list[list[int]] = []
    # Certain placements share one literal fixed to true, so the clauses they satisfy are never built.
    true = model.new_bools(1)
    model.fix(true)
    for members in comp.groups:
        sure = bool(certain) and certain[members[0]]
        y = [(true if sure else model.new_bools(1)) if ok else ABSENT for ok in possible[members[0]]]
        group_y.append(y)
        for m in members:
            x[m] = y
    individual = [comp.is_individual(c) for c in range(comp.n_children)]
    for c in range(comp.n_children):
        if individual[c]:
            sure = bool(certain) and certain[c]
            x[c] = [(true if sure else model.new_bools(1)) if ok else ABSENT for ok in possible[c]]
    form = Formulation(model=model, x=x, e_base=[], active=active, true=true, strict=strict)
    form.families = family_literals(comp, model, x, usable)
    form.guaranteed = guaranteed
    for c in range(comp.n_children):
        if individual[c]:
            present = [v for v in x[c] if v != ABSENT]
            if len(present) > 1:
                model.add_at_most_one(present)
            if comp.current_class[c] >= 0 and true not in present:
                model.add_clause(present)  # a transfer child is always placed (its seat at worst)
    for y in group_y:
        present = [v for v in y if v != ABSENT]
        if len(present) > 1:
            model.add_at_most_one(present)
    for c, p in enumerate(comp.pin):
        if p >= 0 and x[c][p] != true:
            model.fix(x[c][p])
    _cutoffs(comp, form, strict)
    _group_blocking(comp, form, group_y)
    _objective(comp, form, group_y)
    return form


def _cutoffs(comp: Compiled, form: Formulation, strict: bool) -> None:
    """Eligibility chains, stability clauses, capacity.

    Staff pins in strict mode: a pinned child's admission makes nobody eligible (it is the staff's
    decision, not a priority outcome), so individuals stay strictly stable towards everyone else; what
    the pin costs is counted by soft literals: an individual above a pinned occupant of a class it
    prefers blocks there, and a pinned child blocks with better classes where it is eligible.
    """
    model, x, active = form.model, form.x, form.active
    if not form.guaranteed:
        form.guaranteed = [0] * comp.n_classes
    pin, true = comp.pin, form.true
    lowest_pinned = [-1] * comp.n_classes
    if strict:
        for c, p in enumerate(pin):
            if p >= 0:
                k = comp.ent_class[c][p]
                lowest_pinned[k] = max(lowest_pinned[k], comp.ent_pos[c][p])
    # Eligibility literals only for slots that are neither cut off nor guaranteed: slot i of class k is
    # variable e_base[k] + i for guaranteed[k] <= i < active[k].
    first = model.new_bools(sum(a - g for a, g in zip(active, form.guaranteed, strict=True)))
    clauses: list[list[int]] = []

    def soft(clause: list[int], c: int, j: int, kind: str) -> None:
        if true in clause:
            return
        literal = model.new_bools(1)
        form.single_blocking.append((literal, c, j, kind))
        clauses.append([*clause, literal])

    base = first
    for k, roster in enumerate(comp.roster):
        always = form.guaranteed[k]
        form.e_base.append(base - always)
        for i in range(max(active[k], lowest_pinned[k])):
            c, j = roster[i]
            xc = x[c]
            individual = comp.is_individual(c)
            pinned = strict and pin[c] >= 0
            better = [v for v in xc[: j + 1] if v != ABSENT]
            above_pin = individual and i < lowest_pinned[k] and pin[c] != j
            if above_pin:
                soft(better, c, j, "below")
            if i >= active[k]:
                continue
            if i < always:
                if individual and not pinned and true not in better:
                    clauses.append(better)
                elif individual and pinned and j < pin[c] and not above_pin:
                    soft([], c, j, "below")  # eligible for sure, and a pinned child cannot move
                continue
            e = base + i - always
            if i > always:
                clauses.append([negated(e), e - 1])
            if xc[j] != ABSENT and not pinned:
                clauses.append([negated(xc[j]), e])
            if not individual or true in better:
                continue
            if pinned:
                if j < pin[c] and not above_pin:
                    soft([negated(e)], c, j, "e")
            elif strict:
                clauses.append([negated(e), *better])
            else:
                soft([negated(e), *better], c, j, "e")
        base += active[k] - always
    model.add_clauses(clauses)
    # Capacity, and "a class with a free seat admits everyone" (a cut roster means the class is full).
    for k, roster in enumerate(comp.roster):
        coeffs: dict[int, int] = {}
        for c, j in roster:
            v = x[c][j]
            if v != ABSENT:
                coeffs[v] = coeffs.get(v, 0) + 1
        cap = comp.class_cap[k]
        if not coeffs:
            if active[k] < len(roster) and cap > 0:
                model.fix(_false(model))
            elif cap > 0 and form.guaranteed[k] < active[k]:
                model.fix(form.e_base[k] + active[k] - 1)  # nobody can be admitted: never full
            continue
        variables, values = list(coeffs), list(coeffs.values())
        if active[k] < len(roster):
            model.add_linear(variables, values, cap, cap)
        else:
            model.add_linear(variables, values, 0, cap)
            if cap > 0 and form.guaranteed[k] < active[k]:
                last = form.e_base[k] + active[k] - 1
                model.add_linear(variables, values, cap, 1 << 40, enforcement=negated(last))


def _false(model: CpSatModel) -> int:
    """A literal that cannot hold: makes the model infeasible (never expected, kept honest)."""
    v = model.new_bools(1)
    model.fix(v)
    return negated(v)


def _group_blocking(comp: Compiled, form: Formulation, group_y: list[list[int]]) -> None:
    model, x, active = form.model, form.x, form.active
    lowest_pinned: dict[int, int] = {}
    for c, p in enumerate(comp.pin):
        if p >= 0:
            k = comp.ent_class[c][p]
            lowest_pinned[k] = max(lowest_pinned.get(k, -1), comp.ent_pos[c][p])

    def pinned_below(k: int, q: int) -> bool:
        """A pinned occupant below q can be displaced even in a class cut above q."""
        return lowest_pinned.get(k, -1) > q

    ent_class, ent_pos = comp.ent_class, comp.ent_pos
    pairs: list[tuple[int, int, list[tuple[int, int, int]]]] = []  # (group, entry, conditions)
    needed: dict[int, set[int]] = {}
    for g, (members, nurseries) in enumerate(zip(comp.groups, comp.group_nurseries, strict=True)):
        for j in range(len(nurseries)):
            per_class: dict[int, list[int]] = {}
            for m in members:
                per_class.setdefault(ent_class[m][j], []).append(ent_pos[m][j])
            conditions: list[tuple[int, int, int]] = []  # (class, position, admitted-above that fails)
            possible = True
            for k, positions in per_class.items():
                positions.sort()
                r = len(positions)
                for i, q in enumerate(positions):
                    need = comp.class_cap[k] + i + 1 - r
                    if need <= 0 or (q >= active[k] and not pinned_below(k, q)):
                        possible = False  # never fits: too few seats, or below the class's cut
                    conditions.append((k, q, need))
            if possible and form.true not in group_y[g][: j + 1]:
                pairs.append((g, j, conditions))
                for k, q, _ in conditions:
                    needed.setdefault(k, set()).add(q)
    family_pairs = blocking_conditions(comp, x, active, lowest_pinned)
    for _, _, family_conditions in family_pairs:
        for cond in family_conditions:
            needed.setdefault(cond.k, set()).add(cond.q)
    prefix_var: dict[tuple[int, int], int] = {}
    for k in sorted(needed):
        roster = comp.roster[k]
        previous_var, previous_pos = -1, 0
        for q in sorted(needed[k]):
            p = model.new_int(0, comp.class_cap[k])
            coeffs: dict[int, int] = {p: 1}
            if previous_var >= 0:
                coeffs[previous_var] = -1
            for c, j in roster[previous_pos:q]:
                v = x[c][j]
                if v != ABSENT:
                    coeffs[v] = coeffs.get(v, 0) - 1
            model.add_linear(list(coeffs), list(coeffs.values()), 0, 0)
            prefix_var[(k, q)] = p
            form.prefix.append((p, k, q))
            previous_var, previous_pos = p, q
    for g, j, conditions in pairs:
        clause = [v for v in group_y[g][: j + 1] if v != ABSENT]
        if form.true in clause:
            continue  # certainly placed at this nursery or a better one
        failures = []
        for k, q, need in conditions:
            d = model.new_bools(1)
            p = prefix_var[(k, q)]
            model.add_linear([p], [1], need, 1 << 40, enforcement=d)
            form.failures.append((d, p, need))
            failures.append(d)
        blk = model.new_bools(1)
        model.add_clause([*clause, *failures, blk])
        form.group_blocking.append((blk, g, j, tuple(failures)))
    add_blocking(comp, model, x, form.families, family_pairs, prefix_var, form.true)


def _objective(comp: Compiled, form: Formulation, group_y: list[list[int]]) -> None:
    """Stage 1: weight * blocking - placed (weight > children, so blocking comes first). The rank sum is
    stage 2 (see engine): one objective with all three weights made the LP ten times harder."""
    placed: dict[int, int] = {}
    rank: dict[int, int] = {}
    for c in range(comp.n_children):
        ranks = comp.ent_rank[c]
        for j, v in enumerate(form.x[c]):
            if v != ABSENT:
                placed[v] = placed.get(v, 0) + 1
                rank[v] = rank.get(v, 0) + ranks[j]
    form.placed_coeffs, form.rank_coeffs = placed, rank
    form.weight_blocking = comp.n_children + 1
    form.blocking_vars = (
        [item[0] for item in form.group_blocking]
        + [item[0] for item in form.single_blocking]
        + [item[0] for item in form.families.blocking]
    )
    coeffs = {v: -count for v, count in placed.items()}
    for v in form.blocking_vars:
        coeffs[v] = form.weight_blocking
    form.model.minimise(list(coeffs), list(coeffs.values()))


def second_stage(form: Formulation, blocking: int, placed: int) -> None:
    """Keep the first stage's optimum and minimise the sum of preference ranks of placed children."""
    model = form.model
    if form.blocking_vars:
        model.add_linear(form.blocking_vars, [1] * len(form.blocking_vars), 0, blocking)
    model.add_linear(list(form.placed_coeffs), list(form.placed_coeffs.values()), placed, 1 << 40)
    model.minimise(list(form.rank_coeffs), list(form.rank_coeffs.values()))
