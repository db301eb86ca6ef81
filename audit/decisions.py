"""What a matching run decided, per child, in the words the log keeps (no names: ids, nurseries, scores)."""

from __future__ import annotations

from collections.abc import Iterable

from audit.records import Adjustment
from matching.instance import Instance
from matching.result import MatchResult


def placement_notes(instance: Instance, result: MatchResult) -> dict[str, str]:
    """child id -> 「内定 N001 (指数 120)」, 「在園継続 N002 …」 or 「保留 …」."""
    children = {c.id: c for c in instance.applications}
    notes = {}
    for child_id, nursery in result.assignments.items():
        child = children.get(child_id)
        score = f" (指数 {child.score})" if child is not None else ""
        if nursery is None:
            notes[child_id] = f"保留{score}"
        elif child is not None and nursery == child.current_nursery:
            notes[child_id] = f"在園継続 {nursery}{score}"
        else:
            notes[child_id] = f"内定 {nursery}{score}"
    return notes


def adjustment_records(adjustments: Iterable[object]) -> tuple[Adjustment, ...]:
    """固定/除外 and point adjustments alike; the reason is kept where the record carries one."""
    records = []
    for adjustment in adjustments:
        dump = getattr(adjustment, "model_dump", None)
        data = dump(mode="json") if dump is not None else dict(vars(adjustment))
        points = data.get("points")
        records.append(
            Adjustment(
                child_id=str(data.get("child_id")),
                kind=str(data.get("kind") or ("調整点" if points is not None else "調整")),
                nursery=data.get("nursery"),
                points=str(points) if points is not None else None,
                reason=data.get("reason") or data.get("note"),
            )
        )
    return tuple(records)
