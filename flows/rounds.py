"""二次調整: the next round of a season (二次, 三次 …), started by staff from the UI.

    the season folder ─► round-plan        responses (承諾/辞退/面接/取消) + new and changed applications
                     ─► round-admission   the same rules and optimizer, accepted placements fixed; the
                                          review workbook and the change report (変更報告.xlsx)
                     ─► approval gate     suspends (no time limit) until staff approve in the UI
                     ─► notices           決定通知 for accepted placements, 内定・保留 for this round
                     ─► close-round       round.json and the next responses workbook (三次 …)
                     ─► entry             the robot enters this round's decisions

Its one required parameter is the season folder (the first round's work folder): the round follows the
last approved round in it and lives in `<season>/rounds/<id>/`, so every round appends to one audit log.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from prefect import State, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Completed

from cityprofile import check_city, open_city
from flows.approval import await_approval
from flows.artifacts import publish_markdown, publish_workbook_link
from flows.entry import entry_flow
from flows.errors import StepInputError
from flows.notices import notices_flow
from flows.params import EntryParams, NoticesParams
from flows.paths import JST
from flows.profile import default_recipe
from flows.round_close import close_round_flow
from flows.round_params import CloseRoundParams, NextRoundParams, RoundAdmissionParams, RoundOutcome
from flows.round_steps import round_admission_flow, round_plan_flow
from flows.season import REJECTED_STATE
from matching.errors import MatchingError
from matching.round_files import latest_round, manifests
from matching.rounds import next_round
from robots.credentials import Credentials
from robots.errors import RobotsError

ROUND_REPORT_KEY = "round-report"


def round_run_name() -> str:
    """「2027年度 4月入所 二次選考 2月15日」: the round's label from city.toml, as staff know it."""
    raw = flow_run.get_parameters().get("params") or {}
    # A run started from the UI or the API has its parameters as JSON; one executed in this process may
    # already have them as the model.
    params = raw.model_dump(mode="json") if isinstance(raw, NextRoundParams) else raw
    params = params if isinstance(params, dict) else {}
    today = dt.datetime.now(JST).date()
    try:
        _, last = latest_round(Path(str(params.get("season_dir"))))
        profile = open_city(last.city).profile
        chosen = profile.round(params["round"]) if params.get("round") else next_round(profile, last.round_id)
        return f"{chosen.label} {today.month}月{today.day}日"
    except (MatchingError, OSError, KeyError, TypeError):
        return f"二次調整 {today.month}月{today.day}日"  # the preflight names the problem


def round_problems(params: NextRoundParams) -> list[str]:
    """Every reason the round cannot run to the end as started (empty: it can)."""
    problems: list[str] = []
    try:
        _, last = latest_round(params.season_dir)
    except MatchingError as exc:
        return [str(exc)]
    for label, path in (
        ("回答記録", params.responses),
        ("施設一覧", params.nurseries),
        ("この回のワークブック", params.adjustments_from),
    ):
        if path is not None and not path.is_file():
            problems.append(f"{label}がありません / file not found: {path}")
    if params.scans_dir is not None and not params.scans_dir.is_dir():
        problems.append(f"スキャンフォルダがありません / scans folder not found: {params.scans_dir}")
    for item in params.ledgers:
        if not item.ledger.is_file():
            problems.append(f"受付台帳がありません / ledger not found: {item.ledger}")
    report = check_city(last.city, base_url=params.legacy_url)
    problems += [f"[{f.stage}] {f.message}" for f in report.errors]
    try:
        Credentials.from_env(params.credentials_env_prefix)
    except RobotsError as exc:
        problems.append(f"既存システムへの入力に必要な認証情報がありません: {exc}")
    return problems


@task(name="round-preflight", persist_result=False, cache_policy=NO_CACHE)
def round_preflight(params: NextRoundParams) -> None:
    problems = round_problems(params)
    if problems:
        raise StepInputError(
            "開始前の確認で問題が見つかりました。直してから開始してください / the round cannot start:\n- "
            + "\n- ".join(problems)
        )


@flow(
    name="next-round",
    flow_run_name=round_run_name,
    description="二次調整: 承諾した内定は動かさず、辞退・取消で空いた席を指数順に選考し、承認後に通知・入力します",
    persist_result=True,
)
def next_round_flow(params: NextRoundParams) -> RoundOutcome | State[RoundOutcome]:
    logger = get_run_logger()
    round_preflight(params)
    planned = round_plan_flow(params)
    season, work = params.season_dir.resolve(), planned.work_dir
    admission = round_admission_flow(
        RoundAdmissionParams(
            season_dir=season,
            previous_round=planned.previous_round,
            city=planned.city,
            rules=planned.rules,
            plan=planned.plan,
            responses_issues=planned.responses_issues,
            ledger_issues=planned.ledger_issues,
            adjustments_from=params.adjustments_from,
            time_limit=params.time_limit,
            out_dir=work,
        )
    )
    publish_markdown(
        admission.summary_markdown,
        key="round-summary",
        description=f"承認待ちの {planned.round_id} / round awaiting approval",
    )
    publish_workbook_link(admission.workbook)
    decision = await_approval(
        admission.summary_markdown,
        admission.workbook,
        work / "approval",
        approved_files=(admission.result, admission.workbook, admission.report, admission.combined_result),
    )
    outcome = RoundOutcome(
        round_id=planned.round_id,
        approved=decision.approved,
        work_dir=work,
        workbook=admission.workbook,
        report=admission.report,
        placed=admission.placed,
        waitlisted=admission.waitlisted,
        changed=admission.changed,
    )
    if not decision.approved:
        logger.info("差し戻されたため通知・入力しません / rejected: no letters, nothing entered")
        _publish_report(outcome)
        return Completed(name=REJECTED_STATE, message="差し戻し: 入力していません / rejected", data=outcome)
    letters = notices_flow(
        NoticesParams(
            city=planned.city,
            applications=planned.applications,
            nurseries=planned.nurseries,
            instance=admission.combined,
            result=admission.combined_result,
            round=planned.round_id,
            round_letters=admission.letters,
            out_dir=work / "notices",
        )
    )
    closed = close_round_flow(
        CloseRoundParams(
            season_dir=season,
            folder=work,
            sequence=planned.sequence,
            round_id=planned.round_id,
            city=planned.city,
            admission_year=planned.admission_year,
            rules=planned.rules,
            applications=planned.applications,
            nurseries=planned.nurseries,
            instance=admission.instance,
            result=admission.result,
            holdings=planned.holdings,
            exclusions=planned.exclusions,
        )
    )
    entry = entry_flow(
        EntryParams(
            applications=admission.applications,
            nurseries=planned.nurseries,
            result=admission.result,
            legacy_url=params.legacy_url,
            recipe=params.recipe or default_recipe(open_city(planned.city)),
            credentials_env_prefix=params.credentials_env_prefix,
            out_dir=work / "entry",
            # What the earlier rounds entered: a record still showing it is changed to this round's.
            entered_before=tuple(
                folder / "entry" / "decisions.json"
                for folder, manifest in manifests(season)
                if manifest.round_id != planned.round_id
            ),
        )
    )
    outcome = outcome.model_copy(
        update={"entry": entry, "notices": letters, "responses_next": closed.responses}
    )
    _publish_report(outcome)
    return outcome


def _publish_report(outcome: RoundOutcome) -> None:
    entry = outcome.entry
    entered = (
        f"- システム入力 / entered: **{entry.entered}** / {entry.decisions} (登録済み {entry.already_entered}, "
        f"失敗 {entry.failed})\n"
        if entry is not None
        else "- システム入力 / entry: なし / nothing entered\n"
    )
    publish_markdown(
        f"# {outcome.round_id} の結果 / round result\n\n"
        f"- 承認 / approval: **{'承認 / approved' if outcome.approved else '差し戻し / rejected'}**\n"
        f"- 内定 / placed: {outcome.placed}, 保留 / waitlisted: {outcome.waitlisted}, "
        f"結果が変わった児童 / changed: {outcome.changed}\n{entered}"
        f"- 変更報告 / change report: `{outcome.report}`\n"
        + (
            f"- 次の回の回答記録 / next responses: `{outcome.responses_next}`\n"
            if outcome.responses_next
            else ""
        ),
        key=ROUND_REPORT_KEY,
        description="二次調整の結果と入力状況 / round result and entry",
    )
