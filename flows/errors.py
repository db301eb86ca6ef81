"""One exception hierarchy for the orchestration layer.

Messages tell staff or IT what to do next, in Japanese and English.
"""

from __future__ import annotations


class FlowsError(Exception):
    """Base class of every error raised by :mod:`flows`."""


class ServerUnavailableError(FlowsError):
    """The Prefect server does not answer and could not be started."""


class DatabaseStartError(FlowsError):
    """A local PostgreSQL for the Prefect server could not be prepared."""


class StepInputError(FlowsError):
    """A flow step was given a folder or file that does not exist or holds nothing to process."""


class RunTimeoutError(FlowsError):
    """A run did not reach the state waited for in time."""


class WalkthroughError(FlowsError):
    """A step of the demo's walk through the Prefect UI did not show what staff should see."""
