"""`bodx match`: run the admission engine on an instance file; `bodx bench match`: time it end to end
(the benchmark itself, which needs generated cities, lives in benchmarks/match.py)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bodx.app import app, bench_app
from bodx.commands.audit import AuditLogOption, record_match
from bodx.progress import working
from bodx.timing import emit, median

if TYPE_CHECKING:
    from matching.adjustments import StaffAdjustment


def _read_adjustments(path: Path) -> tuple[StaffAdjustment, ...]:
    """Staff adjustments from the review workbook (.xlsx) or a JSON list of adjustment records."""
    from pydantic import TypeAdapter, ValidationError

    from bodx.commands.options import read_json_bytes
    from matching.adjustments import StaffAdjustment
    from matching.errors import InstanceError

    if path.suffix.lower() == ".xlsx":
        from sheets.adjustments import read_adjustments

        return read_adjustments(path)
    try:
        return TypeAdapter(tuple[StaffAdjustment, ...]).validate_json(read_json_bytes(path, "調整ファイル"))
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
    audit_log: AuditLogOption = None,
) -> None:
    """Assign children to nurseries: fewest blocking coalitions, then most placed, then best choices."""
    from bodx.commands.options import output_file
    from matching.errors import MatchingError
    from matching.instance import load_instance
    from matching.optimizer import solve_with_stats
    from matching.result import save_result

    output_file(out)
    started = time.perf_counter()
    try:
        loaded = load_instance(instance)
        adjust = _read_adjustments(adjustments) if adjustments is not None else ()
        with working(f"最適化 (最長 {time_limit:g} 秒) / optimising"):
            result, stats = solve_with_stats(loaded, adjust, time_limit, workers=workers, exact=exact)
    except MatchingError as exc:
        typer.echo(f"エラー / error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    except Exception as exc:
        if type(exc).__module__.startswith("sheets"):
            typer.echo(f"エラー / error: {exc}", err=True)
            raise typer.Exit(code=2) from exc
        raise
    save_result(result, out)  # atomic, 0600 in a folder created 0700
    record_match(audit_log, instance, adjustments, out, loaded, result, adjust, (time_limit, workers, exact))
    elapsed = time.perf_counter() - started
    bound = "" if result.status != "feasible" else f" (下限 / proven lower bound {result.blocking_bound})"
    typer.echo(
        f"状態 / status {result.status}, 内定 / placed {result.placed}/{len(result.assignments)} "
        f"(受入保留方式 / deferred acceptance {stats.placed_da}), 阻止連合 / blocking {len(result.blocking)}{bound}, "
        f"調整の費用 / adjustment cost {result.adjustment_cost}, {elapsed:.2f} 秒 / s → {out}"
    )
    if result.status == "feasible":
        typer.echo(f"注意 / note: {result.message}")
        for coalition in result.blocking[:50]:
            typer.echo(f"  阻止連合 / blocking: {', '.join(coalition.applicants)} → {coalition.nursery}")
        if len(result.blocking) > 50:
            typer.echo(f"  … (ほか / +{len(result.blocking) - 50}; すべて / all in {out})")
    if result.status == "infeasible":
        typer.echo(f"割当できません / infeasible: {result.message}", err=True)
        raise typer.Exit(code=3)


@bench_app.command("match")
def bench_match(
    family: Annotated[
        str,
        typer.Option(
            help="standard (demo city, ~10 % siblings), dense (issue 16: many siblings) or patterns (issue 23: "
            "all seven sibling conditions, combination files)"
        ),
    ] = "standard",
    sizes: Annotated[
        str, typer.Option(help="comma-separated numbers of children (patterns: 1589,8000,30000 by default)")
    ] = "1589,8000,30000,60000",
    seed: Annotated[int, typer.Option(help="city generator seed")] = 1,
    repeat: Annotated[int, typer.Option(min=1, help="runs per size; figures are medians")] = 1,
    time_limit: Annotated[float, typer.Option(min=0.1)] = 60.0,
    workers: Annotated[
        int,
        typer.Option(
            min=1, help="CP-SAT workers, deterministic either way (2 used 2-3x the CPU for the same proofs)"
        ),
    ] = 1,
    density: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=0.9,
            help="dense / patterns: share of children in sibling groups (default 0.2 / 0.15)",
        ),
    ] = None,
    transfers: Annotated[
        float, typer.Option(min=0.0, max=0.5, help="dense / patterns: share of transfer children")
    ] = 0.05,
    cache: Annotated[Path, typer.Option(help="generated cities are kept here")] = Path("out/bench-cache"),
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """End to end per size (load, build, solve, explain, write; then the checker), each run in a fresh
    process so that its peak RSS is reported; repeated runs must give byte-identical result files."""
    from benchmarks.match import FAMILIES, city_path, run_in_process

    if family not in FAMILIES:
        raise typer.BadParameter(f"--family: one of {', '.join(FAMILIES)}")
    try:
        counts = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError as exc:
        raise typer.BadParameter("--sizes: comma-separated integers, e.g. 1589,8000") from exc
    if family == "patterns" and sizes == "1589,8000,30000,60000":
        counts = [1589, 8000, 30000]  # issue 23's sizes
    if density is None:
        density = 0.15 if family == "patterns" else 0.20
    runs = []
    lines = []
    for size in counts:
        city = city_path(family, size, seed, cache, density, transfers)
        samples = [run_in_process(city, time_limit, workers) for _ in range(repeat)]
        row = dict(samples[-1])
        for key in list(row):
            if key.endswith("_seconds") or key == "peak_rss_mb":
                row[key] = round(median([s[key] for s in samples]), 3)
        row["repeat"] = repeat
        row["deterministic"] = len({s["result_sha256"] for s in samples}) == 1
        row["checker_ok"] = all(s["checker_ok"] for s in samples)
        runs.append(row)
        gap = ""
        if row["status"] != "optimal":
            gap = f" (fewest blocking, then most placed: {row['blocking_placed_status']}; blocking bound {row['blocking_bound']})"
        lines.append(
            f"{row['applicants']:>6} children: {row['status']}, blocking {row['blocking']}{gap}, "
            f"placed {row['placed']} (DA {row['placed_da']}), checker {'ok' if row['checker_ok'] else 'FAILED'}, "
            f"{'deterministic' if row['deterministic'] else 'RESULTS DIFFER'}; median total "
            f"{row['total_seconds']} s (load {row['load_seconds']}, build {row['build_seconds']}, solve "
            f"{row['solve_seconds']}, write {row['write_seconds']}; CPU {row['cpu_seconds']}); check "
            f"{row['check_seconds']} s; peak RSS {row['peak_rss_mb']} MB"
        )
        lines.extend(f"    blocking: {c}" for c in row["coalitions"])
    header = {"family": family, "seed": seed, "workers": workers, "time_limit": time_limit}
    if family in ("dense", "patterns"):
        header.update(density=density, transfers=transfers)
    emit({**header, "load": _load_average(), "runs": runs}, as_json, lines)
    if not all(r["checker_ok"] and r["deterministic"] for r in runs):
        raise typer.Exit(code=1)


def _load_average() -> list[float]:
    """The machine's 1/5/15-minute load when the figures were taken (others' work disturbs them)."""
    import os

    return [round(v, 2) for v in os.getloadavg()]


__all__ = ["bench_match", "match"]
