"""入所選考: the season flow staff start from the UI — intake, normalise, admission, approval, entry.

Each step is a subflow whose outcome (paths and counts) is persisted, so when the run is resumed after
approval the earlier steps are taken from their outcomes instead of being run again.
"""

from __future__ import annotations

import datetime as dt

from prefect import State, flow, get_run_logger
from prefect.runtime import flow_run
from prefect.states import Completed

from cityprofile import open_city
from flows.admission import admission_flow
from flows.approval import await_approval
from flows.artifacts import publish_markdown, publish_workbook_link
from flows.audit_trail import start_season
from flows.entry import entry_flow
from flows.intake import intake_flow
from flows.normalise import normalise_flow
from flows.notices import notices_flow
from flows.parallel_run import ParallelRunParams, parallel_run_flow
from flows.params import (
    AdmissionOutcome,
    AdmissionParams,
    EntryOutcome,
    EntryParams,
    IntakeParams,
    NormaliseParams,
    NoticesParams,
    SeasonOutcome,
    SeasonParams,
)
from flows.paths import JST, season_dir
from flows.preflight import preflight
from flows.profile import default_recipe, ledger_sources
from matching.errors import MatchingError

SEASON_REPORT_KEY = "season-report"
SEASON_SUMMARY_KEY = "season-summary"
REJECTED_STATE = "差し戻し"


def _report(admission: AdmissionOutcome, approved: bool, entry: EntryOutcome | None) -> str:
    if entry is not None:
        entered = (
            f"- システム入力 / entered: **{entry.entered}** / {entry.decisions} "
            f"(登録済み {entry.already_entered}, 失敗 {entry.failed})\n"
        )
    else:
        entered = "- システム入力 / entry: 差し戻しのため入力していません / rejected: nothing entered\n"
    verdict = "承認 / approved" if approved else "差し戻し / rejected"
    return (
        f"{admission.summary_markdown}\n## 承認と入力 / approval and entry\n\n"
        f"- 承認 / approval: **{verdict}**\n{entered}"
        f"- 審査用ワークブック / workbook: `{admission.workbook}`\n"
    )


def season_run_name() -> str:
    """「2027年度 一次選考 11月25日」: what a clerk recognises in the runs list (not a random name)."""
    raw = flow_run.get_parameters().get("params") or {}
    params = raw if isinstance(raw, dict) else {}
    today = dt.datetime.now(JST).date()
    try:
        profile = open_city(str(params.get("city") or SeasonParams.model_fields["city"].default)).profile
        year = params.get("admission_year") or profile.admission_year
        round_id = profile.round(params.get("round")).id
    except MatchingError:
        return f"入所選考 {today.month}月{today.day}日"  # the preflight reports the broken profile
    return f"{year}年度 {round_id}選考 {today.month}月{today.day}日"


@flow(
    name="season",
    flow_run_name=season_run_name,
    description="入所選考: スキャン・台帳から内定を決め、承認後に既存システムへ入力します",
    persist_result=True,
)
def season_flow(params: SeasonParams) -> SeasonOutcome | State[SeasonOutcome]:
    logger = get_run_logger()
    # The city profile gives every default the form leaves empty; a broken profile stops the run here,
    # before anything heavy, with the message `bodx city check` would print.
    preflight(params)
    city = open_city(params.city)
    year = params.admission_year or city.profile.admission_year
    templates_dir = params.templates_dir or city.form_templates
    # The folder is named by the run's id, which stays the same when the run resumes after approval.
    work_dir = params.work_dir or season_dir(year, (flow_run.get_id() or "manual")[:8])
    start_season(work_dir, city.root, year)  # the audit log every step appends to (once per run)
    intake = None
    if params.scans_dir is not None:
        intake = intake_flow(
            IntakeParams(
                scans_dir=params.scans_dir,
                templates_dir=templates_dir,
                out_dir=work_dir / "intake",
                scale=params.scale,
            )
        )
    records = normalise_flow(
        NormaliseParams(
            ledgers=ledger_sources(params.ledgers, city),
            readings=intake.readings if intake else None,
            review_queue=intake.review_queue if intake else None,
            templates_dir=templates_dir,
            nurseries=params.nurseries,
            city=params.city,
            round=params.round,
            out_dir=work_dir / "records",
        )
    )
    admission = admission_flow(
        AdmissionParams(
            city=params.city,
            applications=records.applications,
            nurseries=records.nurseries,
            issues=records.issues,
            rules=params.rules or city.rules,
            admission_year=year,
            adjustments_from=params.adjustments_from,
            time_limit=params.time_limit,
            out_dir=work_dir / "admission",
        )
    )
    summary = admission.summary_markdown
    if params.manual_result is not None:
        # 並行稼働: every difference from the clerks' own selection, with its cause, before approval.
        summary += parallel_run_flow(
            ParallelRunParams(
                manual=params.manual_result,
                instance=admission.instance,
                result=admission.result,
                out_dir=work_dir / "parallel_run",
            )
        ).summary_markdown
    # The season's own page shows the summary and the workbook while it waits for approval.
    publish_markdown(
        summary,
        key=SEASON_SUMMARY_KEY,
        description="承認待ちの選考結果 / result awaiting approval",
    )
    publish_workbook_link(admission.workbook)
    decision = await_approval(summary, admission.workbook, work_dir / "approval")
    entry = letters = None
    if decision.approved:
        letters = notices_flow(
            NoticesParams(
                city=params.city,
                applications=records.applications,
                nurseries=records.nurseries,
                instance=admission.instance,
                result=admission.result,
                round=params.round,
                out_dir=work_dir / "notices",
                previews_dir=params.notice_previews,
            )
        )
        entry = entry_flow(
            EntryParams(
                applications=records.applications,
                nurseries=records.nurseries,
                result=admission.result,
                legacy_url=params.legacy_url,
                recipe=params.recipe or default_recipe(city),
                credentials_env_prefix=params.credentials_env_prefix,
                out_dir=work_dir / "entry",
            )
        )
    else:
        logger.info("差し戻されたため入力しません / rejected: nothing is entered")
    publish_markdown(
        _report(admission, decision.approved, entry),
        key=SEASON_REPORT_KEY,
        description="入所選考の結果と入力状況 / season result and entry",
    )
    outcome = SeasonOutcome(
        approved=decision.approved,
        work_dir=work_dir,
        workbook=admission.workbook,
        placed=admission.placed,
        waitlisted=admission.waitlisted,
        entry=entry,
        notices=letters,
    )
    if not decision.approved:
        # A rejected season must not look like an entered one in the runs list.
        return Completed(name=REJECTED_STATE, message="差し戻し: 入力していません / rejected", data=outcome)
    return outcome
