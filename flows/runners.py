"""Task runners for the page-parallel steps: one PC by default, a Dask cluster for big batches."""

from __future__ import annotations

from typing import Any

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner
from prefect_dask import DaskTaskRunner

from flows.params import ScaleOut


def task_runner_for(scale: ScaleOut) -> TaskRunner[Any]:
    """The runner `scale` asks for; the flow code that maps over pages stays the same."""
    if scale.runner == "threads":
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
