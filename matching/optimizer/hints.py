"""A complete CP-SAT hint from a known outcome (deferred acceptance, or the previous solve).

Every model variable gets the value the outcome implies, so CP-SAT starts from a feasible point and the
first solution it reports is at least that good.
"""

from __future__ import annotations

from matching.optimizer.compiled import Compiled
from matching.optimizer.family_model import hint_family
from matching.optimizer.formulation import ABSENT, Formulation


def hint_values(comp: Compiled, form: Formulation, outcome: list[int]) -> list[int] | None:
    """A complete assignment of every model variable from an outcome; None if the outcome is outside
    the model (a placement the reduction removed)."""
    values = [0] * form.model.num_vars
    x = form.x
    values[form.true] = 1
    for c, j in enumerate(outcome):
        if j >= 0:
            if x[c][j] == ABSENT:
                return None
            values[x[c][j]] = 1
        elif form.true in x[c]:
            return None
    for k, roster in enumerate(comp.roster):
        base, active = form.e_base[k], form.active[k]
        everyone = [i for i, (c, j) in enumerate(roster) if outcome[c] == j]
        full = len(everyone) >= comp.class_cap[k]
        # In strict mode a pinned occupant makes nobody eligible.
        admitted = [i for i in everyone if not (form.strict and comp.pin[roster[i][0]] >= 0)]
        if active < len(roster) and (not full or (admitted and admitted[-1] >= active)):
            return None
        eligible_upto = admitted[-1] if full and admitted else (-1 if full else active - 1)
        for i in range(form.guaranteed[k], min(eligible_upto + 1, active)):
            values[base + i] = 1
    for v, c, j, kind in form.single_blocking:
        if any(values[u] for u in x[c][: j + 1] if u >= 0):
            continue
        k, i = comp.ent_class[c][j], comp.ent_pos[c][j]
        if kind == "below" or i < form.guaranteed[k] or (i < form.active[k] and values[form.e_base[k] + i]):
            values[v] = 1
    cumulative: dict[int, list[int]] = {}
    for p, k, q in form.prefix:
        counts = cumulative.get(k)
        if counts is None:
            counts = [0]
            for c, j in comp.roster[k]:
                counts.append(counts[-1] + (1 if outcome[c] == j else 0))
            cumulative[k] = counts
        values[p] = counts[q]
    for d, p, need in form.failures:
        values[d] = 1 if values[p] >= need else 0
    for blk, g, j, failures in form.group_blocking:
        placed_better = 0 <= outcome[comp.groups[g][0]] <= j
        values[blk] = 0 if placed_better or any(values[d] for d in failures) else 1
    if not hint_family(comp, form.families, outcome, values):
        return None
    return values
