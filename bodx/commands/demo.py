"""`bodx demo`: the main job on the bundled samples."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bodx.app import app


@app.command("demo")
def demo(
    out: Annotated[Path, typer.Option(help="出力フォルダ / output directory")] = Path("out/demo"),
) -> None:
    """Run the main job end to end on the samples."""
    from samples.citygen.summary import summarise, summary_lines
    from samples.citygen.write import write_city

    generated, files = write_city(out, applicants=400, seed=2027)
    for line in summary_lines(summarise(generated)):
        typer.echo(line)
    typer.echo(f"台帳 / ledger: {files.ledger}")
    typer.echo(f"インスタンス / instance: {files.instance}")
