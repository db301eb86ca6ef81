"""Typed records of the audit log: what a caller hands in (`AuditEvent`) and what is stored (`AuditEntry`).

Stored entries are canonical JSON (sorted keys, no spaces, UTF-8) so that the same entry always hashes
to the same SHA-256 on any machine; numbers are integers only (no float formatting to disagree about).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

GENESIS = "0" * 64  # the `prev` of the first entry
# Files that are never part of a profile's version: editor and Python leftovers.
_SKIPPED_NAMES = frozenset({"__pycache__", ".DS_Store", "Thumbs.db"})

Role = Literal["input", "output", "access"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FileRef(_Frozen):
    """A file (or a folder: every file in it) an action read (`input`), wrote (`output`) or handed out
    with personal data in it (`access`: an export, recorded as an access to the data)."""

    path: Path
    role: Role


class FileDigest(_Frozen):
    path: str  # relative to the season folder when inside it (posix), else absolute
    role: Role
    sha256: str
    size: int


class ProfileDigest(_Frozen):
    """The version of a city profile: one hash over every file of its folder (name and content)."""

    path: str
    sha256: str
    files: int


class Adjustment(_Frozen):
    """A staff adjustment (調整) as the run used it, with the reason staff gave where they gave one."""

    child_id: str
    kind: str
    nursery: str | None = None
    points: str | None = None
    reason: str | None = None


class Approval(_Frozen):
    approved: bool
    approver: str = Field(min_length=1)
    comment: str = ""
    result_sha256: str | None = None  # the result.json that was approved (bound by its hash)


class RobotOutcome(_Frozen):
    """What the robot did for one child: the decision, the queue state and the screen's message."""

    child_id: str
    reference: str
    decision: str
    state: str
    message: str = ""


class AuditEvent(_Frozen):
    """What happened, as a caller describes it; the log adds the time, sequence number and hashes."""

    action: str = Field(min_length=1)
    actor: str = Field(min_length=1)
    summary: str = ""  # counts and ids only: printed by `bodx audit show`
    files: tuple[FileRef, ...] = ()
    rules: Path | None = None
    profile: Path | None = None
    adjustments: tuple[Adjustment, ...] = ()
    approval: Approval | None = None
    robot: tuple[RobotOutcome, ...] = ()
    children: dict[str, str] = Field(default_factory=dict)  # child id -> what this action decided for it
    season_wide: bool = False  # concerns every child (approval, exports): shown in each child's history
    details: dict[str, str | int | bool | None] = Field(default_factory=dict)


class AuditEntry(_Frozen):
    seq: int = Field(ge=1)
    time: str
    actor: str
    action: str
    summary: str = ""
    files: tuple[FileDigest, ...] = ()
    rules_sha256: str | None = None
    profile: ProfileDigest | None = None
    adjustments: tuple[Adjustment, ...] = ()
    approval: Approval | None = None
    robot: tuple[RobotOutcome, ...] = ()
    children: dict[str, str] = Field(default_factory=dict)
    season_wide: bool = False
    details: dict[str, str | int | bool | None] = Field(default_factory=dict)
    prev: str
    hash: str


class ChainHead(_Frozen):
    """The last entry's number and hash: kept elsewhere (the Prefect server) to detect a rewritten log."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


def canonical_json(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def entry_hash(data: Mapping[str, Any]) -> str:
    """SHA-256 of the entry as stored, without its own `hash` field."""
    return hashlib.sha256(canonical_json({k: v for k, v in data.items() if k != "hash"})).hexdigest()


def sha256_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def files_under(path: Path) -> list[Path]:
    """A file itself, or every file in a folder (sorted, recursively, editor leftovers skipped)."""
    if path.is_file():
        return [path]
    return sorted(
        p
        for p in path.rglob("*")
        if p.is_file() and not _SKIPPED_NAMES.intersection(p.relative_to(path).parts)
    )


def folder_digest(folder: Path) -> ProfileDigest:
    """One hash over every file of `folder`: its relative name and its content's SHA-256, in order."""
    lines = []
    for path in files_under(folder):
        sha, _ = sha256_file(path)
        lines.append(f"{path.relative_to(folder).as_posix()}\t{sha}\n")
    return ProfileDigest(
        path=str(folder.resolve()),
        sha256=hashlib.sha256("".join(lines).encode("utf-8")).hexdigest(),
        files=len(lines),
    )


def current_actor() -> str:
    """Who runs this process: the OS account and the machine (a name staff log in with, not a person's)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers): the numeric id still identifies it
        user = f"uid{os.getuid()}" if hasattr(os, "getuid") else "unknown"
    return f"{user}@{socket.gethostname()}"
