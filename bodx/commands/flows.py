"""`bodx serve` (Prefect deployments with schedules) and `bodx bench flow`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bodx.app import app, bench_app
from bodx.timing import emit


@app.command("serve")
def serve(
    inbox: Annotated[
        Path | None,
        typer.Option(help="夜間 OCR のスキャンフォルダ / nightly intake folder (default data/inbox)"),
    ] = None,
    legacy_url: Annotated[
        str, typer.Option(help="既存システムの URL (入所選考の既定値)")
    ] = "http://127.0.0.1:8765",
    city: Annotated[
        str | None,
        typer.Option(
            help="この市だけを開始フォームに出す (cities/ の名前かフォルダ) / offer only this city profile in the "
            "start form (default: every complete bundled profile)"
        ),
    ] = None,
) -> None:
    """Register the deployments (nightly intake 02:00 Asia/Tokyo, 入所選考, single steps) on the local
    Prefect server (started in the background if none answers) and execute their runs until Ctrl-C.
    The start form of 入所選考 offers the ledgers and scan folders in the inbox as drop-downs."""
    from flows.settings import FlowSettings, apply_environment

    settings = FlowSettings.from_env()
    apply_environment(settings)  # before Prefect is imported

    from flows.deployments import SEASON_DEPLOYMENT, build_deployments, refresh_season_form, serve_deployments
    from flows.errors import FlowsError
    from flows.server import ensure_server

    try:
        server = ensure_server(settings)
    except FlowsError as exc:
        typer.echo(f"エラー / error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"Prefect UI: {server.ui_url}")
    from flows.form import city_choices

    deployments = build_deployments(settings, inbox=inbox, legacy_url=legacy_url, city=city)
    season = next(d for d in deployments if d.name == SEASON_DEPLOYMENT)
    cities, folder = city_choices(city=city), inbox or settings.data_dir / "inbox"
    serve_deployments(deployments, refresh=lambda: refresh_season_form(season, settings, folder, cities))


@bench_app.command("flow")
def bench_flow(
    pages: Annotated[int, typer.Option(min=1, help="生成するページ数 / generated pages")] = 400,
    seed: Annotated[int, typer.Option(help="乱数シード / seed of the generated pages")] = 1,
    cache: Annotated[Path, typer.Option(help="生成ページの保存先 / where generated pages are kept")] = Path(
        "out/bench-cache"
    ),
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Run the intake flow on N generated pages with the default (thread) runner and with Dask."""
    from flows.settings import FlowSettings, apply_environment

    apply_environment(FlowSettings.from_env())

    from flows.bench import run_flow_bench

    figures = run_flow_bench(pages, seed, cache)
    payload = {
        "pages": figures.pages,
        "default_pages_per_minute": figures.default_pages_per_minute,
        "dask_pages_per_minute": figures.dask_pages_per_minute,
    }
    emit(
        payload,
        as_json,
        [
            f"intake flow, {pages} pages: default runner {figures.default_pages_per_minute} pages/min "
            f"({figures.default_seconds} s), Dask {figures.dask_pages_per_minute} pages/min ({figures.dask_seconds} s)"
        ],
    )
