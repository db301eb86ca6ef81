"""The sample legacy system's own SQLite file: seeded children and nurseries, and what was entered.

`entries` deliberately has no unique constraint: like many old systems, this one accepts the same child
twice, so a robot that enters a record twice leaves a visible duplicate that tests and the bench count.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS children (
    uketsuke TEXT NOT NULL,
    child_id TEXT NOT NULL,
    name TEXT NOT NULL,
    birth_date TEXT,
    PRIMARY KEY (uketsuke, child_id)
);
CREATE TABLE IF NOT EXISTS nurseries (code TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uketsuke TEXT NOT NULL,
    child_id TEXT NOT NULL,
    name TEXT NOT NULL,
    outcome TEXT NOT NULL,
    nursery_code TEXT,
    start_date TEXT,
    admission_kind TEXT,
    layout TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    remarks TEXT,
    extra TEXT
);
CREATE INDEX IF NOT EXISTS entries_child ON entries (uketsuke, child_id);
"""


@dataclass(frozen=True)
class SeedChild:
    uketsuke: str  # 受付番号
    child_id: str  # 児童番号
    name: str
    birth_date: dt.date | None = None


@dataclass(frozen=True)
class Entry:
    seq: int
    uketsuke: str
    child_id: str
    name: str
    outcome: str  # 内定 / 保留
    nursery_code: str | None
    start_date: dt.date | None
    admission_kind: str | None
    layout: str
    remarks: str | None = None
    extra: str | None = None  # JSON object of the other values a screen took (保育必要量 …)


class LegacyStore:
    """Thread-safe access to the app's SQLite file (the HTTP server answers from several threads)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)
        present = {row[1] for row in self._db.execute("PRAGMA table_info(entries)")}
        for column in ("remarks", "extra"):  # app databases written before these columns
            if column not in present:
                self._db.execute(f"ALTER TABLE entries ADD COLUMN {column} TEXT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def seed(self, children: list[SeedChild], nurseries: dict[str, str]) -> None:
        """Add children and nurseries; seeding the same file again keeps what is there."""
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR IGNORE INTO children VALUES (?, ?, ?, ?)",
                [
                    (c.uketsuke, c.child_id, c.name, c.birth_date.isoformat() if c.birth_date else None)
                    for c in children
                ],
            )
            self._db.executemany("INSERT OR IGNORE INTO nurseries VALUES (?, ?)", list(nurseries.items()))
            self._db.execute("COMMIT")

    def children_of(self, uketsuke: str) -> list[SeedChild]:
        with self._lock:
            rows = self._db.execute(
                "SELECT uketsuke, child_id, name, birth_date FROM children WHERE uketsuke = ? ORDER BY child_id",
                (uketsuke,),
            ).fetchall()
        return [SeedChild(r[0], r[1], r[2], _date(r[3])) for r in rows]

    def child(self, uketsuke: str, child_id: str) -> SeedChild | None:
        return next((c for c in self.children_of(uketsuke) if c.child_id == child_id), None)

    def nursery_name(self, code: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT name FROM nurseries WHERE code = ?", (code,)).fetchone()
        return row[0] if row else None

    def nurseries(self) -> dict[str, str]:
        with self._lock:
            return dict(self._db.execute("SELECT code, name FROM nurseries ORDER BY code").fetchall())

    def is_entered(self, uketsuke: str, child_id: str) -> bool:
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM entries WHERE uketsuke = ? AND child_id = ? LIMIT 1", (uketsuke, child_id)
            ).fetchone()
        return row is not None

    def add_entry(
        self,
        *,
        uketsuke: str,
        child_id: str,
        name: str,
        outcome: str,
        nursery_code: str | None,
        start_date: dt.date | None,
        admission_kind: str | None,
        layout: str,
        remarks: str | None = None,
        extra: str | None = None,
    ) -> int:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO entries (uketsuke, child_id, name, outcome, nursery_code, start_date,"
                " admission_kind, layout, entered_at, remarks, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    uketsuke,
                    child_id,
                    name,
                    outcome,
                    nursery_code,
                    start_date.isoformat() if start_date else None,
                    admission_kind,
                    layout,
                    now,
                    remarks,
                    extra,
                ),
            )
        return int(cursor.lastrowid or 0)

    def entry(self, seq: int) -> Entry | None:
        found = self._select("WHERE seq = ?", (seq,))
        return found[0] if found else None

    def entries(self) -> list[Entry]:
        return self._select("", ())

    def latest_entry(self, uketsuke: str, child_id: str) -> Entry | None:
        found = self._select("WHERE uketsuke = ? AND child_id = ?", (uketsuke, child_id))
        return found[-1] if found else None

    def _select(self, where: str, params: tuple[object, ...]) -> list[Entry]:
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, uketsuke, child_id, name, outcome, nursery_code, start_date, admission_kind,"
                f" layout, remarks, extra FROM entries {where} ORDER BY seq",
                params,
            ).fetchall()
        return [Entry(r[0], r[1], r[2], r[3], r[4], r[5], _date(r[6]), r[7], r[8], r[9], r[10]) for r in rows]


def read_entries(path: Path) -> list[Entry]:
    """Entries of an app database file, for tests and the bench (opens its own connection)."""
    store = LegacyStore(path)
    try:
        return store.entries()
    finally:
        store.close()


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None
