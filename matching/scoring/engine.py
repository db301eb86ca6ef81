"""Score applications with a rules file: per child a priority, its per-nursery bonus and a breakdown.

Invariants the review workbook relies on: the breakdown items without a nursery add up to `score`, and
the items of nursery n add up to `bonus[n]`. The score folds the 順位区分 in as value × rank_multiplier,
so a higher class beats any difference in points.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from matching.errors import InvalidRecordError, RulesError
from matching.priority import BreakdownItem, ChildPriority
from matching.records import AdjustmentFlag, Application, Child, Guardian, Reason, ReasonKind, WorkStyle
from matching.scoring.rules import Combine, Condition, RankClass, Rules
from matching.scoring.tiebreak import order_children


@dataclass(frozen=True)
class GuardianScore:
    """The reason that counts for one guardian (the one with the most points)."""

    relation: str
    points: Decimal
    rule_id: str
    label: str
    kind: ReasonKind | None  # None for a missing guardian


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


def _signed(points: Decimal) -> str:
    return ("+" if points >= 0 else "") + _fmt(points)


def _fmt(points: Decimal) -> str:
    text = format(points.normalize(), "f")
    return f"{text}点"


def reason_points(reason: Reason, rules: Rules, where: str) -> tuple[Decimal, str, str]:
    """(points, rule id, staff label) of one reason under `rules`."""
    if reason.kind is ReasonKind.WORK:
        # No 就労形態 on the form: scored as 外勤, the usual case; the breakdown label says so.
        style = reason.work_style or WorkStyle.EMPLOYED
        table = rules.work_table(style)
        assert reason.days_per_week is not None  # Reason validates
        hours = table.hours_in_unit(reason)
        for index, band in enumerate(table.bands):
            if band.matches(hours, reason.days_per_week):
                return band.points, f"work.{style.value}.{index + 1}", f"就労({style.value}) {band.label}"
        stated = (
            f"月{reason.hours_per_month:g}時間"
            if reason.hours_per_month is not None
            else f"週{reason.hours_per_week:g}時間"
        )
        facts = f"{stated}・週{reason.days_per_week}日"
        return Decimal(0), f"work.{style.value}.none", f"就労({style.value}) {facts}: 表の基準に該当せず"
    table_for = rules.reasons.get(reason.kind)
    if table_for is None:
        raise RulesError(
            f"{where}: 規則ファイルに事由「{reason.kind.value}」がありません。[reasons.{reason.kind.value}] を"
            f"追加してください / the rules file has no [reasons.{reason.kind.value}] for this application"
        )
    if reason.level is not None and reason.level in table_for.levels:
        level = reason.level
        return table_for.levels[level], f"reason.{reason.kind.value}.{level}", f"{reason.kind.value}({level})"
    if table_for.points is None:
        raise RulesError(
            f"{where}: 事由「{reason.kind.value}」の程度「{reason.level}」が規則ファイルにありません。"
            f"[reasons.{reason.kind.value}.levels] に加えるか points を書いてください / level "
            f"{reason.level!r} of {reason.kind.value} is not in the rules file"
        )
    label = reason.kind.value + (f"({reason.level})" if reason.level else "")
    return table_for.points, f"reason.{reason.kind.value}", label


ReasonMemo = dict[tuple[object, ...], tuple[Decimal, str, str]]


def guardian_score(
    guardian: Guardian, rules: Rules, where: str, memo: ReasonMemo | None = None
) -> GuardianScore:
    best: GuardianScore | None = None
    for reason in guardian.reasons:
        # Most households share a handful of reason shapes: look each up once per run.
        key = (
            reason.kind,
            reason.work_style,
            reason.hours_per_month,
            reason.hours_per_week,
            reason.days_per_week,
            reason.level,
        )
        found = memo.get(key) if memo is not None else None
        if found is None:
            found = reason_points(reason, rules, where)
            if memo is not None:
                memo[key] = found
        points, rule_id, label = found
        if best is None or points > best.points:
            best = GuardianScore(guardian.relation, points, rule_id, label, reason.kind)
    assert best is not None  # a Guardian has at least one reason
    return best


def _base_items(
    app: Application, rules: Rules, memo: ReasonMemo | None
) -> tuple[list[BreakdownItem], Decimal, list[GuardianScore]]:
    where = f"申込 {app.id}"
    counted = app.household.guardians[: rules.guardians_counted]
    scores = [guardian_score(g, rules, where, memo) for g in counted]
    missing_points = rules.missing_guardian if rules.missing_guardian is not None else rules.max_base_points
    missing_label = (
        "不在 (規則により最大点で算定)"
        if rules.missing_guardian is None
        else f"不在 (規則により{_fmt(missing_points)}で算定)"
    )
    for slot in range(len(counted), rules.guardians_counted):
        scores.append(
            GuardianScore(f"保護者{slot + 1}", missing_points, "guardian.missing", missing_label, None)
        )
    items: list[BreakdownItem] = []
    if rules.combine is Combine.SUM:
        total = sum((s.points for s in scores), Decimal(0))
        items = [
            _item(s.rule_id, f"{s.relation}: {s.label} {_fmt(s.points)}", rules.scaled(s.points))
            for s in scores
        ]
    else:
        chosen = min(range(len(scores)), key=lambda i: scores[i].points)
        total = scores[chosen].points
        for index, s in enumerate(scores):
            if index == chosen:
                items.append(
                    _item(
                        rule_id=s.rule_id,
                        label=f"{s.relation}: {s.label} {_fmt(s.points)} (低い方を採用)",
                        points=rules.scaled(s.points),
                    )
                )
            else:
                items.append(
                    _item(
                        rule_id=s.rule_id,
                        label=f"{s.relation}: {s.label} {_fmt(s.points)} (低い方のみ算定のため不算入)",
                        points=0,
                    )
                )
    for extra in app.household.guardians[rules.guardians_counted :]:
        items.append(
            _item(
                rule_id="guardian.not_counted",
                label=f"{extra.relation}: 算定対象外 (保護者{rules.guardians_counted}人まで)",
                points=0,
            )
        )
    return items, total, scores


def _rank(app: Application, scores: Sequence[GuardianScore], rules: Rules) -> RankClass:
    kinds = {s.kind for s in scores if s.kind is not None}
    flags: frozenset[AdjustmentFlag] = app.household.flags
    for rank in rules.ranks:
        if not rank.is_default and (rank.flags_any & flags or rank.reasons_any & kinds):
            return rank
    return rules.default_rank


def _rank_label(rank: RankClass, rules: Rules) -> str:
    if len(rules.ranks) == 1:
        return f"順位区分: {rank.name}"
    position = len(rules.ranks) - rank.value
    multiplier = f"{rank.value} × {rules.rank_multiplier}"
    return f"順位区分: {rank.name} (第{position}区分 = {multiplier}: 上の区分は指数に関係なく優先)"


@lru_cache(maxsize=8192)
def _item(rule_id: str, label: str, points: int, nursery: str | None = None) -> BreakdownItem:
    # Tens of thousands per run but only a few hundred distinct ones: share equal (frozen) items.
    return BreakdownItem(rule_id=rule_id, label=label, points=points, nursery=nursery)


def score_application(
    app: Application, rules: Rules, admission_year: int, memo: ReasonMemo | None = None
) -> list[ScoredChild]:
    """Score every child of one application (the household part is computed once)."""
    household_items, base_total, scores = _base_items(app, rules, memo)
    base_scaled = rules.scaled(base_total)
    household_score = base_scaled
    bonus: dict[str, int] = {}
    nursery_items: list[BreakdownItem] = []
    transfer_rules = []
    for adj, points in rules.scaled_adjustments:
        if adj.condition is Condition.SIBLING_ENROLLED:
            for nursery in app.household.siblings_enrolled_at:
                if nursery in app.preferences:
                    bonus[nursery] = bonus.get(nursery, 0) + points
                    nursery_items.append(
                        _item(f"adj.{adj.id}", f"{adj.label} {_signed(adj.points)}", points, nursery)
                    )
        elif adj.condition is Condition.TRANSFER:
            transfer_rules.append((adj, points))  # per child: only transfer applicants
        elif (adj.condition is Condition.FLAG and adj.flag in app.household.flags) or (
            adj.condition is Condition.SIBLINGS_APPLYING and app.is_sibling_group
        ):
            household_score += points
            household_items.append(_item(f"adj.{adj.id}", f"{adj.label} {_signed(adj.points)}", points))
    rank = _rank(app, scores, rules)
    rank_points = rank.value * rules.rank_multiplier
    rank_item = _item(f"rank.{rank.name}", _rank_label(rank, rules), rank_points)
    scored = []
    for position, child in enumerate(app.children):
        score = household_score + rank_points
        items = [rank_item, *household_items]
        if child.current_nursery is not None:
            for adj, points in transfer_rules:
                score += points
                items.append(_item(f"adj.{adj.id}", f"{adj.label} {_signed(adj.points)}", points))
        scored.append(
            ScoredChild(
                application=app,
                child=child,
                position=position,
                age_class=child.age_class(admission_year),
                score=score,
                base_scaled=base_scaled,
                bonus=dict(bonus),
                breakdown=(*items, *nursery_items),
            )
        )
    return scored


def score_applications(
    applications: Sequence[Application], rules: Rules, admission_year: int
) -> tuple[ChildPriority, ...]:
    """One :class:`ChildPriority` per child, in application order. Same input, same output."""
    counts = Counter(child.id for app in applications for child in app.children)
    duplicated = sorted(cid for cid, n in counts.items() if n > 1)
    if duplicated:
        raise InvalidRecordError(
            f"児童番号が重複しています / child ids appear twice: {', '.join(duplicated[:5])}"
        )
    memo: ReasonMemo = {}
    scored = [item for app in applications for item in score_application(app, rules, admission_year, memo)]
    ranks, keys = order_children(scored, rules)
    return tuple(
        ChildPriority(
            child_id=item.child.id,
            application_id=item.application.id,
            age_class=item.age_class,
            score=item.score,
            tiebreak=ranks[item.child.id],
            bonus=item.bonus,
            breakdown=item.breakdown,
            tiebreak_keys=keys[item.child.id],
        )
        for item in scored
    )
