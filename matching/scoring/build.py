"""Turn applications, nurseries and a rules file into the instance `bodx match` reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matching.instance import Instance, InstanceApplication, InstanceNursery
from matching.priority import ChildPriority
from matching.profile import CityProfile
from matching.records import Application, Nursery, SiblingCondition
from matching.scoring.engine import score_applications
from matching.scoring.rules import Rules
from matching.siblings import HANDLED


@dataclass(frozen=True)
class SiblingPolicy:
    """What a city profile says about sibling groups: its default condition, and whether a condition
    the optimizer does not model yet is treated as the stricter 同保同時 (else the match refuses it)."""

    default: SiblingCondition = SiblingCondition.SAME_TOGETHER
    stricter_until_supported: bool = False

    @classmethod
    def of(cls, profile: CityProfile) -> SiblingPolicy:
        return cls(profile.sibling_default, profile.sibling_unsupported == "stricter")

    def condition(self, app: Application) -> tuple[SiblingCondition, bool]:
        """The condition the instance carries for a sibling group, and whether it was made stricter."""
        stated = app.sibling_condition or self.default
        if self.stricter_until_supported and stated not in HANDLED:
            return SiblingCondition.SAME_TOGETHER, True
        return stated, False


def instance_from_priorities(
    applications: Sequence[Application],
    nurseries: Sequence[Nursery],
    priorities: Sequence[ChildPriority],
    admission_year: int,
    siblings: SiblingPolicy | None = None,
) -> Instance:
    """One instance entry per child. `siblings`: the city's sibling policy (default: 同保同時 where an
    application says nothing, unsupported conditions left for the match to refuse)."""
    return instance_with_report(applications, nurseries, priorities, admission_year, siblings)[0]


def instance_with_report(
    applications: Sequence[Application],
    nurseries: Sequence[Nursery],
    priorities: Sequence[ChildPriority],
    admission_year: int,
    siblings: SiblingPolicy | None = None,
) -> tuple[Instance, list[str]]:
    """The instance and the 受付番号 of the sibling groups whose condition was made stricter."""
    policy = siblings or SiblingPolicy()
    by_child = {p.child_id: p for p in priorities}
    entries = []
    stricter: list[str] = []
    for app in applications:
        group = app.id if app.is_sibling_group else None
        condition, changed = policy.condition(app) if group is not None else (None, False)
        if changed:
            stricter.append(app.id)
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
                    allow_split=condition is not None and condition.allows_split,
                    sibling_condition=condition,
                    current_nursery=child.current_nursery,
                )
            )
    instance = Instance(
        admission_year=admission_year,
        nurseries=tuple(InstanceNursery(id=n.id, name=n.name, capacity=n.capacity) for n in nurseries),
        applications=tuple(entries),
        sibling_combinations={
            app.id: app.sibling_combinations
            for app in applications
            if app.is_sibling_group and app.sibling_combinations
        },
    )
    return instance, stricter


def build_instance(
    applications: Sequence[Application],
    nurseries: Sequence[Nursery],
    rules: Rules,
    admission_year: int,
) -> Instance:
    """Score every child and assemble the instance (one entry per child). Same input, same output."""
    priorities = score_applications(applications, rules, admission_year)
    return instance_from_priorities(applications, nurseries, priorities, admission_year)
