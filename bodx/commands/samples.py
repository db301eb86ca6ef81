"""`bodx samples …`: generate synthetic material; `bodx bench city`: time the generator."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from bodx.app import bench_app, samples_app
from bodx.progress import working
from bodx.timing import emit, median, timed


@samples_app.command("city")
def city(
    applicants: Annotated[int, typer.Option(min=1, help="申込児童数 / number of children")] = 1589,
    seed: Annotated[int, typer.Option(help="乱数シード: same seed, same bytes")] = 1,
    out: Annotated[Path, typer.Option(help="出力フォルダ / output directory")] = Path("out/city"),
    year: Annotated[int, typer.Option(help="入所年度 / admission year (April)")] = 2027,
) -> None:
    """Generate a synthetic city: ledger.xlsx, applications.json, nurseries.json, city.json."""
    from samples.citygen.summary import summarise, summary_lines
    from samples.citygen.write import write_city

    with working(f"合成データの生成 {applicants} 人 / generating the city"):
        generated, files = write_city(out, applicants, seed, year)
    for line in summary_lines(summarise(generated)):
        typer.echo(line)
    typer.echo(
        f"書き出し / written: {files.ledger}, {files.applications}, {files.nurseries}, {files.instance}"
    )


@bench_app.command("city")
def bench_city(
    applicants: Annotated[int, typer.Option(min=1)] = 30000,
    repeat: Annotated[int, typer.Option(min=1)] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Time `bodx samples city` (target: 30,000 applicants in under 30 s)."""
    from samples.citygen.write import write_city

    seconds = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(repeat):
            target = Path(tmp) / str(run)
            _, elapsed = timed(lambda: write_city(target, applicants, seed=1))  # noqa: B023 - called at once
            seconds.append(elapsed)
    payload = {"applicants": applicants, "runs": repeat, "median_seconds": round(median(seconds), 3)}
    emit(payload, as_json, [f"city generator: {applicants} applicants, median {payload['median_seconds']} s"])
