"""One parallel-run comparison from files: the clerk's workbook, the program's result, the instance.

Shared by `bodx compare` and the season flow's parallel-run step, so both read the same sheets, name
children the same way and write the same workbook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matching.compare import Comparison, SeasonMasks, compare_outcomes
from matching.compare.model import Labeller
from matching.instance import Instance
from matching.result import load_result
from sheets.errors import LedgerFormatError
from sheets.reconcile import Person, ReconcileInput, write_reconcile_workbook
from sheets.selection import Selection, read_selection


@dataclass(frozen=True)
class ParallelRun:
    comparison: Comparison
    manual: Selection
    people: dict[str, Person]
    masks: SeasonMasks

    def labeller(self, *, unmasked: bool = False) -> Labeller:
        return (lambda child_id: child_id) if unmasked else self.masks

    def write_workbook(
        self,
        path: Path,
        sources: Sequence[Path],
        *,
        generated_at: dt.datetime | None = None,
        overwrite: bool = False,
    ) -> Path:
        data = ReconcileInput(
            comparison=self.comparison,
            people=self.people,
            masks={
                c: self.masks(c)
                for c in self.people.keys() | {d.child_id for d in self.comparison.differences}
            },
            generated_at=generated_at or dt.datetime.now().replace(microsecond=0),
            sources=sources,
            sheets_read=self.manual.sheets_read,
            skipped=[(s.sheet, s.reason) for s in self.manual.skipped],
            problems=self.manual.problems,
        )
        return write_reconcile_workbook(data, path, overwrite=overwrite)


def read_program(path: Path, nursery_names: dict[str, str]) -> tuple[dict[str, str | None], Selection | None]:
    """The program's outcomes from result.json (`bodx match`) or a result workbook (結果一覧)."""
    if path.suffix.lower() != ".json":
        rows = read_selection(path, nursery_names, first_sheet_only=True)
        return rows.outcomes, rows
    try:
        return dict(load_result(path).assignments), None
    except (OSError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        raise LedgerFormatError(
            f"{path}: プログラムの結果を読めません / cannot read the program's result: {exc}"
        ) from exc


def run_parallel(manual: Path, result: Path, instance: Instance | None) -> ParallelRun:
    """Raises :class:`~sheets.errors.SheetsError` (or MatchingError) with a message naming the fix."""
    names = {n.id: n.name for n in instance.nurseries} if instance else {}
    selection = read_selection(manual, names)
    program, program_rows = read_program(result, names)
    comparison = compare_outcomes(selection.outcomes, program, instance, manual_scores=selection.scores)
    season_ids = [a.id for a in instance.applications] if instance else []
    masks = SeasonMasks([*season_ids, *selection.outcomes, *program])
    people: dict[str, Person] = {}
    for rows in (selection.rows, program_rows.rows if program_rows else ()):
        for row in rows:
            known = people.get(row.child_id, Person())
            people[row.child_id] = Person(known.application_id or row.application_id, known.name or row.name)
    return ParallelRun(comparison, selection, people, masks)
