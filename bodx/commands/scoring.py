"""`bodx score` (applications + rules file -> city.json) and `bodx compare` (manual vs program outcomes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from bodx.app import app
from bodx.commands.options import (
    AdmissionYear,
    ApplicationsFile,
    NurseriesFile,
    RulesFile,
    fail,
    read_json_list,
)


@app.command("score")
def score(
    applications: ApplicationsFile,
    nurseries: NurseriesFile,
    rules: RulesFile,
    year: AdmissionYear,
    out: Annotated[Path, typer.Option(help="city.json to write (the instance `bodx match` reads)")],
    priorities: Annotated[
        Path | None, typer.Option(help="also write every child's priority with its breakdown (JSON)")
    ] = None,
) -> None:
    """Score applications with a rules file and write the instance for `bodx match`."""
    from matching.errors import MatchingError
    from matching.instance import save_instance
    from matching.records import Application, Nursery, parse_record
    from matching.scoring import instance_from_priorities, load_rules, score_applications

    try:
        apps = [parse_record(Application, item) for item in read_json_list(applications, "申込データ")]
        places = [parse_record(Nursery, item) for item in read_json_list(nurseries, "施設データ")]
        parsed = load_rules(rules)
        scored = score_applications(apps, parsed, year)
        instance = instance_from_priorities(apps, places, scored, year)
    except MatchingError as exc:
        raise fail(str(exc)) from exc
    save_instance(instance, out)
    if priorities is not None:
        payload = [p.model_dump(mode="json") for p in scored]
        priorities.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    typer.echo(
        f"{parsed.name}: 児童 {len(scored)} 人を採点 / scored {len(scored)} children -> {out}"
        + (f", {priorities}" if priorities is not None else "")
    )


@app.command("compare")
def compare(
    manual: Annotated[
        Path,
        typer.Option(
            help="手作業の選考結果 (.xlsx: 1シート、年齢クラス別・施設別のシートも可; 児童番号, 内定施設, 指数)"
        ),
    ],
    result: Annotated[Path, typer.Option(help="プログラムの結果 (.xlsx: 結果一覧 sheet, or result.json)")],
    instance: Annotated[
        Path | None, typer.Option(help="city.json: priorities and preferences for the reasons")
    ] = None,
    unmasked: Annotated[
        bool, typer.Option(help="show full 児童番号 of the listed children (staff screen only)")
    ] = False,
    out: Annotated[
        Path | None, typer.Option(help="照合ワークブック (.xlsx, protected, mode 0600) to write")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object instead of lines")] = False,
    overwrite: Annotated[bool, typer.Option(help="replace an existing --out workbook")] = False,
) -> None:
    """Every child whose manual and program outcomes differ, tied to one root cause, and the agreement rate."""
    from bodx.commands.compare_run import run_compare

    run_compare(manual, result, instance, unmasked=unmasked, out=out, as_json=as_json, overwrite=overwrite)
