"""Turn applications, nurseries and a rules file into the instance `bodx match` reads."""

from __future__ import annotations

from collections.abc import Sequence

from matching.instance import Instance, InstanceApplication, InstanceNursery
from matching.priority import ChildPriority
from matching.records import Application, Nursery
from matching.scoring.engine import score_applications
from matching.scoring.rules import Rules


def instance_from_priorities(
    applications: Sequence[Application],
    nurseries: Sequence[Nursery],
    priorities: Sequence[ChildPriority],
    admission_year: int,
) -> Instance:
    by_child = {p.child_id: p for p in priorities}
    entries = []
    for app in applications:
        group = app.id if app.is_sibling_group else None
        for child in app.children:
            priority = by_child[child.id]
            entries.append(
                InstanceApplication(
                    id=child.id,
                    age_class=priority.age_class,
                    preferences=app.preferences,
                    score=priority.score,
                    tiebreak=priority.tiebreak,
                    tiebreak_at=priority.tiebreak_at,
                    bonus=priority.bonus,
                    sibling_group=group,
                    allow_split=app.allow_split,
                    # None (the application did not say) loads as 同保同時, the records' default.
                    sibling_condition=app.sibling_condition if group is not None else None,
                    current_nursery=child.current_nursery,
                )
            )
    return Instance(
        admission_year=admission_year,
        nurseries=tuple(InstanceNursery(id=n.id, name=n.name, capacity=n.capacity) for n in nurseries),
        applications=tuple(entries),
    )


def build_instance(
    applications: Sequence[Application],
    nurseries: Sequence[Nursery],
    rules: Rules,
    admission_year: int,
) -> Instance:
    """Score every child and assemble the instance (one entry per child). Same input, same output."""
    priorities = score_applications(applications, rules, admission_year)
    return instance_from_priorities(applications, nurseries, priorities, admission_year)
