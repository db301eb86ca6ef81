"""The season's parallel-run step: reconciliation workbook, masked JSON, counts-only summary."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from flows.parallel_run import PARALLEL_RUN_KEY, ParallelRunParams, compare_with_manual, parallel_run_flow
from matching.deferred_acceptance import deferred_acceptance
from matching.instance import save_instance
from matching.result import MatchResult, save_result
from matching.scoring import build_instance, load_rules
from samples import DEFAULT_RULES
from samples.citygen.generate import generate_city
from samples.manual_selection import ChildInfo, PlantedSelection, plant_mistakes, write_manual_workbook


def _files(tmp_path: Path) -> tuple[ParallelRunParams, PlantedSelection, list[str]]:
    city = generate_city(800, seed=2, admission_year=2027)
    instance = build_instance(city.applications, city.nurseries, load_rules(DEFAULT_RULES), 2027)
    program = deferred_acceptance(instance)
    planted = plant_mistakes(instance, program, seed=1)
    info = {c.id: ChildInfo(a.id, c.name or "") for a in city.applications for c in a.children}
    manual = write_manual_workbook(
        tmp_path / "manual.xlsx", instance, planted.outcomes, planted.scores, info, "per_class"
    )
    save_instance(instance, tmp_path / "instance.json")
    save_result(MatchResult(status="optimal", assignments=program), tmp_path / "result.json")
    params = ParallelRunParams(
        manual=manual,
        instance=tmp_path / "instance.json",
        result=tmp_path / "result.json",
        out_dir=tmp_path / "out",
    )
    names = [c.name for a in city.applications for c in a.children if c.name]
    return params, planted, names


def test_parallel_run_step_writes_the_workbook_and_publishes_counts_only(tmp_path: Path) -> None:
    params, planted, names = _files(tmp_path)
    outcome = compare_with_manual(params)
    assert outcome.problem is None and outcome.children == len(planted.outcomes)
    assert outcome.differences == outcome.children - outcome.agreed > len(planted.planted)
    # Ten mistakes: two each of 指数, capacity, unlisted nursery and free seat; one swap; one split family.
    assert outcome.manual_errors == 10
    assert outcome.workbook is not None and stat.S_IMODE(outcome.workbook.stat().st_mode) == 0o600
    assert outcome.json_path is not None
    data = json.loads(outcome.json_path.read_text(encoding="utf-8"))
    assert data["agreed"] == outcome.agreed
    published = outcome.summary_markdown + outcome.json_path.read_text(encoding="utf-8")
    assert not any(child in published for child in planted.planted)
    assert not any(name in published for name in names)
    assert "一致率" in outcome.summary_markdown


def test_an_unreadable_manual_workbook_does_not_stop_the_season(tmp_path: Path) -> None:
    broken = tmp_path / "manual.xlsx"
    broken.write_bytes(b"not a workbook")
    params = ParallelRunParams(
        manual=broken, instance=tmp_path / "instance.json", result=tmp_path / "result.json", out_dir=tmp_path
    )
    outcome = compare_with_manual(params)
    assert outcome.workbook is None and outcome.problem
    assert "照合できませんでした" in outcome.summary_markdown  # shown to the approver instead


@pytest.mark.slow
def test_parallel_run_flow_publishes_its_summary(prefect_harness: None, tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client

    params, _, _ = _files(tmp_path)
    outcome = parallel_run_flow(params)
    assert outcome.problem is None and outcome.workbook is not None
    # A raw filter request: this Prefect's client sends nulls the server refuses.
    body = {
        "artifacts": {"key": {"any_": [PARALLEL_RUN_KEY]}},
        "limit": 5,
        "offset": 0,
        "sort": "CREATED_DESC",
    }
    with get_client(sync_client=True) as client:
        found = client.request("POST", "/artifacts/filter", json=body).json()
    assert found and "一致率" in str(found[0]["data"])
