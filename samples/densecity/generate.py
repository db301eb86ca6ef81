"""A city with many sibling applications, written straight as the instance `bodx match` reads.

What it imitates (issue 16, from what large cities report about their April round):

- 10 / 15 / 20 % of children apply together with a brother or sister; of those groups about 80 % are
  pairs and 20 % three children; about a quarter of the pairs are twins and a third of the threes are
  triplets (多胎児: several seats in one age class of one nursery at once).
- about 40 % of sibling groups accept different nurseries (別園可); the others want one nursery or none.
- demand is concentrated on popular nurseries (Pareto popularity) and most choices are near home;
  open seats are about 50 % of demand, the 1歳児 class the tightest, so roughly half the children wait.
- priorities are household indices in steps of 5 with many ties (both parents working full time is the
  most common case), broken by a unique tie-break rank; children of one household share score and
  tie-break; about 10 % have an older sibling enrolled at one of their nurseries (+5 there).
- about 5 % of children (single applications, 1歳児 and older) are transfers holding a seat elsewhere.

Everything comes from one `random.Random(seed)`: the same shape and seed give the same bytes.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from matching.instance import Instance, InstanceApplication, InstanceNursery

AGE_DEMAND = (0.27, 0.40, 0.16, 0.10, 0.04, 0.03)
AGE_SUPPLY = (0.55, 0.33, 0.5, 0.75, 0.9, 1.0)  # open seats per child of that age
APPLICANTS_PER_NURSERY = 40
SMALL_NURSERY_SHARE = 0.3  # 小規模保育事業: 0-2歳児 only
SCORE_STEPS = (200, 200, 200, 195, 190, 190, 185, 180, 175, 170, 160, 150, 140, 120)


@dataclass(frozen=True)
class DenseShape:
    applicants: int
    sibling_share: float = 0.20  # share of children in sibling groups
    transfer_share: float = 0.05
    split_share: float = 0.40  # sibling groups that accept different nurseries
    admission_year: int = 2027


@dataclass(frozen=True)
class _Meta:
    id: str
    ages: tuple[int, ...]
    district: int
    popularity: float
    size: float


def generate_dense_city(shape: DenseShape, seed: int) -> Instance:
    if shape.applicants < 1:
        raise ValueError("applicants must be at least 1 / 申込児童数は1以上にしてください")
    rng = random.Random(seed)
    count = max(3, round(shape.applicants / APPLICANTS_PER_NURSERY))
    districts = max(1, round(math.sqrt(count)))
    metas = _nurseries(rng, count, districts)
    apps = _applications(rng, shape, metas, districts)
    nurseries = _capacities(rng, metas, apps)
    return Instance(admission_year=shape.admission_year, nurseries=nurseries, applications=tuple(apps))


def _nurseries(rng: random.Random, count: int, districts: int) -> list[_Meta]:
    width = 4 if count >= 1000 else 3
    metas = []
    for i in range(count):
        small = i > 0 and rng.random() < SMALL_NURSERY_SHARE
        metas.append(
            _Meta(
                id=f"D{i + 1:0{width}d}",
                ages=(0, 1, 2) if small else (0, 1, 2, 3, 4, 5),
                district=rng.randrange(districts),
                popularity=rng.paretovariate(1.2),
                size=rng.uniform(0.6, 1.4) * (0.5 if small else 1.0),
            )
        )
    return metas


class _Pools:
    """Nurseries with a class for every age of a set, city-wide and per district (cumulative weights)."""

    def __init__(self, metas: list[_Meta]) -> None:
        self.metas = metas
        self.ages = {m.id: m.ages for m in metas}
        self.cache: dict[tuple[frozenset[int], int | None], tuple[list[_Meta], list[float]]] = {}

    def get(self, ages: frozenset[int], district: int | None) -> tuple[list[_Meta], list[float]]:
        key = (ages, district)
        if key not in self.cache:
            pool = [m for m in self.metas if ages <= set(m.ages) and district in (None, m.district)]
            total, cumulative = 0.0, []
            for m in pool:
                total += m.popularity
                cumulative.append(total)
            self.cache[key] = (pool, cumulative)
        return self.cache[key]


def _choose(
    rng: random.Random, pools: _Pools, ages: frozenset[int], home: int, wanted: int, avoid: str | None
) -> list[str]:
    everywhere, weights = pools.get(ages, None)
    near, near_weights = pools.get(ages, home)
    wanted = min(wanted, len(everywhere) - (1 if avoid else 0))
    chosen: list[str] = []
    tries = 0
    while len(chosen) < wanted and tries < 200:
        tries += 1
        use_near = near and rng.random() < 0.8 and tries < 50
        pool, cum = (near, near_weights) if use_near else (everywhere, weights)
        pick = rng.choices(pool, cum_weights=cum)[0].id
        if pick != avoid and pick not in chosen:
            chosen.append(pick)
    return chosen


def _draw_age(rng: random.Random) -> int:
    return rng.choices(range(6), weights=AGE_DEMAND)[0]


def _group_ages(rng: random.Random, size: int) -> list[int]:
    first = _draw_age(rng)
    multiple = rng.random() < (0.25 if size == 2 else 0.33)
    if multiple:
        return [first] * size
    ages = [first]
    while len(ages) < size:
        ages.append(min(5, ages[-1] + rng.randint(1, 3)) if ages[-1] < 5 else rng.randint(0, 4))
    return ages


def _applications(
    rng: random.Random, shape: DenseShape, metas: list[_Meta], districts: int
) -> list[InstanceApplication]:
    pools = _Pools(metas)
    target = shape.applicants
    # Share of households (applications) that carry a sibling group, so that `sibling_share` of children
    # are in one: mean group size 2.2 against 1 for a single child.
    groups_per_child = shape.sibling_share / 2.2
    group_app_share = groups_per_child / (groups_per_child + (1 - shape.sibling_share))
    transfer_single = shape.transfer_share / max(1e-9, (1 - shape.sibling_share) * 0.73)
    households: list[list[int]] = []
    total = 0
    while total < target:
        size = 1
        if target - total >= 2 and rng.random() < group_app_share:
            size = 3 if rng.random() < 0.2 and target - total >= 3 else 2
        households.append(_group_ages(rng, size) if size > 1 else [_draw_age(rng)])
        total += size
    order = list(range(len(households)))
    rng.shuffle(order)
    tiebreak_of = {h: r for r, h in enumerate(order)}
    apps: list[InstanceApplication] = []
    number = 0
    year = shape.admission_year
    for h, ages in enumerate(households):
        home = rng.randrange(districts)
        score = rng.choice(SCORE_STEPS) + 5 * rng.choice((0, 0, 0, 1, 2))
        wanted = rng.choices((1, 2, 3, 4, 5, 6), weights=(12, 14, 24, 18, 20, 12))[0]
        group = f"G{year}-{h + 1:06d}" if len(ages) > 1 else None
        split = group is not None and rng.random() < shape.split_share
        current = None
        if group is None and ages[0] >= 1 and rng.random() < transfer_single:
            current = rng.choice([m for m in metas if ages[0] in m.ages]).id
        common = _choose(rng, pools, frozenset(ages), home, wanted, current)
        if not common:
            common = _choose(rng, pools, frozenset(ages[:1]), home, wanted, current)
        for age in ages:
            number += 1
            prefs = list(common)
            if split and rng.random() < 0.5:
                # A family that accepts a split often adds a nursery for one child only.
                extra = _choose(rng, pools, frozenset((age,)), home, 1, current)
                if extra and extra[0] not in prefs:
                    prefs.insert(rng.randrange(len(prefs) + 1), extra[0])
            prefs = [p for p in prefs if age in pools.ages[p]] or prefs[:1]
            bonus = {}
            if rng.random() < 0.10:
                bonus = {rng.choice(prefs): 5}
            apps.append(
                InstanceApplication(
                    id=f"C{number:06d}",
                    age_class=age,
                    preferences=tuple(prefs),
                    score=score,
                    tiebreak=tiebreak_of[h],
                    bonus=bonus,
                    sibling_group=group,
                    allow_split=split,
                    current_nursery=current,
                )
            )
    return apps


def _capacities(
    rng: random.Random, metas: list[_Meta], apps: list[InstanceApplication]
) -> tuple[InstanceNursery, ...]:
    demand = [0] * 6
    for a in apps:
        demand[a.age_class] += 1
    seats_of: dict[str, dict[int, int]] = {m.id: {} for m in metas}
    for age in range(6):
        seats = round(demand[age] * AGE_SUPPLY[age])
        having = [m for m in metas if age in m.ages]
        weight = sum(m.size for m in having)
        # Largest remainder, so the city's total per age is exact.
        shares = [seats * m.size / weight for m in having]
        floors = [int(s) for s in shares]
        rest = seats - sum(floors)
        for i in sorted(range(len(having)), key=lambda i: (floors[i] - shares[i], i))[:rest]:
            floors[i] += 1
        for m, f in zip(having, floors, strict=True):
            seats_of[m.id][age] = f
    return tuple(InstanceNursery(id=m.id, name=f"密集{m.id}保育園", capacity=seats_of[m.id]) for m in metas)
