"""Shared builders for the round tests: a first round solved from records, and small hand-made seasons."""

from __future__ import annotations

from collections.abc import Sequence

from matching.optimizer import solve
from matching.records import Application, Guardian, Nursery
from matching.rounds import RoundState
from matching.scoring import instance_from_priorities, score_applications
from matching.scoring.rules import Rules
from tests.matching.test_scoring_support import YEAR, application, guardian, rules, work

HIGH = (guardian("母"), guardian("父"))  # both full time: the most points of the test rules
LOW = (Guardian(relation="母", reasons=(work(64, 3),)), Guardian(relation="父", reasons=(work(64, 3),)))


def person(
    app_id: str,
    child: str,
    preferences: tuple[str, ...],
    *,
    high: bool = False,
    current: str | None = None,
    children: tuple[str, ...] | None = None,
) -> Application:
    return application(
        app_id,
        guardians=HIGH if high else LOW,
        children=children or (child,),
        preferences=preferences,
        current=current,
    )


def first_round(
    applications: Sequence[Application],
    nurseries: Sequence[Nursery],
    rules_: Rules | None = None,
    round_id: str = "一次",
) -> RoundState:
    chosen = rules_ or rules()
    priorities = score_applications(applications, chosen, YEAR)
    instance = instance_from_priorities(applications, nurseries, priorities, YEAR)
    return RoundState(round_id, tuple(applications), tuple(nurseries), instance, solve(instance, (), 20))


def nursery(nursery_id: str, seats: int, age: int = 1) -> Nursery:
    return Nursery(id=nursery_id, name=f"{nursery_id}園", capacity={age: seats})
