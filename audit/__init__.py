"""Audit trail of a season: an append-only, hash-chained log of every decision and the files behind it.

Each entry records who did what, when, with the SHA-256 of every input and output file, the rules and
city-profile version, staff adjustments with their reasons, the approval (approver, comment) and the
robot's outcome per child. Each entry carries the hash of the one before, so changing, deleting or
reordering an entry breaks the chain; `verify_season` recomputes everything and names what changed.
The library never imports Prefect; flows publish the chain head as an artifact (an independent copy).
"""

from audit.access import record_access
from audit.errors import AuditError, AuditLogError
from audit.history import HistoryLine, child_history
from audit.log import LOG_DIR_NAME, LOG_NAME, SeasonLog, find_season_dir, log_path
from audit.records import (
    GENESIS,
    Adjustment,
    Approval,
    AuditEntry,
    AuditEvent,
    ChainHead,
    FileDigest,
    FileRef,
    RobotOutcome,
    current_actor,
)
from audit.verify import Finding, VerifyReport, verify_season

__all__ = [
    "GENESIS",
    "LOG_DIR_NAME",
    "LOG_NAME",
    "Adjustment",
    "Approval",
    "AuditEntry",
    "AuditError",
    "AuditEvent",
    "AuditLogError",
    "ChainHead",
    "FileDigest",
    "FileRef",
    "Finding",
    "HistoryLine",
    "RobotOutcome",
    "SeasonLog",
    "VerifyReport",
    "child_history",
    "current_actor",
    "find_season_dir",
    "log_path",
    "record_access",
    "verify_season",
]
