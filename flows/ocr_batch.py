"""OCR mapped over scan files, on whichever task runner the batch needs.

The subflow's code is the same for threads, a LocalCluster and a remote Dask scheduler; only the runner
passed to `with_options` changes. Readings carry personal data: never persisted, never cached.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from prefect import flow, get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed

from flows.artifacts import Progress
from flows.params import ScaleOut
from flows.runners import task_runner_for
from ocr.pipeline import read_file
from ocr.readings import PageReading
from ocr.template import FormTemplate, load_templates


@cache
def _templates(templates_dir: str) -> tuple[FormTemplate, ...]:
    # Loaded once per worker process, not once per page.
    return load_templates(sorted(Path(templates_dir).glob("*.toml")))


@task(persist_result=False, cache_policy=NO_CACHE, task_run_name="ocr-{scan.name}")
def ocr_file(scan: Path, templates_dir: Path) -> list[PageReading]:
    """Every page of one scan file (a bad page comes back with its status, it never raises)."""
    return read_file(scan, _templates(str(templates_dir)))


@flow(name="ocr-pages", persist_result=False, log_prints=False)
def ocr_pages(scans: list[Path], templates_dir: Path) -> list[PageReading]:
    """Read every scan, updating a progress artifact as files finish; readings come back in input order."""
    logger = get_run_logger()
    progress = Progress(len(scans), description=f"OCR 読み取り進捗 / OCR progress ({len(scans)} files)")
    futures = ocr_file.map(scans, unmapped(templates_dir))
    for done, _ in enumerate(as_completed(list(futures)), start=1):
        progress.update(done)
    readings = [page for future in futures for page in future.result()]
    logger.info("OCR: %d ファイル, %d ページ / files, pages", len(scans), len(readings))
    return readings


def read_scans(scans: list[Path], templates_dir: Path, scale: ScaleOut) -> list[PageReading]:
    """Run `ocr_pages` on the runner `scale` names (a subflow when called inside a flow)."""
    return ocr_pages.with_options(task_runner=task_runner_for(scale))(scans, templates_dir)
