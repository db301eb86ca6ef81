"""One exception hierarchy for the admission domain.

Messages are written for municipal staff: they say which record and field is wrong and what to fix,
in Japanese and English.
"""

from __future__ import annotations


class MatchingError(Exception):
    """Base class of every error raised by :mod:`matching`."""


class InvalidRecordError(MatchingError, ValueError):
    """A domain record (household, child, application, nursery) has an impossible value."""


class InstanceError(MatchingError):
    """An instance file for `bodx match` cannot be read or is inconsistent."""


class RulesError(MatchingError):
    """A 利用調整基準 rules file is malformed."""


class SolverError(MatchingError):
    """The optimizer could not produce a result."""


class ProfileError(MatchingError):
    """A city profile (city.toml or a file it names) is malformed or inconsistent."""


class RoundError(MatchingError):
    """The next selection round (二次, 三次 …) cannot be built from the previous one and the responses."""
