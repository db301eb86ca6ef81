"""並行稼働: the season's result beside the clerks' manual selection, every difference with its cause.

A thin step over :func:`sheets.parallel_run.run_parallel` (the same reading and comparison as
`bodx compare`). It writes the protected reconciliation workbook and a JSON copy (masked ids) into the
run's folder and publishes the counts-only summary as an artifact. A manual workbook that cannot be
read does not stop the season: the step reports why and returns no comparison.
"""

from __future__ import annotations

import json
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from pydantic import BaseModel, ConfigDict, Field

from flows.artifacts import publish_markdown
from matching.compare import Category
from matching.compare.report import comparison_json, summary_markdown
from matching.errors import MatchingError
from matching.instance import load_instance
from sheets.errors import SheetsError
from sheets.parallel_run import run_parallel
from sheets.safety import write_atomically

PARALLEL_RUN_KEY = "parallel-run"
WORKBOOK_NAME, JSON_NAME = "照合.xlsx", "compare.json"
TITLE = "## 手作業との照合 / parallel run"


class ParallelRunParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    manual: Path = Field(
        title="手作業の選考結果 (.xlsx)", description="one sheet, or per class / per nursery"
    )
    instance: Path = Field(title="インスタンス (instance.json)")
    result: Path = Field(title="選考結果 (result.json)")
    out_dir: Path = Field(title="出力フォルダ")


class ParallelRunOutcome(BaseModel):
    """Paths and counts only (persisted with the season)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    workbook: Path | None
    json_path: Path | None
    children: int = 0
    agreed: int = 0
    differences: int = 0
    manual_errors: int = 0  # root causes that are clerical mistakes
    summary_markdown: str = ""
    problem: str | None = None  # why no comparison was made


def compare_with_manual(params: ParallelRunParams) -> ParallelRunOutcome:
    """The comparison itself, without Prefect (tests call this)."""
    try:
        run = run_parallel(params.manual, params.result, load_instance(params.instance))
    except (MatchingError, SheetsError) as exc:
        text = f"{TITLE}\n\n照合できませんでした / not compared: {exc}\n"
        return ParallelRunOutcome(workbook=None, json_path=None, problem=str(exc), summary_markdown=text)
    params.out_dir.mkdir(parents=True, exist_ok=True)
    workbook = run.write_workbook(
        params.out_dir / WORKBOOK_NAME, [params.manual, params.result, params.instance], overwrite=True
    )
    payload = json.dumps(comparison_json(run.comparison, run.labeller()), ensure_ascii=False, indent=1) + "\n"
    json_path = write_atomically(params.out_dir / JSON_NAME, payload.encode("utf-8"))
    comparison = run.comparison
    return ParallelRunOutcome(
        workbook=workbook,
        json_path=json_path,
        children=comparison.children,
        agreed=comparison.agreed,
        differences=len(comparison.differences),
        manual_errors=sum(1 for root in comparison.roots if root.kind.category is Category.MANUAL_ERROR),
        summary_markdown=summary_markdown(comparison) + f"\n{run.manual.describe()}\n",
    )


@task(persist_result=False, cache_policy=NO_CACHE)
def compare_task(params: ParallelRunParams) -> ParallelRunOutcome:
    return compare_with_manual(params)


@flow(name="parallel-run", description="並行稼働: 手作業の選考結果との照合", persist_result=True)
def parallel_run_flow(params: ParallelRunParams) -> ParallelRunOutcome:
    logger = get_run_logger()
    outcome = compare_task(params)
    if outcome.problem is not None:
        logger.warning("手作業の結果と照合できません / parallel run skipped: %s", outcome.problem)
        publish_markdown(
            outcome.summary_markdown, key=PARALLEL_RUN_KEY, description="手作業との照合 / parallel run"
        )
        return outcome
    logger.info(
        "照合 / parallel run: 一致 %d/%d, 相違 %d (手作業の誤り %d 件)",
        outcome.agreed,
        outcome.children,
        outcome.differences,
        outcome.manual_errors,
    )
    publish_markdown(
        outcome.summary_markdown, key=PARALLEL_RUN_KEY, description="手作業との照合 / parallel run"
    )
    return outcome
