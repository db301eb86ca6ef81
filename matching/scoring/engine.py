"""Score applications with a rules file: per child a priority, its per-nursery bonus and a breakdown.

Invariants the review workbook relies on: the breakdown items without a nursery add up to `score`, and
the items of nursery n add up to `bonus[n]`. The score folds the 順位区分 in as value × rank_multiplier,
so a higher class beats any difference in points.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from matching.adjustments import StaffPoints
from matching.errors import InvalidRecordError, RulesError
from matching.priority import BreakdownItem, ChildPriority
from matching.records import Application, Child
from matching.scoring.expr_names import CHILD, HOUSEHOLD, NURSERY, Env
from matching.scoring.guardian_points import GuardianScore, ReasonMemo, base_items, fmt, item, signed
from matching.scoring.rules import Adjustment, Group, GroupPick, RankClass, Rules
from matching.scoring.tiebreak import order_children

# Kept for callers of the earlier engine: the base-points helpers moved to guardian_points.
__all__ = ["GuardianScore", "ScoredChild", "score_application", "score_applications"]


@dataclass(frozen=True)
class ScoredChild:
    """Everything about one child except the tie-break rank, which needs all children."""

    application: Application
    child: Child
    position: int  # the child's index in its application
    age_class: int
    score: int
    base_scaled: int
    bonus: dict[str, int]
    breakdown: tuple[BreakdownItem, ...]
    adjustment_scaled: int = 0  # 調整指数 total in the score (per-nursery bonuses not included)
    guardians: tuple[GuardianScore, ...] = field(default=())


_Fired = tuple[Adjustment, int, str]  # (rule, scaled points, label)


def _fire(adj: Adjustment, points: int, env: Env) -> _Fired | None:
    """The rule's points and label once its condition holds (callers test the condition first)."""
    label = adj.shown
    if adj.times is None:
        return adj, points, label
    count = adj.times.fn(env)
    count = 0 if count is None else count
    if count != int(count) or not 0 <= count <= adj.times_max:
        raise RulesError(
            f"申込 {env.app.id}: 調整指数「{adj.id}」の times が {count} です (0〜{adj.times_max} の整数のはず)。"
            f"記録か規則ファイルの times_max を確認してください / times of {adj.id!r} is {count}, "
            f"expected an integer 0..{adj.times_max}"
        )
    return (adj, points * int(count), f"{label} × {int(count)}") if count else None


def _pick(group: Group, fired: Sequence[_Fired]) -> tuple[int, list[_Fired]]:
    """The group's points and the items that count (the others are shown with 0 points)."""
    if not fired:
        return 0, []
    if group.pick is GroupPick.SUM:
        total = sum(f[1] for f in fired)
        return total, list(fired)
    chosen = fired[0] if group.pick is GroupPick.FIRST else max(fired, key=lambda f: f[1])
    return chosen[1], [chosen]


def _capped(group: Group, total: int, rules: Rules) -> int:
    if group.cap is None:
        return total
    cap = rules.scaled(group.cap)
    return max(-cap, min(cap, total))


class _ChildAdjustments:
    """The 調整指数 of one child: score items, per-nursery bonuses, the group bookkeeping."""

    def __init__(self) -> None:
        self.total = 0
        self.items: list[BreakdownItem] = []
        self.bonus: dict[str, int] = {}
        self.nursery_items: list[BreakdownItem] = []

    def add(self, fired: _Fired, nursery: str | None = None) -> None:
        adj, points, label = fired
        entry = item(f"adj.{adj.id}", label, points, nursery)
        if nursery is None:
            self.total += points
            self.items.append(entry)
        else:
            self.bonus[nursery] = self.bonus.get(nursery, 0) + points
            self.nursery_items.append(entry)

    def add_group(self, group: Group, rules: Rules, base: list[_Fired], at: dict[str, list[_Fired]]) -> None:
        raw, counted = _pick(group, base)
        value = _capped(group, raw, rules)
        for fired in base:
            adj, points, label = fired
            if fired in counted:
                self.items.append(item(f"adj.{adj.id}", label, points))
            else:
                self.items.append(
                    item(f"adj.{adj.id}", f"{label} (群「{group.id}」の他の項目を採用: 不算入)", 0)
                )
        if value != raw:
            self.items.append(
                item(
                    f"group.{group.id}.cap",
                    f"群「{group.id}」の上限 {fmt(group.cap or Decimal(0))}",
                    value - raw,
                )
            )
        self.total += value
        for nursery, fired_here in at.items():
            raw_here, counted_here = _pick(group, [*base, *fired_here])
            difference = _capped(group, raw_here, rules) - value
            if difference == 0 and not any(f in counted_here for f in fired_here):
                continue
            labels = "・".join(f[2] for f in counted_here if f in fired_here) or "同じ群の他の項目"
            label = f"{labels} (群「{group.id}」: この園では {signed(Decimal(difference) / rules.scale)})"
            self.bonus[nursery] = self.bonus.get(nursery, 0) + difference
            self.nursery_items.append(item(f"group.{group.id}", label, difference, nursery))


def _rank(scores: Sequence[GuardianScore], rules: Rules, env: Env) -> RankClass:
    kinds = {s.kind for s in scores if s.kind is not None}
    flags = env.app.household.flags
    for rank in rules.ranks:
        if rank.is_default:
            continue
        if rank.flags_any & flags or rank.reasons_any & kinds:
            return rank
        if rank.condition is not None and rank.condition.fn(env):
            return rank
    return rules.default_rank


def _rank_item(rank: RankClass, rules: Rules) -> BreakdownItem:
    if len(rules.ranks) == 1:
        label = f"順位区分: {rank.name}"
    else:
        position = len(rules.ranks) - rank.value
        multiplier = f"{rank.value} × {rules.rank_multiplier}"
        label = f"順位区分: {rank.name} (第{position}区分 = {multiplier}: 上の区分は指数に関係なく優先)"
    return item(f"rank.{rank.name}", label, rank.value * rules.rank_multiplier)


def _staff_items(child: Child, staff: Sequence[StaffPoints], rules: Rules) -> tuple[int, list[BreakdownItem]]:
    total, items = 0, []
    for index, entry in enumerate(staff, start=1):
        if abs(entry.points) > rules.staff_points_max:
            raise RulesError(
                f"児童 {child.id}: 職権調整 {entry.points} 点は規則ファイルの上限 ±{rules.staff_points_max} 点を超えています / "
                f"staff points {entry.points} exceed the rules file's staff_points_max"
            )
        points = entry.points * rules.scale
        if points != points.to_integral_value():
            raise RulesError(
                f"児童 {child.id}: 職権調整 {entry.points} 点は scale {rules.scale} の刻みにありません / "
                f"staff points {entry.points} are finer than the rules file's scale"
            )
        total += int(points)
        items.append(item(f"staff.{index}", f"職権調整: {entry.reason} {signed(entry.points)}", int(points)))
    return total, items


def score_application(
    app: Application,
    rules: Rules,
    admission_year: int,
    memo: ReasonMemo | None = None,
    staff: Mapping[str, Sequence[StaffPoints]] | None = None,
) -> list[ScoredChild]:
    """Score every child of one application (the household part is computed once)."""
    env = Env(app, admission_year, rules.weeks_per_month)
    household_items, base_total, scores = base_items(app, rules, env, memo)
    base_scaled = rules.scaled(base_total)
    household_fired = [
        fired
        for adj, points, test in rules.household_adjustments
        if test(env) and (fired := _fire(adj, points, env)) is not None
    ]
    household_rank = _rank(scores, rules, env) if rules.rank_level == HOUSEHOLD else None
    scored = []
    for position, child in enumerate(app.children):
        env.child = child
        adjustments = _ChildAdjustments()
        grouped: dict[str, list[_Fired]] = {}
        grouped_at: dict[str, dict[str, list[_Fired]]] = {}
        fired_all = list(household_fired)
        for adj, points, level in rules.leveled_adjustments:
            if level == CHILD:
                if adj.condition.fn(env) and (fired := _fire(adj, points, env)) is not None:
                    fired_all.append(fired)
            elif level == NURSERY:
                for nursery in app.preferences:
                    env.nursery = nursery
                    if adj.condition.fn(env) and (fired := _fire(adj, points, env)) is not None:
                        if adj.group is None:
                            adjustments.add(fired, nursery)
                        else:
                            grouped_at.setdefault(adj.group, {}).setdefault(nursery, []).append(fired)
                env.nursery = None
        order = rules.adjustment_order
        for fired in sorted(fired_all, key=lambda f: order[f[0].id]) if len(fired_all) > 1 else fired_all:
            if fired[0].group is None:
                adjustments.add(fired)
            else:
                grouped.setdefault(fired[0].group, []).append(fired)
        for group_id in [g for g in rules.groups if g in grouped or g in grouped_at]:
            adjustments.add_group(
                rules.groups[group_id], rules, grouped.get(group_id, []), grouped_at.get(group_id, {})
            )
        rank = household_rank or _rank(scores, rules, env)
        rank_points = rank.value * rules.rank_multiplier
        staff_total, staff_items = _staff_items(child, staff.get(child.id, ()), rules) if staff else (0, [])
        score = rank_points + base_scaled + adjustments.total + staff_total
        items = [
            _rank_item(rank, rules),
            *household_items,
            *adjustments.items,
            *staff_items,
        ]
        scored.append(
            ScoredChild(
                application=app,
                child=child,
                position=position,
                age_class=child.age_class(admission_year),
                score=score,
                base_scaled=base_scaled,
                bonus=adjustments.bonus,
                breakdown=(*items, *adjustments.nursery_items),
                adjustment_scaled=adjustments.total,
                guardians=tuple(scores),
            )
        )
    return scored


def score_applications(
    applications: Sequence[Application],
    rules: Rules,
    admission_year: int,
    staff: Sequence[StaffPoints] = (),
) -> tuple[ChildPriority, ...]:
    """One :class:`ChildPriority` per child, in application order. Same input, same output.

    `staff`: points staff set for single children (職権調整, with a reason), added to the score and
    shown in the breakdown.
    """
    counts = Counter(child.id for app in applications for child in app.children)
    duplicated = sorted(cid for cid, n in counts.items() if n > 1)
    if duplicated:
        raise InvalidRecordError(
            f"児童番号が重複しています / child ids appear twice: {', '.join(duplicated[:5])}"
        )
    by_child: dict[str, list[StaffPoints]] = {}
    for entry in staff:
        if entry.child_id not in counts:
            raise InvalidRecordError(
                f"職権調整の児童番号 {entry.child_id} は申込にありません / staff points for an unknown child"
            )
        by_child.setdefault(entry.child_id, []).append(entry)
    memo: ReasonMemo = {}
    scored = [
        entry
        for app in applications
        for entry in score_application(app, rules, admission_year, memo, by_child)
    ]
    ranks, keys, at = order_children(scored, rules, admission_year)
    # model_construct: every field was built here from validated records (no second validation pass).
    return tuple(
        ChildPriority.model_construct(
            child_id=entry.child.id,
            application_id=entry.application.id,
            age_class=entry.age_class,
            score=entry.score,
            tiebreak=ranks[entry.child.id],
            bonus=entry.bonus,
            breakdown=entry.breakdown,
            tiebreak_keys=keys[entry.child.id],
            tiebreak_at=at.get(entry.child.id, {}),
        )
        for entry in scored
    )
