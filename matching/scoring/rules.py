"""The validated content of a 利用調整基準 rules file (see samples/rules/README.md for the file format).

Points are kept as :class:`~decimal.Decimal` exactly as written in the file (1.5 stays 1.5); scoring
multiplies them by the file's integer `scale` so every score the optimizer sees is an exact integer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any

from matching.records import DEFAULT_WEEKS_PER_MONTH, AdjustmentFlag, Reason, ReasonKind, WorkStyle
from matching.scoring.expr_compile import Compiled
from matching.scoring.expr_names import NURSERY

# A month has 52/12 weeks on average: the conversion used when no city profile says otherwise.
WEEKS_PER_MONTH = DEFAULT_WEEKS_PER_MONTH


class Combine(StrEnum):
    """How the guardians' 基準指数 combine into the household's."""

    SUM = "sum"  # 父母の合計
    LOWER = "lower"  # 低い方の指数
    HIGHER = "higher"  # 高い方の指数


class ReasonsCombine(StrEnum):
    """How several reasons of one guardian combine (就労 and 就学, 介護 and 就労 …)."""

    HIGHEST = "highest"  # the reason with the most points counts
    SUM = "sum"  # the points of every reason are added


class GroupPick(StrEnum):
    """How the adjustments of one "only one of" group combine."""

    MAX = "max"  # the item with the most points (the first listed when equal)
    FIRST = "first"  # the first listed item that applies
    SUM = "sum"  # all that apply, up to the group's cap


class HoursUnit(StrEnum):
    MONTH = "month"  # 月の就労時間
    WEEK = "week"  # 週の就労時間 (= 月の時間 × 12 / 52)


class TieBreakKey(StrEnum):
    """Keys of the ordered tie-break list (同点の場合の順位付け)."""

    BASE_POINTS = "基準指数"  # higher 基準指数 first
    SINGLE_PARENT = "ひとり親"  # ひとり親世帯 first
    INCOME_LEVY = "市民税所得割額"  # lower levy first; unknown levy last
    RECEIPT_ORDER = "申込順"  # earlier receipt first (received_on, then 受付番号, then child order)
    LOTTERY = "抽選"  # seeded lottery, the draw recorded in the output
    BASE_POINTS_LOW = "基準指数(低い方)"  # lower 基準指数 first (a table that favours the less-working)
    ADJUSTMENT_TOTAL = "調整指数"  # higher 調整指数 total first
    CHOICE_RANK = "希望順位"  # per nursery: the child who put this nursery higher on the form first
    # Keys written as tables in the order list (see TieKey): a reason-category list, a condition, a value.
    REASON_PRIORITY = "reasons"
    CONDITION = "when"
    VALUE = "value"


# A tie-break list must end in one of these: they order every child uniquely and reproducibly.
FINAL_KEYS: frozenset[TieBreakKey] = frozenset({TieBreakKey.RECEIPT_ORDER, TieBreakKey.LOTTERY})


@dataclass(frozen=True)
class TieKey:
    """One key of the tie-break list. Lower compared values come first (see tiebreak.py)."""

    kind: TieBreakKey
    label: str
    items: tuple[str, ...] = ()  # REASON_PRIORITY: reason kinds / work styles, first = highest priority
    # ("a|b" puts two categories on one step)
    pick_best: bool = True  # REASON_PRIORITY: the guardian with the higher-priority reason decides
    condition: Compiled | None = None  # CONDITION (true first) or VALUE
    descending: bool = False  # VALUE: higher value first

    @cached_property
    def steps(self) -> dict[str, int]:
        """REASON_PRIORITY: category -> its step in the list."""
        return {part: step for step, entry in enumerate(self.items) for part in entry.split("|")}

    @property
    def per_nursery(self) -> bool:
        return self.kind is TieBreakKey.CHOICE_RANK or (
            self.condition is not None and self.condition.level == NURSERY
        )


@dataclass(frozen=True)
class WorkBand:
    """One row of a 就労 table: hours in [hours_min, hours_below) and days in [days_min, days_max]."""

    points: Decimal
    hours_min: Decimal
    hours_below: Decimal | None
    days_min: int
    days_max: int
    label: str

    def matches(self, hours: Fraction, days: int) -> bool:
        if not self.days_min <= days <= self.days_max:
            return False
        if hours < self.min_fraction:
            return False
        return self.below_fraction is None or hours < self.below_fraction

    @cached_property
    def min_fraction(self) -> Fraction:
        return Fraction(self.hours_min)

    @cached_property
    def below_fraction(self) -> Fraction | None:
        return Fraction(self.hours_below) if self.hours_below is not None else None

    def overlaps(self, other: WorkBand) -> bool:
        days = self.days_min <= other.days_max and other.days_min <= self.days_max
        self_top = self.hours_below if self.hours_below is not None else Decimal("Infinity")
        other_top = other.hours_below if other.hours_below is not None else Decimal("Infinity")
        hours = self.hours_min < other_top and other.hours_min < self_top
        return days and hours


@dataclass(frozen=True)
class WorkTable:
    """The 就労 table for one or more work styles (外勤, 自営 …)."""

    styles: tuple[WorkStyle, ...]
    unit: HoursUnit
    bands: tuple[WorkBand, ...]
    when: Compiled | None = None  # guardian/reason condition (居宅内 自営 …); tables with one are tried first
    label: str = ""

    def hours_in_unit(self, reason: Reason, weeks_per_month: Fraction = WEEKS_PER_MONTH) -> Fraction | None:
        """The reason's hours in this table's unit, converting only what the record does not state."""
        if self.unit is HoursUnit.MONTH:
            return reason.monthly_hours(weeks_per_month)
        return reason.weekly_hours(weeks_per_month)


@dataclass(frozen=True)
class ReasonCase:
    """A row of a reason table chosen by a condition (生計中心者の求職, 居宅外の介護 …): first match wins."""

    when: Compiled
    points: Decimal
    label: str


@dataclass(frozen=True)
class ReasonTable:
    """Points for a non-work reason, by level (入院, 身体1級 …) or one figure for every level."""

    kind: ReasonKind
    points: Decimal | None
    levels: Mapping[str, Decimal] = field(default_factory=dict)
    bands: tuple[WorkBand, ...] = ()  # by hours and days (介護, 就学 …), like a work table
    unit: HoursUnit = HoursUnit.MONTH
    roles: frozenset[str] = frozenset()  # only these guardians (出産: 母); empty = everyone
    cases: tuple[ReasonCase, ...] = ()

    def max_points(self) -> Decimal:
        candidates = [
            *self.levels.values(),
            *([self.points] if self.points is not None else []),
            *(band.points for band in self.bands),
            *(case.points for case in self.cases),
        ]
        return max(candidates, default=Decimal(0))


@dataclass(frozen=True)
class Adjustment:
    """One 調整指数 line: add `points` (× `times`, negative to subtract) when `condition` holds.

    The condition's level says where it applies: household and child conditions go into the score, a
    nursery condition (sibling_here, choice_rank) gives a per-nursery bonus at each nursery it holds for.
    """

    id: str
    label: str
    points: Decimal
    condition: Compiled
    times: Compiled | None = None  # points × this count (per co-resident relative …)
    times_max: int = 1
    group: str | None = None

    @cached_property
    def shown(self) -> str:
        """The breakdown label: the rule's label and its points as the file writes them."""
        text = format(self.points.normalize(), "f")
        return f"{self.label} {'+' if self.points >= 0 else ''}{text}点"


@dataclass(frozen=True)
class Group:
    """An "only one of" group of adjustments (two sibling items must not stack), with an optional cap."""

    id: str
    pick: GroupPick
    cap: Decimal | None = None  # |group total| at most this


@dataclass(frozen=True)
class RankClass:
    """A 順位区分. A child is in the first listed class whose condition holds, else the default class."""

    name: str
    value: int  # higher value = higher class; folded into the score as value × rank_multiplier
    flags_any: frozenset[AdjustmentFlag] = frozenset()
    reasons_any: frozenset[ReasonKind] = frozenset()
    condition: Compiled | None = None

    @property
    def is_default(self) -> bool:
        return not self.flags_any and not self.reasons_any and self.condition is None


@dataclass(frozen=True)
class Rules:
    name: str
    scale: int
    combine: Combine
    missing_guardian: Decimal | None  # None: a missing guardian counts as the maximum 基準指数
    guardians_counted: int
    work: tuple[WorkTable, ...]
    reasons: Mapping[ReasonKind, ReasonTable]
    adjustments: tuple[Adjustment, ...]
    ranks: tuple[RankClass, ...]  # highest first; exactly one is the default
    tiebreak: tuple[TieBreakKey, ...]  # the kind of each key, in order (tie_keys has their details)
    lottery_seed: int | None
    source: Path | None = None
    weeks_per_month: Fraction = WEEKS_PER_MONTH
    reasons_combine: ReasonsCombine = ReasonsCombine.HIGHEST
    groups: Mapping[str, Group] = field(default_factory=dict)
    staff_points_max: Decimal = Decimal(10)  # the largest |staff adjustment| (職権調整) the file allows
    partial: str | None = None  # a note that the file transcribes only part of a published table
    tie_keys: tuple[TieKey, ...] = ()

    def work_tables(self, style: WorkStyle) -> tuple[WorkTable, ...]:
        """The tables for a style, conditional ones first (in file order), then the plain one."""
        return self._tables_by_style.get(style, ())

    @cached_property
    def _tables_by_style(self) -> dict[WorkStyle, tuple[WorkTable, ...]]:
        found: dict[WorkStyle, list[WorkTable]] = {}
        for table in sorted(self.work, key=lambda t: t.when is None):
            for style in table.styles:
                found.setdefault(style, []).append(table)
        return {style: tuple(tables) for style, tables in found.items()}

    @cached_property
    def guardian_dependent(self) -> frozenset[object]:
        """Work styles and reason kinds whose points depend on more than the reason itself (a work
        table's condition, a reason's roles or cases): those are looked up per guardian, not memoised."""
        styles = {style for table in self.work if table.when is not None for style in table.styles}
        kinds = {kind for kind, table in self.reasons.items() if table.cases or table.roles}
        return frozenset({*styles, *kinds})

    @cached_property
    def tie_needs_env(self) -> bool:
        return any(key.condition is not None for key in self.tie_keys)

    @cached_property
    def per_nursery_tiebreak(self) -> bool:
        return any(key.per_nursery for key in self.tie_keys)

    @cached_property
    def max_base_points(self) -> Decimal:
        """The highest 基準指数 one guardian can get: what a missing guardian counts as."""
        work = [band.points for table in self.work for band in table.bands]
        other = [table.max_points() for table in self.reasons.values()]
        return max([*work, *other], default=Decimal(0))

    @cached_property
    def points_bound(self) -> Decimal:
        """An upper bound of |基準指数 + 調整指数 + per-nursery bonus + staff points| for any child."""
        guardian = max(self.max_base_points, abs(self.missing_guardian or Decimal(0)))
        if self.reasons_combine is ReasonsCombine.SUM:  # every reason of a guardian may add up
            work = max((band.points for table in self.work for band in table.bands), default=Decimal(0))
            guardian += work + sum((abs(t.max_points()) for t in self.reasons.values()), Decimal(0))
        adjustments = sum((abs(adj.points) * adj.times_max for adj in self.adjustments), Decimal(0))
        return guardian * self.guardians_counted + adjustments + self.staff_points_max

    @cached_property
    def rank_multiplier(self) -> int:
        """A power of ten large enough that a higher 順位区分 beats any difference in points."""
        bound = int(self.points_bound * self.scale) * 2 + 1
        multiplier = 10
        while multiplier <= bound:
            multiplier *= 10
        return multiplier

    def scaled(self, points: Decimal) -> int:
        """Points × scale as an exact integer (validation guarantees exactness)."""
        found = self._scaled_cache.get(points)
        if found is None:
            found = self._scaled_cache[points] = int(points * self.scale)
        return found

    @cached_property
    def _scaled_cache(self) -> dict[Decimal, int]:
        return {}

    @cached_property
    def scaled_adjustments(self) -> tuple[tuple[Adjustment, int], ...]:
        return tuple((adj, self.scaled(adj.points)) for adj in self.adjustments)

    @cached_property
    def leveled_adjustments(self) -> tuple[tuple[Adjustment, int, int], ...]:
        """(rule, scaled points, level): household rules are evaluated once per application."""
        return tuple(
            (adj, points, max(adj.condition.level, adj.times.level if adj.times else 0))
            for adj, points in self.scaled_adjustments
        )

    @cached_property
    def household_adjustments(self) -> tuple[tuple[Adjustment, int, Callable[[Any], Any]], ...]:
        """(rule, scaled points, condition) of the rules evaluated once per application."""
        return tuple(
            (adj, points, adj.condition.fn) for adj, points, level in self.leveled_adjustments if level == 0
        )

    @cached_property
    def rank_level(self) -> int:
        """The deepest level a 順位区分 condition reads (household: one class per application)."""
        return max((r.condition.level for r in self.ranks if r.condition is not None), default=0)

    @cached_property
    def adjustment_order(self) -> dict[str, int]:
        return {adj.id: index for index, adj in enumerate(self.adjustments)}

    @cached_property
    def default_rank(self) -> RankClass:
        return next(rank for rank in self.ranks if rank.is_default)
