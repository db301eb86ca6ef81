"""What `bodx compare` does (the command itself is declared in bodx/commands/scoring.py).

Reads the manual workbook as clerks keep it (every sheet, names resolved, the 指数 column), the
program's result (review workbook or result JSON), compares with root causes, prints masked lines or
one JSON object, and writes the protected reconciliation workbook when asked.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from bodx.commands.options import fail


def run_compare(
    manual: Path,
    result: Path,
    instance: Path | None,
    *,
    unmasked: bool,
    out: Path | None,
    as_json: bool,
    overwrite: bool,
) -> None:
    from matching.compare import SeasonMasks, compare_outcomes
    from matching.compare.report import comparison_json, screen_lines
    from matching.errors import MatchingError
    from matching.instance import load_instance
    from matching.result import load_result
    from sheets.errors import SheetsError
    from sheets.reconcile import Person, ReconcileInput, write_reconcile_workbook
    from sheets.selection import Selection, read_selection

    try:
        loaded = load_instance(instance) if instance is not None else None
        names = {n.id: n.name for n in loaded.nurseries} if loaded else {}
        selection = read_selection(manual, names)
        program_rows: Selection | None = None
        if result.suffix.lower() == ".json":
            program = dict(load_result(result).assignments)
        else:
            program_rows = read_selection(result, names, first_sheet_only=True)
            program = program_rows.outcomes
    except (MatchingError, SheetsError) as exc:
        raise fail(str(exc)) from exc
    except (OSError, ValueError) as exc:  # an unreadable or invalid result JSON
        raise fail(
            f"{result}: プログラムの結果を読めません / cannot read the program's result: {exc}"
        ) from exc
    typer.echo(f"手作業 / manual: {selection.describe()}", err=True)
    for problem in selection.problems[:20]:
        typer.echo(f"  要確認 / check: {problem}", err=True)
    comparison = compare_outcomes(selection.outcomes, program, loaded, manual_scores=selection.scores)
    season_ids = [a.id for a in loaded.applications] if loaded else [*selection.outcomes, *program]
    masks = SeasonMasks([*season_ids, *selection.outcomes, *program])

    def label(child_id: str) -> str:
        return child_id if unmasked else masks(child_id)

    if as_json:
        typer.echo(json.dumps(comparison_json(comparison, label), ensure_ascii=False))
    else:
        for line in screen_lines(comparison, label):
            typer.echo(line)
    if out is None:
        return
    people: dict[str, Person] = {}
    for rows in (selection.rows, program_rows.rows if program_rows else ()):
        for row in rows:
            known = people.get(row.child_id, Person())
            people[row.child_id] = Person(known.application_id or row.application_id, known.name or row.name)
    data = ReconcileInput(
        comparison=comparison,
        people=people,
        masks={cid: masks(cid) for cid in people.keys() | {d.child_id for d in comparison.differences}},
        generated_at=dt.datetime.now().replace(microsecond=0),
        sources=[p for p in (manual, result, instance) if p is not None],
        sheets_read=selection.sheets_read,
        skipped=[(s.sheet, s.reason) for s in selection.skipped],
        problems=selection.problems,
    )
    try:
        write_reconcile_workbook(data, out, overwrite=overwrite)
    except SheetsError as exc:
        raise fail(str(exc)) from exc
    typer.echo(f"照合ワークブック / reconciliation workbook: {out}", err=True)
