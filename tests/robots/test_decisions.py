from __future__ import annotations

import datetime as dt
import json
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


def test_a_date_remarks_and_extra_values_on_any_outcome() -> None:
    wait = Decision(
        application_id="R1",
        child_id="A1",
        child_name="x",
        outcome=Outcome.WAIT,
        start_date=dt.date(2027, 4, 1),  # a screen may want 入所予定日 on 保留 too
        remarks="第2希望も可",
        extra={"保育必要量": "短時間"},
    )
    assert wait.value_of("extra.保育必要量") == "短時間" and wait.value_of("extra.missing") is None
    assert wait.value_of("remarks") == "第2希望も可"
    with pytest.raises(ValidationError, match="outcome"):
        Decision(application_id="R1", child_id="A1", child_name="x", outcome="却下")  # type: ignore[arg-type]


def test_each_item_of_a_decisions_file_is_checked_on_its_own(tmp_path: Path) -> None:
    good = {"application_id": "R1", "child_id": "A1", "child_name": "x", "outcome": "保留"}
    items = [
        good,
        {
            "application_id": "R2",
            "child_id": "A2",
            "child_name": "y",
            "outcome": "内定",
            "start_date": "2027-13-01",
        },
        {"child_id": "A3", "outcome": "保留"},
        "not an object",
        good | {"child_name": "z"},  # the same reference again, other content
        good,  # the same item again: kept once
        {"application_id": "R4", "child_id": "A4", "child_name": "w", "outcome": "内定", "nursery_id": "N1"},
    ]
    path = tmp_path / "decisions.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    loaded = load_decisions(path)
    assert [d.reference for d in loaded.decisions] == ["R1/A1", "R4/A4"]
    assert [(r.position, r.reference) for r in loaded.rejected] == [
        (2, "R2/A2"),
        (3, "#3"),
        (4, "#4"),
        (5, "R1/A1"),
    ]
    assert "start_date" in loaded.rejected[0].message and "2件目" in loaded.rejected[0].message
    assert "application_id" in loaded.rejected[1].message and "2回" in loaded.rejected[3].message
    path.write_text('{"application_id": "R1"}', encoding="utf-8")
    with pytest.raises(DecisionError, match="JSON list"):
        load_decisions(path)


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
    assert load_decisions(path).decisions == decisions
    path.write_text("[{", encoding="utf-8")
    with pytest.raises(DecisionError, match="not JSON"):
        load_decisions(path)
