"""OCR mapped over scan files, on whichever task runner the batch needs.

The subflow's code is the same for threads, a LocalCluster and a remote Dask scheduler; only the runner
passed to `with_options` changes. Readings carry personal data: never persisted, never cached.
"""

from __future__ import annotations

import os
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
from ocr.template import FormTemplate, load_template_folder


@cache
def _templates(templates_dir: str) -> tuple[FormTemplate, ...]:
    # Loaded once per worker process, not once per page.
    return load_template_folder(Path(templates_dir))


MOST_FILES_PER_TASK = 8  # a task of a few seconds: progress still moves, a retry repeats little


def file_batches(scans: list[Path], parallelism: int) -> list[list[Path]]:
    """Consecutive runs of scan files, one task each. A task costs the Prefect server a few API calls
    (about a quarter of a second of CPU on a small PC), as much as reading a page, so a big batch goes in
    runs of files; at least four runs per parallel worker keep the workers evenly busy."""
    size = max(1, min(MOST_FILES_PER_TASK, len(scans) // (4 * max(parallelism, 1))))
    return [scans[i : i + size] for i in range(0, len(scans), size)]


def _run_name() -> str:
    """`ocr-page_0009.jpg (+7)`: the first file of the run and how many follow it."""
    from prefect.runtime import task_run

    scans = task_run.parameters["scans"]
    return f"ocr-{scans[0].name}" + (f" (+{len(scans) - 1})" if len(scans) > 1 else "")


@task(persist_result=False, cache_policy=NO_CACHE, task_run_name=_run_name)
def ocr_files(scans: list[Path], templates_dir: Path) -> list[PageReading]:
    """Every page of some scan files (a bad page comes back with its status, it never raises)."""
    templates = _templates(str(templates_dir))
    return [page for scan in scans for page in read_file(scan, templates)]


@flow(name="ocr-pages", persist_result=False, log_prints=False)
def ocr_pages(scans: list[Path], templates_dir: Path, parallelism: int = 2) -> list[PageReading]:
    """Read every scan, updating a progress artifact as files finish; readings come back in input order."""
    logger = get_run_logger()
    progress = Progress(len(scans), label="OCR 読み取り / OCR", unit="ファイル / files")
    batches = file_batches(scans, parallelism)
    futures = ocr_files.map(batches, unmapped(templates_dir))
    sizes = {id(future): len(batch) for future, batch in zip(futures, batches, strict=True)}
    done = 0
    for future in as_completed(list(futures)):
        done += sizes[id(future)]
        progress.update(done)
    readings = [page for future in futures for page in future.result()]
    logger.info("OCR: %d ファイル, %d ページ / files, pages", len(scans), len(readings))
    return readings


def read_scans(scans: list[Path], templates_dir: Path, scale: ScaleOut) -> list[PageReading]:
    """Run `ocr_pages` on the runner `scale` names (a subflow when called inside a flow)."""
    parallelism = scale.workers or os.cpu_count() or 1
    runner = task_runner_for(scale, files=len(scans))
    return ocr_pages.with_options(task_runner=runner)(scans, templates_dir, parallelism)
