"""One exception hierarchy for robots.

Per-item failures follow the Robocorp split: a :class:`BusinessError` means the data itself was rejected
(the screen showed a validation message, the 受付番号 does not exist, a value cannot be put on the screen);
it goes to staff and is never retried. An :class:`ApplicationError` means the system or the robot
failed (timeout, HTTP 5xx, lost session); the same item is tried again.
"""

from __future__ import annotations


class RobotsError(Exception):
    """Base class of every error raised by :mod:`robots`."""


class RecipeError(RobotsError):
    """A recipe file is missing, malformed or refers to unknown fields."""


class DecisionError(RobotsError, ValueError):
    """Decisions cannot be built from the given result and applications."""


class QueueError(RobotsError):
    """The work queue file cannot be opened or holds a conflicting item."""


class LoginFailed(RobotsError):
    """The system refused the credentials: the whole run stops (retrying would lock the account)."""


class ItemError(RobotsError):
    """A failure while working on one item; `message` is safe for reports (no names, no credentials)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BusinessError(ItemError):
    """The data was rejected: staff must fix the decision or the system's master data."""


class ApplicationError(ItemError):
    """The system or the browser failed; the item is retried."""


class ScreenTimeout(ApplicationError):
    """An expected screen or element did not appear in time."""


class ServerError(ApplicationError):
    """The system answered HTTP 5xx."""


class SessionExpired(ApplicationError):
    """The login screen appeared in the middle of the work: log in again and retry."""


class BrowserFailure(ApplicationError):
    """Chromium or Playwright failed (crashed page, closed target, protocol error)."""
