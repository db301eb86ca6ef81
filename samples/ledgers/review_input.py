"""A synthetic :class:`ReviewInput` for a generated city: for benchmarks, tests and demos of the review
workbook before the scoring and optimizer packages are wired in.

The "result" is a plain first-come greedy pass over the preferences in application order and the
priorities are a simple function of the household; neither is the project's scoring or optimizer.
"""

from __future__ import annotations

import datetime as dt

from matching.priority import BreakdownItem, ChildPriority
from matching.records import ReasonKind
from matching.result import ChoiceExplanation, MatchResult
from samples.citygen.generate import SyntheticCity
from sheets.review_model import ReviewInput


def synthetic_review_input(city: SyntheticCity) -> ReviewInput:
    year = city.admission_year
    seats = {(n.id, age): n.seats(age) for n in city.nurseries for age in range(6)}
    names = {n.id: n.name for n in city.nurseries}
    priorities: list[ChildPriority] = []
    assignments: dict[str, str | None] = {}
    explanations: dict[str, tuple[ChoiceExplanation, ...]] = {}
    for application in city.applications:
        breakdown = tuple(
            BreakdownItem(
                rule_id=f"reason.{guardian.reasons[0].kind.name.lower()}",
                label=f"{guardian.relation}: {guardian.reasons[0].kind.value}",
                points=_points(guardian.reasons[0].kind, guardian.reasons[0].hours_per_month),
            )
            for guardian in application.household.guardians
        )
        score = sum(item.points for item in breakdown)
        for order, child in enumerate(application.children):
            age = child.age_class(year)
            priorities.append(
                ChildPriority(
                    child_id=child.id,
                    application_id=application.id,
                    age_class=age,
                    score=score,
                    tiebreak=len(priorities),
                    breakdown=breakdown,
                    tiebreak_keys=(application.household.income_levy_yen or 0, order),
                )
            )
            placed = next((n for n in application.preferences if seats.get((n, age), 0) > 0), None)
            if placed is not None:
                seats[(placed, age)] -= 1
            assignments[child.id] = placed
            if placed is None:
                explanations[child.id] = tuple(
                    ChoiceExplanation(
                        rank=rank,
                        nursery=nursery,
                        age_class=age,
                        cutoff_score=None,
                        child_score=score,
                        text=f"第{rank}希望 {nursery} {names[nursery]} {age}歳児: 空きなし（本児 {score}）",
                    )
                    for rank, nursery in enumerate(application.preferences, start=1)
                )
    result = MatchResult(
        status="feasible",
        assignments=assignments,
        placed=sum(1 for nursery in assignments.values() if nursery is not None),
        explanations=explanations,
    )
    return ReviewInput(
        admission_year=year,
        applications=city.applications,
        nurseries=city.nurseries,
        priorities=tuple(priorities),
        result=result,
        generated_at=dt.datetime(year - 1, 12, 1, 9, 0, 0),
    )


def _points(kind: ReasonKind, hours: float | None) -> int:
    if kind is ReasonKind.WORK:
        return 100 if (hours or 0) >= 160 else 80 if (hours or 0) >= 120 else 60
    return {ReasonKind.ILLNESS: 90, ReasonKind.DISABILITY: 100, ReasonKind.CARE: 90}.get(kind, 50)
