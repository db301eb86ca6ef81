"""Entry: the robot types the approved decisions into the legacy system, from a persistent work queue."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.artifacts import Progress, publish_markdown, publish_table
from flows.audit_trail import record_entry
from flows.credentials import robot_credentials
from flows.handoff import load_models
from flows.params import EntryOutcome, EntryParams
from flows.policy import IO_RETRIES, IO_RETRY_DELAY_SECONDS
from matching.records import Application, Nursery
from matching.result import load_result
from robots.decisions import Decision, decisions_from_result, latest_decisions, save_decisions
from robots.recipe import load_recipe
from robots.report import RunReport
from robots.runner import run_robot


@task(
    retries=IO_RETRIES,
    retry_delay_seconds=IO_RETRY_DELAY_SECONDS,
    persist_result=False,
    cache_policy=NO_CACHE,
)
def prepare_decisions(params: EntryParams) -> tuple[list[Decision], Path]:
    """One decision per child from the approved result, kept as decisions.json beside the queue."""
    decisions = decisions_from_result(
        load_result(params.result),
        load_models(Application, params.applications),
        load_models(Nursery, params.nurseries),
        entered_before=latest_decisions(p for p in params.entered_before if p.is_file()),
    )
    params.out_dir.mkdir(parents=True, exist_ok=True)
    path = params.out_dir / "decisions.json"
    save_decisions(decisions, path)
    return decisions, path


# The robot keeps its own per-item retries; a task retry restarts it on the same persistent queue, which
# checks interrupted items on the screen first, so nothing is entered twice.
@task(retries=1, retry_delay_seconds=30, persist_result=False, cache_policy=NO_CACHE)
def enter_decisions(params: EntryParams, decisions: list[Decision], progress: Progress) -> RunReport:
    return run_robot(
        load_recipe(params.recipe),
        robot_credentials(params.credentials_env_prefix),
        base_url=params.legacy_url,
        queue_path=params.out_dir / "queue.sqlite",
        artifacts_dir=params.out_dir / "robot",
        decisions=decisions,
        on_progress=lambda done, total: progress.update(done, total),
    )


@flow(name="entry", description="承認された内定・保留を既存システムに入力します", persist_result=True)
def entry_flow(params: EntryParams) -> EntryOutcome:
    logger = get_run_logger()
    decisions, decisions_file = prepare_decisions(params)
    # Made here, not in the task: an artifact of a task run is not shown on the season's page.
    progress = Progress(len(decisions), label="システム入力 / robot entry", unit="件 / items")
    report = enter_decisions(params, decisions, progress)
    failed = len(report.failures)
    counts = (
        f"入力 {report.entered}, 登録済み {report.already_entered}, 失敗 {failed} / entered, already, failed"
    )
    record_entry(params, decisions_file, params.out_dir / "robot", counts)
    publish_markdown(
        "# システム入力 / entry\n\n"
        f"- 決定 / decisions: {len(decisions)}\n"
        f"- 登録 / entered: **{report.entered}**, 登録済み確認 / already entered: {report.already_entered}\n"
        f"- 失敗 / failed: **{failed}** ({report.seconds:.0f} s, {report.per_minute}/min)\n",
        key="entry-summary",
        description="既存システムへの入力結果 / robot entry counts",
    )
    publish_table(
        [{"状態 / state": state.value, "件数 / items": count} for state, count in report.counts.items()]
        + [
            {"状態 / state": f"失敗 {item.reference}", "件数 / items": item.attempts}
            for item in report.failures
        ],
        key="entry-queue",
        description="作業キューの状態 (受付番号は伏字) / work queue states, masked references",
    )
    logger.info(
        "入力 %d, 登録済み %d, 失敗 %d / entered, already, failed",
        report.entered,
        report.already_entered,
        failed,
    )
    return EntryOutcome(
        decisions=len(decisions),
        entered=report.entered,
        already_entered=report.already_entered,
        failed=failed,
        report=params.out_dir / "robot" / "report.json",
    )
