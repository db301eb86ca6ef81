"""Admission: score every child, optimise the placements, write the review workbook, show the summary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from cityprofile import open_city
from flows.artifacts import publish_nursery_tables, publish_summary, publish_workbook_link
from flows.audit_trail import record_admission
from flows.handoff import load_models
from flows.params import AdmissionOutcome, AdmissionParams
from flows.paths import DEFAULT_RULES
from flows.policy import IO_RETRIES, IO_RETRY_DELAY_SECONDS
from flows.report import placements_by_nursery, summarise, summary_markdown
from matching.adjustments import StaffAdjustment
from matching.instance import Instance
from matching.optimizer import solve
from matching.priority import ChildPriority
from matching.records import Application, Nursery
from matching.result import MatchResult
from matching.scoring import instance_from_priorities, load_rules, score_applications
from matching.scoring.build import SiblingPolicy
from sheets.adjustments import read_adjustments
from sheets.issues import LedgerIssue
from sheets.review import ReviewInput, write_review_workbook
from sheets.safety import write_atomically


@task(
    retries=IO_RETRIES,
    retry_delay_seconds=IO_RETRY_DELAY_SECONDS,
    persist_result=False,
    cache_policy=NO_CACHE,
)
def load_records(
    params: AdmissionParams,
) -> tuple[
    tuple[Application, ...], tuple[Nursery, ...], tuple[LedgerIssue, ...], tuple[StaffAdjustment, ...]
]:
    issues = load_models(LedgerIssue, params.issues) if params.issues else ()
    adjustments = read_adjustments(params.adjustments_from) if params.adjustments_from else ()
    return (
        load_models(Application, params.applications),
        load_models(Nursery, params.nurseries),
        issues,
        adjustments,
    )


@task(persist_result=False, cache_policy=NO_CACHE)
def score(
    applications: tuple[Application, ...],
    nurseries: tuple[Nursery, ...],
    rules_path: Path,
    admission_year: int,
    city: str | None = None,
) -> tuple[tuple[ChildPriority, ...], Instance]:
    # With a city profile: its declared facts check the rules, its sibling policy shapes the groups.
    profile = open_city(city).profile if city is not None else None
    priorities = score_applications(applications, load_rules(rules_path, profile), admission_year)
    policy = SiblingPolicy.of(profile) if profile is not None else None
    return priorities, instance_from_priorities(applications, nurseries, priorities, admission_year, policy)


@task(persist_result=False, cache_policy=NO_CACHE)
def optimise(instance: Instance, adjustments: tuple[StaffAdjustment, ...], time_limit: float) -> MatchResult:
    return solve(instance, adjustments, time_limit)


@task(
    retries=IO_RETRIES,
    retry_delay_seconds=IO_RETRY_DELAY_SECONDS,
    persist_result=False,
    cache_policy=NO_CACHE,
)
def write_outputs(review: ReviewInput, instance: Instance, out_dir: Path) -> tuple[Path, Path, Path]:
    instance_path = write_atomically(out_dir / "instance.json", instance.to_json().encode("utf-8"))
    result_path = write_atomically(out_dir / "result.json", review.result.to_json().encode("utf-8"))
    # A rerun writes a new workbook next to the old one's inputs; staff edit the copy they were sent.
    workbook = write_review_workbook(review, out_dir / "review.xlsx", overwrite=True)
    return instance_path, result_path, workbook


@flow(
    name="admission",
    description="指数を計算し、最適化で内定を決め、審査用ワークブックを作ります",
    persist_result=True,
)
def admission_flow(params: AdmissionParams) -> AdmissionOutcome:
    logger = get_run_logger()
    applications, nurseries, issues, adjustments = load_records(params)
    priorities, instance = score(
        applications, nurseries, params.rules or DEFAULT_RULES, params.admission_year, params.city
    )
    result = optimise(instance, adjustments, params.time_limit)
    review = ReviewInput(
        admission_year=params.admission_year,
        applications=applications,
        nurseries=nurseries,
        priorities=priorities,
        result=result,
        issues=issues,
        adjustments=adjustments,
        source_files=tuple(p for p in (params.applications, params.nurseries, params.adjustments_from) if p),
        generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None),
        # 指数 in the table's points; the rules read as score() read them (the profile's facts).
        points_scale=load_rules(
            params.rules or DEFAULT_RULES, open_city(params.city).profile if params.city is not None else None
        ).scale,
    )
    instance_path, result_path, workbook = write_outputs(review, instance, params.out_dir)
    rules = params.rules or DEFAULT_RULES
    record_admission(params, rules, instance_path, result_path, workbook, instance, result, adjustments)
    summary = summarise(instance, result)
    publish_summary(summary)
    publish_nursery_tables(summary, placements_by_nursery(instance, result))
    publish_workbook_link(workbook)
    logger.info(
        "内定 %d, 保留 %d, 充足率 %.1f%% (%s) / placed, waitlisted, fill rate",
        summary.placed,
        summary.waitlisted,
        100 * summary.fill_rate,
        result.status,
    )
    return AdmissionOutcome(
        instance=instance_path,
        result=result_path,
        workbook=workbook,
        summary_markdown=summary_markdown(summary),
        placed=summary.placed,
        waitlisted=summary.waitlisted,
    )
