"""`bodx audit verify` and `bodx audit show`: check a season's audit log, read one child's history.

Also the hook the commands that write decisions (`bodx match`, `bodx sheets review`, `bodx robot run`)
call to append to a season's log: given `--audit-log SEASON_DIR`, or found from the output's folder.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bodx.app import app
from bodx.progress import working

if TYPE_CHECKING:
    from audit import AuditEvent
    from matching.instance import Instance
    from matching.result import MatchResult

audit_app = typer.Typer(
    help="監査ログ (改ざん検知・履歴) / the season's audit trail: verify, history", no_args_is_help=True
)
app.add_typer(audit_app, name="audit")

# For the commands that write decisions: where their entry goes.
AuditLogOption = Annotated[
    Path | None,
    typer.Option(
        "--audit-log",
        help="選考フォルダ (監査ログに記録) / season folder whose audit log records this; "
        "default: the season folder holding the output, if any",
    ),
]


@audit_app.command("verify")
def verify(
    season_dir: Annotated[
        Path, typer.Argument(help="選考フォルダ (audit/log.jsonl のある所) / season folder")
    ],
    head: Annotated[
        str | None,
        typer.Option(
            help="サーバーに控えた先頭 SEQ:HASH (audit-head 成果物) / the chain head the Prefect run keeps"
        ),
    ] = None,
    from_server: Annotated[
        bool,
        typer.Option(
            "--from-server",
            help="Prefect サーバーの audit-head 成果物すべてと照合 / check every head the server kept",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Recompute every entry's hash, the chain and every recorded file's SHA-256; name what changed.
    Exit 0 when nothing changed, 2 on tampering (or when the log cannot be read)."""
    from audit import AuditError, verify_season

    try:
        heads = _server_heads(season_dir) if from_server else []
        with working("監査ログの検証 / verifying the audit log"):
            report = verify_season(season_dir, head, heads)
    except AuditError as exc:
        typer.echo(f"エラー / error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=1))
    else:
        typer.echo(
            f"{season_dir}: 記録 {report.entries} 件, ファイル {report.files} 個を検査 / entries, files checked; "
            f"先頭 / head {report.head or '-'}"
        )
        for finding in report.findings:
            mark = "✗ 改ざん" if finding.tampering else "! 注意"
            typer.echo(f"{mark} [{finding.kind}] {finding.message}")
        if report.ok:
            typer.echo("改ざんは見つかりませんでした / no tampering found")
        else:
            changed = sum(1 for f in report.findings if f.tampering)
            typer.echo(
                f"改ざんまたは記録のない変更が {changed} 件あります / {changed} change(s) nobody recorded",
                err=True,
            )
    if not report.ok:
        raise typer.Exit(code=2)


def _server_heads(season_dir: Path) -> list[str]:
    """Every chain head the Prefect server keeps for this season (the `audit-head` artifacts name it)."""
    import re

    from prefect.client.orchestration import get_client

    from flows.audit_trail import HEAD_KEY, head_marker

    marker = f"{head_marker(season_dir.resolve())} --head "
    limit, offset = 200, 0
    heads: list[str] = []
    try:
        with get_client(sync_client=True) as client:
            while True:
                body = {
                    "artifacts": {"key": {"any_": [HEAD_KEY]}},
                    "limit": limit,
                    "offset": offset,
                    "sort": "CREATED_DESC",
                }
                page = client.request("POST", "/artifacts/filter", json=body).json()
                heads += [
                    found.group(1)
                    for item in page
                    if (found := re.search(re.escape(marker) + r"(\d+:[0-9a-f]{64})", str(item.get("data"))))
                ]
                if len(page) < limit:
                    break
                offset += limit
    except Exception as exc:  # no server, or it refused: say so rather than pass silently
        raise typer.Exit(code=_server_unreachable(exc)) from exc
    if not heads:
        typer.echo(
            "サーバーにこの選考の audit-head がありません / the server keeps no chain head for this season",
            err=True,
        )
        raise typer.Exit(code=2)
    return heads


def _server_unreachable(exc: Exception) -> int:
    typer.echo(
        f"Prefect サーバーに問い合わせできません (PREFECT_API_URL) / cannot ask the Prefect server: {exc}",
        err=True,
    )
    return 2


@audit_app.command("show")
def show(
    season_dir: Annotated[Path, typer.Argument(help="選考フォルダ / season folder")],
    child: Annotated[str, typer.Option("--child", help="児童番号 / child id")],
    masked: Annotated[
        bool, typer.Option(help="児童番号を伏字にする (報告書に貼るとき) / mask the child id")
    ] = False,
) -> None:
    """The history of one child: scoring and placement, adjustments with reasons, approval (approver,
    comment), exports of workbooks holding it, the robot's entry. Full ids: for staff at the terminal."""
    from audit import AuditError, child_history, verify_season
    from matching.compare import mask_id  # re-exported there before and after masks moved to matching.masks

    try:
        history = child_history(season_dir, child)
    except AuditError as exc:
        typer.echo(f"エラー / error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    shown = mask_id(child) if masked else child
    if not any(line.about_child for line in history):
        typer.echo(f"{shown}: この選考の記録にありません / not in this season's log", err=True)
        raise typer.Exit(code=1)
    typer.echo(f"児童 {shown} の履歴 / history ({len(history)} 件)")
    for line in history:
        detail = line.detail.replace(child, shown) if masked else line.detail
        typer.echo(f"#{line.seq:<4} {_local(line.time)}  {line.action:<12} {line.actor}: {detail}")
    if not verify_season(season_dir).ok:  # a history read from a changed log must not look trustworthy
        typer.echo(
            "! この選考の記録またはファイルが変更されています。`bodx audit verify` で確認してください / "
            "the log or its files changed: run `bodx audit verify`",
            err=True,
        )
        raise typer.Exit(code=2)


@audit_app.command("replay")
def replay(
    season_dir: Annotated[Path, typer.Argument(help="選考フォルダ / season folder")],
    seq: Annotated[
        int | None, typer.Option(help="再現する記録の番号 (既定: 最後の admission / match) / entry to replay")
    ] = None,
) -> None:
    """Re-run scoring and matching from the inputs an entry recorded; the outputs must come out byte for
    byte as recorded. Exit 0 when reproduced, 2 when not (or when an input changed since)."""
    from audit import AuditError
    from audit.replay import replay_season
    from matching.errors import MatchingError

    try:
        with working("再計算 / replaying"):
            done = replay_season(season_dir, seq)
    except (AuditError, MatchingError) as exc:
        typer.echo(f"エラー / error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    for item in done.files:
        verdict = "同一 / identical" if item.same else "相違 / DIFFERENT"
        typer.echo(f"{item.path}: {verdict} (記録 {item.recorded[:16]}…, 再現 {item.replayed[:16]}…)")
    if not done.reproduced:
        typer.echo(
            f"記録 #{done.seq} ({done.action}) を再現できません / entry #{done.seq} is not reproduced",
            err=True,
        )
        raise typer.Exit(code=2)
    typer.echo(f"記録 #{done.seq} ({done.action}) をバイト単位で再現しました / reproduced byte for byte")


def _local(stamp: str) -> str:
    """The log keeps UTC; staff read Japan time."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    try:
        return (
            dt.datetime.fromisoformat(stamp)
            .astimezone(ZoneInfo("Asia/Tokyo"))
            .strftime("%Y-%m-%d %H:%M:%S JST")
        )
    except ValueError:
        return stamp


def record_command(
    action: str,
    *,
    audit_log: Path | None,
    near: Path,
    inputs: Iterable[Path | None] = (),
    outputs: Iterable[Path] = (),
    accesses: Iterable[Path] = (),
    rules: Path | None = None,
    summary: str = "",
    children: dict[str, str] | None = None,
    event: AuditEvent | None = None,
) -> None:
    """Append what a command did to the season's log (`--audit-log`, else the season folder holding
    `near`; outside a season folder nothing is recorded). A failure exits 2: the output is written
    but not recorded, and staff must know."""
    from audit import AuditError, AuditEvent, FileRef, SeasonLog, current_actor, find_season_dir

    season = audit_log if audit_log is not None else find_season_dir(near)
    if season is None:
        return
    files = (
        [FileRef(path=p, role="input") for p in inputs if p is not None]
        + [FileRef(path=p, role="output") for p in outputs]
        + [FileRef(path=p, role="access") for p in accesses]
    )
    base = event or AuditEvent(action=action, actor=current_actor())
    recorded = base.model_copy(
        update={
            "files": base.files + tuple(files),
            "rules": rules,
            "summary": summary or base.summary,
            "children": children if children is not None else base.children,
            "details": {**base.details, "command": f"bodx {action}"},
        }
    )
    try:
        log = SeasonLog.create(season) if audit_log is not None else SeasonLog(season)
        entry = log.append(recorded)
    except (AuditError, OSError) as exc:
        typer.echo(f"監査ログに記録できません / not recorded in the audit log: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    typer.echo(f"監査ログ / audit log: #{entry.seq} {entry.action} → {log.path}")


def record_match(
    audit_log: Path | None,
    instance_file: Path,
    adjustments_file: Path | None,
    out: Path,
    instance: Instance,
    result: MatchResult,
    adjustments: Iterable[object],
    solver: tuple[float, int, bool] = (60.0, 1, False),
) -> None:
    """`bodx match`: the placement of every child and the adjustments (調整) it respected, and what a
    replay needs (`solver`: time limit, workers, exact)."""
    from audit import AuditEvent, current_actor
    from audit.decisions import adjustment_records, placement_notes
    from audit.replay import replay_settings

    time_limit, workers, exact = solver
    from audit import find_season_dir

    settings = replay_settings(
        audit_log if audit_log is not None else find_season_dir(out),
        instance=instance_file,
        adjustments=adjustments_file,
        time_limit=time_limit,
        workers=workers,
        exact=exact,
        result_out=out,
    )

    record_command(
        "match",
        audit_log=audit_log,
        near=out,
        inputs=(instance_file, adjustments_file),
        outputs=(out,),
        summary=f"{result.status}: 内定 {result.placed} / {len(result.assignments)}",
        children=placement_notes(instance, result),
        event=AuditEvent(
            action="match",
            actor=current_actor(),
            adjustments=adjustment_records(adjustments),
            details={"replay": settings},
        ),
    )


def record_review(
    audit_log: Path | None, inputs: Iterable[Path | None], workbook: Path, children: int
) -> None:
    """`bodx sheets review`: the workbook holds every child's data, so writing it is an access."""
    from audit import AuditEvent, current_actor

    record_command(
        "sheets review",
        audit_log=audit_log,
        near=workbook,
        inputs=inputs,
        accesses=(workbook,),
        summary=f"審査用ワークブック / review workbook: {workbook.name} (児童 {children} 人)",
        event=AuditEvent(action="export", actor=current_actor(), season_wide=True),
    )


def record_notices(audit_log: Path | None, inputs: Iterable[Path | None], out: Path, households: int) -> None:
    """`bodx notices`: letters, mail-merge data and name lists hold personal data: an access."""
    from audit import AuditEvent, current_actor

    record_command(
        "notices",
        audit_log=audit_log,
        near=out,
        inputs=inputs,
        accesses=(out,),
        summary=f"通知書・差込データ・園別名簿 / notices: {out.name} ({households} 世帯)",
        event=AuditEvent(action="export", actor=current_actor(), season_wide=True),
    )


def record_robot(
    audit_log: Path | None, decisions: Path | None, queue: Path, artifacts: Path, summary: str
) -> None:
    """`bodx robot run`: each queued child's decision, state and the screen's message."""
    from audit import AuditEvent, current_actor
    from audit.robot import robot_outcomes
    from robots.report import STAFF_REPORT_NAME

    staff = artifacts / STAFF_REPORT_NAME
    record_command(
        "robot",
        audit_log=audit_log,
        near=queue,
        inputs=(decisions,),
        outputs=(artifacts / "report.json",),
        accesses=(staff,) if staff.is_file() else (),
        summary=summary,
        event=AuditEvent(action="robot", actor=current_actor(), robot=robot_outcomes(queue)),
    )


__all__ = [
    "AuditLogOption",
    "audit_app",
    "record_command",
    "record_match",
    "record_notices",
    "record_review",
    "record_robot",
    "replay",
    "show",
    "verify",
]
