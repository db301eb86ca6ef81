"""The independent checker finds each kind of violation and each kind of blocking coalition."""

from __future__ import annotations

from matching.adjustments import AdjustmentKind, StaffAdjustment
from matching.checker import check_assignments, check_result
from matching.result import BlockingCoalition, MatchResult
from tests.matching.optimizer_support import app, instance

INST = instance(
    {"N001": {0: 1, 1: 1}, "N002": {0: 1, 1: 1}},
    [
        app("A1", ("N001", "N002"), 100, age=0, group="G1"),
        app("A2", ("N001", "N002"), 100, age=1, group="G1"),
        app("A3", ("N001",), 150, age=1),
        app("T4", ("N001",), 10, age=0, current="N002"),
    ],
)


def test_feasibility_violations() -> None:
    report = check_assignments(INST, {"A1": "N001", "A2": "N002", "A3": "N002", "T4": None})
    text = " ".join(report.violations)
    assert "split" in text
    assert "did not list" in text
    assert "lost its current seat" in text
    over = check_assignments(INST, {"A1": "N001", "A2": None, "A3": "N001", "T4": "N001"})
    assert any("2 admitted, 1 seats" in v for v in over.violations)


def test_individual_and_group_blocking() -> None:
    # A3 is unplaced while N001 1歳 has a free seat: A3 blocks. The group sits at N002 while N001 has room
    # for both (0歳 free, 1歳 free): the group blocks with N001.
    report = check_assignments(INST, {"A1": "N002", "A2": "N002", "A3": None, "T4": "N002"})
    assert report.ok
    assert report.blocking == (
        BlockingCoalition(applicants=("A1", "A2"), nursery="N001"),
        BlockingCoalition(applicants=("A3",), nursery="N001"),
        BlockingCoalition(applicants=("T4",), nursery="N001"),
    )


def test_displacing_only_lower_priority_children() -> None:
    # T4 (10) holds N001 0歳 and A3 (150) holds N001 1歳: the group can displace T4 but not A3.
    report = check_assignments(INST, {"A1": None, "A2": None, "A3": "N001", "T4": "N001"})
    assert report.ok
    assert BlockingCoalition(applicants=("A1", "A2"), nursery="N001") not in report.blocking
    assert BlockingCoalition(applicants=("A1", "A2"), nursery="N002") in report.blocking


def test_adjustments_checked_and_excluded_pairs_never_block() -> None:
    pin = StaffAdjustment(child_id="A3", kind=AdjustmentKind.PIN, nursery="N001")
    exclude = StaffAdjustment(child_id="T4", kind=AdjustmentKind.EXCLUDE, nursery="N001")
    report = check_assignments(INST, {"A1": None, "A2": None, "A3": None, "T4": "N002"}, (pin, exclude))
    assert any("pinned" in v for v in report.violations)
    assert BlockingCoalition(applicants=("T4",), nursery="N001") not in report.blocking


def test_disagreeing_engine_list_is_a_violation() -> None:
    assignments = {"A1": "N002", "A2": "N002", "A3": "N001", "T4": "N002"}
    truth = check_assignments(INST, assignments).blocking
    assert truth  # T4 prefers N001 and its 0歳 seat is free
    lying = MatchResult(status="optimal", blocking=(), assignments=assignments, placed=4)
    assert not check_result(INST, lying).ok
    honest = MatchResult(status="optimal", blocking=truth, assignments=assignments, placed=4)
    assert check_result(INST, honest).ok
