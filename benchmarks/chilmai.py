"""Side by side with ChilmAI (issue 23): the same generated pattern city, both results judged by our checker.

ChilmAI (CyberAgent's open-source CP-SAT nursery matcher) is not a dependency and none of its code is in
this repository: the harness takes a path to a checkout and the Python interpreter of a separate
environment that can import it (ChilmAI pins pandas and OR-Tools 9.8). Per city size it

1. generates the pattern city (samples/patterncity, the one `bodx bench match --family patterns` uses);
2. runs our engine in a fresh interpreter through `matching.optimizer.solve_with_stats`, as the match
   benchmark does (`python -m benchmarks.chilmai CITY OUT TIME_LIMIT WORKERS`);
3. writes the city in ChilmAI's input format (benchmarks/chilmai_format.py says how every field is
   mapped) and runs ChilmAI's `MatchingService.match` with its own interpreter
   (benchmarks/chilmai_runner.py), bounded by a wall-clock timeout;
4. reads ChilmAI's assignment back into our ids and judges both assignments with
   `matching.checker.check_assignments`: blocking coalitions by our definitions, children placed,
   violations (capacity, a family outcome our condition does not accept, a transfer child without a
   seat, …), wall and CPU seconds.

The two engines do not optimise the same thing, so the figures are not a race:

- ChilmAI requires zero blocking coalitions by its own definition (a hard constraint) and then
  maximises the children placed; when no assignment is stable by its definition it reports
  INFEASIBLE and gives no assignment. We minimise blocking coalitions by our definition, then maximise
  placed children, then the preference-rank sum, and always give an assignment.
- Blocking of a sibling family. ChilmAI lets a family block with a better outcome when, per nursery
  and age class, (children outside the family at that nursery with priority above the family's
  lowest-priority sibling there) + (siblings there) <= seats: one threshold, the lowest sibling's. We
  use Hall's condition per entrant (checker_families.py): each entering sibling needs a seat among the
  free seats, its siblings' seats and the seats of lower-priority children. A higher-priority sibling
  can displace a child the lowest sibling cannot, so we find coalitions ChilmAI does not: a
  ChilmAI-stable assignment can block by ours. 同保同時 groups without transfers and 別保順次希 groups of
  distinct age classes are, for us, one unit and individuals (checker.py); ChilmAI treats every
  household as a family. Both count a single child the same way.
- Order of a family's outcomes (matching/optimizer/families.py). ChilmAI's パターン 2 / 3 put the
  elder-first / younger-first mask before the number of children placed; ours puts the number placed
  first, then the mask. With two children the two orders agree; with four, ChilmAI prefers the two
  eldest (1,1,0,0) to the eldest and both youngest (1,0,1,1), we the other way round. For パターン 3
  ChilmAI breaks the last tie by the children's ranks youngest first, we eldest first. Otherwise
  (patterns 1, 4–7 and combination lists) the orders are the same: ChilmAI's rank product counts an
  unplaced child as rank 99, which changes nothing among outcomes with the same number placed.
- Priorities are mapped exactly (each nursery's order is ours; see chilmai_format.py); so are
  capacities, transfers (a transfer child's seat is added to its class and it ranks first there) and
  combination lists.
- Time limits differ in kind: ours is end to end; ChilmAI's `max_time_seconds` is per CP-SAT attempt
  and it retries once with ten times the limit, so the harness also kills it after `timeout` seconds.
  ChilmAI fixes 8 CP-SAT workers; the runner sets them to `chilmai_workers` (default 2). When CP-SAT
  finds no zero-blocking assignment before the limit (status UNKNOWN), ChilmAI stops with an error
  and no assignment (reported here as `no_solution_in_time`); `chilmai_time_limit` gives it longer.
- Cost. ChilmAI builds its model in Python and finds each child by a linear search over all children
  (`get_agent`, `next(c for c in children if c.id == …)` in CP_agents.py), for every family, outcome,
  nursery and age class, and builds it again to verify the result: its build time grows about with the
  square of the number of children, while CP-SAT's own search is a small part of its time.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.chilmai_format import ConversionError, assignments_from_chilmai, read_csv, to_chilmai
from benchmarks.fresh import own_peak_rss_mb
from benchmarks.match import city_path
from matching.checker import CheckReport, check_assignments
from matching.instance import Instance, load_instance

RUNNER = Path(__file__).with_name("chilmai_runner.py")


@dataclass(frozen=True)
class Settings:
    checkout: Path
    python: Path
    seed: int = 1
    time_limit: float = 60.0  # ours end to end; ChilmAI's max_time_seconds per attempt
    workers: int = 1  # ours (as `bodx bench match`)
    chilmai_workers: int = 2
    chilmai_time_limit: float | None = None  # ChilmAI's max_time_seconds when not time_limit
    timeout: float = 1800.0  # wall seconds before ChilmAI's process is killed
    density: float = 0.15
    transfers: float = 0.05
    cache: Path = Path("out/bench-cache")


def chilmai_python(checkout: Path, python: Path | None = None) -> Path:
    """The interpreter that runs ChilmAI: `python`, else $BODX_CHILMAI_PYTHON, else the checkout's own
    `uv sync` environment (CHECKOUT/.venv); it need not exist (the caller says what to do then)."""
    env = os.environ.get("BODX_CHILMAI_PYTHON")
    return python or (Path(env) if env else checkout / ".venv" / "bin" / "python")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(
    command: list[str], timeout: float | None, env: Mapping[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str] | None, float, float]:
    """Run a process; (the finished process or None after the timeout, its wall seconds, its CPU seconds)."""
    cpu0, t0 = _children_cpu(), time.perf_counter()
    try:
        done: subprocess.CompletedProcess[str] | None = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=timeout, env=env
        )
    except subprocess.TimeoutExpired:
        done = None  # subprocess.run killed it and waited, so its CPU is in RUSAGE_CHILDREN
    return done, round(time.perf_counter() - t0, 3), round(_children_cpu() - cpu0, 3)


def judge(instance: Instance, assignments: Mapping[str, str | None]) -> dict[str, Any]:
    """Our checker's verdict on one assignment, as counts."""
    report: CheckReport = check_assignments(instance, assignments)
    apps = {a.id: a for a in instance.applications}
    group_size = Counter(a.sibling_group for a in instance.applications if a.sibling_group is not None)
    kinds: Counter[str] = Counter()
    for coalition in report.blocking:  # by the sibling condition of the coalition's group
        first = apps[coalition.applicants[0]]
        in_group = first.sibling_group is not None and group_size[first.sibling_group] > 1
        kinds[str(first.sibling_condition) if in_group and first.sibling_condition else "individual"] += 1
    return {
        "placed": sum(1 for v in assignments.values() if v is not None),
        "newly_placed": sum(
            1 for cid, v in assignments.items() if v is not None and v != apps[cid].current_nursery
        ),
        "blocking": len(report.blocking),
        "blocking_by_kind": dict(sorted(kinds.items())),
        "violations": len(report.violations),
        "violation_examples": list(report.violations[:3]),
        "checker_ok": report.ok,
    }


def run_ours(
    city: Path, instance: Instance, out: Path, settings: Settings
) -> tuple[dict[str, Any], dict[str, str | None]]:
    from matching.result import load_result

    command = [sys.executable, "-m", "benchmarks.chilmai", str(city), str(out)]
    done, wall, cpu = _run([*command, str(settings.time_limit), str(settings.workers)], None)
    if done is None or done.returncode != 0:
        raise RuntimeError(f"our engine failed: {done.stderr.strip()[-800:] if done else 'timeout'}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result = load_result(out)
    figures.update(process_wall_seconds=wall, process_cpu_seconds=cpu, workers=settings.workers)
    figures.update(judge(instance, result.assignments))
    return figures, result.assignments


def run_chilmai(instance: Instance, work: Path, settings: Settings) -> dict[str, Any]:
    files = to_chilmai(instance)
    (work / "children.csv").write_bytes(files.children_csv)
    (work / "daycares.csv").write_bytes(files.daycares_csv)
    if files.combination_csv is not None:
        (work / "combination.csv").write_bytes(files.combination_csv)
    ids = [a.id for a in instance.applications]
    written = [row["申請者番号"] for row in read_csv(files.children_csv)]
    command = [str(settings.python), str(RUNNER), str(settings.checkout), str(work)]
    own_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # ChilmAI's interpreter, not ours
    done, wall, cpu = _run(
        [*command, str(settings.chilmai_time_limit or settings.time_limit), str(settings.chilmai_workers)],
        settings.timeout,
        own_env,
    )
    figures: dict[str, Any] = {
        "households": files.households,
        "sibling_households": files.sibling_households,
        "combination_households": len(instance.sibling_combinations),
        "process_wall_seconds": wall,
        "process_cpu_seconds": cpu,
        "workers": settings.chilmai_workers,
        "time_limit": settings.chilmai_time_limit or settings.time_limit,
    }
    if done is None:
        return {**figures, "status": "killed", "message": f"no result within {settings.timeout:g} s (killed)"}
    result_file = work / "chilmai-result.json"
    if done.returncode != 0 or not result_file.exists():
        return {**figures, "status": "crashed", "message": done.stderr.strip()[-800:]}
    reported: dict[str, Any] = json.loads(result_file.read_text(encoding="utf-8"))
    raw = reported.pop("assignments")
    figures.update(reported)
    if raw is not None:
        try:
            assignments = assignments_from_chilmai(instance, raw)
        except ConversionError as exc:
            return {**figures, "status": "unreadable", "message": str(exc), "ids_round_trip": False}
        figures["ids_round_trip"] = written == ids  # the result's ids were checked just above
        figures.update(judge(instance, assignments))
        figures["assignments"] = assignments  # dropped before printing; compared with ours
    return figures


def compare(size: int, settings: Settings) -> dict[str, Any]:
    """Both engines on the pattern city of `size` children; the figures of both."""
    city = city_path("patterns", size, settings.seed, settings.cache, settings.density, settings.transfers)
    instance = load_instance(city)
    with tempfile.TemporaryDirectory(prefix="bodx-chilmai-") as tmp:  # 0700: holds the city's CSV files
        work = Path(tmp)
        ours, ours_assignments = run_ours(city, instance, work / "ours-result.json", settings)
        theirs = run_chilmai(instance, work, settings)
    row: dict[str, Any] = {
        "applicants": len(instance.applications),
        "nurseries": len(instance.nurseries),
        "load": [round(v, 2) for v in os.getloadavg()],
        "ours": ours,
        "chilmai": theirs,
    }
    their_assignments = theirs.pop("assignments", None)
    if their_assignments is not None:
        row["same_outcome"] = sum(1 for cid, v in their_assignments.items() if ours_assignments.get(cid) == v)
    return row


def measure(city: Path, out: Path, time_limit: float, workers: int) -> dict[str, Any]:
    """Our side, in a fresh interpreter: load and solve (the timed span), then write the result."""
    from matching.optimizer import solve_with_stats
    from matching.result import save_result

    cpu0, t0 = time.process_time(), time.perf_counter()
    instance = load_instance(city)
    result, stats = solve_with_stats(instance, (), time_limit, workers=workers)
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0  # every thread, CP-SAT's included
    save_result(result, out)
    return {
        "status": result.status,
        "blocking_placed_status": stats.stage1_status,
        "engine_blocking": len(result.blocking),
        "blocking_bound": result.blocking_bound,
        "wall_seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "peak_rss_mb": own_peak_rss_mb(),
    }


if __name__ == "__main__":
    figures = measure(Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]))
    print(json.dumps(figures, ensure_ascii=False))
