"""The approval form records who decided and why: approval.json, the audit log and the run's artifact."""

from __future__ import annotations

import importlib
import json
import stat
from pathlib import Path
from uuid import UUID

import pytest
from typer.testing import CliRunner

from audit import SeasonLog, child_history, verify_season
from audit.records import sha256_file
from bodx.app import app
from bodx.cli import COMMAND_MODULES
from flows.runs import answer_approval, apply_deployment, execute_run, is_suspended, read_run, start_run
from tests.flows.approval_gate import gate_flow

for _module in COMMAND_MODULES:
    importlib.import_module(_module)
runner = CliRunner()


def _season(tmp_path: Path) -> Path:
    root = tmp_path / "season"
    (root / "admission").mkdir(parents=True)
    (root / "admission" / "review.xlsx").write_bytes(b"workbook")
    (root / "admission" / "result.json").write_text('{"assignments": {}}', encoding="utf-8")
    SeasonLog.create(root)
    return root


def _suspended_run(root: Path) -> UUID:
    run_id = start_run(apply_deployment(gate_flow, "test"), {"season": str(root)})
    assert is_suspended(execute_run(gate_flow, run_id))
    return run_id


def _artifact(run_id: UUID, key: str) -> str:
    """The run's newest artifact with `key` (raw filter request: this Prefect's sync client sends nulls
    the server refuses)."""
    from prefect.client.orchestration import get_client

    body = {
        "artifacts": {"key": {"any_": [key]}},
        "flow_runs": {"id": {"any_": [str(run_id)]}},
        "limit": 50,
        "offset": 0,
        "sort": "CREATED_DESC",
    }
    with get_client(sync_client=True) as client:
        found = client.request("POST", "/artifacts/filter", json=body).json()
    assert found, key
    return str(found[0]["data"])


def test_approver_and_comment_are_kept_with_the_run_and_in_the_log(
    prefect_harness: None, tmp_path: Path
) -> None:
    root = _season(tmp_path)
    run_id = _suspended_run(root)
    answer_approval(run_id, approved=True, comment="園長会議で確認済み", approver="保育課長 (職員 1234)")
    run = execute_run(gate_flow, run_id)
    assert run.state is not None and run.state.is_completed()

    record = json.loads((root / "approval" / "approval.json").read_text(encoding="utf-8"))
    assert record["approved"] is True and record["approver"] == "保育課長 (職員 1234)"
    assert record["comment"] == "園長会議で確認済み"
    assert stat.S_IMODE((root / "approval" / "approval.json").stat().st_mode) == 0o600

    entries = [json.loads(line) for line in SeasonLog(root).read_lines()[0]]
    approval = [e for e in entries if e["action"] == "approval"]
    assert len(approval) == 1 and approval[0]["actor"] == "保育課長 (職員 1234)"
    assert approval[0]["approval"] == {
        "approved": True,
        "approver": "保育課長 (職員 1234)",
        "comment": "園長会議で確認済み",
        "result_sha256": sha256_file(root / "admission" / "result.json")[0],
    }
    assert approval[0]["details"]["flow_run_id"] == str(run_id)
    assert verify_season(root).ok
    assert "承認者 保育課長" in child_history(root, "C0001")[0].detail  # season-wide: every child

    shown = _artifact(run_id, "approval-decision")
    assert "保育課長 (職員 1234)" in shown and "園長会議で確認済み" in shown
    head = _artifact(run_id, "audit-head")
    assert f"{approval[0]['seq']}:{approval[0]['hash']}" in head

    # The server's copy of the head: dropping the approval entry from the log is caught.
    verify = ["audit", "verify", str(root), "--from-server"]
    assert runner.invoke(app, verify).exit_code == 0
    log = SeasonLog(root).path
    log.write_bytes(b"".join(log.read_bytes().splitlines(keepends=True)[:-1]))
    assert verify_season(root).ok  # the shortened chain alone looks valid ...
    caught = runner.invoke(app, verify)
    assert caught.exit_code == 2 and "head-mismatch" in caught.output  # ... the server's head is not in it


def test_the_form_refuses_a_decision_without_an_approver(prefect_harness: None, tmp_path: Path) -> None:
    root = _season(tmp_path)
    run_id = _suspended_run(root)
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        refused = client.resume_flow_run(run_id, run_input={"approved": True, "comment": "x"})
        assert refused.status.value == "REJECT"
        blank = client.resume_flow_run(run_id, run_input={"approved": True, "approver": " ", "comment": ""})
        assert blank.status.value == "REJECT"
    assert not (root / "approval" / "approval.json").exists()
    assert is_suspended(read_run(run_id))  # still waiting for a valid answer
    answer_approval(run_id, approved=False, comment="保留者の説明を追記", approver="係長")
    run = execute_run(gate_flow, run_id)
    assert run.state is not None and run.state.is_completed()
    record = json.loads((root / "approval" / "approval.json").read_text(encoding="utf-8"))
    assert record["approved"] is False and record["approver"] == "係長"


@pytest.fixture(autouse=True)
def _no_stray_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BODX_SHARE_URL", raising=False)
