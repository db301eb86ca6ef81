"""Explanations staff can read out to parents: the class's cut-off against the child's own priority.

For every 保留 child, one line per nursery it listed; for a placed child, one line per nursery it
preferred to the one it got. Example: "第1希望 N001 さくら保育園 1歳児: 最低内定指数 120、本児 110".
The cut-off is the lowest priority (score + bonus there) among the children newly admitted to that
class; a transfer child keeping its seat is not part of that competition. When the child's own figure
is not below the cut-off, a short reason follows (tie broken by the tie-break order, sibling rule,
staff exclusion).
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
