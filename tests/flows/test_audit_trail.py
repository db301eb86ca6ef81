"""The admission flow, run inside a season folder, appends its decisions and the workbook export."""

from __future__ import annotations

import json
from pathlib import Path

from audit import SeasonLog, child_history, verify_season
from audit.replay import replay_season
from flows.admission import admission_flow
from flows.params import AdmissionParams
from matching.result import load_result
from samples import DEFAULT_RULES
from samples.citygen.write import write_city


def test_admission_in_a_season_folder_is_recorded(prefect_harness: None, tmp_path: Path) -> None:
    _, files = write_city(tmp_path / "city", 12, seed=5, admission_year=2027)
    season = tmp_path / "season"
    SeasonLog.create(season)
    outcome = admission_flow(
        AdmissionParams(
            applications=files.applications,
            nurseries=files.nurseries,
            rules=DEFAULT_RULES,
            admission_year=2027,
            time_limit=10,
            out_dir=season / "admission",
        )
    )
    entries = [json.loads(line) for line in SeasonLog(season).read_lines()[0]]
    assert [e["action"] for e in entries] == ["admission", "export"]
    admission, export = entries
    result = load_result(outcome.result)
    assert set(admission["children"]) == set(result.assignments)
    assert admission["rules_sha256"] and admission["details"]["flow_run_id"]
    paths = {f["path"]: f["role"] for f in admission["files"]}
    assert paths["admission/result.json"] == "output" and paths["admission/review.xlsx"] == "output"
    assert paths[str(files.applications.resolve())] == "input"
    assert [f["role"] for f in export["files"]] == ["access"] and export["season_wide"] is True
    assert verify_season(season).ok

    child, nursery = next(iter(result.assignments.items()))
    history = child_history(season, child)
    assert history[0].action == "admission" and (nursery or "保留") in history[0].detail

    # Scoring and matching again from the recorded inputs give the recorded bytes.
    replayed = replay_season(season)
    assert replayed.action == "admission" and replayed.reproduced
    assert {f.path for f in replayed.files} == {"admission/instance.json", "admission/result.json"}

    workbook = season / "admission" / "review.xlsx"
    data = bytearray(workbook.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte of a cell's XML, as an edit in Excel would change
    workbook.write_bytes(bytes(data))
    findings = verify_season(season).findings
    assert [(f.kind, f.subject) for f in findings] == [("file-changed", "admission/review.xlsx")]
