"""Explanations staff can read out to parents: the class's cut-off against the child's own priority.

For every 保留 child, one line per nursery it listed; for a placed child, one line per nursery it
preferred to the one it got. Example: "第1希望 N001 さくら保育園 1歳児: 最低内定指数 120、本児 110".
The cut-off is the lowest priority (score + bonus there) among the children newly admitted to that
class; a transfer child keeping its seat is not part of that competition. When the child's own figure
is not below the cut-off, a short reason follows (tie broken by the tie-break order, sibling rule,
staff exclusion), and where staff can do something about it, the next step ("→ 次の手順: …"): ask the
family about 別園可 when a sibling group kept together would fit apart, or whether this child may start
alone; lift a staff exclusion in the workbook. These lines are for staff; letters word their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matching.adjustments import AdjustmentKind, StaffAdjustment
from matching.instance import Instance, InstanceApplication
from matching.records import SiblingCondition
from matching.result import ChoiceExplanation


def explain_outcome(
    instance: Instance,
    assignments: Mapping[str, str | None],
    adjustments: Sequence[StaffAdjustment] = (),
) -> dict[str, tuple[ChoiceExplanation, ...]]:
    names = {n.id: n.name for n in instance.nurseries}
    capacity = {n.id: n.capacity for n in instance.nurseries}
    excluded = {(a.child_id, a.nursery) for a in adjustments if a.kind is AdjustmentKind.EXCLUDE}
    cutoff: dict[tuple[str, int], int] = {}
    for app in instance.applications:
        got = assignments.get(app.id)
        if got is None or got == app.current_nursery:
            continue
        points = app.score + app.bonus.get(got, 0)
        key = (got, app.age_class)
        if key not in cutoff or points < cutoff[key]:
            cutoff[key] = points
    fits_apart = _groups_fitting_apart(instance, assignments, cutoff, capacity)
    explanations: dict[str, tuple[ChoiceExplanation, ...]] = {}
    for app in instance.applications:
        got = assignments.get(app.id)
        listed = app.preferences
        better = listed if got not in listed else listed[: listed.index(got)]
        if not better:
            continue
        lines = []
        for rank, nursery in enumerate(better, start=1):
            points = app.score + app.bonus.get(nursery, 0)
            low = cutoff.get((nursery, app.age_class))
            seats = capacity[nursery].get(app.age_class, 0)
            head = f"第{rank}希望 {nursery} {names[nursery]} {app.age_class}歳児: "
            if low is None:
                body = f"内定者なし（募集 {seats} 人）、本児 {points}"
            else:
                body = f"最低内定指数 {low}、本児 {points}"
            reason = _reason(app, nursery, low, points, excluded)
            reason += _next_step(app, nursery, low, points, excluded, fits_apart)
            # model_construct: every field is computed right here; validating ~100,000 lines at city
            # scale cost seconds.
            lines.append(
                ChoiceExplanation.model_construct(
                    rank=rank,
                    nursery=nursery,
                    age_class=app.age_class,
                    cutoff_score=low,
                    child_score=points,
                    text=head + body + reason,
                )
            )
        explanations[app.id] = tuple(lines)
    return explanations


# Why a sibling was not placed at a nursery where its own figure reached the cut-off: the family's
# condition (きょうだい条件) allowed no outcome with it there (matching/optimizer/families.py).
SIBLING_REASONS = {
    SiblingCondition.SAME_TOGETHER: "（同保同時: きょうだい全員を受け入れる枠がありません）",
    SiblingCondition.SAME_SEQUENTIAL_ELDEST: "（同保順次上: 上のお子さんと同じ園で受け入れる枠がありません）",
    SiblingCondition.SAME_SEQUENTIAL_YOUNGEST: "（同保順次下: 下のお子さんと同じ園で受け入れる枠がありません）",
    SiblingCondition.SPLIT_TOGETHER_SAME_FIRST: "（別保同時同: きょうだい全員がそろって入所できる組合せがありません）",
    SiblingCondition.SPLIT_TOGETHER_OWN_FIRST: "（別保同時希: きょうだい全員がそろって入所できる組合せがありません）",
    SiblingCondition.SPLIT_SEQUENTIAL_SAME_FIRST: "（別保順次同: きょうだいがより多く・同じ園に入れる組合せを優先しました）",
    SiblingCondition.SPLIT_SEQUENTIAL_OWN_FIRST: "（別保順次希: きょうだいがより多く入れる組合せを優先しました）",
}


def _reason(
    app: InstanceApplication, nursery: str, low: int | None, points: int, excluded: set[tuple[str, str]]
) -> str:
    if (app.id, nursery) in excluded:
        return "（調整により除外）"
    if low is None or points < low:
        return ""
    if app.sibling_group is not None and app.sibling_condition is not None:
        return SIBLING_REASONS[app.sibling_condition]
    if points == low:
        return "（同指数: 選考順位により不利）"
    return "（他の受入との調整による）"


def _next_step(
    app: InstanceApplication,
    nursery: str,
    low: int | None,
    points: int,
    excluded: set[tuple[str, str]],
    fits_apart: set[str],
) -> str:
    """What staff can do about this preference, when the reason leaves them something to do ("" else)."""
    if (app.id, nursery) in excluded:
        return " → 次の手順: 除外をやめるときは、審査用ワークブックの調整欄を空にして再実行してください"
    if not _blocked_by_siblings_together(app, low, points):
        return ""
    if app.sibling_group in fits_apart:
        return (
            " → 次の手順: 別々の園でもよいか（別園可）ご家庭に確認してください。"
            "別園可なら、きょうだいそれぞれに内定の見込みがあります"
        )
    return " → 次の手順: 本児だけ先に入所してもよいか（別園可）ご家庭に確認してください"


def _blocked_by_siblings_together(app: InstanceApplication, low: int | None, points: int) -> bool:
    """At or above the cut-off (or no one admitted), yet not placed: held back by 同保同時."""
    together = app.sibling_group is not None and app.sibling_condition is SiblingCondition.SAME_TOGETHER
    return together and (low is None or points >= low)


def _groups_fitting_apart(
    instance: Instance,
    assignments: Mapping[str, str | None],
    cutoff: Mapping[tuple[str, int], int],
    capacity: Mapping[str, Mapping[int, int]],
) -> set[str]:
    """同保同時 groups not all placed in which every child, on its own, would have a place at some
    nursery it listed: a free seat in its class there, or a figure above that class's cut-off."""
    placed: dict[tuple[str, int], int] = {}
    for app in instance.applications:
        got = assignments.get(app.id)
        if got is not None and got != app.current_nursery:
            placed[(got, app.age_class)] = placed.get((got, app.age_class), 0) + 1
    members: dict[str, list[InstanceApplication]] = {}
    for app in instance.applications:
        if app.sibling_group is not None and app.sibling_condition is SiblingCondition.SAME_TOGETHER:
            members.setdefault(app.sibling_group, []).append(app)

    def alone(app: InstanceApplication) -> bool:
        if assignments.get(app.id) is not None:
            return True
        for nursery in app.preferences:
            seats = capacity.get(nursery, {}).get(app.age_class, 0)
            key = (nursery, app.age_class)
            if seats and (
                placed.get(key, 0) < seats or app.score + app.bonus.get(nursery, 0) > cutoff.get(key, 0)
            ):
                return True
        return False

    return {
        group
        for group, children in members.items()
        if any(assignments.get(c.id) is None for c in children) and all(alone(c) for c in children)
    }
