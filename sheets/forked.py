"""Split bulk work of the ledger reader over the machine's cores with forked worker processes.

The workers inherit the job through a module global when they are forked, so the 100 MB of sheet XML
or the grouped rows are never pickled; only each job's result comes back (pickled, in order). The
calling process does its own part meanwhile and takes the results as they arrive, so a worker's next
job overlaps with this process's handling of the previous one. Where `fork` is not available (or there
is one core) callers do everything themselves, with the same result.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

MAX_PROCESSES = 4
T = TypeVar("T")

# The forked worker inherits its job through this global instead of pickling it.
_JOB: Callable[[int], Any] | None = None


def process_count() -> int:
    """How many processes (this one included) may share the work: 1 when forking is not possible, or
    not allowed (a daemonic process, such as a Dask worker, may not have children)."""
    if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_PROCESSES))


def _run(index: int) -> Any:
    assert _JOB is not None
    return _JOB(index)


def run_forked(
    job: Callable[[int], T], jobs: int, workers: int, own: Callable[[], None], take: Callable[[T], None]
) -> None:
    """`job(0)` … `job(jobs - 1)` in `workers` forked processes while `own()` runs here; then
    `take(result)` for every job in job order, each as soon as it has arrived. `own` and `take` may
    change this process's state; a job's changes stay in its worker."""
    global _JOB
    _JOB = job
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [pool.submit(_run, index) for index in range(jobs)]
            own()
            for future in futures:
                take(future.result())
    finally:
        _JOB = None
