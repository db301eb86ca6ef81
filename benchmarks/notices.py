"""The notices benchmark: a generated city of N households, matched, then every letter composed and printed.

The generated city has no contact data (its ledger has no address column), so each household gets an
invented postal code and address here, from its own random stream. Run in a fresh interpreter
(`python -m benchmarks.notices HOUSEHOLDS SEED OUT`) so that the peak RSS it reports is this run's.

CPU seconds are reported for Python and for chromium apart (the machine may be shared: wall seconds
alone say little). Chromium's renderers are forked by its zygote, which nobody waits for: this process
becomes their "subreaper" (Linux) and reaps them, so that their CPU and memory count as its children's.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import json
import os
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.fresh import own_peak_rss_mb, run_module

CITY = "hinata"
_PR_SET_CHILD_SUBREAPER = 36


def _adopt_orphans() -> None:
    """Become the subreaper of the processes started from here (Linux; elsewhere nothing changes)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _reap_orphans(seconds: float = 10.0) -> None:
    """Wait for the adopted processes that are still ending (their usage then counts), at most `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _with_contacts(applications: list[Any], seed: int) -> list[Any]:
    rng = random.Random(seed * 7919 + 17)
    out = []
    for app in applications:
        household = app.household.model_copy(
            update={
                "postal_code": f"{rng.randrange(100, 999)}-{rng.randrange(10000):04d}",
                "address": f"ひなた市{rng.choice('東西南北中')}町{rng.randrange(1, 9)}丁目{rng.randrange(1, 30)}-{rng.randrange(1, 20)}",
            }
        )
        out.append(app.model_copy(update={"household": household}))
    return out


def measure(households: int, seed: int, out: Path) -> dict[str, Any]:
    from cityprofile import open_city
    from matching.deferred_acceptance import deferred_acceptance
    from matching.explain import explain_outcome
    from matching.result import MatchResult
    from matching.scoring import build_instance, load_rules
    from notices import compose_letters, write_notices
    from samples.citygen.generate import generate_city

    city = open_city(CITY)
    # About 1.05 children per household in the generated city: ask for enough children.
    generated = generate_city(round(households * 1.06), seed, city.profile.admission_year)
    applications = _with_contacts(list(generated.applications)[:households], seed)
    instance = build_instance(
        applications, generated.nurseries, load_rules(city.rules), city.profile.admission_year
    )
    assignments = deferred_acceptance(instance)
    result = MatchResult(
        status="feasible",
        assignments=assignments,
        placed=sum(1 for v in assignments.values() if v),
        explanations=explain_outcome(instance, assignments),
    )
    _adopt_orphans()
    load_before = os.getloadavg()[0]
    python_before, chromium_before = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    letters = compose_letters(applications, generated.nurseries, instance, result, city.profile)
    composed = time.perf_counter() - start
    files = write_notices(letters, city.profile, out, issued_on=dt.date(city.profile.admission_year, 2, 5))
    seconds = time.perf_counter() - start
    _reap_orphans()
    return {
        "households": files.count,
        "children": sum(len(letter.children) for letter in letters),
        "compose_seconds": round(composed, 2),
        "seconds": round(seconds, 2),
        "letters_per_second": round(files.count / seconds, 1),
        "peak_rss_mb": own_peak_rss_mb(),
        # Largest finished child (chromium's processes): an upper bound, as a child's ru_maxrss starts
        # from this process's size at the moment it was started (see benchmarks.fresh.own_peak_rss_mb).
        "chromium_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "python_cpu_seconds": round(_cpu(resource.RUSAGE_SELF) - python_before, 1),
        "chromium_cpu_seconds": round(_cpu(resource.RUSAGE_CHILDREN) - chromium_before, 1),
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],  # 1 min, before and after
    }


def run_in_process(households: int, seed: int, out: Path) -> dict[str, Any]:
    return run_module("benchmarks.notices", str(households), str(seed), str(out))


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))))
