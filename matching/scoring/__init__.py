"""利用調整基準 scoring: rules files (TOML) -> per-child priorities with breakdowns -> instances.

Pure Python (no OR-Tools). Public API:
- :func:`load_rules` / :func:`parse_rules` read and validate a rules file (errors name the line);
- :func:`score_applications` gives one :class:`~matching.priority.ChildPriority` per child;
- :func:`build_instance` gives the :class:`~matching.instance.Instance` `bodx match` reads.
"""

from matching.scoring.build import build_instance, instance_from_priorities
from matching.scoring.engine import score_applications
from matching.scoring.loader import load_rules, parse_rules
from matching.scoring.rules import Rules

__all__ = [
    "Rules",
    "build_instance",
    "instance_from_priorities",
    "load_rules",
    "parse_rules",
    "score_applications",
]
