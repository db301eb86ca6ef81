"""Staff in the Prefect UI (headless Chromium): a season started from the deployment form with only the
required fields, followed, its summary seen while it waits, sent back (差し戻し); a second one approved,
its OCR and robot progress followed, its report read. `bodx demo` runs the same walk for its screenshots."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import httpx
import pytest
from PIL import Image

from flows.server import free_port, start_server
from flows.settings import FlowSettings
from tests.flows.drain import drain_prefect_workers

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium is not installed"),
]
STEPS = [
    "01-start-form",
    "02-awaiting-approval",
    "03-summary",
    "04-reject-form",
    "05-rejected",
    "06-ocr-progress",
    "07-approve-form",
    "08-entry-progress",
    "09-completed",
    "10-report",
]


def _artifacts(api_url: str, run_id: object) -> list[dict[str, object]]:
    """Every artifact of one run (the API's own filter: the client sends empty run filters, which join)."""
    body = {
        "artifacts": {"flow_run_id": {"any_": [str(run_id)]}},
        "sort": "CREATED_DESC",
        "limit": 200,
        "offset": 0,
    }
    response = httpx.post(api_url.rstrip("/") + "/artifacts/filter", json=body, timeout=30)
    response.raise_for_status()
    return list(response.json())


def test_staff_start_follow_reject_and_approve_seasons_in_the_ui() -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.demo_ui import APPROVER, run_ui_demo
    from flows.params import SeasonOutcome
    from flows.runs import read_run

    base = Path(tempfile.mkdtemp(prefix="bodx-ui-"))
    settings = FlowSettings(
        project_dir=base,
        data_dir=base / "data",
        prefect_home=base / "prefect-home",
        api_url=f"http://127.0.0.1:{free_port()}/api",
    )
    server = start_server(settings)
    try:
        with temporary_settings(updates={PREFECT_API_URL: settings.api_url}):
            walk = run_ui_demo(base / "demo", server.ui_url, applicants=8, pages=1, seed=11)
            drain_prefect_workers()
            rejected, approved = read_run(walk.rejected_run), read_run(walk.approved_run)
        rejected_artifacts = _artifacts(settings.api_url, walk.rejected_run)
        approved_artifacts = _artifacts(settings.api_url, walk.approved_run)
        # The browser saw 差し戻し on the run's page; the server agrees, and nothing was entered for it.
        assert walk.rejected_state == "差し戻し" and rejected.state is not None
        assert rejected.state.is_completed() and rejected.parameters["params"].keys() == {
            "city",
            "ledgers",
            "advanced",
        }
        assert rejected.name.startswith("2027年度 4月入所 一次選考")  # named for clerks, not at random
        assert walk.approved_state == "Completed" and approved.state is not None
        outcome = SeasonOutcome.model_validate(approved.state.result())
        assert outcome.entry is not None and outcome.entry.failed == 0
        assert outcome.entry.entered == outcome.entry.decisions == walk.legacy_entries
        # Approver and comment are kept with each run.
        rejected_record = json.loads(
            next(
                (base / "demo" / "data" / "seasons").glob(
                    f"*/{str(walk.rejected_run)[:8]}/approval/approval.json"
                )
            ).read_text(encoding="utf-8")
        )
        assert rejected_record["approved"] is False and rejected_record["approver"] == APPROVER
        keys = {a["key"] for a in rejected_artifacts}
        assert {"season-summary", "season-nurseries", "review-workbook", "approval-decision"} <= keys
        assert any(str(k).startswith("season-nursery-") for k in keys)
        # Progress of OCR, normalisation and the robot on the approved season's own page, x / N to the end.
        progress = [str(a["description"]) for a in approved_artifacts if a["type"] == "progress"]
        for label in ("OCR", "申込データの作成", "システム入力"):
            assert any(d.startswith(label) and "完了" in d for d in progress), (label, progress)
        # One screenshot per step, 1440 px wide, listed in the index.
        assert [shot.name for shot in walk.screenshots] == STEPS
        index = walk.index.read_text(encoding="utf-8")
        for shot in walk.screenshots:
            with Image.open(shot.path) as image:
                assert image.width == 1440
            assert f"({shot.path.name})" in index
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)
