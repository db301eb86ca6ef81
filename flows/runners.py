"""Task runners for the page-parallel steps: one PC by default, a Dask cluster for big batches."""

from __future__ import annotations

from typing import Any

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect_dask import DaskTaskRunner

from flows.params import ScaleOut

# Below this many scan files a Dask LocalCluster costs more to start (several seconds, a process per
# worker) than it saves; threads on this PC read them as fast.
DASK_FROM_FILES = 40


def task_runner_for(scale: ScaleOut, files: int = DASK_FROM_FILES) -> TaskRunner[Any]:
    """The runner `scale` asks for ("auto": threads for a small batch, Dask for a large one); the flow
    code that maps over pages stays the same."""
    if scale.runner == "threads" or (
        scale.runner == "auto" and not scale.dask_address and files < DASK_FROM_FILES
    ):
        return ThreadPoolTaskRunner(max_workers=scale.workers)
    if scale.dask_address:
        return DaskTaskRunner(address=scale.dask_address)
    # OCR is CPU bound and Tesseract runs in its own process anyway: one thread per worker process.
    cluster_kwargs: dict[str, object] = {
        "threads_per_worker": 1,
        "processes": True,
        "dashboard_address": None,
    }
    if scale.workers:
        cluster_kwargs["n_workers"] = scale.workers
    return DaskTaskRunner(cluster_class="distributed.LocalCluster", cluster_kwargs=cluster_kwargs)
