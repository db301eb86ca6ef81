"""The validated content of a 利用調整基準 rules file (see samples/rules/README.md for the file format).

Points are kept as :class:`~decimal.Decimal` exactly as written in the file (1.5 stays 1.5); scoring
multiplies them by the file's integer `scale` so every score the optimizer sees is an exact integer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from pathlib import Path

from matching.records import DEFAULT_WEEKS_PER_MONTH, AdjustmentFlag, Reason, ReasonKind, WorkStyle

# A month has 52/12 weeks on average: the conversion cities use for "週…時間" tables.
WEEKS_PER_MONTH = DEFAULT_WEEKS_PER_MONTH


class Combine(StrEnum):
    """How the guardians' 基準指数 combine into the household's."""

    SUM = "sum"  # 父母の合計
    LOWER = "lower"  # 低い方の指数


class HoursUnit(StrEnum):
    MONTH = "month"  # 月の就労時間
    WEEK = "week"  # 週の就労時間 (= 月の時間 × 12 / 52)


class Condition(StrEnum):
    """What an 調整指数 rule looks at."""

    FLAG = "flag"  # the household has an AdjustmentFlag (ひとり親, 生活保護 …)
    SIBLING_ENROLLED = "sibling_enrolled"  # per-nursery: an older sibling attends that nursery
    SIBLINGS_APPLYING = "siblings_applying"  # two or more children in the same application
    TRANSFER = "transfer"  # 転園希望 (the child already attends a nursery)


class TieBreakKey(StrEnum):
    """Keys of the ordered tie-break list (同点の場合の順位付け)."""

    BASE_POINTS = "基準指数"  # higher 基準指数 first
    SINGLE_PARENT = "ひとり親"  # ひとり親世帯 first
    INCOME_LEVY = "市民税所得割額"  # lower levy first; unknown levy last
    RECEIPT_ORDER = "申込順"  # earlier receipt first (received_on, then 受付番号, then child order)
    LOTTERY = "抽選"  # seeded lottery, the draw recorded in the output


# A tie-break list must end in one of these: they order every child uniquely and reproducibly.
FINAL_KEYS: frozenset[TieBreakKey] = frozenset({TieBreakKey.RECEIPT_ORDER, TieBreakKey.LOTTERY})


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

    def hours_in_unit(self, reason: Reason) -> Fraction:
        """The reason's hours in this table's unit, converting only what the record does not state."""
        hours = (
            reason.monthly_hours(WEEKS_PER_MONTH)
            if self.unit is HoursUnit.MONTH
            else reason.weekly_hours(WEEKS_PER_MONTH)
        )
        assert hours is not None  # Reason validates that a work reason has hours
        return hours


@dataclass(frozen=True)
class ReasonTable:
    """Points for a non-work reason, by level (入院, 身体1級 …) or one figure for every level."""

    kind: ReasonKind
    points: Decimal | None
    levels: Mapping[str, Decimal] = field(default_factory=dict)

    def max_points(self) -> Decimal:
        candidates = [*self.levels.values(), *([self.points] if self.points is not None else [])]
        return max(candidates, default=Decimal(0))


@dataclass(frozen=True)
class Adjustment:
    """One 調整指数 line: add `points` (negative to subtract) when `condition` holds."""

    id: str
    label: str
    points: Decimal
    condition: Condition
    flag: AdjustmentFlag | None = None


@dataclass(frozen=True)
class RankClass:
    """A 順位区分. A child is in the first listed class whose condition holds, else the default class."""

    name: str
    value: int  # higher value = higher class; folded into the score as value × rank_multiplier
    flags_any: frozenset[AdjustmentFlag] = frozenset()
    reasons_any: frozenset[ReasonKind] = frozenset()

    @property
    def is_default(self) -> bool:
        return not self.flags_any and not self.reasons_any


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
    tiebreak: tuple[TieBreakKey, ...]
    lottery_seed: int | None
    source: Path | None = None

    def work_table(self, style: WorkStyle) -> WorkTable:
        for table in self.work:
            if style in table.styles:
                return table
        raise KeyError(style)  # validation guarantees every style has a table

    @cached_property
    def max_base_points(self) -> Decimal:
        """The highest 基準指数 one guardian can get: what a missing guardian counts as."""
        work = [band.points for table in self.work for band in table.bands]
        other = [table.max_points() for table in self.reasons.values()]
        return max([*work, *other], default=Decimal(0))

    @cached_property
    def points_bound(self) -> Decimal:
        """An upper bound of |基準指数 + 調整指数 + per-nursery bonus| for any child."""
        guardian = max(self.max_base_points, abs(self.missing_guardian or Decimal(0)))
        return guardian * self.guardians_counted + sum(
            (abs(adj.points) for adj in self.adjustments), Decimal(0)
        )

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
        value = points * self.scale
        return int(value)

    @cached_property
    def scaled_adjustments(self) -> tuple[tuple[Adjustment, int], ...]:
        return tuple((adj, self.scaled(adj.points)) for adj in self.adjustments)

    @cached_property
    def default_rank(self) -> RankClass:
        return next(rank for rank in self.ranks if rank.is_default)
