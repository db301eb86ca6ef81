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
    ui: Annotated[
        bool,
        typer.Option(
            help="UI の操作も行い画面を保存 (開始フォーム・差し戻し・承認) / also walk through the UI as staff do, "
            "with screenshots (needs /usr/bin/chromium)"
        ),
    ] = True,
    second_round: Annotated[
        bool, typer.Option(help="二次調整も実行する / also run the second round (回答記録 → 二次調整)")
    ] = True,
) -> None:
    """Start a local Prefect server if none answers, run 入所選考 on the samples (approval given
    automatically), and print where to look: the UI, the workbook and the legacy system's entries. With
    --second-round (the default), answers are typed into the season's 回答記録 and 二次調整 runs on it. With
    --ui (the default), a browser then starts two seasons from the start form, sends one back (差し戻し)
    and approves the other, and saves a screenshot of every step in OUT/screenshots/."""
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
    if second_round and outcome.approved:
        _second_round(outcome.work_dir, result.legacy_db, out.resolve(), seed, server.ui_url)
    if ui:
        _walk_the_ui(out.resolve(), server.ui_url)


def _second_round(season: Path, legacy_db: Path, out: Path, seed: int, ui_url: str) -> None:
    """二次調整 on the season just run: answers typed into its 回答記録, new applicants, approval."""
    from flows.demo_rounds import run_round_demo

    demo = run_round_demo(season, legacy_db, out / "round2", seed=seed)
    typer.echo(f"二次調整の実行 / second round: {demo.state}")
    typer.echo(f"Prefect UI: {ui_url}runs/flow-run/{demo.flow_run_id}")
    answers = ", ".join(f"{kind} {count}" for kind, count in sorted(demo.answers.items()))
    typer.echo(f"回答記録に記入 / answers typed: {answers}; 新規申込 / new applicants: {demo.new_applicants}")
    if demo.outcome is None:
        typer.echo(
            "二次調整が完了しませんでした。UI のログを確認してください / the round did not complete", err=True
        )
        raise typer.Exit(1)
    round_ = demo.outcome
    typer.echo(
        f"内定 / placed: {round_.placed}, 保留 / waitlisted: {round_.waitlisted}, "
        f"結果が変わった児童 / outcome changed: {round_.changed}"
    )
    typer.echo(f"変更報告 / change report: {round_.report}")
    if round_.entry is not None:
        typer.echo(
            f"既存システムへの入力 / entered: {round_.entry.entered} / {round_.entry.decisions} "
            f"(登録済み {round_.entry.already_entered}, 失敗 failed {round_.entry.failed}); "
            f"DB: {demo.legacy_entries} entries"
        )
    if round_.responses_next is not None:
        typer.echo(f"三次のための回答記録 / responses for the next round: {round_.responses_next}")


def _walk_the_ui(out: Path, ui_url: str) -> None:
    from flows.demo_ui import run_ui_demo

    if not Path("/usr/bin/chromium").exists():
        typer.echo("chromium がないため UI の操作は省きます / no chromium: UI walkthrough skipped", err=True)
        return
    typer.echo("UI の操作 (開始フォーム → 差し戻し → 承認) / walking through the UI …")
    walk = run_ui_demo(out / "ui", ui_url, shots=out / "screenshots")
    typer.echo(
        f"差し戻した実行 / rejected run: {ui_url}runs/flow-run/{walk.rejected_run} ({walk.rejected_state})"
    )
    typer.echo(
        f"承認した実行 / approved run: {ui_url}runs/flow-run/{walk.approved_run} ({walk.approved_state}), "
        f"既存システムの登録 / legacy entries: {walk.legacy_entries}"
    )
    typer.echo(f"画面 {len(walk.screenshots)} 枚 / screenshots: {walk.index}")
