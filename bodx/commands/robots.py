"""`bodx samples legacy-app`, `bodx robot run` and `bodx bench robot`."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from bodx.app import app, bench_app, samples_app
from bodx.commands.audit import AuditLogOption, record_robot
from bodx.progress import counting
from bodx.timing import emit, median

robot_app = typer.Typer(
    help="Robots that enter decisions into legacy screens / 既存システムへの入力ロボット",
    no_args_is_help=True,
)
app.add_typer(robot_app, name="robot")


@samples_app.command("legacy-app")
def legacy_app(
    port: Annotated[int, typer.Option(help="待ち受けポート (127.0.0.1) / port")] = 8765,
    db: Annotated[Path, typer.Option(help="アプリの SQLite ファイル / the app's database")] = Path(
        "out/legacy_app/app.db"
    ),
    failure_rate: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="保存失敗の割合 / share of failing saves")
    ] = 0.0,
    seed: Annotated[int, typer.Option(help="乱数シード / seed (failures and synthetic children)")] = 1,
    applications: Annotated[
        Path | None, typer.Option(help="applications.json or a list of {受付番号, 児童番号, 氏名}")
    ] = None,
    nurseries: Annotated[Path | None, typer.Option(help="nurseries.json (施設コード)")] = None,
    applicants: Annotated[int, typer.Option(min=1, help="合成データの児童数 (without --applications)")] = 200,
    session_seconds: Annotated[float, typer.Option(help="セッションの有効秒数 / session lifetime")] = 600.0,
    processing_delay_ms: Annotated[int, typer.Option(help="「処理中」の表示時間 / 処理中 delay")] = 150,
    user: Annotated[str, typer.Option(help="利用者ID")] = "clerk01",
    password: Annotated[
        str, typer.Option(envvar="BODX_LEGACY_APP_PASSWORD", help="パスワード (合成システム)")
    ] = "sample-pass",
) -> None:
    """Start the sample legacy 子ども・子育て支援 system on 127.0.0.1 until Ctrl-C."""
    from samples.legacy_app import LegacyApp, LegacyAppConfig
    from samples.legacy_app.seed import children_from_json, nurseries_from_json, synthetic_seed

    if applications is None:
        children, codes = synthetic_seed(applicants, seed)
    else:
        children, codes = children_from_json(applications), {}
        # `bodx samples city` writes nurseries.json beside applications.json
        beside = applications.with_name("nurseries.json")
        nurseries = nurseries or (beside if beside.exists() else None)
    if nurseries is not None:
        codes = nurseries_from_json(nurseries)
    config = LegacyAppConfig(
        db_path=db, port=port, user=user, password=password, session_seconds=session_seconds,
        processing_delay_ms=processing_delay_ms, failure_rate=failure_rate, seed=seed,
        children=tuple(children), nurseries=codes,
    )  # fmt: skip
    legacy = LegacyApp(config)
    server = legacy.serve()
    typer.echo(
        f"旧画面 / classic: {legacy.base_url}/login   新画面 / modern: {legacy.base_url}/v2/login   "
        f"かわべ町 / kawabe: {legacy.base_url}/kawabe/login"
    )
    typer.echo(f"児童 {len(children)} 人, 施設 {len(codes)}, DB {db}; Ctrl-C で終了 / to stop")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        legacy.store.close()


@robot_app.command("run")
def robot_run(
    base_url: Annotated[str, typer.Option(help="システムの URL / base URL, e.g. http://127.0.0.1:8765")],
    queue: Annotated[Path, typer.Option(help="作業キュー (SQLite) / work queue file")],
    recipe: Annotated[
        str, typer.Option(help="legacy-classic, legacy-modern, legacy-kawabe or a TOML file")
    ] = "legacy-classic",
    decisions: Annotated[Path | None, typer.Option(help="決定 JSON (list of Decision) to enqueue")] = None,
    artifacts: Annotated[Path, typer.Option(help="report.json, screenshots and traces")] = Path("out/robot"),
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="入力のみ、保存しない / fill, do not save")
    ] = False,
    max_attempts: Annotated[int, typer.Option(min=1, help="application errors: attempts per item")] = 3,
    trace: Annotated[bool, typer.Option(help="Playwright trace on failure")] = True,
    workers: Annotated[
        int, typer.Option(min=1, max=8, help="並列ブラウザー数 (each logs in) / parallel browsers")
    ] = 1,
    audit_log: AuditLogOption = None,
) -> None:
    """Enter queued decisions (credentials: BODX_ROBOT_USER / BODX_ROBOT_PASSWORD)."""
    from robots.credentials import Credentials
    from robots.decisions import DecisionFile, load_decisions
    from robots.errors import RobotsError
    from robots.recipe import load_recipe
    from robots.report import STAFF_REPORT_NAME
    from robots.runner import RobotSettings, run_robot

    try:
        batch = load_decisions(decisions) if decisions else DecisionFile([], [])
        for rejected in batch.rejected:  # each bad item on its own; the others are entered
            typer.echo(f"除外 / rejected: {rejected.message}", err=True)
        with counting("システム入力 / entering", len(batch.decisions), "件 / items") as advance:
            report = run_robot(
                load_recipe(recipe),
                Credentials.from_env(),
                base_url=base_url,
                queue_path=queue,
                artifacts_dir=artifacts,
                decisions=batch.decisions,
                rejected=batch.rejected,
                settings=RobotSettings(
                    max_attempts=max_attempts, dry_run=dry_run, trace=trace, workers=workers
                ),
                on_progress=advance,
            )
    except RobotsError as exc:
        typer.echo(f"エラー / error: {exc}", err=True)
        raise typer.Exit(2) from exc
    for line in report.summary_lines():
        typer.echo(line)
    typer.echo(f"報告 / report: {artifacts / 'report.json'}")
    typer.echo(f"担当者用 (受付番号入り, 0600) / staff report: {artifacts / STAFF_REPORT_NAME}")
    if not dry_run:  # a dry run saves nothing: nothing was decided or entered
        record_robot(audit_log, decisions, queue, artifacts, " ".join(report.summary_lines()[1:2]))


@robot_app.command("explore")
def robot_explore(
    base_url: Annotated[str, typer.Option(help="最初の画面の URL / URL of the first screen (login page)")],
    login: Annotated[
        bool, typer.Option("--login", help="BODX_ROBOT_USER / BODX_ROBOT_PASSWORD でログインしてから調べる")
    ] = False,
    page: Annotated[
        list[str] | None, typer.Option(help="ログイン後に開いて調べる画面 (path, repeatable) / more screens")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="下書きレシピの保存先 / write the draft here")] = None,
) -> None:
    """List the screens' frames, forms, fields with labels, options and buttons as a draft recipe."""
    from robots.credentials import Credentials
    from robots.errors import RobotsError
    from robots.explore import draft_recipe, explore

    try:
        screens, found = explore(base_url, Credentials.from_env() if login else None, page or [])
    except RobotsError as exc:
        typer.echo(f"エラー / error: {exc}", err=True)
        raise typer.Exit(2) from exc
    draft = draft_recipe(screens, found)
    if out is None:
        typer.echo(draft, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(draft, encoding="utf-8")
    typer.echo(f"下書きレシピ / draft recipe: {out}")


@bench_app.command("robot")
def bench_robot(
    items: Annotated[int, typer.Option(min=10, help="入力する決定の数 / decisions to enter")] = 500,
    repeat: Annotated[int, typer.Option(min=1, help="runs; medians are printed")] = 1,
    failure_rate: Annotated[float, typer.Option(min=0.0, max=0.5)] = 0.05,
    seed: Annotated[int, typer.Option()] = 1,
    # Two browsers by default: the target is set for 2 cores, and a second session hides the system's
    # 処理中 waits. Cities whose system allows one session per user measure with --workers 1.
    workers: Annotated[int, typer.Option(min=1, max=8, help="parallel browsers of the robot")] = 2,
    app_name: Annotated[
        str, typer.Option("--app", help="classic (旧画面), kawabe (かわべ町の画面) or both")
    ] = "classic",
    overlap: Annotated[
        bool, typer.Option(help="also a run of two robot processes started together on one queue")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Per screen: N decisions with 5 % injected failures and one kill of the robot + resume, and two
    overlapping robot processes on one queue; then the app's database is checked."""
    from benchmarks.robot import SCREENS, BenchResult, run_bench

    apps = list(SCREENS) if app_name == "both" else [app_name]
    if any(a not in SCREENS for a in apps):
        typer.echo(
            f"--app は {', '.join(SCREENS)} か both / --app must be one of {', '.join(SCREENS)} or both",
            err=True,
        )
        raise typer.Exit(2)
    scenarios = ["kill_resume", "overlap"] if overlap else ["kill_resume"]
    results: dict[tuple[str, str], list[BenchResult]] = {}
    for name in apps:
        for scenario in scenarios:
            for run in range(repeat):
                with tempfile.TemporaryDirectory(prefix="bodx-bench-robot-") as tmp:
                    result = run_bench(
                        items,
                        Path(tmp),
                        failure_rate,
                        seed + run,
                        workers=workers,
                        app=name,
                        scenario=scenario,
                    )
                results.setdefault((name, scenario), []).append(result)
    every = [r for runs in results.values() for r in runs]
    first = results[(apps[0], "kill_resume")]
    worst = max(first, key=lambda r: (r.duplicates, r.lost, -r.done))
    payload: dict[str, object] = {
        "items": items,
        "done": worst.done,
        "duplicates": sum(r.duplicates for r in every),  # over every screen and scenario
        "lost": sum(r.lost for r in every),
        "business_errors": worst.business_errors,
        "per_minute": round(median([r.per_minute for r in first]), 1),  # kill + resume, first screen
        "apps": {
            name: {
                scenario: max(runs, key=lambda r: (r.duplicates, r.lost, -r.done)).figures()
                | {"per_minute": round(median([r.per_minute for r in runs]), 1)}
                for (app, scenario), runs in results.items()
                if app == name
            }
            for name in apps
        },
        "ok": all(r.ok for r in every),
    }
    lines = [f"robot bench: {items} decisions per run, {workers} browser(s), {repeat} run(s) per scenario"]
    for (name, scenario), runs in results.items():
        r = max(runs, key=lambda r: (r.duplicates, r.lost, -r.done))
        lines.append(
            f"[{name} {scenario}] done {r.done}, duplicates {r.duplicates}, lost {r.lost}, business errors "
            f"{r.business_errors} (injected {r.injected_business_errors}, without the screen's message "
            f"{r.unreported_business_errors}, unexpected {r.unexpected_business_errors}), wrong values "
            f"{r.wrong_values}; records/min median {median([x.per_minute for x in runs]):.1f} "
            f"(runs {[x.per_minute for x in runs]}); killed after {[x.killed_after_done for x in runs]} done; "
            f"robot runs {[x.runs for x in runs]}; injected {[x.injected_failures for x in runs]}"
        )
    lines.append(
        "target: 0 duplicates, 0 lost, every business error with the screen's message, >= 120/min (classic, 2 browsers)"
    )
    emit(payload, as_json, lines)
    if not payload["ok"]:
        raise typer.Exit(1)
