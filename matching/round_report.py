"""What changed between two rounds: per child, per nursery and class, and the coalitions against the
fixed placements. Ids, nursery ids and counts only (names are added by the workbook writer).

    report = change_report(previous_state, plan, solution)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from matching.instance import Instance, InstanceApplication
from matching.result import MatchResult
from matching.round_solve import RoundSolution
from matching.rounds import (
    ClassSeats,
    Holding,
    Release,
    RoundIssue,
    RoundPlan,
    RoundState,
    SeatState,
    holdings_after,
)

NEW, PLACED, WAITING, STAYING = "新規申込", "内定", "保留", "在籍継続"
DECIDED, PENDING, WITHDRAWN, LEFT_OUT, DROPPED = "決定", "回答待ち", "取下げ", "選考外", "対象外"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ChildChange(_Frozen):
    child_id: str
    application_id: str
    age_class: int
    before: str  # 内定 N001 / 保留 / 在籍継続 N002 / 回答待ち N001 / 決定 N001 / 新規申込
    after: str  # 決定 N001 / 回答待ち N001 / 辞退 / 取消 / 内定 N003 / 保留 / 取下げ / 選考外 …
    changed: bool  # the seat the child holds or gets is another one (or none) after this round
    reason: str


class NurseryChange(_Frozen):
    nursery: str
    name: str
    age_class: int
    base: int
    accepted: int
    pending: int
    transfer_freed: int
    returned: dict[str, int]  # 辞退 / 取消 / 面接不可 -> seats returned by this round's responses
    available: int  # seats this round offered
    filled: int  # children placed there in this round
    remaining: int
    over: int


class FixedCoalition(_Frozen):
    """A child (or sibling group) with priority over a kept placement, kept out because it is fixed."""

    applicants: tuple[str, ...]
    nursery: str
    fixed: tuple[str, ...]  # the kept placements there of lower priority


class ChangeReport(_Frozen):
    round_id: str
    previous_round: str
    status: str
    checker_ok: bool
    checker_messages: tuple[str, ...]
    children: tuple[ChildChange, ...]
    nurseries: tuple[NurseryChange, ...]
    against_fixed: tuple[FixedCoalition, ...]
    counts: dict[str, int]
    issues: tuple[RoundIssue, ...]

    def to_json(self) -> str:
        return self.model_dump_json(indent=1) + "\n"


def change_report(previous: RoundState, plan: RoundPlan, solution: RoundSolution) -> ChangeReport:
    names = {n.id: n.name for n in plan.base_nurseries}
    classes = {a.id: a.age_class for a in solution.combined.applications}
    before = _before(previous)
    released = {r.holding.child_id: r for r in plan.released}
    kept = {h.child_id: h for h in plan.holdings}
    changed_apps, new_apps = set(plan.changed_applications), set(plan.new_applications)
    application_of = {c.id: a.id for a in plan.applications for c in a.children}
    competing = {a.id: a for a in solution.instance.applications}
    result = solution.result
    seats = {(s.nursery, s.age_class): s for s in plan.seats}
    withdrawn = set(plan.withdrawn)
    # Children of the previous round who are in neither instance now (declined, withdrawn …).
    ages_before = {a.id: a.age_class for a in previous.instance.applications} | {
        h.child_id: h.age_class for h in holdings_after(previous)
    }
    rows: list[ChildChange] = []
    ids = list(dict.fromkeys([*before, *competing]))
    for child_id in ids:
        was, was_seat = before.get(child_id, (NEW, None))
        app_id = application_of.get(child_id, "")
        prefix = "申込変更あり。" if app_id in changed_apps else ""
        seat: str | None
        if child_id in kept:
            holding = kept[child_id]
            label = DECIDED if holding.accepted else PENDING
            after, seat = f"{label} {holding.nursery}", holding.nursery
            reason: str = (
                "承諾済み: 席を確定しました (移動しません)"
                if holding.accepted
                else "回答待ち: 席を確保したままです (移動しません)"
            )
        elif child_id in competing:
            after, seat, reason = _competed(child_id, competing[child_id], result, seats, names)
            reason = (
                _release_prefix(released.get(child_id))
                + ("新規申込: " if app_id in new_apps else "")
                + reason
            )
        elif child_id in released:
            release = released[child_id]
            after, seat = release.state.value, None
            reason = f"{release.state.value}: {release.holding.nursery} の席を返しました (再選考の指定なし)"
        elif child_id in withdrawn:
            after, seat, reason = WITHDRAWN, None, "申込の取下げ"
        else:
            after, seat, reason = DROPPED, None, "申込の変更でこの児童は選考の対象から外れました"
        rows.append(
            ChildChange(
                child_id=child_id,
                application_id=app_id,
                age_class=classes[child_id] if child_id in classes else ages_before[child_id],
                before=was,
                after=after,
                changed=was == NEW or seat != was_seat,
                reason=prefix + reason,
            )
        )
    nurseries = _nursery_rows(plan, solution, names)
    against = _against_fixed(solution, plan.holdings)
    return ChangeReport(
        round_id=plan.round_id,
        previous_round=plan.previous_round,
        status=result.status,
        checker_ok=solution.check.ok,
        checker_messages=solution.check.violations + solution.check.combined_violations,
        children=tuple(rows),
        nurseries=nurseries,
        against_fixed=against,
        counts=_counts(plan, rows, nurseries, against),
        issues=plan.issues,
    )


def _before(previous: RoundState) -> dict[str, tuple[str, str | None]]:
    """Each child of the previous round: its outcome label and the seat it held then."""
    outcomes: dict[str, tuple[str, str | None]] = {}
    for holding in holdings_after(previous):
        fresh = holding.placed_in == previous.round_id
        label = PLACED if fresh else (DECIDED if holding.accepted else PENDING)
        outcomes[holding.child_id] = (f"{label} {holding.nursery}", holding.nursery)
    for entry in previous.instance.applications:
        got = previous.result.assignments.get(entry.id)
        if got is None:
            outcomes[entry.id] = (WAITING, None)
        elif got == entry.current_nursery:
            outcomes[entry.id] = (f"{STAYING} {got}", None)
    return outcomes


def _competed(
    child_id: str,
    entry: InstanceApplication,
    result: MatchResult,
    seats: Mapping[tuple[str, int], ClassSeats],
    names: Mapping[str, str],
) -> tuple[str, str | None, str]:
    got = result.assignments.get(child_id)
    if got is not None and got != entry.current_nursery:
        room = seats.get((got, entry.age_class))
        offered = room.available if room is not None else 0
        return (
            f"{PLACED} {got}",
            got,
            f"{names.get(got, got)} {entry.age_class}歳児 (この回の空き {offered} 席) に指数順で内定しました",
        )
    explanation = result.explanations.get(child_id, ())
    why = f" ({explanation[0].text})" if explanation else ""
    if got is not None:
        return f"{STAYING} {got}", None, f"転園希望は保留、在籍園を継続します{why}"
    return WAITING, None, f"保留: 希望園に空きがないか、指数が届きませんでした{why}"


def _release_prefix(release: Release | None) -> str:
    if release is None:
        return ""
    nursery = release.holding.nursery
    if release.state is SeatState.INTERVIEW_FAILED:
        return f"{nursery} の面接結果が不可のため {nursery} を除いて再選考。"
    if release.state is SeatState.DECLINED:
        return f"辞退 ({nursery}) のあと職員の指定で再選考 ({nursery} を除く)。"
    return f"{release.state.value} ({nursery}) のあと職員の指定で再選考。"


def _nursery_rows(
    plan: RoundPlan, solution: RoundSolution, names: Mapping[str, str]
) -> tuple[NurseryChange, ...]:
    filled: Counter[tuple[str, int]] = Counter()
    moved_out: Counter[tuple[str, int]] = Counter()
    for entry in solution.instance.applications:
        got = solution.result.assignments.get(entry.id)
        if got is not None and got != entry.current_nursery:
            filled[(got, entry.age_class)] += 1
            if entry.current_nursery is not None:
                moved_out[(entry.current_nursery, entry.age_class)] += 1
    return tuple(
        NurseryChange(
            nursery=s.nursery,
            name=names.get(s.nursery, s.nursery),
            age_class=s.age_class,
            base=s.base,
            accepted=s.accepted,
            pending=s.pending,
            transfer_freed=s.transfer_freed,
            returned=s.returned,
            available=s.available,
            filled=filled[(s.nursery, s.age_class)],
            remaining=max(
                s.available + moved_out[(s.nursery, s.age_class)] - filled[(s.nursery, s.age_class)], 0
            ),
            over=s.over,
        )
        for s in plan.seats
        if s.base or s.accepted or s.pending or filled[(s.nursery, s.age_class)]
    )


def _against_fixed(solution: RoundSolution, holdings: tuple[Holding, ...]) -> tuple[FixedCoalition, ...]:
    combined: Instance = solution.combined
    entries = {a.id: a for a in combined.applications}
    at: dict[str, list[Holding]] = {}
    for holding in holdings:
        at.setdefault(holding.nursery, []).append(holding)
    rows = []
    for coalition in solution.check.against_fixed:
        members = [entries[c] for c in coalition.applicants if c in entries]
        nursery = coalition.nursery
        worst = max((m.priority_key(nursery) for m in members), default=None)
        ages = {m.age_class for m in members}
        fixed = tuple(
            h.child_id
            for h in at.get(nursery, ())
            if h.age_class in ages and worst is not None and entries[h.child_id].priority_key(nursery) > worst
        )
        rows.append(FixedCoalition(applicants=coalition.applicants, nursery=nursery, fixed=fixed))
    return tuple(rows)


def _counts(
    plan: RoundPlan,
    rows: list[ChildChange],
    nurseries: tuple[NurseryChange, ...],
    against: tuple[FixedCoalition, ...],
) -> dict[str, int]:
    states = Counter(r.state.value for r in plan.released)
    return {
        "決定 / accepted": sum(1 for h in plan.holdings if h.accepted),
        "回答待ち / pending": sum(1 for h in plan.holdings if not h.accepted),
        "辞退 / declined": states[SeatState.DECLINED.value],
        "取消 / cancelled": states[SeatState.CANCELLED.value],
        "面接不可 / interview failed": states[SeatState.INTERVIEW_FAILED.value],
        "再選考 / re-admitted": sum(
            1 for r in plan.released if r.rejoins and r.state is not SeatState.INTERVIEW_FAILED
        ),
        "新規申込 / new applications": len(plan.new_applications),
        "申込変更 / changed applications": len(plan.changed_applications),
        "取下げ / withdrawn": len(plan.withdrawn),
        "選考した児童 / competing": sum(len(a.children) for a in plan.competing),
        "今回の内定 / placed now": sum(n.filled for n in nurseries),
        "今回の空き / seats offered": sum(n.available for n in nurseries),
        "戻った席 / seats returned": sum(sum(n.returned.values()) for n in nurseries),
        "残りの空き / seats left": sum(n.remaining for n in nurseries),
        "結果が変わった児童 / outcome changed": sum(1 for r in rows if r.changed),
        "固定に対する阻止連合 / coalitions against fixed": len(against),
        "要確認 / issues": len(plan.issues),
    }
