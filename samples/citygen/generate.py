"""Deterministic synthetic city: nurseries and applications shaped like a real admission season.

The shape (documented in samples/README.md): about one nursery per 40 applicants, small 0-2歳児
classes, demand dominated by 0-2 year olds, popularity concentrated on a few nurseries, about 10 % of
children in sibling groups, about 5 % transfer requests, and open seats about 85 % of demand with the
1歳児 class the tightest. Everything comes from one `random.Random(seed)`, so a seed is a city.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from matching.records import (
    AGE_CLASSES,
    CONDITION_OF_ALLOW_SPLIT,
    AdjustmentFlag,
    Application,
    Child,
    Guardian,
    Household,
    Nursery,
    Reason,
    ReasonKind,
    WorkStyle,
)
from samples.citygen.names import ADULT_GIVEN, CHILD_GIVEN, SURNAMES

AGE_DEMAND = {0: 0.28, 1: 0.40, 2: 0.15, 3: 0.10, 4: 0.04, 5: 0.03}
# Open seats relative to demand per class before the total is scaled to CAPACITY_RATIO.
AGE_SUPPLY = {0: 0.95, 1: 0.70, 2: 0.80, 3: 1.05, 4: 1.15, 5: 1.25}
CAPACITY_RATIO = 0.85
APPLICANTS_PER_NURSERY = 40
SIBLING_APPLICATION_SHARE = 0.049  # with 2-3 children each, about 10 % of children
TRANSFER_SHARE = 0.05
NURSERY_KINDS = (
    ("認可保育所", 0.6, AGE_CLASSES),
    ("小規模保育事業", 0.3, (0, 1, 2)),
    ("認定こども園", 0.1, AGE_CLASSES),
)
NURSERY_WORDS = (
    "さくら",
    "ひまわり",
    "たんぽぽ",
    "すみれ",
    "あおば",
    "わかば",
    "こすもす",
    "つくし",
    "なかよし",
    "みどり",
    "ひかり",
    "そよかぜ",
    "あさひ",
    "こもれび",
    "にじいろ",
    "どんぐり",
    "かえで",
    "ほしぞら",
)


@dataclass(frozen=True)
class SyntheticCity:
    admission_year: int
    nurseries: tuple[Nursery, ...]
    applications: tuple[Application, ...]


def generate_city(applicants: int, seed: int, admission_year: int = 2027) -> SyntheticCity:
    """Generate a city with about `applicants` children (sibling groups can overshoot by one or two)."""
    if applicants < 1:
        raise ValueError("applicants must be at least 1 / 申込児童数は1以上にしてください")
    rng = random.Random(seed)
    districts = max(1, round(math.sqrt(applicants / APPLICANTS_PER_NURSERY)))
    nursery_meta = _nursery_skeleton(rng, max(3, round(applicants / APPLICANTS_PER_NURSERY)), districts)
    applications = _applications(rng, applicants, admission_year, nursery_meta)
    nurseries = _capacities(rng, nursery_meta, applications, admission_year)
    return SyntheticCity(admission_year, nurseries, applications)


@dataclass(frozen=True)
class _NurseryMeta:
    id: str
    name: str
    kind: str
    district: str
    ages: tuple[int, ...]
    size: float  # relative class size
    popularity: float


def _nursery_skeleton(rng: random.Random, count: int, districts: int) -> list[_NurseryMeta]:
    metas = []
    for index in range(count):
        roll = rng.random() if index else 0.0  # the first is a full 0-5 nursery: every age has a place
        cumulative = 0.0
        kind, ages = NURSERY_KINDS[0][0], NURSERY_KINDS[0][2]
        for name, share, kind_ages in NURSERY_KINDS:
            cumulative += share
            if roll < cumulative:
                kind, ages = name, kind_ages
                break
        word = NURSERY_WORDS[index % len(NURSERY_WORDS)]
        suffix = "保育園" if kind != "認定こども園" else "こども園"
        district = f"第{rng.randrange(districts) + 1}地区"
        metas.append(
            _NurseryMeta(
                id=f"N{index + 1:03d}" if count < 1000 else f"N{index + 1:04d}",
                name=f"{word}{suffix}{'' if index < len(NURSERY_WORDS) else index // len(NURSERY_WORDS) + 1}",
                kind=kind,
                district=district,
                ages=ages,
                size=rng.uniform(0.6, 1.4) * (0.45 if kind == "小規模保育事業" else 1.0),
                # Heavy-tailed: a handful of nurseries attract most first choices.
                popularity=rng.paretovariate(1.3),
            )
        )
    return metas


def _applications(
    rng: random.Random, target: int, year: int, metas: list[_NurseryMeta]
) -> tuple[Application, ...]:
    pools = _Pools(metas)
    district_names = sorted({m.district for m in metas})
    applications: list[Application] = []
    child_number = 0
    while child_number < target:
        n_children = 1
        if target - child_number >= 2 and rng.random() < SIBLING_APPLICATION_SHARE:
            n_children = 3 if rng.random() < 0.15 else 2
        home = rng.choice(district_names)
        app_no = len(applications) + 1
        surname = rng.choice(SURNAMES)
        twins = n_children > 1 and rng.random() < 0.3
        ages = _sibling_ages(rng, n_children, twins)
        transfer = n_children == 1 and ages[0] >= 1 and rng.random() < TRANSFER_SHARE / 0.72
        current = rng.choice([m for m in metas if ages[0] in m.ages]).id if transfer else None
        preferences = _preferences(rng, pools, home, ages, exclude=current)
        children = []
        twin_birth = _birth_date(rng, year, ages[0])
        for age in ages:
            child_number += 1
            given = rng.choice(CHILD_GIVEN)
            children.append(
                Child(
                    id=f"A{child_number:06d}",
                    name=f"{surname[0]} {given[0]}",
                    kana=f"{surname[1]} {given[1]}",
                    birth_date=twin_birth if twins else _birth_date(rng, year, age),
                    current_nursery=current,
                )
            )
        household = _household(rng, surname, twins, metas, year)
        desired = dt.date(year, 4, 1) if rng.random() < 0.9 else dt.date(year, rng.randint(5, 9), 1)
        split = n_children > 1 and rng.random() < 0.4
        applications.append(
            Application(
                id=f"R{year}-{app_no:06d}",
                received_on=dt.date(year - 1, 10, 1) + dt.timedelta(days=rng.randrange(45)),
                household=household,
                children=tuple(children),
                preferences=preferences,
                sibling_condition=CONDITION_OF_ALLOW_SPLIT[split] if n_children > 1 else None,
                desired_start=desired,
            )
        )
    return tuple(applications)


def _sibling_ages(rng: random.Random, n_children: int, twins: bool) -> list[int]:
    first = _draw_age(rng)
    if twins:
        return [first] * n_children
    ages = [first]
    while len(ages) < n_children:
        ages.append(min(5, ages[-1] + rng.randint(1, 3)) if ages[-1] < 5 else rng.randint(0, 4))
    return ages


def _draw_age(rng: random.Random) -> int:
    roll, cumulative = rng.random(), 0.0
    for age, share in AGE_DEMAND.items():
        cumulative += share
        if roll < cumulative:
            return age
    return 5


def _birth_date(rng: random.Random, year: int, age: int) -> dt.date:
    # Born between April 2 of (year - age - 1) and April 1 of (year - age): age `age` on April 1.
    start = dt.date(year - age - 1, 4, 2)
    end = dt.date(year - age, 4, 1)
    if age == 0:
        end = dt.date(year, 1, 31)  # 産休明け: at least about 57 days old on April 1
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


class _Pools:
    """Nurseries that can take a set of ages, city-wide and per district, with cumulative weights.

    Cached per (ages, district): drawing preferences is then independent of the number of nurseries.
    """

    def __init__(self, metas: list[_NurseryMeta]) -> None:
        self._metas = metas
        self._cache: dict[tuple[frozenset[int], str | None], tuple[list[_NurseryMeta], list[float]]] = {}

    def get(self, ages: frozenset[int], district: str | None) -> tuple[list[_NurseryMeta], list[float]]:
        key = (ages, district)
        if key not in self._cache:
            pool = [m for m in self._metas if ages.issubset(m.ages) and district in (None, m.district)]
            cumulative, total = [], 0.0
            for meta in pool:
                total += meta.popularity
                cumulative.append(total)
            self._cache[key] = (pool, cumulative)
        return self._cache[key]


def _preferences(
    rng: random.Random, pools: _Pools, home: str, ages: list[int], exclude: str | None
) -> tuple[str, ...]:
    wanted = rng.choices((1, 2, 3, 4, 5, 6), weights=(14, 14, 24, 16, 20, 12))[0]
    # Only nurseries that have a class for every child's age; mostly from the home district.
    eligible, eligible_weights = pools.get(frozenset(ages), None)
    near, near_weights = pools.get(frozenset(ages), home)
    available = len(eligible) - (1 if exclude is not None else 0)
    wanted = min(wanted, available)
    chosen: list[str] = []
    near_left = len(near) - (1 if exclude is not None and any(m.id == exclude for m in near) else 0)
    while len(chosen) < wanted:
        use_near = near_left > 0 and rng.random() < 0.8
        pool, weights = (near, near_weights) if use_near else (eligible, eligible_weights)
        pick = rng.choices(pool, cum_weights=weights)[0].id
        if pick == exclude or pick in chosen:
            continue
        chosen.append(pick)
        if use_near or any(m.id == pick for m in near):
            near_left -= 1
    return tuple(chosen)


def _household(
    rng: random.Random, surname: tuple[str, str], twins: bool, metas: list[_NurseryMeta], year: int
) -> Household:
    flags: set[AdjustmentFlag] = set()
    single = rng.random() < 0.08
    mother = Guardian(
        relation="母", name=f"{surname[0]} {rng.choice(ADULT_GIVEN[:10])[0]}", reasons=(_reason(rng, "母"),)
    )
    guardians = [mother]
    if single:
        flags.add(AdjustmentFlag.SINGLE_PARENT)
    else:
        father_name = f"{surname[0]} {rng.choice(ADULT_GIVEN[10:])[0]}"
        guardians.append(Guardian(relation="父", name=father_name, reasons=(_reason(rng, "父"),)))
    for flag, share in (
        (AdjustmentFlag.WELFARE, 0.01 + (0.1 if single else 0.0)),
        (AdjustmentFlag.PARENTAL_LEAVE_RETURN, 0.3),
        (AdjustmentFlag.UNLICENSED_CARE, 0.08),
        (AdjustmentFlag.GRANDPARENT_AT_HOME, 0.05),
        (AdjustmentFlag.FEE_ARREARS, 0.005),
        (AdjustmentFlag.CHILD_DISABILITY, 0.01),
    ):
        if rng.random() < share:
            flags.add(flag)
    if twins:
        flags.add(AdjustmentFlag.MULTIPLE_BIRTH)
    enrolled = (rng.choice(metas).id,) if rng.random() < 0.12 else ()
    levy = 0 if AdjustmentFlag.WELFARE in flags else int(rng.lognormvariate(11.8, 0.6)) // 100 * 100
    return Household(
        guardians=tuple(guardians),
        flags=frozenset(flags),
        income_levy_yen=levy,
        siblings_enrolled_at=enrolled,
    )


_OTHER_REASONS = (
    (ReasonKind.JOB_SEARCH, None, 0.05),
    (ReasonKind.PREGNANCY, "出産前後", 0.04),
    (ReasonKind.ILLNESS, "通院", 0.015),
    (ReasonKind.ILLNESS, "入院", 0.005),
    (ReasonKind.ILLNESS, "1ヶ月以上の療養", 0.01),
    (ReasonKind.DISABILITY, "身体1級", 0.004),
    (ReasonKind.DISABILITY, "身体3級", 0.004),
    (ReasonKind.DISABILITY, "精神2級", 0.004),
    (ReasonKind.DISABILITY, "療育B", 0.003),
    (ReasonKind.CARE, "常時介護", 0.01),
    (ReasonKind.CARE, "日中介護", 0.01),
    (ReasonKind.STUDY, "昼間就学", 0.02),
    (ReasonKind.DISASTER, "災害復旧", 0.002),
)


def _reason(rng: random.Random, relation: str) -> Reason:
    # Fathers have a non-work reason a quarter as often as mothers, and never 出産.
    roll = rng.random() * (1.0 if relation == "母" else 4.0)
    cumulative = 0.0
    for kind, level, share in _OTHER_REASONS:
        cumulative += share
        if roll < cumulative and not (kind is ReasonKind.PREGNANCY and relation != "母"):
            return Reason(kind=kind, level=level)
    style = rng.choices(tuple(WorkStyle), weights=(85, 8, 4, 3))[0]
    full_time = rng.random() < (0.62 if relation == "母" else 0.95)
    if full_time:
        hours = rng.choice((140, 150, 160, 168, 170, 176, 180, 200))
        days = 5 if rng.random() < 0.9 else 6
    else:
        days = rng.choice((3, 4, 4, 5, 5))
        hours = round(days * rng.uniform(3.5, 7.0) * 4.3)
    return Reason(kind=ReasonKind.WORK, work_style=style, hours_per_month=float(hours), days_per_week=days)


def _capacities(
    rng: random.Random, metas: list[_NurseryMeta], applications: tuple[Application, ...], year: int
) -> tuple[Nursery, ...]:
    demand = dict.fromkeys(AGE_CLASSES, 0)
    for app in applications:
        for age in app.age_classes(year).values():
            demand[age] += 1
    raw = {age: demand[age] * AGE_SUPPLY[age] for age in AGE_CLASSES}
    scale = CAPACITY_RATIO * sum(demand.values()) / max(sum(raw.values()), 1.0)
    capacity: dict[str, dict[int, int]] = {m.id: {} for m in metas}
    for age in AGE_CLASSES:
        offering = [m for m in metas if age in m.ages]
        seats = round(raw[age] * scale)
        weights = [m.size * rng.uniform(0.7, 1.3) for m in offering]
        total = sum(weights)
        shares = [seats * w / total for w in weights]
        floors = [math.floor(s) for s in shares]
        # Largest remainder: the seat total per class is exact and deterministic.
        order = sorted(range(len(offering)), key=lambda i: (floors[i] - shares[i], offering[i].id))
        for i in order[: seats - sum(floors)]:
            floors[i] += 1
        for meta, count in zip(offering, floors, strict=True):
            capacity[meta.id][age] = count
    return tuple(
        Nursery(id=m.id, name=m.name, kind=m.kind, district=m.district, capacity=capacity[m.id])
        for m in metas
    )
