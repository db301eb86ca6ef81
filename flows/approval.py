"""The approval gate: the run suspends (no process waits, no time limit) until staff answer in the UI.

`suspend_flow_run` ends the process at the gate; when staff submit the form (承認 or 差し戻し with a
comment) the server reschedules the run, a `bodx serve` process picks it up, earlier steps are taken
from their persisted outcomes, and the run continues after the gate. Prefect allows this only for a
top-level run of a deployment, which is why the gate is a function called by flows, not a subflow.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.flow_runs import suspend_flow_run
from prefect.input import RunInput
from pydantic import Field

from flows.artifacts import publish_markdown
from flows.entry import entry_flow
from flows.params import ApprovalParams, EntryOutcome
from flows.report import summarise, summary_markdown
from matching.instance import load_instance
from matching.result import load_result

APPROVAL_KEY = "admission-approval"


class ApprovalDecision(RunInput):
    """The form staff fill in. Defaults are "not approved" so an empty submit enters nothing."""

    approved: bool = Field(
        False, title="承認する / approve", description="チェックすると内定をシステムに入力します"
    )
    comment: str = Field(
        "",
        title="コメント / comment",
        max_length=2000,
        description="承認・差し戻しの理由 (個人名は書かないでください)",
    )


def form_description(summary_markdown: str, workbook: Path) -> str:
    """Markdown shown above the form: the counts staff approve, and where the workbook is."""
    return (
        f"{summary_markdown}\n"
        f"**審査用ワークブック / review workbook:** `{workbook.resolve()}`\n\n"
        "内容を確認し、承認する場合は「承認する」にチェックして送信してください。差し戻す場合はチェックせず、"
        "コメントに理由を書いて送信してください。/ Tick *approve* to let the robot enter the decisions; "
        "leave it unticked and write a comment to send the result back."
    )


def await_approval(summary_markdown: str, workbook: Path, record_dir: Path) -> ApprovalDecision:
    """Suspend the current run until staff decide; on the rerun, return their decision.

    The decision (with its comment) is written to `record_dir/approval.json` for the season's records;
    logs and artifacts say only approved or not, because staff comments may mention a family.
    """
    logger = get_run_logger()
    # Only the description is added: passing field values here would rebuild the fields without their titles.
    form = ApprovalDecision.with_initial_data(description=form_description(summary_markdown, workbook))
    logger.info("承認ゲート: 未回答なら一時停止します / approval gate: suspends until staff answer in the UI")
    decision = suspend_flow_run(wait_for_input=form, key=APPROVAL_KEY, timeout=None)
    verdict = "承認 / approved" if decision.approved else "差し戻し / rejected"
    record_dir.mkdir(parents=True, exist_ok=True)
    (record_dir / "approval.json").write_text(
        json.dumps(
            {
                "approved": decision.approved,
                "comment": decision.comment,
                "decided_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    publish_markdown(
        f"# 承認結果 / approval\n\n- 判断 / decision: **{verdict}**\n"
        f"- コメント / comment: {len(decision.comment)} 文字 (記録: `{record_dir / 'approval.json'}`)\n",
        key="approval-decision",
        description="承認結果 / approval decision",
    )
    logger.info("承認結果: %s", verdict)
    return ApprovalDecision(approved=decision.approved, comment=decision.comment)


@flow(
    name="approval",
    description="作成済みの選考結果を承認待ちにし、承認されたら既存システムへ入力します",
    persist_result=True,
)
def approval_flow(params: ApprovalParams) -> EntryOutcome | None:
    """For a result made outside the season run (e.g. re-run after 調整): approve, then enter."""
    summary = summarise(load_instance(params.instance), load_result(params.entry.result))
    decision = await_approval(summary_markdown(summary), params.workbook, params.entry.out_dir / "approval")
    if not decision.approved:
        return None
    return entry_flow(params.entry)
