"""Rounds after the first (二次調整): accepted placements never move, returned seats go by priority, the
checker verifies the round with the fixed placements, and the change report names every change."""

from __future__ import annotations

from collections import defaultdict

import pytest

from cityprofile import open_city
from matching.adjustments import AdjustmentKind, StaffAdjustment
from matching.checker import check_assignments
from matching.errors import RoundError
from matching.instance import InstanceApplication
from matching.records import Application
from matching.round_plan import plan_round
from matching.round_report import change_report
from matching.round_solve import RoundSolution, solve_round, state_after
from matching.rounds import (
    Answer,
    Interview,
    RoundLetters,
    RoundPlan,
    RoundState,
    SeatState,
    StaffResponse,
    holdings_after,
    next_round,
    waiting_after,
)
from matching.scoring import load_rules
from samples import DEFAULT_RULES
from samples.citygen.generate import generate_city
from tests.matching.round_support import first_round, nursery, person
from tests.matching.test_scoring_support import rules


def accept(child: str) -> StaffResponse:
    return StaffResponse(child_id=child, answer=Answer.ACCEPT)


def decline(child: str, readmit: bool = False) -> StaffResponse:
    return StaffResponse(child_id=child, answer=Answer.DECLINE, readmit=readmit)


def _renamed(app: Application, prefix: str) -> Application:
    """A generated application under new ids (a second generated city's applicants join the first)."""
    children = tuple(c.model_copy(update={"id": f"{prefix}{c.id}"}) for c in app.children)
    return app.model_copy(update={"id": f"{prefix}{app.id}", "children": children})


def _round_two(state: RoundState) -> tuple[RoundPlan, RoundSolution, list[StaffResponse], list[Application]]:
    """Responses of every kind by position, and new applications from a second generated city."""
    held = holdings_after(state)
    responses: list[StaffResponse] = []
    for i, holding in enumerate(held):
        child = holding.child_id
        if i % 6 == 0:
            responses.append(decline(child, readmit=i % 12 == 0))
        elif i % 6 == 1:
            responses.append(StaffResponse(child_id=child, answer=Answer.ACCEPT, interview=Interview.FAILED))
        elif i % 6 == 2:
            responses.append(StaffResponse(child_id=child, cancelled=True))
        elif i % 6 == 3:
            pass  # no answer yet: the seat is kept
        else:
            responses.append(StaffResponse(child_id=child, answer=Answer.ACCEPT, interview=Interview.PASSED))
    waiting = waiting_after(state)
    responses.append(StaffResponse(child_id=waiting[0], withdrawn=True))
    known = {n.id for n in state.nurseries}
    second = generate_city(60, 99, 2027)
    new = [
        _renamed(a.model_copy(update={"preferences": tuple(p for p in a.preferences if p in known)}), "Z")
        for a in second.applications
        if any(p in known for p in a.preferences)
        and all(c.current_nursery in (None, *known) for c in a.children)
    ]
    new = [a for a in new if all(c.current_nursery not in a.preferences for c in a.children)]
    plan = plan_round(state, responses, new, round_id="二次")
    return plan, solve_round(plan, load_rules(DEFAULT_RULES), time_limit=20), responses, new


@pytest.fixture(scope="module")
def season() -> tuple[RoundState, RoundPlan, RoundSolution, list[StaffResponse], list[Application]]:
    city = generate_city(240, 11, 2027)
    state = first_round(city.applications, city.nurseries, load_rules(DEFAULT_RULES))
    assert state.result.status == "optimal"
    plan, solution, responses, new = _round_two(state)
    return state, plan, solution, responses, new


def test_no_accepted_child_moves_and_the_checker_verifies_with_them_fixed(season: tuple) -> None:  # type: ignore[type-arg]
    state, plan, solution, responses, _ = season
    by_child = {r.child_id: r for r in responses}
    held = holdings_after(state)
    assert solution.result.status == "optimal" and solution.check.ok, solution.check
    for holding in held:
        response = by_child.get(holding.child_id)
        kept = response is None or (
            response.answer is Answer.ACCEPT and response.interview is not Interview.FAILED
        )
        if kept:
            # Accepted or not answered: in the same seat, and not among the children who competed.
            assert solution.combined_assignments[holding.child_id] == holding.nursery
            assert holding.child_id not in solution.result.assignments
    # The checker itself, called here on the season as it stands: every kept placement pinned.
    pins = [
        StaffAdjustment(child_id=h.child_id, kind=AdjustmentKind.PIN, nursery=h.nursery)
        for h in plan.holdings
    ]
    report = check_assignments(
        solution.combined, solution.combined_assignments, (*solution.adjustments, *pins)
    )
    assert report.violations == ()
    assert set(solution.check.blocking) <= set(report.blocking)
    assert set(report.blocking) == set(solution.check.blocking) | set(solution.check.against_fixed)


def test_declined_children_stay_out_unless_readmitted_and_never_at_the_seat_they_left(season: tuple) -> None:  # type: ignore[type-arg]
    _, plan, solution, _, _ = season
    competing = {a.id for a in solution.instance.applications}
    released = {r.holding.child_id: r for r in plan.released}
    assert {r.state for r in plan.released} == {
        SeatState.DECLINED,
        SeatState.CANCELLED,
        SeatState.INTERVIEW_FAILED,
    }
    for child_id, release in released.items():
        if release.state is SeatState.INTERVIEW_FAILED or release.rejoins:
            assert child_id in competing
        else:
            assert child_id not in competing and child_id not in solution.combined_assignments
        if release.state in (SeatState.INTERVIEW_FAILED, SeatState.DECLINED) and release.rejoins:
            assert solution.result.assignments[child_id] != release.holding.nursery
    assert any(r.rejoins and r.state is SeatState.DECLINED for r in plan.released)
    assert plan.withdrawn and not set(plan.withdrawn) & competing


def test_every_freed_seat_is_offered_by_priority(season: tuple) -> None:  # type: ignore[type-arg]
    state, plan, solution, _, _ = season
    instance, result = solution.instance, solution.result
    excluded = {(e.child_id, e.nursery) for e in solution.adjustments if e.kind is AdjustmentKind.EXCLUDE}
    capacity = {(n.id, age): seats for n in instance.nurseries for age, seats in n.capacity.items()}
    admitted: dict[tuple[str, int], list[InstanceApplication]] = defaultdict(list)
    freed: dict[tuple[str, int], int] = defaultdict(int)
    for child in instance.applications:
        got = result.assignments[child.id]
        if got is not None and got != child.current_nursery:
            admitted[(got, child.age_class)].append(child)
            if child.current_nursery:
                freed[(child.current_nursery, child.age_class)] += 1
    returned = sum(sum(s.returned.values()) for s in plan.seats)
    assert returned == len(plan.released) > 0
    assert sum(s.available for s in plan.seats) >= returned - sum(s.over for s in plan.seats)
    checked = 0
    for child in instance.applications:
        if child.sibling_group is not None:
            continue  # a group needs all its seats at once: the checker's Hall condition covers it
        got = result.assignments[child.id]
        wanted = (
            child.preferences
            if got not in child.preferences
            else child.preferences[: child.preferences.index(got)]
        )
        for nursery_id in wanted:
            if (child.id, nursery_id) in excluded:
                continue
            key = (nursery_id, child.age_class)
            seated = admitted[key]
            # A seat this child wanted more is full, and taken by children of higher priority there.
            assert len(seated) == capacity.get(key, 0) + freed[key]
            assert all(o.priority_key(nursery_id) < child.priority_key(nursery_id) for o in seated)
            checked += 1
    assert checked > 10  # many children still wanted a seat someone of higher priority got
    # Returned seats were offered: classes that got seats back placed children of this round there (a
    # class nobody left waiting wanted keeps its seats: the loop above proves nobody was passed over).
    back = {(s.nursery, s.age_class) for s in plan.seats if s.returned and s.available}
    assert sum(1 for key in back if admitted[key]) >= len(back) // 2 > 0
    assert len(waiting_after(state)) > 0


def test_the_change_report_names_every_child_whose_outcome_changed(season: tuple) -> None:  # type: ignore[type-arg]
    state, plan, solution, _, new = season
    report = change_report(state, plan, solution)
    rows = {row.child_id: row for row in report.children}
    before_seat = {h.child_id: h.nursery for h in holdings_after(state)}
    after_seat = {h.child_id: h.nursery for h in plan.holdings} | {
        c.id: got
        for c in solution.instance.applications
        if (got := solution.result.assignments[c.id]) is not None and got != c.current_nursery
    }
    everyone = set(before_seat) | set(waiting_after(state)) | {c.id for a in new for c in a.children}
    assert everyone <= set(rows)
    for child_id, row in rows.items():
        moved = before_seat.get(child_id) != after_seat.get(child_id) or row.before == "新規申込"
        assert row.changed == moved, row
        assert row.reason
    assert report.checker_ok and report.counts["結果が変わった児童 / outcome changed"] == sum(
        1 for r in report.children if r.changed
    )
    declined = next(r for r in plan.released if r.state is SeatState.DECLINED and not r.rejoins)
    assert rows[declined.holding.child_id].after == "辞退"
    assert rows[declined.holding.child_id].before == f"内定 {declined.holding.nursery}"
    assert rows[plan.withdrawn[0]].after == "取下げ" and rows[plan.withdrawn[0]].changed is False
    accepted = next(h for h in plan.holdings if h.accepted)
    assert rows[accepted.child_id].after == f"決定 {accepted.nursery}" and not rows[accepted.child_id].changed
    filled = sum(n.filled for n in report.nurseries)
    assert filled == sum(
        1
        for c in solution.instance.applications
        if solution.result.assignments[c.id] not in (None, c.current_nursery)
    )


def test_a_third_round_keeps_both_earlier_rounds_fixed(season: tuple) -> None:  # type: ignore[type-arg]
    _, plan, solution, _, _ = season
    second = state_after(plan, solution)
    held = holdings_after(second)
    # Everyone answers 承諾 now, the round-2 placements included; pending round-1 seats become decided.
    responses = [accept(h.child_id) for h in held]
    third = plan_round(second, responses, (), round_id="三次")
    assert {h.child_id for h in third.holdings} == {h.child_id for h in held}
    assert all(h.accepted for h in third.holdings)
    assert set(third.newly_accepted) == {h.child_id for h in held if not h.accepted}
    letters = RoundLetters.of(third)
    assert set(letters.decided) == set(third.newly_accepted)
    assert not set(letters.decided) & set(letters.omit)
    solved = solve_round(third, load_rules(DEFAULT_RULES), time_limit=20)
    assert solved.check.ok
    for holding in held:
        assert solved.combined_assignments[holding.child_id] == holding.nursery
    # Capacity is recomputed from the season's seats, never accumulated: same seats, same kept count.
    for seats in third.seats:
        assert seats.available == max(seats.base + seats.transfer_freed - seats.accepted - seats.pending, 0)


# --- small seasons checked by hand ---------------------------------------------------------------------------


def test_a_transfer_frees_its_old_seat_only_once_it_accepts() -> None:
    # T moves from A to B in round 1; X takes the seat at A that T left.
    apps = [person("RT", "T", ("B",), high=True, current="A"), person("RX", "X", ("A",))]
    state = first_round(apps, [nursery("A", 0), nursery("B", 1)])
    assert state.result.assignments == {"T": "B", "X": "A"}
    newcomer = person("RY", "Y", ("A",))

    pending = plan_round(state, [accept("X")], [newcomer], round_id="二次")
    a = next(s for s in pending.seats if s.nursery == "A")
    assert a.transfer_freed == 0 and a.available == 0 and a.over == 1  # T may still stay at A
    assert any("超えています" in i.message for i in pending.issues)
    assert any(i.child_id == "T" and "回答がありません" in i.message for i in pending.issues)
    solved = solve_round(pending, rules(), time_limit=10)
    assert solved.result.assignments["Y"] is None and solved.check.ok

    accepted = plan_round(state, [accept("T"), accept("X")], [newcomer], round_id="二次")
    a = next(s for s in accepted.seats if s.nursery == "A")
    assert a.transfer_freed == 1 and a.available == 0 and a.over == 0  # X holds the seat T gave up

    x_declines = plan_round(state, [accept("T"), decline("X")], [newcomer], round_id="二次")
    solved = solve_round(x_declines, rules(), time_limit=10)
    assert solved.result.assignments == {"Y": "A"} and solved.check.ok
    assert solved.combined_assignments["T"] == "B"

    t_declines = plan_round(state, [decline("T"), accept("X")], [], round_id="二次")
    assert next(s for s in t_declines.seats if s.nursery == "B").available == 1
    assert "T" in t_declines.left_out


def test_interview_failure_rejoins_without_that_nursery() -> None:
    apps = [person("R1", "C1", ("A", "B"), high=True), person("R2", "C2", ("A", "B"))]
    state = first_round(apps, [nursery("A", 1), nursery("B", 1)])
    assert state.result.assignments == {"C1": "A", "C2": "B"}
    failed = StaffResponse(child_id="C1", answer=Answer.ACCEPT, interview=Interview.FAILED)
    plan = plan_round(state, [failed, accept("C2")], [person("R3", "C3", ("A",))], round_id="二次")
    assert StaffAdjustment(child_id="C1", kind=AdjustmentKind.EXCLUDE, nursery="A") in plan.exclusions
    solved = solve_round(plan, rules(), time_limit=10)
    # C1 may not have A again and B is taken (C2 accepted): C1 waits, the newcomer gets A.
    assert solved.result.assignments == {"C1": None, "C3": "A"} and solved.check.ok
    # C1 had priority over C2 at B, but C2 accepted B: a coalition against a fixed placement, reported.
    assert [(b.applicants, b.nursery) for b in solved.check.against_fixed] == [(("C1",), "B")]
    report = change_report(state, plan, solved)
    row = next(r for r in report.children if r.child_id == "C1")
    assert row.before == "内定 A" and row.after == "保留" and row.changed and "面接結果が不可" in row.reason


def test_coalitions_against_the_fixed_placements_are_named() -> None:
    apps = [person("R1", "P", ("A",))]
    state = first_round(apps, [nursery("A", 1)])
    late = person("R2", "Q", ("A",), high=True)  # more points than P, applies for round 2
    plan = plan_round(state, [accept("P")], [late], round_id="二次")
    solved = solve_round(plan, rules(), time_limit=10)
    assert solved.result.assignments == {"Q": None} and solved.check.ok
    assert solved.check.blocking == ()  # within the round nothing is wrong: no seat is left
    assert [(b.applicants, b.nursery) for b in solved.check.against_fixed] == [(("Q",), "A")]
    report = change_report(state, plan, solved)
    assert [(b.applicants, b.fixed) for b in report.against_fixed] == [(("Q",), ("P",))]
    assert report.counts["固定に対する阻止連合 / coalitions against fixed"] == 1


def test_changed_applications_and_bad_responses_become_issues() -> None:
    apps = [
        person("R1", "C1", ("A",), high=True),
        person("R2", "C2", ("A", "B")),
        person("R3", "C3", ("A",)),
    ]
    state = first_round(apps, [nursery("A", 1), nursery("B", 0)])
    assert waiting_after(state) == ("C2", "C3")
    changed_wait = person("R2", "C2", ("B", "C"))  # the waiting child now wants B and C
    changed_held = person("R1", "X9", ("A",))  # drops C1, who holds a seat: refused
    clash = person("R9", "C3", ("A",))  # a child id of another application
    responses = [
        StaffResponse(child_id="C1", readmit=True),  # 再選考 for a child holding its seat
        StaffResponse(child_id="C3", answer=Answer.ACCEPT),  # C3 is waiting: nothing to accept
        accept("NOBODY"),
    ]
    plan = plan_round(
        state, responses, [changed_wait, changed_held, clash], round_id="二次",
        nurseries=[nursery("A", 1), nursery("B", 1), nursery("C", 1)],
    )  # fmt: skip
    messages = [(i.severity, i.child_id or i.application_id) for i in plan.issues]
    assert ("error", "NOBODY") in messages and ("error", "C3") in messages
    assert ("warning", "C1") in messages and ("error", "R9") in messages
    assert any(i.application_id == "R1" and i.severity == "error" for i in plan.issues)
    assert plan.changed_applications == ("R2",)
    assert [a.preferences for a in plan.competing if a.id == "R2"] == [("B", "C")]
    solved = solve_round(plan, rules(), time_limit=10)
    assert solved.result.assignments["C2"] == "B" and solved.check.ok


def test_a_nursery_missing_from_a_new_list_is_refused() -> None:
    state = first_round([person("R1", "C1", ("A",))], [nursery("A", 1)])
    with pytest.raises(RoundError, match="施設一覧"):
        plan_round(state, [], (), round_id="二次", nurseries=[nursery("B", 1)])


def test_the_next_round_comes_from_the_city_profile() -> None:
    profile = open_city("hinata").profile
    assert next_round(profile, "一次").id == "二次" and next_round(profile, "二次").id == "三次"
    with pytest.raises(RoundError, match="次の選考回がありません"):
        next_round(profile, "三次")
    with pytest.raises(RoundError, match="ありません"):
        next_round(profile, "四次")


def test_part_of_a_sibling_application_competing_is_reported() -> None:
    twins = person("R1", "C1", ("A", "B"), high=True, children=("C1", "C2"))
    state = first_round([twins], [nursery("A", 2), nursery("B", 0)])
    assert state.result.assignments == {"C1": "A", "C2": "A"}
    plan = plan_round(state, [accept("C1"), decline("C2", readmit=True)], (), round_id="二次")
    assert [a.children[0].id for a in plan.competing] == ["C2"]
    assert any(i.application_id == "R1" and "きょうだい" in i.message for i in plan.issues)
    solved = solve_round(plan, rules(), time_limit=10)
    assert solved.check.ok and solved.result.assignments == {"C2": None}  # A excluded (declined), B: none


def test_a_round_follows_only_an_approved_round(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from matching.round_files import RoundManifest, latest_round, save_manifest

    with pytest.raises(RoundError, match=r"round\.json"):
        latest_round(tmp_path)
    manifest = RoundManifest(
        sequence=1, round_id="一次", city="hinata", admission_year=2027, rules="rules.toml",
        applications="a.json", nurseries="n.json", instance="i.json", result="r.json",
    )  # fmt: skip
    save_manifest(tmp_path, manifest)
    with pytest.raises(RoundError, match="承認されていません"):
        latest_round(tmp_path)
    save_manifest(tmp_path, manifest.model_copy(update={"approved": True}))
    assert latest_round(tmp_path)[1].round_id == "一次"
