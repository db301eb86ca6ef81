"""What `bodx compare` does (the command itself is declared in bodx/commands/scoring.py).

Reads the manual workbook as clerks keep it (every sheet, names resolved, the 指数 column), the
program's result (review workbook or result JSON), compares with root causes, prints masked lines or
one JSON object, and writes the protected reconciliation workbook when asked.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from bodx.commands.options import fail, output_file
from bodx.progress import working


def run_compare(
    manual: Path,
    result: Path,
    instance: Path | None,
    *,
    unmasked: bool,
    out: Path | None,
    as_json: bool,
    overwrite: bool,
) -> None:
    from matching.compare.report import comparison_json, screen_lines
    from matching.errors import MatchingError
    from matching.instance import load_instance
    from sheets.errors import SheetsError
    from sheets.parallel_run import run_parallel

    if out is not None:
        output_file(out)
    try:
        loaded = load_instance(instance) if instance is not None else None
        with working("照合 / comparing with the manual result"):
            run = run_parallel(manual, result, loaded)
    except (MatchingError, SheetsError) as exc:
        raise fail(str(exc)) from exc
    typer.echo(f"手作業 / manual: {run.manual.describe()}", err=True)
    for problem in run.manual.problems[:20]:
        typer.echo(f"  要確認 / check: {problem}", err=True)
    if run.comparison.score_only:
        typer.echo(
            f"  指数のみ相違 (結果は同じ) / score differs only: {len(run.comparison.score_only)} 人", err=True
        )
    label = run.labeller(unmasked=unmasked)
    if as_json:
        typer.echo(json.dumps(comparison_json(run.comparison, label), ensure_ascii=False))
    else:
        for line in screen_lines(run.comparison, label):
            typer.echo(line)
    if out is None:
        return
    try:
        run.write_workbook(out, [p for p in (manual, result, instance) if p is not None], overwrite=overwrite)
    except SheetsError as exc:
        raise fail(str(exc)) from exc
    typer.echo(f"照合ワークブック / reconciliation workbook: {out}", err=True)
