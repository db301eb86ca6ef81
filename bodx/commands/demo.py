"""`bodx demo`: the season flow end to end on the bundled samples, visible in the Prefect UI."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bodx.app import app


@app.command("demo")
def demo(
    out: Annotated[Path, typer.Option(help="出力フォルダ / output directory")] = Path("out/demo"),
    applicants: Annotated[int, typer.Option(min=5, help="台帳の申込児童数 / children in the ledger")] = 60,
    pages: Annotated[int, typer.Option(min=0, help="スキャン申込書の枚数 / scanned form pages")] = 4,
    runner: Annotated[str, typer.Option(help="OCR の実行方式: threads or dask")] = "threads",
    seed: Annotated[int, typer.Option(help="サンプルの乱数シード / sample seed")] = 2027,
) -> None:
    """Start a local Prefect server if none answers, run 入所選考 on the samples (approval given
    automatically), and print where to look: the UI, the workbook and the legacy system's entries."""
    from flows.settings import FlowSettings, apply_environment

    settings = FlowSettings.from_env()
    apply_environment(settings)  # before Prefect is imported

    from flows.demo import run_demo
    from flows.errors import FlowsError
    from flows.params import ScaleOut
    from flows.server import ensure_server
    from notices.previews import PREVIEWS

    if runner not in ("threads", "dask"):
        raise typer.BadParameter("--runner は threads か dask / threads or dask")
    try:
        server = ensure_server(settings)
    except FlowsError as exc:
        typer.echo(f"エラー / error: {exc}", err=True)
        raise typer.Exit(2) from exc
    started = (
        "起動しました / started (runs on in the background)"
        if server.started_here
        else "既存 / already running"
    )
    typer.echo(f"Prefect サーバー / server: {server.api_url} ({started})")
    result = run_demo(
        out.resolve(),
        applicants=applicants,
        pages=pages,
        seed=seed,
        scale=ScaleOut(runner="dask" if runner == "dask" else "threads"),
    )
    typer.echo(f"入所選考の実行 / season run: {result.state}")
    typer.echo(f"Prefect UI: {server.ui_url}runs/flow-run/{result.flow_run_id}")
    if result.outcome is None:
        typer.echo(
            "実行が完了しませんでした。UI のログを確認してください / the run did not complete: see its logs",
            err=True,
        )
        raise typer.Exit(1)
    outcome = result.outcome
    typer.echo(f"内定 / placed: {outcome.placed}, 保留 / waitlisted: {outcome.waitlisted}")
    typer.echo(f"審査用ワークブック / review workbook: {outcome.workbook}")
    if outcome.entry is not None:
        typer.echo(
            f"既存システムへの入力 / entered into the legacy system: {outcome.entry.entered} / "
            f"{outcome.entry.decisions} (失敗 failed {outcome.entry.failed}); "
            f"DB {result.legacy_db}: {result.legacy_entries} entries"
        )
    if outcome.notices is not None:
        typer.echo(f"通知書 / letters: {outcome.notices.letters} 世帯, {outcome.notices.combined}")
        shown = [str(out.resolve() / name) for name in PREVIEWS.values() if (out.resolve() / name).exists()]
        if shown:
            typer.echo(f"通知書の見本 / letter previews: {', '.join(shown)}")
    typer.echo(f"作業フォルダ / work folder: {outcome.work_dir}")
