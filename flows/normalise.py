"""Normalise: ledgers + corrected OCR readings -> canonical applications, nurseries and one issue list."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from cityprofile import open_city
from flows.artifacts import Progress, publish_markdown
from flows.audit_trail import record_normalise
from flows.handoff import load_models, save_models
from flows.merge import ocr_issue, review_problem
from flows.params import LedgerSource, NormaliseOutcome, NormaliseParams
from flows.paths import DEFAULT_TEMPLATES
from flows.policy import IO_RETRIES, IO_RETRY_DELAY_SECONDS
from matching.records import Application, Nursery
from ocr.application_fields import Context
from ocr.canonical import applications_from_readings
from ocr.readings import PageReading
from ocr.review import read_review
from ocr.store import load_readings
from ocr.template import load_template_folder
from sheets.issues import LedgerIssue
from sheets.ledger import LedgerReading, read_ledger
from sheets.mapping import load_mapping
from sheets.merge import merge_records


@task(
    retries=IO_RETRIES,
    retry_delay_seconds=IO_RETRY_DELAY_SECONDS,
    persist_result=False,
    cache_policy=NO_CACHE,
)
def load_nursery_file(path: Path) -> tuple[Nursery, ...]:
    return load_models(Nursery, path)


@task(
    retries=IO_RETRIES,
    retry_delay_seconds=IO_RETRY_DELAY_SECONDS,
    persist_result=False,
    cache_policy=NO_CACHE,
    task_run_name="ledger-{source.ledger.name}",
)
def read_ledger_file(
    source: LedgerSource, nurseries: tuple[Nursery, ...], city: str | None = None, round_id: str | None = None
) -> LedgerReading:
    profile = open_city(city).profile if city is not None else None
    return read_ledger(
        source.ledger, load_mapping(source.mapping), nurseries=nurseries, profile=profile, round_id=round_id
    )


@task(
    retries=IO_RETRIES,
    retry_delay_seconds=IO_RETRY_DELAY_SECONDS,
    persist_result=False,
    cache_policy=NO_CACHE,
)
def corrected_readings(
    readings: Path, review_queue: Path | None, templates_dir: Path
) -> tuple[list[PageReading], list[str]]:
    """The intake's readings with the staff's confirmed corrections from the review workbook applied."""
    loaded = load_readings(readings)
    if review_queue is None or not review_queue.exists():
        return loaded, []
    templates = load_template_folder(templates_dir)
    return read_review(loaded, review_queue, templates)


@task(persist_result=False, cache_policy=NO_CACHE)
def canonical_from_forms(
    readings: list[PageReading], templates_dir: Path, city: str | None = None, round_id: str | None = None
) -> tuple[tuple[Application, ...], tuple[LedgerIssue, ...]]:
    # The templates' constants and defaults fill what a form does not ask; the profile gives the round's
    # first day (the default 入所希望日).
    round_start = open_city(city).profile.round(round_id).first_day if city is not None else None
    applications, issues = applications_from_readings(
        readings, load_template_folder(templates_dir), Context(round_start=round_start)
    )
    return applications, tuple(ocr_issue(issue) for issue in issues)


@task(
    retries=IO_RETRIES,
    retry_delay_seconds=IO_RETRY_DELAY_SECONDS,
    persist_result=False,
    cache_policy=NO_CACHE,
)
def write_records(
    applications: tuple[Application, ...],
    nurseries: tuple[Nursery, ...],
    issues: tuple[LedgerIssue, ...],
    out_dir: Path,
) -> tuple[Path, Path, Path]:
    return (
        save_models(applications, out_dir / "applications.json"),
        save_models(nurseries, out_dir / "nurseries.json"),
        save_models(issues, out_dir / "issues.json"),
    )


@flow(
    name="normalise",
    description="台帳と OCR 結果を申込データと入力チェック一覧にまとめます",
    persist_result=True,
)
def normalise_flow(params: NormaliseParams) -> NormaliseOutcome:
    logger = get_run_logger()
    known = load_nursery_file(params.nurseries) if params.nurseries else ()
    sources: list[tuple[str, tuple[Application, ...]]] = []
    nurseries: list[Nursery] = list(known)
    issues: list[LedgerIssue] = []
    # One step per ledger and one for the scanned forms: a big ledger is most of the step's time.
    progress = Progress(
        len(params.ledgers) + (params.readings is not None),
        label="申込データの作成 / normalising",
        unit="台帳・申込書 / sources",
        step=0.0,
    )
    for done, source in enumerate(params.ledgers, start=1):
        reading = read_ledger_file(source, known, params.city, params.round)
        sources.append((str(source.ledger), reading.applications))
        nurseries.extend(reading.nurseries)
        issues.extend(reading.issues)
        progress.update(done)
    if params.readings is not None:
        templates_dir = params.templates_dir or DEFAULT_TEMPLATES
        readings, problems = corrected_readings(params.readings, params.review_queue, templates_dir)
        form_applications, form_issues = canonical_from_forms(
            readings, templates_dir, params.city, params.round
        )
        sources.append(("OCR", form_applications))
        issues.extend(form_issues)
        issues.extend(review_problem(p) for p in problems)
        progress.update(len(params.ledgers) + 1)
    applications, unique_nurseries, conflicts = merge_records(sources, nurseries)
    issues.extend(conflicts)
    paths = write_records(applications, unique_nurseries, tuple(issues), params.out_dir)
    by_severity = Counter(issue.severity.value for issue in issues)
    children = sum(len(a.children) for a in applications)
    publish_markdown(
        "# 申込データ / normalised records\n\n"
        f"- 申込 / applications: **{len(applications)}** (児童 / children {children})\n"
        f"- 施設 / nurseries: {len(unique_nurseries)}\n"
        f"- 入力チェック / issues: error {by_severity['error']}, warning {by_severity['warning']}, "
        f"info {by_severity['info']}\n"
        f"- 出典 / sources: " + ", ".join(f"{Path(name).name} {len(apps)}" for name, apps in sources) + "\n",
        key="normalise-summary",
        description="申込データの件数 / record counts",
    )
    logger.info("申込 %d 件, 入力チェック %d 件 / applications, issues", len(applications), len(issues))
    outcome = NormaliseOutcome(
        applications=paths[0],
        nurseries=paths[1],
        issues=paths[2],
        applications_count=len(applications),
        issues_count=len(issues),
    )
    record_normalise(params, outcome)
    return outcome
