"""Which of the seven sibling conditions (きょうだい条件) the optimizer handles today, and how.

- 同保同時 (SAME_TOGETHER): the group is one unit, placed together at one nursery or not at all, and
  blocks as a unit (Hall's condition per age class).
- 別保順次希 (SPLIT_SEQUENTIAL_OWN_FIRST): each child applies on its own list, as an individual.

The other five (同保順次上/下, 別保同時同/希, 別保順次同) need a family preference over group outcomes
(issue 23) that the engine does not model yet: an instance using them is refused with the groups named,
never solved as if it said something else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from matching.errors import InstanceError
from matching.instance import InstanceApplication
from matching.records import SiblingCondition

HANDLED = (SiblingCondition.SAME_TOGETHER, SiblingCondition.SPLIT_SEQUENTIAL_OWN_FIRST)


def same_nursery_member(app: InstanceApplication) -> bool:
    """The child belongs to a 同保同時 group (a group of one is an individual; the caller counts)."""
    return app.sibling_group is not None and app.sibling_condition is SiblingCondition.SAME_TOGETHER


def unhandled_groups(apps: Iterable[InstanceApplication]) -> dict[SiblingCondition, list[str]]:
    """Sibling groups of two or more children whose condition the engine does not handle, by condition."""
    members: dict[str, list[InstanceApplication]] = defaultdict(list)
    for app in apps:
        if app.sibling_group is not None:
            members[app.sibling_group].append(app)
    found: dict[SiblingCondition, list[str]] = defaultdict(list)
    for group, children in members.items():
        condition = children[0].sibling_condition
        if len(children) > 1 and condition is not None and condition not in HANDLED:
            found[condition].append(group)
    return dict(found)


def require_handled(apps: Iterable[InstanceApplication]) -> None:
    """Raise InstanceError naming the groups whose condition the engine cannot honour yet."""
    found = unhandled_groups(apps)
    if not found:
        return
    parts = [
        f"{condition.value}: {', '.join(groups[:5])}{' …' if len(groups) > 5 else ''}"
        for condition, groups in found.items()
    ]
    handled = "、".join(c.value for c in HANDLED)
    raise InstanceError(
        f"最適化エンジンはまだ次のきょうだい条件を扱えません（{'; '.join(parts)}）。扱える条件は {handled} です / "
        f"the engine does not handle these sibling conditions yet ({'; '.join(parts)}); it handles {handled}"
    )
