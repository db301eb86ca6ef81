"""`bodx city check`: a city profile folder checked as a whole before the season starts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from bodx.app import app
from bodx.progress import working

city_app = typer.Typer(help="市のプロファイル (cities/<市>/) / city profiles", no_args_is_help=True)
app.add_typer(city_app, name="city")

_MARK = {"error": "✗ エラー", "warning": "! 警告", "info": "・"}


@city_app.command("check")
def check(
    profile: Annotated[
        str, typer.Argument(help="プロファイルのフォルダ (city.toml のある所) または同梱の名前 (hinata …)")
    ],
    ledger: Annotated[Path | None, typer.Option(help="試しに読む受付台帳 (.xlsx) / a ledger to try")] = None,
    scans: Annotated[
        list[Path] | None,
        typer.Option(help="試しに読む申込書のスキャン (ファイルかフォルダ、複数可) / scans to try"),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="既存システムのURL (ログイン画面が開くか試します) / legacy system to try"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Validate every file of a city profile strictly (line numbers, "did you mean"); with --ledger,
    --scans or --base-url, run that stage on the material and say what would go to review.
    Exit 0 when the profile has no error, 2 otherwise."""
    from cityprofile import check_city

    with working("市のプロファイルの検査 / checking the city profile"):
        report = check_city(profile, ledger=ledger, scans=tuple(scans or ()), base_url=base_url)
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=1))
    else:
        title = report.city or profile
        typer.echo(f"{title}: {report.root or profile}")
        if report.checked:
            typer.echo("検査したファイル / checked: " + ", ".join(report.checked))
        for finding in report.findings:
            typer.echo(f"{_MARK[finding.severity.value]} [{finding.stage}] {finding.message}")
        errors = len(report.errors)
        verdict = "問題ありません / no errors" if report.ok else f"エラー {errors} 件 / {errors} error(s)"
        typer.echo(verdict)
    if not report.ok:
        raise typer.Exit(code=2)


__all__ = ["check"]
