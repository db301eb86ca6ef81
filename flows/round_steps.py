"""The steps of a later round (二次調整 …) and the step that closes any approved round.

Each is a subflow with a persisted outcome (paths and counts), so a round resumed after approval takes
them from their outcomes instead of running them again; the work is done by library functions
(matching.round_plan / round_solve / round_report, sheets.responses / round_outputs).
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger

from cityprofile import open_city
from flows.artifacts import publish_nursery_tables, publish_summary, publish_table
from flows.errors import StepInputError
from flows.handoff import load_models, save_models
from flows.intake import intake_flow
from flows.normalise import normalise_flow
from flows.params import IntakeParams, NormaliseParams
from flows.profile import ledger_sources
from flows.report import placements_by_nursery, summarise, summary_markdown
from flows.round_audit import record_round_match, record_round_plan
from flows.round_close import RESPONSES_FILE, now
from flows.round_params import (
    NextRoundParams,
    RoundAdmissionOutcome,
    RoundAdmissionParams,
    RoundPlanOutcome,
)
from matching.errors import RoundError
from matching.files import write_text_atomically
from matching.records import Application, Nursery
from matching.round_files import (
    latest_round,
    load_state,
    manifests,
    round_folder,
    save_exclusions,
    save_holdings,
)
from matching.round_plan import plan_round
from matching.round_report import ChangeReport, change_report
from matching.round_solve import solve_round
from matching.rounds import RoundPlan, holdings_after, next_round, waiting_after
from matching.scoring import load_rules
from matching.scoring.build import SiblingPolicy
from sheets.adjustments import read_adjustments
from sheets.issues import LedgerIssue
from sheets.responses import read_responses
from sheets.round_outputs import write_round_outputs


@flow(name="round-plan", description="回答記録と新しい申込から次の選考回を準備します", persist_result=True)
def round_plan_flow(params: NextRoundParams) -> RoundPlanOutcome:
    season = params.season_dir.resolve()
    _, previous = latest_round(season)
    city = open_city(previous.city)
    round_id = params.round or next_round(city.profile, previous.round_id).id
    city.profile.round(round_id)  # an id city.toml does not know is refused with the ids it does
    if round_id in {m.round_id for _, m in manifests(season)}:
        raise RoundError(
            f"選考回「{round_id}」はこの作業フォルダで承認済みです。次の回を指定してください / round {round_id!r} "
            "was already approved in this season"
        )
    work = round_folder(season, round_id)
    state = load_state(season, previous)
    responses = params.responses or (season / previous.responses if previous.responses else None)
    if responses is None or not responses.is_file():
        raise StepInputError(
            f"回答記録がありません / responses workbook not found: {responses} (前の回の作業フォルダの "
            f"{RESPONSES_FILE} に記入するか、ファイルを指定してください)"
        )
    reading = read_responses(
        responses,
        round_id=previous.round_id,
        held=[h.child_id for h in holdings_after(state)],
        waiting=waiting_after(state),
    )
    new_applications: tuple[Application, ...] = ()
    ledger_issues = None
    if params.ledgers or params.scans_dir is not None:
        intake = None
        if params.scans_dir is not None:
            intake = intake_flow(
                IntakeParams(
                    scans_dir=params.scans_dir,
                    templates_dir=city.form_templates,
                    out_dir=work / "intake",
                    scale=params.scale,
                )
            )
        records = normalise_flow(
            NormaliseParams(
                ledgers=ledger_sources(params.ledgers, city),
                readings=intake.readings if intake else None,
                review_queue=intake.review_queue if intake else None,
                templates_dir=city.form_templates,
                nurseries=season / previous.nurseries,
                city=previous.city,
                round=round_id,
                out_dir=work / "records_new",
            )
        )
        new_applications, ledger_issues = load_models(Application, records.applications), records.issues
    override = load_models(Nursery, params.nurseries) if params.nurseries is not None else None
    plan = plan_round(state, reading.responses, new_applications, round_id=round_id, nurseries=override)
    plan_file = write_text_atomically(work / "plan" / "plan.json", plan.model_dump_json(indent=1) + "\n")
    issues_file = save_models(reading.issues, work / "plan" / "responses_issues.json")
    applications = save_models(plan.applications, work / "records" / "applications.json")
    nurseries = save_models(plan.base_nurseries, work / "records" / "nurseries.json")
    holdings = save_holdings(work / "plan" / "holdings.json", plan.holdings)
    exclusions = save_exclusions(work / "plan" / "exclusions.json", plan.exclusions)
    record_round_plan(
        plan_file,
        plan,
        (season / previous.result, responses, ledger_issues, params.nurseries),
        (plan_file, issues_file, applications, nurseries, holdings, exclusions),
    )
    counts = _plan_counts(plan, len(reading.issues))
    publish_table(
        [{"項目 / item": k, "件数 / count": v} for k, v in counts.items()],
        key="round-plan",
        description=f"{previous.round_id} → {round_id}: 確保した席・戻った席・新しい申込 / the round's inputs",
    )
    get_run_logger().info(
        "%s → %s: 確保 %d, 返還 %d, 選考 %d, 要確認 %d / kept, released, competing, issues",
        previous.round_id,
        round_id,
        len(plan.holdings),
        len(plan.released),
        counts["選考する児童 / competing"],
        len(plan.issues) + len(reading.issues),
    )
    return RoundPlanOutcome(
        round_id=round_id,
        previous_round=previous.round_id,
        sequence=previous.sequence + 1,
        city=previous.city,
        admission_year=previous.admission_year,
        work_dir=work,
        plan=plan_file,
        rules=Path(previous.rules),
        responses=responses,
        responses_issues=issues_file,
        ledger_issues=ledger_issues,
        applications=applications,
        nurseries=nurseries,
        holdings=holdings,
        exclusions=exclusions,
        issues=len(plan.issues) + len(reading.issues),
        kept=len(plan.holdings),
        released=len(plan.released),
        competing=counts["選考する児童 / competing"],
    )


def _plan_counts(plan: RoundPlan, reading_issues: int) -> dict[str, int]:
    return {
        "承諾で確定 / accepted": sum(1 for h in plan.holdings if h.accepted),
        "回答待ち / pending": sum(1 for h in plan.holdings if not h.accepted),
        "戻った席 / seats returned": len(plan.released),
        "新規申込 / new applications": len(plan.new_applications),
        "申込変更 / changed applications": len(plan.changed_applications),
        "取下げ / withdrawn": len(plan.withdrawn),
        "選考する児童 / competing": sum(len(a.children) for a in plan.competing),
        "この回の空き / seats offered": sum(s.available for s in plan.seats),
        "要確認 / issues": len(plan.issues) + reading_issues,
    }


@flow(
    name="round-admission", description="確定した席を固定して次の選考回の内定を決めます", persist_result=True
)
def round_admission_flow(params: RoundAdmissionParams) -> RoundAdmissionOutcome:
    plan = RoundPlan.model_validate_json(params.plan.read_bytes())
    season = params.season_dir
    previous = next((m for _, m in manifests(season) if m.round_id == params.previous_round), None)
    if previous is None:
        raise RoundError(
            f"前の選考回「{params.previous_round}」の記録がありません / previous round not found"
        )
    state = load_state(season, previous)
    profile = open_city(params.city).profile
    rules = load_rules(params.rules, profile)
    staff = read_adjustments(params.adjustments_from) if params.adjustments_from else ()
    solution = solve_round(
        plan, rules, siblings=SiblingPolicy.of(profile), adjustments=staff, time_limit=params.time_limit
    )
    if not solution.check.ok:
        problems = "\n- ".join((*solution.check.violations, *solution.check.combined_violations)[:10])
        raise RoundError(
            "確定した席を固定した検証で問題が見つかりました。調整を見直してください / the round fails the check "
            f"with the fixed placements:\n- {problems}"
        )
    report = change_report(state, plan, solution)
    files = write_round_outputs(
        plan,
        solution,
        report,
        params.out_dir,
        staff_adjustments=staff,
        ledger_issues=load_models(LedgerIssue, params.ledger_issues) if params.ledger_issues else (),
        reading_issues=load_models(LedgerIssue, params.responses_issues),
        points_scale=rules.scale,
        source_files=tuple(p for p in (params.plan, params.adjustments_from) if p),
        stamp=now(),
    )
    record_round_match(files, solution, staff, params.time_limit, plan.round_id)
    summary = summarise(solution.instance, solution.result)
    publish_summary(summary)
    publish_nursery_tables(summary, placements_by_nursery(solution.instance, solution.result))
    publish_table(
        [{"項目 / item": k, "件数 / count": v} for k, v in report.counts.items()],
        key="round-changes",
        description=f"{plan.previous_round} → {plan.round_id}: 変更の件数 (変更報告.xlsx に児童ごと) / change counts",
    )
    markdown = round_markdown(report) + "\n" + summary_markdown(summary)
    changed = report.counts["結果が変わった児童 / outcome changed"]
    get_run_logger().info(
        "%s: 内定 %d, 保留 %d, 変更 %d, 検証 ok / placed, waitlisted, changed",
        plan.round_id,
        summary.placed,
        summary.waitlisted,
        changed,
    )
    return RoundAdmissionOutcome(
        instance=files.instance,
        result=files.result,
        applications=files.applications,
        combined=files.combined,
        combined_result=files.combined_result,
        letters=files.letters,
        workbook=files.workbook,
        report=files.report,
        report_json=files.report_json,
        summary_markdown=markdown,
        placed=summary.placed,
        waitlisted=summary.waitlisted,
        changed=changed,
        checker_ok=solution.check.ok,
    )


def round_markdown(report: ChangeReport) -> str:
    """Counts only: shown above the approval form and in the round's report artifact."""
    lines = [
        f"# {report.previous_round} → {report.round_id} 変更の概要 / what changed",
        "",
        f"- 検証 (確定した席を固定) / check with the fixed placements: **{'ok' if report.checker_ok else 'NG'}**",
        *(f"- {label}: **{count}**" for label, count in report.counts.items()),
        "",
        "児童ごとの前回 → 今回と理由、園別の空き、固定に対する阻止連合は変更報告.xlsx にあります / per child in "
        "the change report workbook",
        "",
    ]
    return "\n".join(lines)
