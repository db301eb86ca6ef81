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
    manual: Annotated[Path, typer.Option(help="手作業の選考結果 (.xlsx: 児童番号, 内定施設番号)")],
    result: Annotated[Path, typer.Option(help="プログラムの結果 (.xlsx: 結果一覧 sheet)")],
    instance: Annotated[
        Path | None, typer.Option(help="city.json: priorities and preferences for the reasons")
    ] = None,
    unmasked: Annotated[
        bool, typer.Option(help="show full 児童番号 of the listed children (staff screen only)")
    ] = False,
) -> None:
    """List every child whose manual and program outcomes differ, with a reason, and the agreement rate."""
    from matching.compare import compare_outcomes, mask_id
    from matching.errors import MatchingError
    from matching.instance import load_instance
    from sheets.errors import SheetsError
    from sheets.outcomes import read_outcomes

    try:
        manual_outcomes = read_outcomes(manual)
        program_outcomes = read_outcomes(result)
        loaded = load_instance(instance) if instance is not None else None
    except (MatchingError, SheetsError) as exc:
        raise fail(str(exc)) from exc
    comparison = compare_outcomes(manual_outcomes, program_outcomes, loaded)
    for diff in comparison.differences:
        shown = diff.child_id if unmasked else mask_id(diff.child_id)
        typer.echo(
            f"{shown}\t手作業 {diff.manual or '保留'}\tプログラム {diff.program or '保留'}\t"
            f"[{diff.kind.value}] {diff.reason}"
        )
    typer.echo(
        f"一致率 / agreement: {comparison.agreement_rate:.2%} ({comparison.agreed}/{comparison.children}), "
        f"相違 / differences: {len(comparison.differences)}"
    )
