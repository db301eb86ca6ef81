"""入所選考: the season flow staff start from the UI — intake, normalise, admission, approval, entry.

Each step is a subflow whose outcome (paths and counts) is persisted, so when the run is resumed after
approval the earlier steps are taken from their outcomes instead of being run again.
"""

from __future__ import annotations

import datetime as dt

from prefect import State, flow, get_run_logger
from prefect.runtime import flow_run
from prefect.states import Completed
from pydantic import BaseModel

from cityprofile import open_city
from flows.admission import admission_flow
from flows.approval import ApprovalDecision, approval_answered, await_approval
from flows.artifacts import publish_markdown, publish_nursery_tables, publish_table, publish_workbook_link
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
    SeasonLedger,
    SeasonOutcome,
    SeasonParams,
)
from flows.paths import JST, in_data_dir, season_dir
from flows.preflight import preflight
from flows.profile import default_recipe, ledger_sources
from flows.report import nursery_table, placements_by_nursery, summarise
from flows.round_close import close_round_flow
from flows.round_params import CloseRoundParams
from matching.errors import MatchingError
from matching.instance import load_instance
from matching.result import load_result

SEASON_REPORT_KEY = "season-report"
SEASON_SUMMARY_KEY = "season-summary"
SEASON_NURSERIES_KEY = "season-nurseries"
REJECTED_STATE = "差し戻し"


def _report(admission: AdmissionOutcome, decision: ApprovalDecision, entry: EntryOutcome | None) -> str:
    if entry is not None:
        entered = (
            f"- システム入力 / entered: **{entry.entered}** / {entry.decisions} "
            f"(登録済み {entry.already_entered}, 失敗 {entry.failed})\n"
        )
    else:
        entered = "- システム入力 / entry: 差し戻しのため入力していません / rejected: nothing entered\n"
    verdict = "承認 / approved" if decision.approved else "差し戻し / rejected"
    return (
        f"{admission.summary_markdown}\n## 承認と入力 / approval and entry\n\n"
        f"- 承認 / approval: **{verdict}**\n"
        f"- 承認者 / approver: {decision.approver}\n"
        f"- コメント / comment: {decision.comment or '(なし / none)'}\n{entered}"
        f"- 審査用ワークブック / workbook: `{admission.workbook}`\n"
    )


def season_run_name() -> str:
    """「2027年度 4月入所 一次選考 11月25日」: the round as the city names it and the day it was started,
    what a clerk recognises in the runs list (not a random name)."""
    raw = flow_run.get_parameters().get("params")
    # The engine hands over the validated model; a dict when the parameters are still raw.
    params = raw.model_dump() if isinstance(raw, BaseModel) else raw if isinstance(raw, dict) else {}
    today = dt.datetime.now(JST).date()
    try:
        profile = open_city(str(params.get("city"))).profile
        chosen = profile.round(params.get("round"))
    except MatchingError:
        return f"入所選考 {today.month}月{today.day}日"  # the preflight reports the broken profile
    year = params.get("admission_year") or profile.admission_year
    # The label carries the profile's year; a season started for another year says so instead.
    name = chosen.label if year == profile.admission_year else f"{year}年度 {chosen.id}"
    return f"{name} {today.month}月{today.day}日"


def with_data_paths(params: SeasonParams) -> SeasonParams:
    """Relative paths of the form (its choices) made absolute inside the data folder."""
    advanced = params.advanced
    optional = lambda path: in_data_dir(path) if path is not None else None  # noqa: E731
    return params.model_copy(
        update={
            "ledgers": tuple(in_data_dir(path) for path in params.ledgers),
            "scans_dir": optional(params.scans_dir),
            "adjustments_from": optional(params.adjustments_from),
            "manual_result": optional(params.manual_result),
            "advanced": advanced.model_copy(
                update={
                    "ledgers_with_mapping": tuple(
                        SeasonLedger(ledger=in_data_dir(item.ledger), mapping=optional(item.mapping))
                        for item in advanced.ledgers_with_mapping
                    ),
                    "nurseries": optional(advanced.nurseries),
                    "templates_dir": optional(advanced.templates_dir),
                    "rules": optional(advanced.rules),
                    "work_dir": optional(advanced.work_dir),
                }
            ),
        }
    )


def _show_result(summary: str, admission: AdmissionOutcome) -> None:
    """The season's own page while it waits: the summary, every nursery's table, the workbook link."""
    publish_markdown(
        summary, key=SEASON_SUMMARY_KEY, description="承認待ちの選考結果 / result awaiting approval"
    )
    instance, result = load_instance(admission.instance), load_result(admission.result)
    counts = summarise(instance, result)
    publish_table(
        nursery_table(counts),
        key=SEASON_NURSERIES_KEY,
        description="園別 内定数・充足率 / placements and fill rate per nursery",
    )
    # Keys of their own: the admission step's nursery-<id> tables keep one version per admission.
    publish_nursery_tables(counts, placements_by_nursery(instance, result), key_prefix="season-nursery")
    publish_workbook_link(admission.workbook)


@flow(
    name="season",
    flow_run_name=season_run_name,
    description="入所選考: スキャン・台帳から内定を決め、承認後に既存システムへ入力します",
    persist_result=True,
)
def season_flow(params: SeasonParams) -> SeasonOutcome | State[SeasonOutcome]:
    logger = get_run_logger()
    params = with_data_paths(params)
    advanced = params.advanced
    # The city profile gives every default the form leaves empty; a broken profile stops the run here,
    # before anything heavy, with the message `bodx city check` would print.
    preflight(params)
    city = open_city(params.city)
    year = params.admission_year or city.profile.admission_year
    templates_dir = advanced.templates_dir or city.form_templates
    legacy_url = advanced.legacy_url or ""  # the preflight refused a season without one
    # The folder is named by the run's id, which stays the same when the run resumes after approval.
    work_dir = advanced.work_dir or season_dir(year, (flow_run.get_id() or "manual")[:8])
    start_season(work_dir, city.root, year)  # the audit log every step appends to (once per run)
    intake = None
    if params.scans_dir is not None:
        intake = intake_flow(
            IntakeParams(
                scans_dir=params.scans_dir,
                templates_dir=templates_dir,
                out_dir=work_dir / "intake",
                scale=advanced.scale,
            )
        )
    ledgers = tuple(SeasonLedger(ledger=path) for path in params.ledgers) + advanced.ledgers_with_mapping
    records = normalise_flow(
        NormaliseParams(
            ledgers=ledger_sources(ledgers, city),
            readings=intake.readings if intake else None,
            review_queue=intake.review_queue if intake else None,
            templates_dir=templates_dir,
            nurseries=advanced.nurseries,
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
            rules=advanced.rules or city.rules,
            admission_year=year,
            adjustments_from=params.adjustments_from,
            time_limit=advanced.time_limit,
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
    if not approval_answered():  # a run resumed after approval has shown them already
        _show_result(summary, admission)
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
                previews_dir=advanced.notice_previews,
            )
        )
        # What a later round (二次調整) needs: round.json and the responses workbook (回答記録).
        close_round_flow(
            CloseRoundParams(
                season_dir=work_dir,
                folder=work_dir,
                round_id=city.profile.round(params.round).id,
                sequence=1,
                city=params.city,
                admission_year=year,
                rules=advanced.rules or city.rules,
                applications=records.applications,
                nurseries=records.nurseries,
                instance=admission.instance,
                result=admission.result,
            )
        )
        entry = entry_flow(
            EntryParams(
                applications=records.applications,
                nurseries=records.nurseries,
                result=admission.result,
                legacy_url=legacy_url,
                recipe=advanced.recipe or default_recipe(city),
                credentials_env_prefix=advanced.credentials_env_prefix,
                out_dir=work_dir / "entry",
            )
        )
    else:
        logger.info("差し戻されたため入力しません / rejected: nothing is entered")
    publish_markdown(
        _report(admission, decision, entry),
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
