"""入所選考: the season flow staff start from the UI — intake, normalise, admission, approval, entry.

Each step is a subflow whose outcome (paths and counts) is persisted, so when the run is resumed after
approval the earlier steps are taken from their outcomes instead of being run again.
"""

from __future__ import annotations

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from cityprofile import open_city
from flows.admission import admission_flow
from flows.approval import await_approval
from flows.artifacts import publish_markdown, publish_workbook_link
from flows.entry import entry_flow
from flows.intake import intake_flow
from flows.normalise import normalise_flow
from flows.params import (
    AdmissionOutcome,
    AdmissionParams,
    EntryOutcome,
    EntryParams,
    IntakeParams,
    NormaliseParams,
    SeasonOutcome,
    SeasonParams,
)
from flows.paths import season_dir
from flows.profile import default_recipe, ledger_sources

SEASON_REPORT_KEY = "season-report"


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


@flow(
    name="season",
    description="入所選考: スキャン・台帳から内定を決め、承認後に既存システムへ入力します",
    persist_result=True,
)
def season_flow(params: SeasonParams) -> SeasonOutcome:
    logger = get_run_logger()
    # The city profile gives every default the form leaves empty; a broken profile stops the run here,
    # before anything heavy, with the message `bodx city check` would print.
    city = open_city(params.city)
    year = params.admission_year or city.profile.admission_year
    templates_dir = params.templates_dir or city.form_templates
    work_dir = params.work_dir or season_dir(year, str(flow_run.get_name() or "manual"))
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
            out_dir=work_dir / "records",
        )
    )
    admission = admission_flow(
        AdmissionParams(
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
    decision = await_approval(admission.summary_markdown, admission.workbook, work_dir / "approval")
    entry = None
    if decision.approved:
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
    publish_workbook_link(admission.workbook)
    return SeasonOutcome(
        approved=decision.approved,
        work_dir=work_dir,
        workbook=admission.workbook,
        placed=admission.placed,
        waitlisted=admission.waitlisted,
        entry=entry,
    )
