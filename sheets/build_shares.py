"""Build the applications of every grouped draft; a big ledger's records are prepared on several cores.

Preparing a record (guardians, hours, preferences, children, origin cells: sheets.build) is most of the
work and depends on its own draft only, so forked workers prepare shares of the drafts. Validation and
the duplicate child id check need the drafts in order, so this process does them for every draft, in
draft order, with each draft's issues and held entry put back where one process would have reported
them: the reading is the same whichever way it was made.
"""

from __future__ import annotations

import copy
from typing import Any

from matching.records import Application
from sheets.assemble import Draft, Reporter
from sheets.build import RecordBuilder
from sheets.forked import process_count, run_forked

PARALLEL_MIN_DRAFTS = 20_000
OWN_SHARE = 0.05  # of the drafts, prepared here: finishing every record is this process's main work
JOBS_PER_WORKER = 16  # the records come back in this many parts, each finished while the next is prepared

# What a worker sends back per draft: the prepared record (None: held), the issues and held entries
# reported while preparing it.
_Prepared = tuple[dict[str, object] | None, tuple[Any, ...], tuple[Any, ...]]
_NOTHING: tuple[Any, ...] = ()


def build_applications(builder: RecordBuilder, drafts: list[Draft]) -> list[Application]:
    """The applications of `drafts` in order (held ones are in `builder.held`, issues in its reporter)."""
    processes = process_count() if len(drafts) >= PARALLEL_MIN_DRAFTS else 1
    if processes < 2:
        return [a for a in map(builder.build, drafts) if a is not None]
    cuts = job_cuts(len(drafts), processes - 1)
    applications: list[Application] = []
    taken = [0]  # jobs whose records have been finished

    def prepare(index: int) -> list[_Prepared]:  # runs in a forked worker
        worker = copy.copy(builder)
        worker.reporter, worker.held = Reporter(builder.reporter.file), []
        issues, held = worker.reporter.issues, worker.held
        prepared: list[_Prepared] = []
        for draft in drafts[cuts[index + 1] : cuts[index + 2]]:
            record = worker.prepare(draft)
            if issues or held:
                prepared.append((record, tuple(issues), tuple(held)))
                issues.clear()
                held.clear()
            else:
                prepared.append((record, _NOTHING, _NOTHING))
        return prepared

    def own() -> None:
        applications.extend(a for a in map(builder.build, drafts[: cuts[1]]) if a is not None)

    def finish(prepared: list[_Prepared]) -> None:
        taken[0] += 1
        part = drafts[cuts[taken[0]] : cuts[taken[0] + 1]]
        for draft, (record, issues, held) in zip(part, prepared, strict=True):
            builder.reporter.issues.extend(issues)
            builder.held.extend(held)
            if record is not None:
                application = builder.finish(draft, record)
                if application is not None:
                    applications.append(application)

    run_forked(prepare, len(cuts) - 2, processes - 1, own, finish)
    return applications


def job_cuts(count: int, workers: int) -> list[int]:
    """Where the parts of `count` drafts start and end: this process's own share first, then the jobs."""
    own = round(count * OWN_SHARE)
    jobs = max(1, min(workers * JOBS_PER_WORKER, count - own))
    return [0, *(own + round((count - own) * job / jobs) for job in range(jobs + 1))]
