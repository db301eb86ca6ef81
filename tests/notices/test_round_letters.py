"""Letters of a later round (二次調整): 決定 for placements accepted since the last round, nothing for a
内定 still unanswered, 内定・保留 for the round's own outcomes."""

from __future__ import annotations

from cityprofile import open_city
from matching.round_plan import plan_round
from matching.round_solve import combined_result, solve_round
from matching.rounds import Answer, RoundLetters, StaffResponse
from notices import compose_letters
from tests.matching.round_support import first_round, nursery, person
from tests.matching.test_scoring_support import rules

PROFILE = open_city("hinata").profile


def test_decided_pending_and_new_outcomes() -> None:
    apps = [
        person("R1", "C1", ("A",), high=True),  # accepts: 決定
        person("R2", "C2", ("B",), high=True),  # no answer yet: no letter
        person("R3", "C3", ("A", "B")),  # waiting in round 1, still waiting
    ]
    state = first_round(apps, [nursery("A", 1), nursery("B", 1)])
    plan = plan_round(
        state,
        [StaffResponse(child_id="C1", answer=Answer.ACCEPT)],
        [person("R4", "C4", ("C",))],
        round_id="二次",
        nurseries=[nursery("A", 1), nursery("B", 1), nursery("C", 1)],
    )
    solution = solve_round(plan, rules(), time_limit=10)
    choice = RoundLetters.of(plan)
    assert choice == RoundLetters(decided=("C1",), omit=("C2",))
    letters = compose_letters(
        plan.applications,
        plan.base_nurseries,
        solution.combined,
        combined_result(solution),
        PROFILE,
        round_id="二次",
        decided=choice.decided,
        omit=choice.omit,
    )
    by_id = {letter.application_id: letter for letter in letters}
    assert set(by_id) == {"R1", "R3", "R4"}  # R2's 内定 stands unanswered: nothing new to tell
    decided = by_id["R1"]
    assert decided.kind == "決定" and decided.title == "保育所等利用決定通知書"
    assert decided.children[0].outcome == "決定" and decided.children[0].nursery == "A園"
    assert by_id["R4"].kind == "内定" and by_id["R4"].children[0].nursery == "C園"
    assert by_id["R3"].kind == "保留" and by_id["R3"].children[0].reasons
    # Without the round's choice (round 1) the same placement is a 内定.
    plain = compose_letters(
        plan.applications, plan.base_nurseries, solution.combined, combined_result(solution), PROFILE
    )
    assert {letter.application_id: letter.kind for letter in plain}["R1"] == "内定"
