"""Random instances for tests and quick experiments (the benchmark uses the foundation city generator).

Small instances exercise every rule (ties in score broken by tiebreak, bonuses, twins in one class,
same-nursery and split sibling groups, transfers); `children` in the thousands gives a city-like load
with popularity concentrated on a few nurseries.
"""

from __future__ import annotations

import random

from matching.instance import Instance, InstanceApplication, InstanceNursery
from matching.records import SiblingCondition


def random_instance(
    seed: int,
    children: int = 8,
    nurseries: int = 3,
    max_preferences: int = 3,
    sibling_share: float = 0.25,
    transfer_share: float = 0.1,
    seats_per_child: float = 0.8,
    ages: tuple[int, ...] = (0, 1, 2),
) -> Instance:
    rng = random.Random(seed)
    ids = [f"N{i + 1:03d}" for i in range(nurseries)]
    popularity = [rng.paretovariate(1.3) for _ in ids]
    apps: list[InstanceApplication] = []
    group_no = 0
    while len(apps) < children:
        size = 1
        if children - len(apps) >= 2 and rng.random() < sibling_share / 2:
            size = 3 if rng.random() < 0.15 and children - len(apps) >= 3 else 2
        count = min(rng.randint(1, max_preferences), nurseries)
        prefs: list[str] = []
        while len(prefs) < count:
            pick = rng.choices(ids, weights=popularity)[0]
            if pick not in prefs:
                prefs.append(pick)
        score = rng.randrange(0, 40) * 5
        bonus = {prefs[0]: 5} if rng.random() < 0.1 else {}
        group = None
        split = False
        if size > 1:
            group_no += 1
            group = f"G{group_no:04d}"
            split = rng.random() < 0.4
        transfer = None
        if size == 1 and rng.random() < transfer_share:
            others = [n for n in ids if n not in prefs]
            transfer = rng.choice(others) if others else None
        twins = rng.random() < 0.3
        first_age = rng.choice(ages)
        for s in range(size):
            age = first_age if twins or s == 0 else rng.choice(ages)
            apps.append(
                InstanceApplication(
                    id=f"A{len(apps) + 1:06d}",
                    age_class=age,
                    preferences=tuple(prefs),
                    score=score,
                    tiebreak=rng.randrange(1_000_000),
                    bonus=bonus,
                    sibling_group=group,
                    allow_split=split,
                    current_nursery=transfer,
                )
            )
    demand: dict[int, int] = {}
    for app in apps:
        demand[app.age_class] = demand.get(app.age_class, 0) + 1
    capacity: dict[str, dict[int, int]] = {n: {} for n in ids}
    for age in ages:
        seats = round(demand.get(age, 0) * seats_per_child)
        weights = [rng.uniform(0.5, 1.5) for _ in ids]
        for n, w in zip(ids, weights, strict=True):
            capacity[n][age] = int(seats * w / sum(weights) + rng.random())
    return Instance(
        admission_year=2027,
        nurseries=tuple(InstanceNursery(id=n, name=f"テスト{n}保育園", capacity=capacity[n]) for n in ids),
        applications=tuple(apps),
    )


def _tiny_child(
    rng: random.Random,
    number: int,
    prefs: tuple[str, ...],
    age: int,
    group: str | None,
    current: str | None,
    condition: SiblingCondition | None = None,
) -> InstanceApplication:
    """One child of a tiny instance: scores 0-3 (many ties), a tie-break, sometimes a bonus at its first
    choice; `condition` None keeps the old files' default for a group (同保同時)."""
    return InstanceApplication(
        id=f"A{number:06d}",
        age_class=age,
        preferences=prefs,
        score=rng.randint(0, 3),
        tiebreak=rng.randint(0, 99),
        bonus={prefs[0]: 1} if rng.random() < 0.15 else {},
        sibling_group=group,
        allow_split=condition.allows_split if condition else False,
        sibling_condition=condition,
        current_nursery=current,
    )


def tiny_instance(seed: int) -> Instance:
    """2-3 nurseries with 0-2 seats per class, 1-3 sibling groups (twins or ages 0 and 1), 1-4 other
    children, ties in score, some transfers: small enough to enumerate, tight enough to block."""
    rng = random.Random(seed)
    ids = ["N001", "N002", "N003"][: rng.randint(2, 3)]
    capacity = {n: {0: rng.randint(0, 2), 1: rng.randint(0, 2)} for n in ids}
    apps: list[InstanceApplication] = []

    def add(prefs: tuple[str, ...], age: int, group: str | None, current: str | None = None) -> None:
        apps.append(_tiny_child(rng, len(apps) + 1, prefs, age, group, current))

    for g in range(rng.randint(1, 3)):
        prefs = tuple(rng.sample(ids, rng.randint(1, len(ids))))
        for age in (0, 0) if rng.random() < 0.3 else (0, 1):
            add(prefs, age, f"G{g + 1:04d}")
    for _ in range(rng.randint(1, 4)):
        prefs = tuple(rng.sample(ids, rng.randint(1, len(ids))))
        others = [n for n in ids if n not in prefs]
        current = rng.choice(others) if others and rng.random() < 0.2 else None
        add(prefs, rng.randint(0, 1), None, current)
    return Instance(
        admission_year=2027,
        nurseries=tuple(InstanceNursery(id=n, name=f"テスト{n}保育園", capacity=capacity[n]) for n in ids),
        applications=tuple(apps),
    )


def tiny_family_instance(seed: int, condition: SiblingCondition, combinations: bool = False) -> Instance:
    """2-3 nurseries with 0-2 seats per class, one or two sibling families with `condition` (twins or
    close ages, sometimes a transfer child), 1-3 other children: small enough to enumerate every
    assignment. With `combinations`, the first family gives a combination file instead."""
    rng = random.Random(seed)
    ids = ["N001", "N002", "N003"][: rng.randint(2, 3)]
    capacity = {n: {age: rng.choice((0, 1, 1, 2)) for age in (0, 1, 2)} for n in ids}
    apps: list[InstanceApplication] = []

    def add(prefs: tuple[str, ...], age: int, group: str | None, current: str | None = None) -> None:
        apps.append(_tiny_child(rng, len(apps) + 1, prefs, age, group, current, condition if group else None))

    families = rng.randint(1, 2)
    for g in range(families):
        size = 3 if families == 1 and rng.random() < 0.3 else 2
        ages = [1] * size if rng.random() < 0.4 else [rng.choice((0, 1, 2)) for _ in range(size)]
        for i, age in enumerate(ages):
            prefs = tuple(rng.sample(ids, rng.randint(1, min(2, len(ids)))))
            others = [n for n in ids if n not in prefs]
            current = rng.choice(others) if i == 0 and others and rng.random() < 0.2 else None
            add(prefs, age, f"G{g + 1:04d}", current)
    for _ in range(rng.randint(1, 3 if families == 1 else 2)):
        prefs = tuple(rng.sample(ids, rng.randint(1, len(ids))))
        others = [n for n in ids if n not in prefs]
        current = rng.choice(others) if others and rng.random() < 0.15 else None
        add(prefs, rng.randint(0, 2), None, current)
    listed: dict[str, tuple[dict[str, str | None], ...]] = {}
    if combinations:
        members = [a for a in apps if a.sibling_group == "G0001"]
        choices = [[*a.preferences, None] for a in members]
        every = [tuple(c) for c in _product(choices) if any(n is not None for n in c)]
        rng.shuffle(every)
        picked = every[: rng.randint(1, min(5, len(every)))]
        listed["G0001"] = tuple({a.id: n for a, n in zip(members, combo, strict=True)} for combo in picked)
    return Instance(
        admission_year=2027,
        nurseries=tuple(InstanceNursery(id=n, name=f"テスト{n}保育園", capacity=capacity[n]) for n in ids),
        applications=tuple(apps),
        sibling_combinations=listed,
    )


def _product(choices: list[list[str | None]]) -> list[list[str | None]]:
    rows: list[list[str | None]] = [[]]
    for options in choices:
        rows = [[*row, option] for row in rows for option in options]
    return rows
