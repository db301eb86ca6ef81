"""`bodx bench all`: every benchmark at its issue's default size, one after another."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Annotated

import typer

from bodx.app import bench_app

# Each runs in its own process: benchmarks must not share warm caches, threads or browser instances.
BENCHMARKS: tuple[str, ...] = ("city", "match", "sheets", "ocr", "robot", "flow")


@bench_app.command("all")
def bench_all(
    only: Annotated[
        list[str] | None, typer.Option(help="run only these (repeatable): " + ", ".join(BENCHMARKS))
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object keyed by benchmark")] = False,
) -> None:
    """Run every `bodx bench …` and print their figures (a failed benchmark is reported, the rest go on)."""
    chosen = only or list(BENCHMARKS)
    unknown = sorted(set(chosen) - set(BENCHMARKS))
    if unknown:
        raise typer.BadParameter(f"unknown benchmark(s) {unknown}; choose from {list(BENCHMARKS)}")
    figures: dict[str, object] = {}
    failed = False
    for name in chosen:
        if not as_json:
            typer.echo(f"== bodx bench {name}", err=True)
        run = subprocess.run(
            [sys.executable, "-m", "bodx.cli", "bench", name, "--json"],
            capture_output=True,
            text=True,
            check=False,
        )
        last_line = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
        if run.returncode != 0 or not last_line.startswith("{"):
            failed = True
            figures[name] = {"error": f"exit {run.returncode}", "stderr_tail": run.stderr.strip()[-500:]}
        else:
            figures[name] = json.loads(last_line)
        if not as_json:
            typer.echo(json.dumps(figures[name], ensure_ascii=False, indent=1))
    if as_json:
        typer.echo(json.dumps(figures, ensure_ascii=False))
    if failed:
        raise typer.Exit(code=1)
