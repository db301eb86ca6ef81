"""Put several sources' records side by side for one season (ledgers, scanned forms), as one list.

Scoring and the optimizer need every preference to name a known nursery and every id once; a form or
ledger row that breaks this must not stop the season, so it is left out with an issue row saying why
(the same rule `Instance` enforces, applied before it would refuse the whole run).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from matching.records import Application, Nursery
from sheets.issues import LedgerIssue


def merge_records(
    sources: Iterable[tuple[str, Sequence[Application]]], nurseries: Sequence[Nursery]
) -> tuple[tuple[Application, ...], tuple[Nursery, ...], tuple[LedgerIssue, ...]]:
    """Applications of every source in order; the first nursery list wins an id; conflicts become issues."""
    known: dict[str, Nursery] = {}
    for nursery in nurseries:
        known.setdefault(nursery.id, nursery)
    kept: list[Application] = []
    issues: list[LedgerIssue] = []
    application_ids: set[str] = set()
    child_ids: set[str] = set()
    for source, applications in sources:
        name = Path(source).name
        for application in applications:
            unknown = [n for n in application.preferences if n not in known]
            children = [c.id for c in application.children]
            if unknown:
                message = (
                    f"受付番号 {application.id}: 希望園 {'・'.join(unknown)} が施設一覧にありません。選考から外しました / "
                    "preferred nursery not in the nursery list: left out of this run"
                )
            elif application.id in application_ids:
                message = f"受付番号 {application.id} が重複しています。後の方を外しました / duplicate application id"
            elif any(c in child_ids for c in children):
                message = (
                    f"受付番号 {application.id}: 児童番号が他の申込と重複しています / duplicate child id"
                )
            else:
                kept.append(application)
                application_ids.add(application.id)
                child_ids.update(children)
                continue
            issues.append(LedgerIssue(file=name, message=message))
    return tuple(kept), tuple(known.values()), tuple(issues)
