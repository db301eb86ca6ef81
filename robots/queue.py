"""The robot's work queue, persisted in SQLite so that a crash or a kill loses nothing.

Each decision is one item, keyed by its unique reference (受付番号/児童番号). States:

    new -> in_progress -> done | business_error | application_error

An item is marked in_progress (and its attempt counted) *before* the robot touches the screen, so after a
kill the next run knows which item may have been half entered and checks the screen before writing.

Several robot processes may work on one queue (an overlapping scheduled run): an item is taken with a
**lease** (owner + expiry) in one write transaction, and nobody else takes it while the lease holds. A
killed run's leases end with its process (checked on this machine) or, at the latest, at their expiry.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import ValidationError

from robots.decisions import Decision, RejectedDecision
from robots.errors import QueueError
from robots.lease import WriteTransaction, new_owner, owner_is_gone

__all__ = ["AddResult", "State", "WorkItem", "WorkQueue", "new_owner"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'new',
    attempts INTEGER NOT NULL DEFAULT 0,
    message TEXT,
    screenshot TEXT,
    trace TEXT,
    note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    owner TEXT,
    lease_until REAL
);
CREATE INDEX IF NOT EXISTS items_state ON items (state);
"""
# Queues written before leases existed get the columns on first open.
_ADDED_COLUMNS = {"owner": "TEXT", "lease_until": "REAL"}
DEFAULT_LEASE_S = 300.0  # renewed at every attempt; a run that hangs longer than this loses its items
REJECTED_PAYLOAD = "{}"  # a decision the record refused: no content to enter


class State(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BUSINESS_ERROR = "business_error"
    APPLICATION_ERROR = "application_error"


FINAL_STATES = (State.DONE, State.BUSINESS_ERROR)
_COLUMNS = (
    "seq, reference, payload, state, attempts, message, screenshot, trace, note, created_at, updated_at,"
    " started_at, finished_at, owner"
)


@dataclass(frozen=True)
class WorkItem:
    seq: int
    reference: str
    decision: Decision | None  # None: the decisions file held this item in a form the record refused
    state: State
    attempts: int
    message: str | None
    screenshot: str | None
    trace: str | None
    note: str | None
    created_at: str
    updated_at: str
    started_at: str | None
    finished_at: str | None
    owner: str | None = None


@dataclass(frozen=True)
class AddResult:
    added: int
    conflicts: tuple[str, ...]  # references already worked on with other content (kept as they were)


class WorkQueue:
    def __init__(self, path: Path, *, shared: bool = False) -> None:
        """`shared`: the connection is used from several threads (the caller serialises the calls)."""
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=not shared)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL still survives a killed process
            self._db.executescript(SCHEMA)
            present = {row[1] for row in self._db.execute("PRAGMA table_info(items)")}
            for column, kind in _ADDED_COLUMNS.items():
                if column not in present:
                    self._db.execute(f"ALTER TABLE items ADD COLUMN {column} {kind}")
        except sqlite3.Error as exc:
            raise QueueError(f"作業キューを開けません / cannot open work queue {path}: {exc}") from exc

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> WorkQueue:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- filling --------------------------------------------------------------------------------------------
    def add(self, decisions: Iterable[Decision]) -> AddResult:
        """Enqueue decisions; an item already queued is kept as it is.

        The same reference with different content is not taken once the item has been worked on (the
        screen may already hold the old values): it is listed in `conflicts` and noted on the item for
        staff; the other decisions are enqueued. An item refused earlier (never on the screen) is replaced.
        """
        now = _now()
        added, conflicts = 0, []
        with self._write():
            for decision in decisions:
                payload = decision.model_dump_json()
                row = self._db.execute(
                    "SELECT payload, state, attempts FROM items WHERE reference = ?", (decision.reference,)
                ).fetchone()
                if row is None:
                    self._db.execute(
                        "INSERT INTO items (reference, payload, created_at, updated_at) VALUES (?, ?, ?, ?)",
                        (decision.reference, payload, now, now),
                    )
                    added += 1
                elif row[0] == payload:
                    continue
                elif row[1] == State.NEW or (row[1] == State.BUSINESS_ERROR and row[2] == 0):
                    self._db.execute(
                        "UPDATE items SET payload = ?, state = 'new', message = NULL, note = NULL,"
                        " updated_at = ? WHERE reference = ?",
                        (payload, now, decision.reference),
                    )
                else:
                    conflicts.append(decision.reference)
                    self._db.execute(
                        "UPDATE items SET note = ?, updated_at = ? WHERE reference = ?",
                        (
                            "新しい決定と内容が異なります (処理済みのため変更していません)。担当者が確認してください / "
                            "a newer decision differs; the item was already worked on and was not changed",
                            now,
                            decision.reference,
                        ),
                    )
        return AddResult(added, tuple(conflicts))

    def add_rejected(self, rejected: Iterable[RejectedDecision]) -> int:
        """Record items the decision record refused as business errors (0 attempts), for the staff report."""
        now, added = _now(), 0
        with self._write():
            for item in rejected:
                row = self._db.execute(
                    "SELECT state FROM items WHERE reference = ?", (item.reference,)
                ).fetchone()
                if row is None:
                    self._db.execute(
                        "INSERT INTO items (reference, payload, state, message, created_at, updated_at,"
                        " finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (item.reference, REJECTED_PAYLOAD, State.BUSINESS_ERROR, item.message, now, now, now),
                    )
                    added += 1
                else:  # the queued item keeps its content; staff see why the new one was refused
                    self._db.execute(
                        "UPDATE items SET note = ?, updated_at = ? WHERE reference = ?",
                        (item.message, now, item.reference),
                    )
        return added

    # -- taking items -----------------------------------------------------------------------------------------
    def claim(
        self, owner: str, lease_s: float = DEFAULT_LEASE_S, retry_application_errors: bool = True
    ) -> WorkItem | None:
        """Take the next item nobody holds: interrupted ones first, then in order. Counts its attempt.

        An item this owner already gave up on (application_error) is not taken again by the same run.
        """
        states = [State.IN_PROGRESS, State.NEW]
        if retry_application_errors:
            states.append(State.APPLICATION_ERROR)
        marks = ",".join("?" * len(states))
        now = time.time()
        with self._write():
            holders = self._db.execute(
                f"SELECT DISTINCT owner FROM items WHERE state IN ({marks}) AND lease_until >= ?"
                " AND owner != ?",
                (*states, now, owner),
            ).fetchall()
            for (holder,) in holders:
                if owner_is_gone(holder):  # killed run: its items come back at once
                    self._db.execute(
                        "UPDATE items SET lease_until = NULL WHERE owner = ? AND lease_until IS NOT NULL",
                        (holder,),
                    )
            row = self._db.execute(
                f"SELECT reference FROM items WHERE state IN ({marks})"
                " AND (lease_until IS NULL OR lease_until < ?)"
                " AND NOT (state = 'application_error' AND owner IS ?)"
                " ORDER BY state != 'in_progress', seq LIMIT 1",
                (*states, now, owner),
            ).fetchone()
            if row is None:
                return None
            self._take(row[0], owner, lease_s)
        return self.get(row[0])

    def start(self, reference: str, owner: str | None = None, lease_s: float = DEFAULT_LEASE_S) -> int:
        """Mark in progress and count the attempt (committed before the screen is touched).

        With `owner`, the lease is renewed; QueueError if another process holds it now.
        """
        with self._write():
            if owner is not None:
                row = self._db.execute(
                    "SELECT owner, lease_until FROM items WHERE reference = ?", (reference,)
                ).fetchone()
                if row is not None and row[0] != owner and row[1] is not None and row[1] >= time.time():
                    raise QueueError("別の実行が処理中の項目です / another run holds this item's lease")
            self._take(reference, owner, lease_s)
        return self.get(reference).attempts

    def _take(self, reference: str, owner: str | None, lease_s: float) -> None:
        now = _now()
        self._db.execute(
            "UPDATE items SET state = ?, attempts = attempts + 1, started_at = ?, updated_at = ?,"
            " owner = ?, lease_until = ? WHERE reference = ?",
            (
                State.IN_PROGRESS,
                now,
                now,
                owner,
                None if owner is None else time.time() + lease_s,
                reference,
            ),
        )

    def release(self, owner: str) -> int:
        """End every lease of `owner` (the end of a run): items left in progress come back at once."""
        cursor = self._db.execute(
            "UPDATE items SET lease_until = NULL WHERE owner = ? AND lease_until IS NOT NULL", (owner,)
        )
        return cursor.rowcount

    # -- outcomes ------------------------------------------------------------------------------------------
    def record_failure(
        self, reference: str, message: str, screenshot: Path | None, trace: Path | None, state: State
    ) -> None:
        """Store the latest failure's evidence; `state` stays in_progress while retries remain."""
        now = _now()
        finished = now if state != State.IN_PROGRESS else None
        lease = "lease_until" if state == State.IN_PROGRESS else "NULL"
        self._db.execute(
            "UPDATE items SET state = ?, message = ?, screenshot = ?, trace = ?, updated_at = ?,"
            f" finished_at = ?, lease_until = {lease} WHERE reference = ?",
            (state, message, _text(screenshot), _text(trace), now, finished, reference),
        )

    def finish_done(self, reference: str, note: str | None = None) -> None:
        now = _now()
        self._db.execute(
            "UPDATE items SET state = ?, note = ?, message = NULL, updated_at = ?, finished_at = ?,"
            " lease_until = NULL WHERE reference = ?",
            (State.DONE, note, now, now, reference),
        )

    # -- reading -------------------------------------------------------------------------------------------
    def pending(self, retry_application_errors: bool = True) -> list[WorkItem]:
        """Items to work on: the interrupted ones first (they need the screen check), then in order."""
        states = [State.IN_PROGRESS, State.NEW]
        if retry_application_errors:
            states.append(State.APPLICATION_ERROR)
        marks = ",".join("?" * len(states))
        return self._select(
            f"WHERE state IN ({marks}) ORDER BY state != 'in_progress', seq", tuple(str(s) for s in states)
        )

    def items(self) -> list[WorkItem]:
        return self._select("ORDER BY seq", ())

    def get(self, reference: str) -> WorkItem:
        found = self._select("WHERE reference = ?", (reference,))
        if not found:
            raise QueueError(f"キューに項目がありません / no such item in the queue: {reference}")
        return found[0]

    def counts(self) -> dict[State, int]:
        rows = dict(self._db.execute("SELECT state, COUNT(*) FROM items GROUP BY state").fetchall())
        return {state: int(rows.get(str(state), 0)) for state in State}

    def _select(self, tail: str, params: tuple[object, ...]) -> list[WorkItem]:
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM items {tail}", params).fetchall()
        return [
            WorkItem(
                seq=r[0],
                reference=r[1],
                decision=_decision(r[2]),
                state=State(r[3]),
                attempts=r[4],
                message=r[5],
                screenshot=r[6],
                trace=r[7],
                note=r[8],
                created_at=r[9],
                updated_at=r[10],
                started_at=r[11],
                finished_at=r[12],
                owner=r[13],
            )
            for r in rows
        ]

    def _write(self) -> WriteTransaction:
        return WriteTransaction(self._db)


def _decision(payload: str) -> Decision | None:
    if payload == REJECTED_PAYLOAD:
        return None
    try:
        return Decision.model_validate_json(payload)
    except ValidationError as exc:
        raise QueueError(
            f"作業キューの項目が読めません (古い形式?) / a queued item cannot be read: {exc.error_count()} problem(s)"
        ) from exc


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _text(path: Path | None) -> str | None:
    return str(path) if path is not None else None
