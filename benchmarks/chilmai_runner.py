"""Run ChilmAI's matcher on the CSV files of benchmarks/chilmai_format.py; run by ChilmAI's own Python.

    python chilmai_runner.py CHECKOUT WORKDIR TIME_LIMIT WORKERS

This file runs in ChilmAI's interpreter (its own venv), not ours: it imports only the standard library
and ChilmAI (from CHECKOUT), through ChilmAI's documented entry point `MatchingService.match` with its
`DEFAULT_CONFIG` mapping (docs/api/python.md). It reads children.csv, daycares.csv and, when present,
combination.csv from WORKDIR and writes WORKDIR/chilmai-result.json: status, message, the assignment
(申請者番号 → 保育所ID or null), wall and CPU seconds of the match call and the peak resident size.

TIME_LIMIT is ChilmAI's `max_time_seconds` (per CP-SAT attempt; ChilmAI retries once with ten times the
limit when the first attempt is not proven optimal). ChilmAI fixes `num_search_workers = 8` in its
CP_algo.py and has no setting for it; to keep the run bounded this runner hands it a CpSolver whose
Solve first sets the worker count to WORKERS (ChilmAI's code is not changed).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any


def _bound_workers(workers: int) -> None:
    from ortools.sat.python import cp_model

    base = cp_model.CpSolver

    class BoundedSolver(base):  # type: ignore[misc, valid-type]
        def Solve(self, model: Any, *args: Any, **kwargs: Any) -> Any:  # ortools' method name
            self.parameters.num_search_workers = workers
            return super().Solve(model, *args, **kwargs)

    cp_model.CpSolver = BoundedSolver  # type: ignore[misc]


def _status_of(exc: BaseException) -> str:
    """ChilmAI's failure, by its error code (chilmai/generic/error_codes.py) where it has one."""
    code = getattr(exc, "code", None)
    name = getattr(code, "name", "") or ""
    if isinstance(exc, ValueError) and type(exc).__name__ == "ValueError":
        return "invalid_input"
    cause = exc.__cause__.args[0] if exc.__cause__ is not None and exc.__cause__.args else None
    if name == "SOLVER_UNEXPECTED_STATUS" and cause == 0:
        # CP-SAT's UNKNOWN: the time limit passed before any assignment with zero blocking (by
        # ChilmAI's definition) was found; ChilmAI gives up at once (it retries only FEASIBLE).
        return "no_solution_in_time"
    return {
        "SOLVER_INFEASIBLE": "infeasible",
        "SOLVER_TIMEOUT": "timeout",
        "SOLVER_VERIFICATION_FAILED": "verification_failed",
        "SOLVER_UNEXPECTED_STATUS": "solver_error",
    }.get(name, "error")


def _peak_rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def run(checkout: Path, workdir: Path, time_limit: float, workers: int) -> dict[str, Any]:
    sys.path.insert(0, str(checkout))
    _bound_workers(workers)
    from chilmai.generic.config import DEFAULT_CONFIG
    from chilmai.generic.service import MatchingService

    combination = workdir / "combination.csv"
    extra: dict[str, Any] = {}
    if combination.exists():
        extra = {"combination_file_bytes": combination.read_bytes(), "combination_file_format": "csv"}
    figures: dict[str, Any] = {"assignments": None, "message": None}
    cpu0, t0 = time.process_time(), time.perf_counter()
    try:
        result = MatchingService().match(
            children_file_bytes=(workdir / "children.csv").read_bytes(),
            children_file_format="csv",
            daycares_file_bytes=(workdir / "daycares.csv").read_bytes(),
            daycares_file_format="csv",
            mapping=DEFAULT_CONFIG,
            solver_config={"max_time_seconds": time_limit},
            **extra,
        )
    except Exception as exc:  # ChilmAI's own failure is a result to report, not a crash of the runner
        figures["status"] = _status_of(exc)
        detail = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], dict) else None
        errors = [e.get("message", "") for e in (detail or {}).get("errors", [])][:3]
        figures["message"] = f"{type(exc).__name__}: {exc.args[0] if exc.args else exc}" + (
            f" {errors}" if errors else ""
        )
    else:
        figures["status"] = "optimal" if result.get("meta", {}).get("is_optimal") else "feasible"
        figures["assignments"] = result["matching_result_dict"]
        figures["matched_total"] = result.get("matched_children", {}).get("total")
    figures["wall_seconds"] = round(time.perf_counter() - t0, 3)
    figures["cpu_seconds"] = round(time.process_time() - cpu0, 3)  # every thread, CP-SAT's included
    figures["peak_rss_mb"] = _peak_rss_mb()
    figures["workers"] = workers
    return figures


if __name__ == "__main__":
    where = Path(sys.argv[2])
    out = run(Path(sys.argv[1]), where, float(sys.argv[3]), int(sys.argv[4]))
    (where / "chilmai-result.json").write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
