"""`bodx match`: run the admission engine on an instance file; `bodx bench match`: time it end to end."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bodx.app import app, bench_app
from bodx.timing import emit, median

if TYPE_CHECKING:
    from matching.adjustments import StaffAdjustment


def _read_adjustments(path: Path) -> tuple[StaffAdjustment, ...]:
    """Staff adjustments from the review workbook (.xlsx) or a JSON list of adjustment records."""
    from pydantic import TypeAdapter, ValidationError

    from matching.adjustments import StaffAdjustment
    from matching.errors import InstanceError

    if path.suffix.lower() == ".xlsx":
        from sheets.adjustments import read_adjustments

        return read_adjustments(path)
    try:
        return TypeAdapter(tuple[StaffAdjustment, ...]).validate_json(path.read_bytes())
    except (OSError, ValidationError) as exc:
        raise InstanceError(
            f"調整ファイルが不正です / invalid adjustments file {path} (a JSON list of "
            f'{{"child_id", "kind": "固定"|"除外", "nursery"}} or the review .xlsx): {exc}'
        ) from exc


@app.command("match")
def match(
    instance: Annotated[
        Path, typer.Option(help="インスタンス / instance JSON (bodx samples city → city.json)")
    ],
    out: Annotated[Path, typer.Option(help="結果 / result JSON to write")],
    adjustments: Annotated[
        Path | None, typer.Option(help="調整 / staff adjustments: review .xlsx or JSON list")
    ] = None,
    time_limit: Annotated[
        float, typer.Option(min=0.1, help="制限時間（秒） / solver time limit in seconds")
    ] = 60.0,
    workers: Annotated[
        int, typer.Option(min=1, help="CP-SAT workers (1 is deterministic; more use interleaved search)")
    ] = 1,
    exact: Annotated[
        bool, typer.Option(help="let individual children block too and minimise over all assignments")
    ] = False,
) -> None:
    """Assign children to nurseries: fewest blocking coalitions, then most placed, then best choices."""
    from matching.errors import MatchingError
    from matching.instance import load_instance
    from matching.optimizer import solve_with_stats
    from matching.result import save_result

    started = time.perf_counter()
    try:
        loaded = load_instance(instance)
        adjust = _read_adjustments(adjustments) if adjustments is not None else ()
        result, stats = solve_with_stats(loaded, adjust, time_limit, workers=workers, exact=exact)
    except MatchingError as exc:
        typer.echo(f"エラー / error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    except Exception as exc:
        if type(exc).__module__.startswith("sheets"):
            typer.echo(f"エラー / error: {exc}", err=True)
            raise typer.Exit(code=2) from exc
        raise
    out.parent.mkdir(parents=True, exist_ok=True)
    save_result(result, out)
    elapsed = time.perf_counter() - started
    bound = "" if result.status != "feasible" else f" (proven lower bound {result.blocking_bound})"
    typer.echo(
        f"status {result.status}, placed {result.placed}/{len(result.assignments)} "
        f"(deferred acceptance {stats.placed_da}), blocking {len(result.blocking)}{bound}, "
        f"adjustment cost {result.adjustment_cost}, {elapsed:.2f} s → {out}"
    )
    if result.status == "infeasible":
        typer.echo(f"割当できません / infeasible: {result.message}", err=True)
        raise typer.Exit(code=3)


def _city(size: int, seed: int, cache: Path) -> Path:
    from samples.citygen.write import write_city

    folder = cache / f"city-{size}-seed{seed}"
    target = folder / "city.json"
    if not target.exists():
        write_city(folder, size, seed)
    return target


def _one_run(city: Path, time_limit: float) -> dict[str, Any]:
    from matching.checker import check_result
    from matching.deferred_acceptance import da_outcome
    from matching.instance import load_instance
    from matching.optimizer import solve_with_stats
    from matching.optimizer.compiled import compile_instance
    from matching.result import save_result

    cpu0 = time.process_time()
    t0 = time.perf_counter()
    instance = load_instance(city)
    t1 = time.perf_counter()
    result, stats = solve_with_stats(instance, (), time_limit)
    t2 = time.perf_counter()
    report = check_result(instance, result)
    t3 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        save_result(result, Path(tmp) / "result.json")
    t4 = time.perf_counter()
    cpu = time.process_time() - cpu0  # all threads of this process, CP-SAT's included
    comp = compile_instance(instance)
    d0 = time.perf_counter()
    da_outcome(comp)
    da_seconds = time.perf_counter() - d0
    return {
        "applicants": len(instance.applications),
        "build_seconds": round(stats.compile_seconds + stats.da_seconds + stats.build_seconds, 3),
        "solve_seconds": round(stats.solve_seconds, 3),
        "status": result.status,
        "blocking": len(result.blocking),
        "placed": result.placed,
        "placed_da": stats.placed_da,
        "checker_ok": report.ok,
        "blocking_bound": result.blocking_bound,
        "load_seconds": round(t1 - t0, 3),
        "check_seconds": round(t3 - t2, 3),
        "write_seconds": round(t4 - t3, 3),
        "da_seconds": round(da_seconds, 3),
        "total_seconds": round(t4 - t0, 3),
        "cpu_seconds": round(cpu, 3),
    }


@bench_app.command("match")
def bench_match(
    sizes: Annotated[str, typer.Option(help="comma-separated numbers of children")] = "1589,8000,30000,60000",
    seed: Annotated[int, typer.Option(help="city generator seed")] = 1,
    repeat: Annotated[int, typer.Option(min=1, help="runs per size; figures are medians")] = 1,
    time_limit: Annotated[float, typer.Option(min=0.1)] = 60.0,
    cache: Annotated[Path, typer.Option(help="generated cities are kept here")] = Path("out/bench-cache"),
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """End to end per size (load, build, solve, check, write) on generated cities, with the DA baseline."""
    try:
        counts = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError as exc:
        raise typer.BadParameter("--sizes: comma-separated integers, e.g. 1589,8000") from exc
    runs = []
    lines = []
    for size in counts:
        city = _city(size, seed, cache)
        samples = [_one_run(city, time_limit) for _ in range(repeat)]
        row = dict(samples[-1])
        for key in list(row):
            if key.endswith("_seconds"):
                row[key] = round(median([s[key] for s in samples]), 3)
        row["repeat"] = repeat
        runs.append(row)
        lines.append(
            f"{row['applicants']:>6} children: {row['status']}, blocking {row['blocking']} "
            f"(bound {row['blocking_bound']}), placed {row['placed']} (DA {row['placed_da']}), "
            f"checker {'ok' if row['checker_ok'] else 'FAILED'}; median total {row['total_seconds']} s "
            f"(load {row['load_seconds']}, build {row['build_seconds']}, solve {row['solve_seconds']}, "
            f"check {row['check_seconds']}, write {row['write_seconds']}; CPU {row['cpu_seconds']}); "
            f"DA alone {row['da_seconds']} s"
        )
    emit({"runs": runs}, as_json, lines)
    if not all(r["checker_ok"] for r in runs):
        raise typer.Exit(code=1)


__all__ = ["bench_match", "match"]
