"""`bodx round …`: later rounds (二次調整, 三次 …) of a season from the command line, for IT staff.

    bodx round status SEASON_DIR                  the season's rounds and what each holds
    bodx round responses SEASON_DIR [--out FILE]  (re)write the 回答記録 of the last approved round
    bodx round next SEASON_DIR --out DIR …        plan, solve and check the next round, write its review
                                                  workbook and change report (no approval, no robot)

The 二次調整 deployment does the same from the Prefect UI, with the approval gate, letters and entry.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from bodx.app import app
from bodx.commands.audit import record_command

round_app = typer.Typer(help="選考回 (二次調整 …) / later rounds of a season", no_args_is_help=True)
app.add_typer(round_app, name="round")

SeasonDir = Annotated[
    Path, typer.Argument(help="入所選考の作業フォルダ / the season folder (round 1's work folder)")
]


@round_app.command("status")
def status(
    season: SeasonDir,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object")] = False,
) -> None:
    """Every round of the season: approved or not, seats held (承諾 / 回答待ち), children waiting."""
    from matching.round_files import load_state, manifests
    from matching.rounds import holdings_after, waiting_after

    rows = []
    for folder, manifest in manifests(season):
        state = load_state(season, manifest)
        held = holdings_after(state)
        rows.append(
            {
                "sequence": manifest.sequence,
                "round": manifest.round_id,
                "approved": manifest.approved,
                "accepted": sum(1 for h in held if h.accepted),
                "pending": sum(1 for h in held if not h.accepted),
                "waiting": len(waiting_after(state)),
                "folder": str(folder),
                "responses": str(season / manifest.responses) if manifest.responses else None,
            }
        )
    if as_json:
        typer.echo(json.dumps({"season": str(season), "rounds": rows}, ensure_ascii=False))
        return
    if not rows:
        typer.echo("選考回の記録がありません (承認前か、この機能より前の選考) / no round recorded yet")
    for row in rows:
        typer.echo(
            f"{row['sequence']}. {row['round']}: {'承認済み' if row['approved'] else '未承認'}, "
            f"承諾 {row['accepted']}, 回答待ち {row['pending']}, 保留 {row['waiting']} — {row['responses']}"
        )


@round_app.command("responses")
def responses(
    season: SeasonDir,
    out: Annotated[
        Path | None, typer.Option(help="出力 / the workbook to write (default: the round's own)")
    ] = None,
    overwrite: Annotated[
        bool, typer.Option(help="replace an existing workbook (it may hold answers)")
    ] = False,
) -> None:
    """Write the 回答記録 of the last approved round again (one row per child holding a seat)."""
    import datetime as dt

    from bodx.commands.options import fail
    from matching.round_files import latest_round, load_state
    from sheets.responses import write_round_responses

    folder, manifest = latest_round(season)
    target = out or (season / manifest.responses if manifest.responses else folder / "回答" / "回答記録.xlsx")
    if target.exists() and not overwrite:
        raise fail(
            f"{target} があります。記入済みの回答を消さないよう、--overwrite を付けたときだけ置き換えます / exists: "
            "use --overwrite to replace it"
        )
    state = load_state(season, manifest)
    written = write_round_responses(target, state, dt.datetime.now().replace(microsecond=0))
    record_command(
        "round responses",
        audit_log=None,
        near=written,
        inputs=(season / manifest.result,),
        accesses=(written,),
        summary=f"{manifest.round_id} 回答記録",
    )
    typer.echo(f"回答記録 / responses workbook ({manifest.round_id}): {written}")


@round_app.command("next")
def next_round_command(
    season: SeasonDir,
    out: Annotated[Path, typer.Option(help="出力フォルダ / folder for the round's files (a preview)")],
    responses_file: Annotated[
        Path | None, typer.Option("--responses", help="記入済みの回答記録 (default: the last round's)")
    ] = None,
    applications: Annotated[
        Path | None,
        typer.Option(
            help="新規・変更の申込 / applications.json of `bodx sheets normalise` (same 受付番号: changed)"
        ),
    ] = None,
    nurseries: Annotated[
        Path | None, typer.Option(help="募集人数が変わったときの nurseries.json (the season's seats)")
    ] = None,
    round_id: Annotated[
        str | None, typer.Option("--round", help="選考回 (default: the next in city.toml)")
    ] = None,
    adjustments: Annotated[
        Path | None, typer.Option(help="この回のワークブック / this round's review workbook (調整)")
    ] = None,
    time_limit: Annotated[float, typer.Option(min=0.1, help="制限時間（秒）")] = 60.0,
) -> None:
    """Plan and solve the next round with every kept placement fixed; check it; write the review
    workbook and the change report into --out. Exit 1 when the responses or the round have errors."""
    import datetime as dt

    from pydantic import TypeAdapter

    from bodx.commands.options import fail, output_file, read_json_bytes
    from cityprofile import open_city
    from matching.files import write_text_atomically
    from matching.records import Application, Nursery
    from matching.round_files import latest_round, load_state
    from matching.round_plan import plan_round
    from matching.round_report import change_report
    from matching.round_solve import solve_round
    from matching.rounds import holdings_after, next_round, waiting_after
    from matching.scoring import load_rules
    from matching.scoring.build import SiblingPolicy
    from sheets.adjustments import read_adjustments
    from sheets.responses import read_responses
    from sheets.round_outputs import write_round_outputs

    output_file(out / "plan.json")
    _, previous = latest_round(season)
    city = open_city(previous.city)
    chosen = round_id or next_round(city.profile, previous.round_id).id
    city.profile.round(chosen)
    state = load_state(season, previous)
    workbook = responses_file or (season / previous.responses if previous.responses else None)
    if workbook is None or not workbook.is_file():
        raise fail(f"回答記録がありません / responses workbook not found: {workbook}")
    reading = read_responses(
        workbook,
        round_id=previous.round_id,
        held=[h.child_id for h in holdings_after(state)],
        waiting=waiting_after(state),
    )
    new = (
        TypeAdapter(tuple[Application, ...]).validate_json(read_json_bytes(applications, "申込データ"))
        if applications
        else ()
    )
    seats = (
        TypeAdapter(tuple[Nursery, ...]).validate_json(read_json_bytes(nurseries, "施設データ"))
        if nurseries
        else None
    )
    plan = plan_round(state, reading.responses, new, round_id=chosen, nurseries=seats)
    rules = load_rules(Path(previous.rules), city.profile)
    staff = read_adjustments(adjustments) if adjustments else ()
    solution = solve_round(
        plan, rules, siblings=SiblingPolicy.of(city.profile), adjustments=staff, time_limit=time_limit
    )
    report = change_report(state, plan, solution)
    plan_file = write_text_atomically(out / "plan.json", plan.model_dump_json(indent=1) + "\n")
    files = write_round_outputs(
        plan,
        solution,
        report,
        out,
        staff_adjustments=staff,
        reading_issues=reading.issues,
        points_scale=rules.scale,
        source_files=tuple(p for p in (workbook, applications, nurseries, adjustments) if p),
        stamp=dt.datetime.now().replace(microsecond=0),
    )
    record_command(
        "round next",
        audit_log=None,
        near=out,
        inputs=(season / previous.result, workbook, applications, nurseries, adjustments),
        outputs=(plan_file, files.instance, files.result, files.combined_result),
        accesses=(files.workbook, files.report),
        summary=f"{previous.round_id} → {chosen} (preview): 内定 {solution.result.placed}",
    )
    for label, count in report.counts.items():
        typer.echo(f"  {label}: {count}")
    verdict = "ok" if report.checker_ok else "NG: " + "; ".join(report.checker_messages[:3])
    typer.echo(
        f"{previous.round_id} → {chosen}: {solution.result.status}, 検証 (確定した席を固定) / check: {verdict}"
    )
    typer.echo(f"審査用ワークブック / review workbook: {files.workbook}")
    typer.echo(f"変更報告 / change report: {files.report}")
    errors = [i for i in reading.issues if i.severity == "error"] + [
        i for i in plan.issues if i.severity == "error"
    ]
    if errors or not report.checker_ok:
        typer.echo(
            f"要確認のエラー {len(errors)} 件: 変更報告の「要確認」を見てください / errors to fix", err=True
        )
        raise typer.Exit(code=1)
