"""The OR-Tools admission engine (issue 3): `solve(instance, adjustments, time_limit) -> MatchResult`.

Exports are resolved lazily: `matching.deferred_acceptance` imports `matching.optimizer.compiled`, and
the engine imports deferred acceptance, so an eager import here would be circular.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matching.optimizer.engine import DEFAULT_TIME_LIMIT, SolveStats, solve, solve_with_stats

__all__ = ["DEFAULT_TIME_LIMIT", "SolveStats", "solve", "solve_with_stats"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from matching.optimizer import engine

        return getattr(engine, name)
    raise AttributeError(name)
