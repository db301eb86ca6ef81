"""Records of several sources: a conflict leaves one application out with an issue, never the season."""

from __future__ import annotations

import datetime as dt

from matching.records import Application, Child, Guardian, Household, Nursery, Reason, ReasonKind
from sheets.merge import merge_records


def _application(app_id: str, child_id: str, preferences: tuple[str, ...]) -> Application:
    return Application(
        id=app_id,
        household=Household(
            guardians=(Guardian(relation="母", reasons=(Reason(kind=ReasonKind.JOB_SEARCH),)),)
        ),
        children=(Child(id=child_id, birth_date=dt.date(2025, 5, 1)),),
        preferences=preferences,
        desired_start=dt.date(2027, 4, 1),
    )


NURSERIES = (
    Nursery(id="N001", name="さくら保育園", capacity={1: 3}),
    Nursery(id="N002", name="ひまわり保育園", capacity={1: 3}),
    Nursery(id="N001", name="重複", capacity={1: 9}),
)


def test_unknown_nursery_and_duplicates_become_issues() -> None:
    ledger = (_application("R1", "A1", ("N001",)), _application("R2", "A2", ("N002", "N001")))
    forms = (
        _application("R3", "R3-1", ("N087",)),  # a nursery the city does not have
        _application("R1", "R1-1", ("N001",)),  # same receipt as a ledger row
        _application("R4", "A2", ("N001",)),  # same child id
        _application("R5", "R5-1", ("N002",)),
    )
    kept, nurseries, issues = merge_records([("ledger.xlsx", ledger), ("OCR", forms)], NURSERIES)
    assert [a.id for a in kept] == ["R1", "R2", "R5"]
    assert [n.name for n in nurseries] == ["さくら保育園", "ひまわり保育園"]
    assert len(issues) == 3
    assert "N087" in issues[0].message and issues[0].file == "OCR"
    assert "R1" in issues[1].message and "重複" in issues[1].message
    assert "児童番号" in issues[2].message
