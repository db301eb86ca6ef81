"""One 内定・保留通知書 per household, composed from the records, the instance and the approved result.

A household with children in both outcomes gets both facts in one letter. For 保留, every preference
says in plain Japanese why: the lowest priority placed in that class against the child's own, no seat in
that class, or the sibling condition. Letters are put in print order (by postal code) and numbered.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from matching.instance import Instance, InstanceApplication
from matching.profile import CityProfile
from matching.records import AGE_CLASS_LABELS, Application, Nursery, SiblingCondition
from matching.result import ChoiceExplanation, MatchResult

PLACED, WAITING, STAYING = "内定", "保留", "在籍継続"
DECIDED = "決定"  # a later round: the family accepted the 内定 (承諾), the placement is decided


@dataclass(frozen=True)
class ChildNotice:
    child_id: str
    name: str
    age_class: str  # 1歳児
    outcome: str  # 内定 / 決定 / 保留 / 在籍継続 (a transfer that keeps its seat)
    nursery: str  # the placed nursery's name ("" when waiting)
    start_date: dt.date
    reasons: tuple[str, ...] = ()  # for 保留 (and a transfer not granted): one line per preference
    waiting_position: int | None = None


@dataclass(frozen=True)
class Letter:
    application_id: str
    document_number: str
    postal_code: str
    address: str
    addressee: str
    children: tuple[ChildNotice, ...]
    next_steps: tuple[str, ...]

    @property
    def kind(self) -> str:
        if all(c.outcome == DECIDED for c in self.children):
            return DECIDED
        placed = any(c.outcome in (PLACED, DECIDED) for c in self.children)
        waiting = any(c.outcome not in (PLACED, DECIDED) for c in self.children)
        return "内定・保留" if placed and waiting else (PLACED if placed else WAITING)

    @property
    def title(self) -> str:
        return {
            PLACED: "保育所等利用内定通知書",
            WAITING: "保育所等利用保留通知書",
            DECIDED: "保育所等利用決定通知書",
        }.get(self.kind, "保育所等利用内定・保留通知書")


def compose_letters(
    applications: Sequence[Application],
    nurseries: Sequence[Nursery],
    instance: Instance,
    result: MatchResult,
    profile: CityProfile,
    *,
    round_id: str | None = None,
    decided: Collection[str] = (),
    omit: Collection[str] = (),
) -> list[Letter]:
    """Every household's letter, in print order (postal code, then 受付番号), numbered from 1.

    Later rounds (二次 …): children in `decided` accepted their placement and get 決定 there; children in
    `omit` (a 内定 not answered yet: nothing new to tell) get no line, and a household with nothing else
    no letter."""
    names = {n.id: n.name for n in nurseries} | {n.id: n.name for n in instance.nurseries}
    children = {a.id: a for a in instance.applications}
    seats = {(n.id, age): count for n in instance.nurseries for age, count in n.capacity.items()}
    positions = _waiting_positions(instance, result) if profile.notices.publish_waiting_position else {}
    steps = _next_steps(profile, round_id)
    drafts = []
    for app in applications:
        notices = tuple(
            _child_notice(child.id, child.name, app, children[child.id], result, names, positions, seats)
            for child in app.children
            if child.id in children and child.id not in omit
        )
        notices = tuple(
            replace(n, outcome=DECIDED) if n.child_id in decided and n.outcome == PLACED else n
            for n in notices
        )
        if notices:
            drafts.append((app, notices))
    drafts.sort(key=lambda item: (item[0].household.postal_code or "999-9999", item[0].id))
    letters = []
    for number, (app, notices) in enumerate(drafts, start=1):
        own_steps: tuple[str, ...] = ()
        if any(n.outcome not in (PLACED, DECIDED) for n in notices):  # next steps: for children still waiting
            sibling = _sibling_step(app, profile.sibling_default)
            own_steps = (*steps, sibling) if sibling else steps
        letters.append(
            Letter(
                application_id=app.id,
                document_number=f"{profile.notices.document_prefix} {number} 号",
                postal_code=app.household.postal_code or "",
                address=app.household.address or "",
                addressee=_addressee(app),
                children=notices,
                next_steps=own_steps,
            )
        )
    return letters


def _addressee(app: Application) -> str:
    named = [g.name for g in app.household.guardians if g.name]
    return named[0] if named else "保護者"


def _child_notice(
    child_id: str,
    name: str | None,
    app: Application,
    entry: InstanceApplication,
    result: MatchResult,
    names: Mapping[str, str],
    positions: Mapping[str, int],
    seats: Mapping[tuple[str, int], int],
) -> ChildNotice:
    assigned = result.assignments.get(child_id)
    if assigned is not None and assigned != entry.current_nursery:
        outcome = PLACED
    elif assigned is not None:
        outcome = STAYING
    else:
        outcome = WAITING
    reasons: tuple[str, ...] = ()
    if outcome != PLACED:
        reasons = tuple(
            _plain_reason(e, names, entry, seats.get((e.nursery, e.age_class), 0))
            for e in result.explanations.get(child_id, ())
        )
    return ChildNotice(
        child_id=child_id,
        name=name or "",
        age_class=AGE_CLASS_LABELS[entry.age_class],
        outcome=outcome,
        nursery=names.get(assigned, assigned) if outcome == PLACED and assigned else "",
        start_date=app.desired_start,
        reasons=reasons,
        waiting_position=positions.get(child_id) if outcome == WAITING else None,
    )


def _plain_reason(
    explanation: ChoiceExplanation, names: Mapping[str, str], entry: InstanceApplication, seats: int
) -> str:
    """One preference's reason in words a family reads (the explanation's figures, not its staff text)."""
    nursery = names.get(explanation.nursery, explanation.nursery)
    head = f"第{explanation.rank}希望 {nursery} {AGE_CLASS_LABELS[explanation.age_class]}: "
    low, own = explanation.cutoff_score, explanation.child_score
    if "調整により除外" in explanation.text:  # a staff exclusion (調整) is named only in the staff text
        return head + "選考会議の調整により、この園での内定は見送りとなりました。"
    if seats == 0:
        return head + "この年齢クラスの募集がありませんでした。"
    condition = entry.sibling_condition if entry.sibling_group is not None else None
    if condition is not None and (low is None or own >= low) and condition in _SIBLING_WORDS:
        return head + _SIBLING_WORDS[condition].format(seats=seats)
    if low is None:
        return head + "他のお子さんの受け入れとの調整により、内定に至りませんでした。"
    if own < low:
        return head + f"内定した方の最も低い選考指数は {low:,}、お子さんの選考指数は {own:,} でした。"
    if own == low:
        return (
            head
            + f"選考指数 {own:,} が同じ方のうち、基準の順位（同点時の優先順位）で他の方が優先されました。"
        )
    return head + "他のお子さんの受け入れとの調整により、内定に至りませんでした。"


def _waiting_positions(instance: Instance, result: MatchResult) -> dict[str, int]:
    """待機順位: among the waiting children who put the same nursery and class first, by priority there."""
    queues: dict[tuple[str, int], list[InstanceApplication]] = defaultdict(list)
    for app in instance.applications:
        if result.assignments.get(app.id) is None and app.preferences:
            queues[(app.preferences[0], app.age_class)].append(app)
    positions: dict[str, int] = {}
    for (nursery, _), queue in queues.items():
        queue.sort(key=lambda a: (-(a.score + a.bonus.get(nursery, 0)), a.tiebreak))
        positions.update({a.id: rank for rank, a in enumerate(queue, start=1)})
    return positions


def _next_steps(profile: CityProfile, round_id: str | None) -> tuple[str, ...]:
    steps = ["希望する園を追加すると、空きのある園で選考を受けられることがあります。"]
    ids = [r.id for r in profile.rounds]
    current = ids.index(round_id) if round_id in ids else 0
    if current + 1 < len(profile.rounds):
        later = profile.rounds[current + 1]
        deadline = (
            f"{later.applications_until.month}月{later.applications_until.day}日まで"
            if later.applications_until
            else ""
        )
        steps.append(
            f"{later.label}に引き続き申し込まれます。希望の変更は{deadline or '期限まで'}にお届けください。"
        )
    if profile.notices.contact:
        steps.append(f"お問い合わせ: {profile.notices.contact}")
    return tuple(steps)


# Why a sibling was not placed where its own figure was enough: the family's condition allowed no outcome
# with it there (matching/optimizer/families.py). 別保順次希 children of different ages apply alone.
_SIBLING_WORDS = {
    SiblingCondition.SAME_TOGETHER: "募集 {seats} 人の中で、きょうだい全員を同じ園で受け入れる空きがありませんでした。",
    SiblingCondition.SAME_SEQUENTIAL_ELDEST: "上のお子さんと同じ園で、あわせて受け入れる空きがありませんでした。",
    SiblingCondition.SAME_SEQUENTIAL_YOUNGEST: "下のお子さんと同じ園で、あわせて受け入れる空きがありませんでした。",
    SiblingCondition.SPLIT_TOGETHER_SAME_FIRST: "きょうだい全員がそろって入所できる組み合わせがありませんでした。",
    SiblingCondition.SPLIT_TOGETHER_OWN_FIRST: "きょうだい全員がそろって入所できる組み合わせがありませんでした。",
    SiblingCondition.SPLIT_SEQUENTIAL_SAME_FIRST: "きょうだいがより多く、同じ園に入所できる組み合わせを優先しました。",
    SiblingCondition.SPLIT_SEQUENTIAL_OWN_FIRST: "きょうだいがより多く入所できる組み合わせを優先しました。",
}


def _sibling_step(app: Application, default: SiblingCondition) -> str | None:
    """What a waiting sibling family may change: the condition it chose (or the city's default) is what
    kept a seat away."""
    if not app.is_sibling_group:
        return None
    condition = app.sibling_condition or default
    if not condition.allows_split:
        return "きょうだいが別々の園でもよい場合（別園可）は、お申し出ください。空きのある園で選考できることがあります。"
    if condition.value.startswith("別保同時"):
        return "きょうだいの一部だけ先に入所してもよい場合（順次入所）は、お申し出ください。選考できる組み合わせが増えます。"
    return None
