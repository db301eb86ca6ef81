from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from matching.records import Application
from matching.result import MatchResult
from robots.decisions import Decision, Outcome, decisions_from_result, load_decisions, save_decisions
from robots.errors import DecisionError


def _application(
    app_id: str, children: list[tuple[str, str | None]], current: str | None = None
) -> Application:
    return Application.model_validate(
        {
            "id": app_id,
            "household": {"guardians": [{"relation": "母", "reasons": [{"kind": "疾病"}]}]},
            "children": [
                {"id": cid, "name": name, "birth_date": "2025-05-01", "current_nursery": current}
                for cid, name in children
            ],
            "preferences": ["N001", "N002"],
            "desired_start": "2027-04-01",
        }
    )


def test_offer_wait_and_staying_transfer() -> None:
    apps = [
        _application("R1", [("A1", "佐藤 陽翔"), ("A2", "佐藤 結衣")]),
        _application("R2", [("A3", "鈴木 蓮")], current="N003"),
    ]
    result = MatchResult(status="optimal", assignments={"A1": "N002", "A2": None, "A3": "N003"})
    decisions = decisions_from_result(result, apps, {"N001": "さくら", "N002": "ひまわり", "N003": "すみれ"})
    assert [(d.reference, d.outcome, d.nursery_id) for d in decisions] == [
        ("R1/A1", Outcome.OFFER, "N002"),
        ("R1/A2", Outcome.WAIT, None),
        ("R2/A3", Outcome.WAIT, None),  # keeps its current nursery: nothing new to enter
    ]
    assert decisions[0].nursery_name == "ひまわり"
    assert decisions[0].start_date == dt.date(2027, 4, 1)


def test_start_date_override() -> None:
    apps = [_application("R1", [("A1", "佐藤 陽翔")])]
    result = MatchResult(status="optimal", assignments={"A1": "N001"})
    decisions = decisions_from_result(
        result, apps, {"N001": "さくら"}, start_dates={"A1": dt.date(2027, 5, 1)}
    )
    assert decisions[0].start_date == dt.date(2027, 5, 1)


def test_result_missing_a_child_is_an_error() -> None:
    apps = [_application("R1", [("A1", "佐藤 陽翔"), ("A2", "佐藤 結衣")])]
    with pytest.raises(DecisionError, match="A2"):
        decisions_from_result(MatchResult(status="optimal", assignments={"A1": None}), apps, {})


def test_unknown_nursery_and_missing_name_are_errors() -> None:
    apps = [_application("R1", [("A1", "佐藤 陽翔")])]
    with pytest.raises(DecisionError, match="N009"):
        decisions_from_result(MatchResult(status="optimal", assignments={"A1": "N009"}), apps, {"N001": "x"})
    nameless = [_application("R1", [("A1", None)])]
    with pytest.raises(DecisionError, match="氏名"):
        decisions_from_result(MatchResult(status="optimal", assignments={"A1": None}), nameless, {})


def test_decision_consistency() -> None:
    with pytest.raises(ValidationError, match="内定"):
        Decision(application_id="R1", child_id="A1", child_name="x", outcome=Outcome.OFFER)
    with pytest.raises(ValidationError, match="保留"):
        Decision(application_id="R1", child_id="A1", child_name="x", outcome=Outcome.WAIT, nursery_id="N001")


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    decisions = [
        Decision(
            application_id="R1",
            child_id="A1",
            child_name="髙橋 﨑子",
            outcome=Outcome.OFFER,
            nursery_id="N001",
            start_date=dt.date(2027, 4, 1),
        )
    ]
    path = tmp_path / "decisions.json"
    save_decisions(decisions, path)
    assert load_decisions(path) == decisions
    path.write_text('[{"application_id": "R1"}]', encoding="utf-8")
    with pytest.raises(DecisionError, match="invalid decisions file"):
        load_decisions(path)
