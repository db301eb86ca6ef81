"""利用調整基準 scoring: rules files (TOML) -> per-child priorities with breakdowns -> instances.

Pure Python (no OR-Tools). Public API:
- :func:`load_rules` / :func:`parse_rules` read and validate a rules file (errors name the line),
  against a city profile's declared facts; :func:`check_rules` lists its problems (`bodx city check`);
- :func:`score_applications` gives one :class:`~matching.priority.ChildPriority` per child;
- :func:`build_instance` gives the :class:`~matching.instance.Instance` `bodx match` reads.
"""

from matching.scoring.build import build_instance, instance_from_priorities
from matching.scoring.engine import score_applications
from matching.scoring.loader import check_rules, load_rules, parse_rules
from matching.scoring.rules import Rules

__all__ = [
    "Rules",
    "build_instance",
    "check_rules",
    "instance_from_priorities",
    "load_rules",
    "parse_rules",
    "score_applications",
]
