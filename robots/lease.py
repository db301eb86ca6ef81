"""Who holds a queue item: lease owners (machine, process, run) and the one-writer transaction.

A lease says "this run works on this item until …". Two processes take items inside `BEGIN IMMEDIATE`
(SQLite's single writer), so both can never take the same one; a process that was killed on this
machine is recognised by its vanished pid and its items come back at once, elsewhere at the expiry.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import uuid


def new_owner() -> str:
    """A lease owner id: this machine, this process, this run."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_is_gone(owner: str) -> bool:
    """True when `owner` was a process on this machine that no longer exists (killed or crashed)."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False  # another machine: only the lease's expiry tells
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class WriteTransaction:
    """BEGIN IMMEDIATE … COMMIT: one writer at a time, so two processes never take the same item."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")
