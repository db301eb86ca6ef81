"""The approval gate: the run suspends (no process waits, no time limit) until staff answer in the UI.

`suspend_flow_run` ends the process at the gate; when staff submit the form (承認 or 差し戻し with a
comment) the server reschedules the run, a `bodx serve` process picks it up, earlier steps are taken
from their persisted outcomes, and the run continues after the gate. Prefect allows this only for a
top-level run of a deployment, which is why the gate is a function called by flows, not a subflow.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.flow_runs import suspend_flow_run
from prefect.input import RunInput
from pydantic import Field

from flows.artifacts import publish_markdown, workbook_where
from flows.audit_trail import record_approval
from flows.entry import entry_flow
from flows.params import ApprovalParams, EntryOutcome
from flows.preflight import preflight_approval
from flows.report import summarise, summary_markdown
from matching.instance import load_instance
from matching.result import load_result
from sheets.safety import write_atomically

APPROVAL_KEY = "admission-approval"


class ApprovalDecision(RunInput):
    """The form staff fill in. Defaults are "not approved" so an empty submit enters nothing."""

    approved: bool = Field(
        False,
        title="承認する / approve",
        description="オンにすると内定・保留を既存システムに入力します。オフのまま送信すると差し戻しです",
    )
    # Required: an electronic 決裁 names who decided; the name goes to the audit log and the run.
    approver: str = Field(
        title="承認者 / approver（必須）",
        min_length=1,
        max_length=100,
        pattern=r"\S",
        description="承認・差し戻しをする職員の氏名または職員番号 (必須) / your name or staff number",
    )
    comment: str = Field(
        "",
        title="コメント / comment",
        max_length=2000,
        description="承認・差し戻しの理由 (個人名は書かないでください)",
    )


def approval_answered() -> bool:
    """True in a run resumed after staff answered the approval form (what the run showed before the gate
    is not shown twice). The answer is stored under the key Prefect derives from the gate's pause key."""
    from prefect.input import keyset_from_paused_state, read_flow_run_input
    from prefect.states import Suspended

    keyset = keyset_from_paused_state(Suspended(pause_key=APPROVAL_KEY))
    return read_flow_run_input(keyset["response"]) is not None


def form_description(summary_markdown: str, workbook: Path) -> str:
    """Markdown shown above the form: the counts staff approve, and where the workbook is."""
    return (
        f"{summary_markdown}\n"
        f"**審査用ワークブック / review workbook:** {workbook_where(workbook)}\n\n"
        "内容を確認し、承認する場合は「承認する」をオンにして送信してください。差し戻す場合はオフのまま、"
        "コメントに理由を書いて送信してください。/ Switch *approve* on to let the robot enter the decisions; "
        "leave it off and write a comment to send the result back."
    )


def await_approval(
    summary_markdown: str, workbook: Path, record_dir: Path, approved_files: Iterable[Path] | None = None
) -> ApprovalDecision:
    """Suspend the current run until staff decide; on the rerun, return their decision.

    The decision (approver, comment) is kept three times: `record_dir/approval.json` (0600), the season's
    audit log (bound to the SHA-256 of `approved_files`: by default the workbook and the result.json
    beside it) and the run's `approval-decision` artifact. Logs say only approved or not. The form asks
    for no family's names in the comment.
    """
    logger = get_run_logger()
    # Only the description is added: passing field values here would rebuild the fields without their titles.
    form = ApprovalDecision.with_initial_data(description=form_description(summary_markdown, workbook))
    logger.info("承認ゲート: 未回答なら一時停止します / approval gate: suspends until staff answer in the UI")
    decision = suspend_flow_run(wait_for_input=form, key=APPROVAL_KEY, timeout=None)
    verdict = "承認 / approved" if decision.approved else "差し戻し / rejected"
    decided_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    record = {
        "approved": decision.approved,
        "approver": decision.approver,
        "comment": decision.comment,
        "decided_at": decided_at,
    }
    written = write_private(
        record_dir / "approval.json", json.dumps(record, ensure_ascii=False, indent=1) + "\n"
    )
    files = (workbook, workbook.with_name("result.json")) if approved_files is None else tuple(approved_files)
    record_approval(
        record_dir,
        decision.approved,
        decision.approver,
        decision.comment,
        (path for path in files if path.is_file()),
    )
    publish_markdown(
        f"# 承認結果 / approval\n\n- 判断 / decision: **{verdict}**\n"
        f"- 承認者 / approver: {decision.approver}\n- 日時 / at: {decided_at} (UTC)\n"
        f"- コメント / comment: {decision.comment or '(なし / none)'}\n"
        f"- 記録 / kept in: `{written}` と監査ログ / and the audit log\n",
        key="approval-decision",
        description="承認結果 (承認者・コメント) / approval decision with approver and comment",
    )
    logger.info("承認結果: %s", verdict)
    return ApprovalDecision(approved=decision.approved, approver=decision.approver, comment=decision.comment)


def write_private(path: Path, text: str) -> Path:
    """Atomically, readable by the serving account only (0600): the comment may concern a family."""
    written = write_atomically(path, text.encode("utf-8"))
    os.chmod(written, 0o600)
    return written


@flow(
    name="approval",
    description="作成済みの選考結果を承認待ちにし、承認されたら既存システムへ入力します",
    persist_result=True,
)
def approval_flow(params: ApprovalParams) -> EntryOutcome | None:
    """For a result made outside the season run (e.g. re-run after 調整): approve, then enter."""
    # As in the season: whatever would stop the entry is found before anyone approves.
    preflight_approval(params)
    summary = summarise(load_instance(params.instance), load_result(params.entry.result))
    decision = await_approval(
        summary_markdown(summary),
        params.workbook,
        params.entry.out_dir / "approval",
        approved_files=(params.entry.result, params.workbook),
    )
    if not decision.approved:
        return None
    return entry_flow(params.entry)
