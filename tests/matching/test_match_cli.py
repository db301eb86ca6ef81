"""`bodx match` and `bodx bench match` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import bodx.commands.match  # noqa: F401 - registers the commands
from bodx.app import app
from matching.checker import check_result
from matching.instance import load_instance, save_instance
from matching.optimizer.testing import random_instance
from matching.records import SiblingCondition
from matching.result import load_result

runner = CliRunner()


def test_match_writes_a_checked_result(tmp_path: Path) -> None:
    city = tmp_path / "city.json"
    save_instance(random_instance(3, children=200, nurseries=6, max_preferences=4), city)
    out = tmp_path / "result.json"
    run = runner.invoke(app, ["match", "--instance", str(city), "--out", str(out), "--time-limit", "20"])
    assert run.exit_code == 0, run.output
    assert "status optimal" in run.output and "blocking 0" in run.output
    raw = json.loads(out.read_text(encoding="utf-8"))
    assert list(raw)[:3] == ["status", "blocking", "assignments"]
    assert check_result(load_instance(city), load_result(out)).ok


def test_match_with_json_adjustments_and_infeasible_exit(tmp_path: Path) -> None:
    city = tmp_path / "city.json"
    inst = random_instance(
        4, children=30, nurseries=3, max_preferences=3, sibling_share=0.0, transfer_share=0.0
    )
    save_instance(inst, city)
    first = inst.applications[0]
    pins = [
        {"child_id": a.id, "kind": "固定", "nursery": first.preferences[0]}
        for a in inst.applications
        if a.age_class == first.age_class and first.preferences[0] in a.preferences
    ]
    capacity = next(
        n.capacity.get(first.age_class, 0) for n in inst.nurseries if n.id == first.preferences[0]
    )
    assert len(pins) > capacity  # more pins than seats
    adj = tmp_path / "adj.json"
    adj.write_text(json.dumps(pins, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "result.json"
    run = runner.invoke(app, ["match", "--instance", str(city), "--out", str(out), "--adjustments", str(adj)])
    assert run.exit_code == 3
    assert "infeasible" in run.output and "固定" in run.output
    assert load_result(out).status == "infeasible"


def test_bad_input_exits_non_zero_with_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"admission_year": 2027, "nurseries": [], "applications": [{"id": "A1"}]}', encoding="utf-8"
    )
    run = runner.invoke(app, ["match", "--instance", str(bad), "--out", str(tmp_path / "r.json")])
    assert run.exit_code == 2
    assert "invalid instance" in run.output
    adj = tmp_path / "adj.json"
    adj.write_text("[{}]", encoding="utf-8")
    good = tmp_path / "city.json"
    save_instance(random_instance(1, children=5), good)
    run = runner.invoke(
        app, ["match", "--instance", str(good), "--out", str(tmp_path / "r.json"), "--adjustments", str(adj)]
    )
    assert run.exit_code == 2 and "invalid adjustments" in run.output


@pytest.mark.slow
def test_bench_match_json(tmp_path: Path) -> None:
    run = runner.invoke(
        app, ["bench", "match", "--sizes", "300", "--json", "--cache", str(tmp_path), "--time-limit", "20"]
    )
    assert run.exit_code == 0, run.output
    payload = json.loads(run.output)
    (row,) = payload["runs"]
    for key in (
        "applicants",
        "build_seconds",
        "solve_seconds",
        "status",
        "blocking",
        "placed",
        "placed_da",
        "checker_ok",
    ):
        assert key in row
    assert row["checker_ok"] is True and row["status"] in ("optimal", "feasible")
    assert (tmp_path / "city-300-seed1" / "city.json").exists()


@pytest.mark.slow
def test_match_reads_adjustments_from_the_review_workbook(tmp_path: Path) -> None:
    from matching.adjustments import AdjustmentKind, StaffAdjustment
    from samples.citygen.generate import generate_city
    from samples.citygen.write import write_city
    from samples.ledgers.review_input import synthetic_review_input
    from sheets.review import write_review_workbook

    _, files = write_city(tmp_path / "city", 120, 4)
    inst = load_instance(files.instance)
    child = next(a for a in inst.applications if a.sibling_group is None and len(a.preferences) > 1)
    last = child.preferences[-1]
    review = synthetic_review_input(generate_city(120, seed=4))
    pin = (StaffAdjustment(child_id=child.id, kind=AdjustmentKind.PIN, nursery=last),)
    book = write_review_workbook(review.model_copy(update={"adjustments": pin}), tmp_path / "review.xlsx")
    out = tmp_path / "result.json"
    run = runner.invoke(
        app, ["match", "--instance", str(files.instance), "--out", str(out), "--adjustments", str(book)]
    )
    assert run.exit_code == 0, run.output
    result = load_result(out)
    assert result.assignments[child.id] == last
    assert check_result(inst, result, pin).ok


@pytest.mark.slow
def test_bench_match_dense_family_json(tmp_path: Path) -> None:
    """Issue 16's interface: per size the proof status, gap, coalitions, peak RSS and a repeat check."""
    args = ["bench", "match", "--family", "dense", "--sizes", "400", "--repeat", "2", "--json"]
    run = runner.invoke(app, [*args, "--cache", str(tmp_path), "--time-limit", "20"])
    assert run.exit_code == 0, run.output
    payload = json.loads(run.output)
    assert payload["family"] == "dense" and payload["density"] == 0.2 and payload["workers"] == 1
    assert len(payload["load"]) == 3
    (row,) = payload["runs"]
    assert row["applicants"] == 400 and row["checker_ok"] is True and row["deterministic"] is True
    assert row["status"] == row["blocking_placed_status"] == "optimal"
    assert row["blocking_bound"] == row["blocking"] == len(row["coalitions"])
    assert 50 < row["peak_rss_mb"] < 2048 and row["same_nursery_groups"] > 0
    assert (tmp_path / "dense-400-s20-t5-seed1.json").exists()


@pytest.mark.slow
def test_bench_match_patterns_family_json(tmp_path: Path) -> None:
    """Issue 23's interface: the pattern city with every condition and combination lists, per size the
    groups per condition, the lists, the proof and the checker's verdict."""
    args = ["bench", "match", "--family", "patterns", "--sizes", "1589", "--json"]
    run = runner.invoke(app, [*args, "--cache", str(tmp_path), "--time-limit", "20"])
    assert run.exit_code == 0, run.output
    payload = json.loads(run.output)
    assert payload["family"] == "patterns" and payload["density"] == 0.15
    (row,) = payload["runs"]
    assert row["applicants"] == 1589 and row["checker_ok"] is True and row["status"] == "optimal"
    assert set(row["sibling_groups_by_condition"]) == {c.value for c in SiblingCondition}
    assert row["combination_files"] >= 1 and row["children_in_groups"] > 0
    assert row["blocking_bound"] == row["blocking"]
