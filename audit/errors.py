"""One exception hierarchy for the audit log; messages say what staff should do, Japanese first."""

from __future__ import annotations


class AuditError(Exception):
    """Base class of every error raised by :mod:`audit`."""


class AuditLogError(AuditError):
    """The log cannot be opened, read or appended to (permissions, a broken last entry, no season)."""
