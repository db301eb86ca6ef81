"""A city whose sibling applications use all seven きょうだい条件 and combination files (issue 23).

What it imitates, from how cities that record the seven conditions describe their applications:

- the households, nurseries, priorities and transfers of a dense-sibling city (samples/densecity), with
  15 % of children in sibling groups by default;
- every sibling group states one condition: 同保同時 is the most common answer (families asked "same
  nursery, same time?" mostly say yes), the 順次 answers come from families who accept that a younger
  child waits a round (上) or, less often, that the elder waits (下), and the 別保 answers from families
  who would rather have places anywhere than none;
- about 1 % of children belong to families that hand in a combination list (組合せ希望): a few whole
  outcomes in the family's own order, usually "together at our first choice", then "together at the
  second", then a split or "only the elder now";
- some groups include an elder child already enrolled elsewhere who asks to move to the younger
  child's nursery (転園 inside a group: it keeps its seat unless the move happens).

Built on the dense city's draw, then one more `random.Random` for the conditions: the same shape and
seed give the same bytes.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from matching.instance import Combination, Instance, InstanceApplication
from matching.records import SiblingCondition as C
from samples.densecity import DenseShape, generate_dense_city

CONDITION_MIX: dict[C, float] = {
    C.SAME_TOGETHER: 0.34,
    C.SAME_SEQUENTIAL_ELDEST: 0.12,
    C.SAME_SEQUENTIAL_YOUNGEST: 0.06,
    C.SPLIT_TOGETHER_SAME_FIRST: 0.10,
    C.SPLIT_TOGETHER_OWN_FIRST: 0.08,
    C.SPLIT_SEQUENTIAL_SAME_FIRST: 0.14,
    C.SPLIT_SEQUENTIAL_OWN_FIRST: 0.16,
}


@dataclass(frozen=True)
class PatternShape:
    applicants: int
    sibling_share: float = 0.15
    transfer_share: float = 0.05
    combination_share: float = 0.01  # share of children whose family gives a combination list
    group_transfer_share: float = 0.08  # sibling groups whose eldest is enrolled elsewhere and moves
    admission_year: int = 2027


def generate_pattern_city(shape: PatternShape, seed: int) -> Instance:
    base = generate_dense_city(
        DenseShape(
            shape.applicants,
            sibling_share=shape.sibling_share,
            transfer_share=shape.transfer_share,
            split_share=0.0,  # the condition decides below; the dense city's split flag is not used
            admission_year=shape.admission_year,
        ),
        seed,
    )
    rng = random.Random(seed * 7919 + 23)
    ages_at = {n.id: {age for age, seats in n.capacity.items() if seats > 0} for n in base.nurseries}
    groups: dict[str, list[InstanceApplication]] = defaultdict(list)
    for app in base.applications:
        if app.sibling_group is not None:
            groups[app.sibling_group].append(app)
    conditions, weights = list(CONDITION_MIX), list(CONDITION_MIX.values())
    changed: dict[str, InstanceApplication] = {}
    combinations: dict[str, tuple[Combination, ...]] = {}
    listed_children = 0
    for gid in sorted(groups):
        members = groups[gid]
        condition = rng.choices(conditions, weights=weights)[0]
        eldest = max(members, key=lambda a: a.age_class)
        current = None
        if eldest.age_class >= 1 and rng.random() < shape.group_transfer_share:
            elsewhere = sorted(
                n for n, ages in ages_at.items() if eldest.age_class in ages and n not in eldest.preferences
            )
            current = rng.choice(elsewhere) if elsewhere else None
        for app in members:
            update: dict[str, object] = {
                "sibling_condition": condition,
                "allow_split": condition.allows_split,
            }
            if app is eldest and current is not None:
                update["current_nursery"] = current
            changed[app.id] = app.model_copy(update=update)
        if listed_children < shape.combination_share * shape.applicants:
            combos = _family_list(rng, [changed[a.id] for a in members])
            if combos:
                combinations[gid] = combos
                listed_children += len(members)
    apps = tuple(changed.get(a.id, a) for a in base.applications)
    return Instance(
        admission_year=base.admission_year,
        nurseries=base.nurseries,
        applications=apps,
        sibling_combinations=combinations,
    )


def _family_list(rng: random.Random, members: list[InstanceApplication]) -> tuple[Combination, ...]:
    """A family's own list: together at each shared choice in order, then a split or the elder alone."""
    common = [n for n in members[0].preferences if all(n in m.preferences for m in members)]
    order = sorted(members, key=lambda a: -a.age_class)
    combos: list[Combination] = [{m.id: n for m in members} for n in common[: rng.randint(1, 3)]]
    if len(order[0].preferences) > 0 and rng.random() < 0.6:
        combos.append({m.id: (order[0].preferences[0] if m is order[0] else None) for m in members})
    if all(len(m.preferences) > 1 for m in members) and rng.random() < 0.4:
        combos.append({m.id: m.preferences[i % 2] for i, m in enumerate(order)})
    unique: list[Combination] = []
    for combo in combos:
        if combo not in unique and any(n is not None for n in combo.values()):
            unique.append(combo)
    return tuple(unique)
