"""`bodx bench chilmai`: our engine and ChilmAI side by side on the same pattern city (issue 23); the
harness itself, which needs generated cities and a ChilmAI checkout, lives in benchmarks/chilmai.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bodx.app import bench_app
from bodx.timing import emit


def _interpreter(python: Path | None, checkout: Path) -> Path:
    from benchmarks.chilmai import chilmai_python

    chosen = chilmai_python(checkout, python)
    if not chosen.exists():
        raise typer.BadParameter(
            f"ChilmAI の Python がありません / no ChilmAI interpreter at {chosen}: pass --python (a venv with "
            "ChilmAI's dependencies: pandas, ortools 9.8) or set BODX_CHILMAI_PYTHON"
        )
    return chosen


def _line(side: str, figures: dict[str, Any]) -> str:
    if "blocking" not in figures:  # no assignment to judge
        first = str(figures.get("message") or "").splitlines()[:1]
        return (
            f"    {side:<8} {figures['status']}: {first[0] if first else ''} (process "
            f"{figures['process_wall_seconds']} s wall / {figures['process_cpu_seconds']} s CPU)"
        )
    kinds = ", ".join(f"{k} {v}" for k, v in figures["blocking_by_kind"].items()) or "none"
    problems = f"{figures['violations']} violations" + (
        f" (e.g. {figures['violation_examples'][0]})" if figures["violations"] else ""
    )
    return (
        f"    {side:<8} {figures['status']}: blocking {figures['blocking']} ({kinds}), placed "
        f"{figures['placed']} (new {figures['newly_placed']}), {problems}; {figures['wall_seconds']} s wall, "
        f"{figures['cpu_seconds']} s CPU (process {figures['process_wall_seconds']} s / "
        f"{figures['process_cpu_seconds']} s CPU), peak RSS {figures['peak_rss_mb']} MB, "
        f"{figures['workers']} workers"
        + (f", time limit {figures['time_limit']:g} s" if "time_limit" in figures else "")
    )


@bench_app.command("chilmai")
def bench_chilmai(
    checkout: Annotated[
        Path, typer.Option(help="a ChilmAI checkout (its chilmai/ package is imported from here)")
    ],
    python: Annotated[
        Path | None,
        typer.Option(
            help="Python that can import ChilmAI's dependencies (default $BODX_CHILMAI_PYTHON, else CHECKOUT/.venv)"
        ),
    ] = None,
    sizes: Annotated[str, typer.Option(help="comma-separated numbers of children")] = "1589,8000",
    seed: Annotated[int, typer.Option(help="city generator seed")] = 1,
    time_limit: Annotated[
        float, typer.Option(min=0.1, help="ours: end to end; ChilmAI: max_time_seconds per attempt")
    ] = 60.0,
    workers: Annotated[int, typer.Option(min=1, help="our CP-SAT workers")] = 1,
    chilmai_workers: Annotated[int, typer.Option(min=1, help="ChilmAI's CP-SAT workers (it fixes 8)")] = 2,
    chilmai_time_limit: Annotated[
        float | None, typer.Option(min=0.1, help="ChilmAI's max_time_seconds (default: --time-limit)")
    ] = None,
    timeout: Annotated[
        float, typer.Option(min=1.0, help="wall seconds before ChilmAI's run is killed")
    ] = 1800.0,
    cache: Annotated[Path, typer.Option(help="generated cities are kept here")] = Path("out/bench-cache"),
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Per size: the pattern city in ChilmAI's format, both engines run, both assignments judged by our
    checker (blocking coalitions by our definitions, placed, violations, wall and CPU seconds)."""
    from benchmarks.chilmai import Settings, compare

    if not (checkout / "chilmai" / "generic" / "service.py").exists():
        raise typer.BadParameter(
            f"--checkout: no ChilmAI checkout at {checkout} (chilmai/generic/service.py)"
        )
    try:
        counts = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError as exc:
        raise typer.BadParameter("--sizes: comma-separated integers, e.g. 1589,8000") from exc
    settings = Settings(
        checkout=checkout.resolve(),
        python=_interpreter(python, checkout),
        seed=seed,
        time_limit=time_limit,
        workers=workers,
        chilmai_workers=chilmai_workers,
        chilmai_time_limit=chilmai_time_limit,
        timeout=timeout,
        cache=cache,
    )
    runs = []
    lines = []
    for size in counts:
        row = compare(size, settings)
        runs.append(row)
        same = row.get("same_outcome")
        lines.append(
            f"{row['applicants']:>6} children, {row['nurseries']} nurseries (load {row['load']})"
            + (f"; same outcome for {same} children" if same is not None else "")
        )
        lines.append(_line("ours", row["ours"]))
        lines.append(_line("ChilmAI", row["chilmai"]))
    header = {"seed": seed, "time_limit": time_limit, "timeout": timeout, "family": "patterns"}
    emit({**header, "runs": runs}, as_json, lines)
    if not all(r["ours"]["checker_ok"] for r in runs):
        raise typer.Exit(code=1)


__all__ = ["bench_chilmai"]
