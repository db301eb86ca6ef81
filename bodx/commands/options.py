"""Options and input helpers that several commands share, spelled once so they stay the same."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

ApplicationsFile = Annotated[Path, typer.Option(help="applications.json (list of Application records)")]
NurseriesFile = Annotated[Path, typer.Option(help="nurseries.json (list of Nursery records)")]
RulesFile = Annotated[Path, typer.Option(help="利用調整基準の規則ファイル (TOML)")]
AdmissionYear = Annotated[int, typer.Option(help="入所年度 / admission year (April)")]


def fail(message: str) -> typer.Exit:
    """Print `message` for the user and return the exit (code 2) to raise."""
    typer.echo(message, err=True)
    return typer.Exit(code=2)


def read_json_list(path: Path, what: str) -> list[Any]:
    """The JSON list in `path`; a missing, unreadable or non-list file exits with a message naming it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise fail(f"{what} {path} を読めません / cannot read {path}: {exc}") from exc
    if not isinstance(data, list):
        raise fail(f"{path}: {what}はJSONの配列にしてください / {path} must hold a JSON list")
    return data
