"""The seven sibling conditions (きょうだい条件) and how the optimizer treats each (issue 23).

All seven are handled:

- 同保同時 without a transfer child: the group is one unit, placed together at one nursery or not at
  all, and blocks as a unit (Hall's condition per age class) — optimizer/compiled.py's groups.
- 別保順次希 whose children are all in different age classes: each child applies on its own list, as an
  individual (no child can use a sibling's seat, so this is exactly the family's condition).
- every other group, and every group with a combination file: a *family* whose outcome is one of a
  ranked list of whole assignments, derived from the condition or given by the family
  (optimizer/families.py), with family blocking (optimizer/family_model.py).
"""

from __future__ import annotations

from matching.instance import InstanceApplication
from matching.records import SiblingCondition

HANDLED = tuple(SiblingCondition)


def same_nursery_member(app: InstanceApplication) -> bool:
    """The child belongs to a 同保同時 group (a group of one is an individual; the caller counts)."""
    return app.sibling_group is not None and app.sibling_condition is SiblingCondition.SAME_TOGETHER
