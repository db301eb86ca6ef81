"""Intake: a folder of scans -> OCR readings and the review queue staff correct (the nightly job)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.artifacts import publish_markdown
from flows.audit_trail import record_intake
from flows.errors import StepInputError
from flows.ocr_batch import read_scans
from flows.params import IntakeOutcome, IntakeParams
from flows.paths import DEFAULT_TEMPLATES, intake_dir
from flows.policy import IO_RETRIES, IO_RETRY_DELAY_SECONDS
from ocr.loading import scan_files
from ocr.readings import PageReading
from ocr.review import write_review
from ocr.store import save_readings


@task(retries=IO_RETRIES, retry_delay_seconds=IO_RETRY_DELAY_SECONDS, cache_policy=NO_CACHE)
def find_scans(scans_dir: Path) -> list[Path]:
    if not scans_dir.is_dir():
        raise StepInputError(
            f"スキャンフォルダ {scans_dir} がありません / the scans folder {scans_dir} does not exist"
        )
    return scan_files([scans_dir])


@task(
    retries=IO_RETRIES,
    retry_delay_seconds=IO_RETRY_DELAY_SECONDS,
    persist_result=False,
    cache_policy=NO_CACHE,
)
def store_readings(readings: list[PageReading], out_dir: Path) -> tuple[Path, Path, int]:
    """readings.json for the normalise step and review.xlsx (fields waiting for staff)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    readings_path = save_readings(readings, out_dir / "readings.json")
    review_path = out_dir / "review.xlsx"
    rows = write_review(readings, review_path)
    return readings_path, review_path, rows


@flow(
    name="intake",
    description="スキャンした申込書を OCR で読み取り、確認シートを作ります",
    persist_result=True,
)
def intake_flow(params: IntakeParams) -> IntakeOutcome:
    logger = get_run_logger()
    out_dir = params.out_dir or intake_dir()
    scans = find_scans(params.scans_dir)
    readings = read_scans(scans, params.templates_dir or DEFAULT_TEMPLATES, params.scale) if scans else []
    readings_path, review_path, review_rows = store_readings(readings, out_dir)
    by_status = Counter(r.status.value for r in readings)
    publish_markdown(
        "# OCR 取込 / intake\n\n"
        f"- ファイル / files: {len(scans)}, ページ / pages: {len(readings)}\n"
        + "".join(f"- {status}: {count}\n" for status, count in sorted(by_status.items()))
        + f"- 確認が必要な項目 / fields to review: **{review_rows}** (`{review_path}`)\n",
        key="intake-summary",
        description="OCR 取込の件数 / intake counts",
    )
    logger.info("取込 %d ページ, 確認待ち %d 項目 / pages read, fields to review", len(readings), review_rows)
    outcome = IntakeOutcome(
        readings=readings_path,
        review_queue=review_path,
        pages=len(readings),
        fields_to_review=review_rows,
        pages_by_status=dict(sorted(by_status.items())),
    )
    record_intake(params.scans_dir, params.templates_dir or DEFAULT_TEMPLATES, outcome)
    return outcome
