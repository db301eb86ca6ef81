"""Build the next round (二次, 三次 …) from a finished one, the staff's responses and new applications.

    plan = plan_round(previous_state, responses, new_applications, round_id="二次")

- Every seat held at the end of the previous round gets its state from the responses (matching.rounds):
  承諾 and 回答待ち are kept (never moved: the children leave the competition and their seats leave the
  capacity); 辞退, 取消 and 面接不可 seats return to the capacity.
- A transfer's old seat returns to its class only once the transfer has accepted the new seat.
- Waiting children keep their applications; a changed application (same 受付番号) replaces the old one
  for the children who compete, new applications join, 取下げ leaves.
- 面接不可 children rejoin with that nursery excluded; 辞退 and 取消 children stay out unless staff
  re-admit them (再選考), a re-admitted 辞退 without the nursery it declined.
- Capacity is recomputed from the season's 募集人数 each round (never accumulated), so any number of
  rounds follow the same rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from matching.adjustments import AdjustmentKind, StaffAdjustment
from matching.errors import RoundError
from matching.records import Application, Nursery
from matching.round_applications import competing_records, merge_applications, split_siblings
from matching.rounds import (
    ClassSeats,
    Holding,
    Release,
    RoundIssue,
    RoundPlan,
    RoundState,
    SeatState,
    StaffResponse,
    holdings_after,
    seat_state,
    waiting_after,
)


def plan_round(
    previous: RoundState,
    responses: Sequence[StaffResponse],
    new_applications: Sequence[Application] = (),
    *,
    round_id: str,
    nurseries: Sequence[Nursery] | None = None,
) -> RoundPlan:
    """The next round. `nurseries`: the season's 募集人数 when it changed (default: the previous base)."""
    issues: list[RoundIssue] = []
    held = holdings_after(previous)
    waiting = set(waiting_after(previous))
    by_child = _responses(responses, {h.child_id for h in held}, waiting, issues)

    kept: list[Holding] = []
    newly_accepted: list[str] = []
    released: list[Release] = []
    exclusions = list(previous.exclusions)
    for holding in held:
        response = by_child.get(holding.child_id)
        state = seat_state(response, holding.accepted)
        if state.kept:
            kept.append(holding.model_copy(update={"accepted": state is SeatState.ACCEPTED}))
            if state is SeatState.ACCEPTED and not holding.accepted:
                newly_accepted.append(holding.child_id)
            if state is SeatState.PENDING:
                issues.append(_pending_issue(holding))
            continue
        readmit = response is not None and response.readmit
        rejoins = state is SeatState.INTERVIEW_FAILED or readmit
        released.append(Release(holding=holding, state=state, rejoins=rejoins))
        if state in (SeatState.INTERVIEW_FAILED, SeatState.DECLINED) and rejoins:
            exclusions.append(
                StaffAdjustment(
                    child_id=holding.child_id, kind=AdjustmentKind.EXCLUDE, nursery=holding.nursery
                )
            )
    for child_id, response in by_child.items():
        if response.readmit and child_id not in {r.holding.child_id for r in released}:
            issues.append(
                RoundIssue(
                    severity="warning",
                    child_id=child_id,
                    message="再選考は辞退・取消の児童にだけ使えます。この指定は使いませんでした / "
                    "再選考 applies to declined or cancelled children only: ignored",
                )
            )

    withdrawn = sorted(c for c, r in by_child.items() if r.withdrawn and c in waiting)
    competing_ids = (waiting - set(withdrawn)) | {r.holding.child_id for r in released if r.rejoins}
    left_out = sorted(r.holding.child_id for r in released if not r.rejoins)
    kept_ids = {h.child_id for h in kept}
    records, competing_ids, new_ids, changed_ids = merge_applications(
        previous.applications, new_applications, competing_ids, kept_ids, set(left_out), issues
    )
    competing = competing_records(records, competing_ids)
    issues.extend(split_siblings(records, competing))
    base = tuple(nurseries) if nurseries is not None else previous.nurseries
    _check_nurseries(base, kept, competing)
    seats = _class_seats(base, kept, released, issues)
    available = {(s.nursery, s.age_class): s.available for s in seats}
    offered = tuple(
        n.model_copy(update={"capacity": {age: available[(n.id, age)] for age in n.capacity}}) for n in base
    )
    return RoundPlan(
        round_id=round_id,
        previous_round=previous.round_id,
        admission_year=previous.instance.admission_year,
        applications=records,
        competing=competing,
        base_nurseries=base,
        nurseries=offered,
        holdings=tuple(kept),
        released=tuple(released),
        exclusions=tuple(dict.fromkeys(exclusions)),
        seats=seats,
        new_applications=tuple(new_ids),
        changed_applications=tuple(changed_ids),
        newly_accepted=tuple(newly_accepted),
        withdrawn=tuple(withdrawn),
        left_out=tuple(left_out),
        issues=tuple(issues),
    )


def _responses(
    responses: Iterable[StaffResponse], held: set[str], waiting: set[str], issues: list[RoundIssue]
) -> dict[str, StaffResponse]:
    by_child: dict[str, StaffResponse] = {}
    for response in responses:
        cid = response.child_id
        if cid not in held and cid not in waiting:
            issues.append(
                RoundIssue(
                    severity="error",
                    child_id=cid,
                    message="前回の選考の内定者・保留者にない児童番号です。この行は使いませんでした / "
                    "not a child placed or waiting after the previous round: row not used",
                )
            )
            continue
        if cid in waiting and (response.answer or response.interview or response.cancelled):
            issues.append(
                RoundIssue(
                    severity="error",
                    child_id=cid,
                    message="保留の児童に承諾・辞退・面接・取消は記録できません。この行は使いませんでした / "
                    "a waiting child has no placement to answer: row not used",
                )
            )
            continue
        by_child[cid] = response
    return by_child


def _pending_issue(holding: Holding) -> RoundIssue:
    transfer = (
        f" 転園元 {holding.transfer_from} の席もまだ空きません。"
        if holding.transfer_from and not holding.accepted
        else ""
    )
    return RoundIssue(
        severity="warning",
        child_id=holding.child_id,
        application_id=holding.application_id,
        message=f"回答がありません: {holding.nursery} の席を確保したまま選考します。{transfer}/ no answer: the "
        "seat is kept (and a transfer's old seat too) until staff record one",
    )


def _check_nurseries(
    base: Sequence[Nursery], kept: Sequence[Holding], competing: Sequence[Application]
) -> None:
    known = {n.id for n in base}
    unknown = sorted({h.nursery for h in kept} - known) + sorted(
        {n for a in competing for n in a.preferences} - known
    )
    unknown += sorted({h.transfer_from for h in kept if h.transfer_from} - known)
    if unknown:
        raise RoundError(
            f"施設一覧に施設 {', '.join(dict.fromkeys(unknown))} がありません。前回の施設一覧を使うか、追加してください / "
            "nursery missing from the nursery list of the round"
        )


def _class_seats(
    base: Sequence[Nursery], kept: Sequence[Holding], released: Sequence[Release], issues: list[RoundIssue]
) -> tuple[ClassSeats, ...]:
    accepted = Counter((h.nursery, h.age_class) for h in kept if h.accepted)
    pending = Counter((h.nursery, h.age_class) for h in kept if not h.accepted)
    freed = Counter((h.transfer_from, h.age_class) for h in kept if h.accepted and h.transfer_from)
    returned: dict[tuple[str, int], Counter[str]] = {}
    for release in released:
        key = (release.holding.nursery, release.holding.age_class)
        returned.setdefault(key, Counter())[release.state.value] += 1
    names = {n.id: n.name for n in base}
    classes = sorted({(n.id, age) for n in base for age in n.capacity} | set(accepted) | set(pending))
    capacity = {(n.id, age): seats for n in base for age, seats in n.capacity.items()}
    rows = []
    for nursery, age in classes:
        key = (nursery, age)
        left = capacity.get(key, 0) + freed[key] - accepted[key] - pending[key]
        if left < 0:
            issues.append(
                RoundIssue(
                    severity="warning",
                    message=f"{names.get(nursery, nursery)} ({nursery}) {age}歳児: 確保している席が募集人数を {-left} 人"
                    "超えています (転園の回答待ちで元の席が空いていないなど)。この回の空きは 0 です / kept "
                    "placements exceed the seats (e.g. a pending transfer still holds its old seat)",
                )
            )
        rows.append(
            ClassSeats(
                nursery=nursery,
                age_class=age,
                base=capacity.get(key, 0),
                accepted=accepted[key],
                pending=pending[key],
                transfer_freed=freed[key],
                returned=dict(sorted(returned.get(key, Counter()).items())),
                available=max(left, 0),
                over=max(-left, 0),
            )
        )
    return tuple(rows)
