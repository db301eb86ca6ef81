"""基準指数: each guardian's points from the reason and work tables, and the household's base items.

A guardian's reasons are scored one by one (work tables by style and condition, reason tables by role,
case, level and hour/day band) and combined as the file says (the highest, or the sum); the guardians
then combine as sum, lower or higher. Labels carry the file's points, so staff can check by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from matching.errors import RulesError
from matching.priority import BreakdownItem
from matching.records import Application, Guardian, Reason, ReasonKind, WorkStyle
from matching.scoring.expr_names import Env
from matching.scoring.rules import Combine, ReasonsCombine, ReasonTable, Rules, WorkBand


@dataclass(frozen=True)
class GuardianScore:
    """The points of one guardian: the counted reasons' total, with the label staff see."""

    relation: str
    points: Decimal
    rule_id: str
    label: str
    kind: ReasonKind | None  # the best reason's kind (None for a missing guardian)
    style: WorkStyle | None = None


@lru_cache(maxsize=1024)
def fmt(points: Decimal) -> str:
    return f"{format(points.normalize(), 'f')}点"


@lru_cache(maxsize=1024)
def signed(points: Decimal) -> str:
    return ("+" if points >= 0 else "") + fmt(points)


@lru_cache(maxsize=8192)
def item(rule_id: str, label: str, points: int, nursery: str | None = None) -> BreakdownItem:
    # Tens of thousands per run but only a few hundred distinct ones: share equal (frozen) items.
    return BreakdownItem(rule_id=rule_id, label=label, points=points, nursery=nursery)


def _band(bands: Sequence[WorkBand], hours: object, days: int | None) -> tuple[int, WorkBand] | None:
    if hours is None:
        return None
    for index, band in enumerate(bands):
        if band.matches(hours, days if days is not None else 7):  # type: ignore[arg-type]
            return index, band
    return None


def _stated(reason: Reason) -> str:
    hours = (
        f"月{reason.hours_per_month:g}時間"
        if reason.hours_per_month is not None
        else f"週{reason.hours_per_week:g}時間"
        if reason.hours_per_week is not None
        else "時間不明"
    )
    return hours + (f"・週{reason.days_per_week}日" if reason.days_per_week is not None else "")


def work_points(reason: Reason, rules: Rules, env: Env) -> tuple[Decimal, str, str]:
    # No 就労形態 on the form: scored as 外勤, the usual case; the breakdown label says so.
    style = reason.work_style or WorkStyle.EMPLOYED
    tables = rules.work_tables(style)
    for table in tables:
        if table.when is not None and not table.when.fn(env):
            continue
        found = _band(table.bands, table.hours_in_unit(reason, rules.weeks_per_month), reason.days_per_week)
        name = table.label or style.value
        if found is not None:
            index, band = found
            return band.points, f"work.{style.value}.{index + 1}", f"就労({name}) {band.label}"
        return Decimal(0), f"work.{style.value}.none", f"就労({name}) {_stated(reason)}: 表の基準に該当せず"
    # Only a partly transcribed table (meta.partial) leaves a style or a case without a table.
    raise RulesError(
        f"{env.app.id}: 規則ファイルに就労形態「{style.value}」のこの場合の表がありません / no work table for "
        f"{style.value!r} in this case" + (f" ({rules.partial})" if rules.partial else "")
    )


def reason_points(
    reason: Reason, rules: Rules, where: str, env: Env | None = None
) -> tuple[Decimal, str, str]:
    """(points, rule id, staff label) of one reason under `rules` (env: the guardian in view)."""
    if env is None:
        raise RulesError("internal: reason_points needs an Env")
    if reason.kind is ReasonKind.WORK:
        return work_points(reason, rules, env)
    table = rules.reasons.get(reason.kind)
    kind = reason.kind.value
    if table is None:
        raise RulesError(
            f"{where}: 規則ファイルに事由「{kind}」がありません。[reasons.{kind}] を"
            f"追加してください / the rules file has no [reasons.{kind}] for this application"
        )
    return _table_points(reason, table, rules, env, where)


def _table_points(
    reason: Reason, table: ReasonTable, rules: Rules, env: Env, where: str
) -> tuple[Decimal, str, str]:
    kind = reason.kind.value
    if table.roles and env.guardian is not None and env.guardian.role.value not in table.roles:
        roles = "・".join(sorted(table.roles))
        return Decimal(0), f"reason.{kind}.role", f"{kind}: {roles}のみが対象の事由のため算定せず"
    for index, case in enumerate(table.cases):
        if case.when.fn(env):
            return case.points, f"reason.{kind}.case{index + 1}", f"{kind}({case.label})"
    if reason.level is not None and reason.level in table.levels:
        return table.levels[reason.level], f"reason.{kind}.{reason.level}", f"{kind}({reason.level})"
    if table.bands:
        hours = (
            reason.monthly_hours(rules.weeks_per_month)
            if table.unit.value == "month"
            else reason.weekly_hours(rules.weeks_per_month)
        )
        found = _band(table.bands, hours, reason.days_per_week)
        if found is not None:
            index, band = found
            return band.points, f"reason.{kind}.band{index + 1}", f"{kind} {band.label}"
    if table.points is None:
        if table.bands:
            return Decimal(0), f"reason.{kind}.none", f"{kind} {_stated(reason)}: 表の基準に該当せず"
        raise RulesError(
            f"{where}: 事由「{kind}」の程度「{reason.level}」が規則ファイルにありません。"
            f"[reasons.{kind}.levels] に加えるか points を書いてください / level "
            f"{reason.level!r} of {kind} is not in the rules file"
        )
    label = kind + (f"({reason.level})" if reason.level else "")
    return table.points, f"reason.{kind}", label


ReasonMemo = dict[tuple[object, ...], tuple[Decimal, str, str]]


def guardian_score(
    guardian: Guardian, rules: Rules, where: str, env: Env, memo: ReasonMemo | None = None
) -> GuardianScore:
    env.guardian = guardian
    scored: list[tuple[Decimal, str, str, Reason]] = []
    for reason in guardian.reasons:
        env.reason = reason
        found = None
        key: tuple[object, ...] = ()
        dependent = rules.guardian_dependent
        if memo is not None and (
            (reason.work_style or WorkStyle.EMPLOYED) not in dependent
            if reason.kind is ReasonKind.WORK
            else reason.kind not in dependent
        ):
            # Most households share a handful of reason shapes: look each up once per run.
            key = (reason.kind, reason.work_style, reason.hours_per_month, reason.hours_per_week,
                   reason.days_per_week, reason.level)  # fmt: skip
            found = memo.get(key)
        if found is None:
            found = reason_points(reason, rules, where, env)
            if key:
                assert memo is not None
                memo[key] = found
        scored.append((*found, reason))
    env.reason = None
    best = max(range(len(scored)), key=lambda i: scored[i][0])  # the first of equal ones
    points, rule_id, label, reason = scored[best]
    if rules.reasons_combine is ReasonsCombine.SUM and len(scored) > 1:
        points = sum((s[0] for s in scored), Decimal(0))
        label = " + ".join(f"{s[2]} {fmt(s[0])}" for s in scored) + " (事由の合計)"
        rule_id = "+".join(s[1] for s in scored)
    return GuardianScore(guardian.relation, points, rule_id, label, reason.kind, reason.work_style)


def base_items(
    app: Application, rules: Rules, env: Env, memo: ReasonMemo | None
) -> tuple[list[BreakdownItem], Decimal, list[GuardianScore]]:
    where = f"申込 {app.id}"
    counted = app.household.guardians[: rules.guardians_counted]
    scores = [guardian_score(g, rules, where, env, memo) for g in counted]
    env.guardian = None
    missing_points = rules.missing_guardian if rules.missing_guardian is not None else rules.max_base_points
    missing_label = (
        "不在 (規則により最大点で算定)"
        if rules.missing_guardian is None
        else f"不在 (規則により{fmt(missing_points)}で算定)"
    )
    for slot in range(len(counted), rules.guardians_counted):
        scores.append(
            GuardianScore(f"保護者{slot + 1}", missing_points, "guardian.missing", missing_label, None)
        )
    items: list[BreakdownItem] = []
    if rules.combine is Combine.SUM:
        total = sum((s.points for s in scores), Decimal(0))
        items = [
            item(s.rule_id, f"{s.relation}: {s.label} {fmt(s.points)}", rules.scaled(s.points))
            for s in scores
        ]
    else:
        pick = min if rules.combine is Combine.LOWER else max
        chosen = pick(range(len(scores)), key=lambda i: scores[i].points)
        total = scores[chosen].points
        word = "低い方" if rules.combine is Combine.LOWER else "高い方"
        for index, s in enumerate(scores):
            if index == chosen:
                label = f"{s.relation}: {s.label} {fmt(s.points)} ({word}を採用)"
                items.append(item(s.rule_id, label, rules.scaled(s.points)))
            else:
                label = f"{s.relation}: {s.label} {fmt(s.points)} ({word}のみ算定のため不算入)"
                items.append(item(s.rule_id, label, 0))
    for extra in app.household.guardians[rules.guardians_counted :]:
        label = f"{extra.relation}: 算定対象外 (保護者{rules.guardians_counted}人まで)"
        items.append(item("guardian.not_counted", label, 0))
    return items, total, scores
