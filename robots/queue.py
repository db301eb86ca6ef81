"""The robot's work queue, persisted in SQLite so that a crash or a kill loses nothing.

Each decision is one item, keyed by its unique reference (受付番号/児童番号). States:

    new -> in_progress -> done | business_error | application_error

An item is marked in_progress (and its attempt counted) *before* the robot touches the screen, so after a
kill the next run knows which item may have been half entered and checks the screen before writing.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from robots.decisions import Decision
from robots.errors import QueueError

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
    finished_at TEXT
);
CREATE INDEX IF NOT EXISTS items_state ON items (state);
"""


class State(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BUSINESS_ERROR = "business_error"
    APPLICATION_ERROR = "application_error"


FINAL_STATES = (State.DONE, State.BUSINESS_ERROR)


@dataclass(frozen=True)
class WorkItem:
    seq: int
    reference: str
    decision: Decision
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


class WorkQueue:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL still survives a killed process
            self._db.executescript(SCHEMA)
        except sqlite3.Error as exc:
            raise QueueError(f"作業キューを開けません / cannot open work queue {path}: {exc}") from exc

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> WorkQueue:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, decisions: Iterable[Decision]) -> int:
        """Enqueue decisions; an item already queued is kept as it is. Returns how many were new.

        The same reference with different content is refused once the item has been worked on: the
        screen may already hold the old values, so staff must decide.
        """
        now = _now()
        added = 0
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for decision in decisions:
                payload = decision.model_dump_json()
                row = self._db.execute(
                    "SELECT payload, state FROM items WHERE reference = ?", (decision.reference,)
                ).fetchone()
                if row is None:
                    self._db.execute(
                        "INSERT INTO items (reference, payload, created_at, updated_at) VALUES (?, ?, ?, ?)",
                        (decision.reference, payload, now, now),
                    )
                    added += 1
                elif row[0] != payload:
                    if row[1] != State.NEW:
                        raise QueueError(
                            f"項目 {decision.child_id} は処理済みで内容が異なります。担当者が確認してください / "
                            f"item {decision.child_id} was already worked on with different content"
                        )
                    self._db.execute(
                        "UPDATE items SET payload = ?, updated_at = ? WHERE reference = ?",
                        (payload, now, decision.reference),
                    )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return added

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

    def start(self, reference: str) -> int:
        """Mark in progress and count the attempt (committed before the screen is touched)."""
        now = _now()
        self._db.execute(
            "UPDATE items SET state = ?, attempts = attempts + 1, started_at = ?, updated_at = ?"
            " WHERE reference = ?",
            (State.IN_PROGRESS, now, now, reference),
        )
        return self.get(reference).attempts

    def record_failure(
        self, reference: str, message: str, screenshot: Path | None, trace: Path | None, state: State
    ) -> None:
        """Store the latest failure's evidence; `state` stays in_progress while retries remain."""
        now = _now()
        finished = now if state != State.IN_PROGRESS else None
        self._db.execute(
            "UPDATE items SET state = ?, message = ?, screenshot = ?, trace = ?, updated_at = ?,"
            " finished_at = ? WHERE reference = ?",
            (state, message, _text(screenshot), _text(trace), now, finished, reference),
        )

    def finish_done(self, reference: str, note: str | None = None) -> None:
        now = _now()
        self._db.execute(
            "UPDATE items SET state = ?, note = ?, updated_at = ?, finished_at = ? WHERE reference = ?",
            (State.DONE, note, now, now, reference),
        )

    def counts(self) -> dict[State, int]:
        rows = dict(self._db.execute("SELECT state, COUNT(*) FROM items GROUP BY state").fetchall())
        return {state: int(rows.get(str(state), 0)) for state in State}

    def _select(self, tail: str, params: tuple[object, ...]) -> list[WorkItem]:
        rows = self._db.execute(
            "SELECT seq, reference, payload, state, attempts, message, screenshot, trace, note, created_at,"
            f" updated_at, started_at, finished_at FROM items {tail}",
            params,
        ).fetchall()
        return [
            WorkItem(
                seq=r[0],
                reference=r[1],
                decision=Decision.model_validate_json(r[2]),
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
            )
            for r in rows
        ]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _text(path: Path | None) -> str | None:
    return str(path) if path is not None else None
