"""The sample legacy system as an object: configuration, store, sessions and failure injection.

`running_legacy_app(config)` starts it in a background thread on 127.0.0.1 (port 0: a free port), for
tests, flows and the bench; `bodx samples legacy-app` serves it in the foreground.
"""

from __future__ import annotations

import random
import secrets
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path

from samples.legacy_app.store import LegacyStore, SeedChild

FAILURE_KINDS = ("500", "timeout", "session")
# "slow": the system answers late *and* stores late (after hang_seconds); only on request (tests), since a
# robot can tell it from "timeout" only by waiting before it checks the screen again.
ALL_FAILURE_KINDS = (*FAILURE_KINDS, "slow")


@dataclass(frozen=True)
class LegacyAppConfig:
    db_path: Path
    host: str = "127.0.0.1"
    port: int = 0  # 0: a free port
    user: str = "clerk01"
    password: str = "sample-pass"  # synthetic system: tests pass their own
    session_seconds: float = 600.0  # absolute lifetime of a session after login
    processing_delay_ms: int = 150  # how long the 処理中 page stays before moving on
    failure_rate: float = 0.0  # share of save requests that fail
    failure_kinds: tuple[str, ...] = FAILURE_KINDS
    hang_seconds: float = 10.0  # a "timeout" failure answers this late (after storing the record)
    seed: int = 0
    # 受付番号 -> failure kinds for its next save requests, in order (deterministic tests)
    forced_failures: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    children: tuple[SeedChild, ...] = ()
    nurseries: Mapping[str, str] = field(default_factory=dict)


class LegacyApp:
    """The running application: store, sessions and failure injection."""

    def __init__(self, config: LegacyAppConfig) -> None:
        unknown = {*config.failure_kinds, *(k for ks in config.forced_failures.values() for k in ks)} - set(
            ALL_FAILURE_KINDS
        )
        if unknown or not 0.0 <= config.failure_rate <= 1.0:
            raise ValueError(f"failure kinds must be among {ALL_FAILURE_KINDS} and 0 <= rate <= 1")
        self.config = config
        self.store = LegacyStore(config.db_path)
        self.store.seed(list(config.children), dict(config.nurseries))
        self._sessions: dict[str, float] = {}
        self._lock = threading.Lock()
        self._rng = random.Random(config.seed)
        self._forced = {k: list(v) for k, v in config.forced_failures.items()}
        self.injected: list[str] = []  # failure kinds served so far, for tests
        self.logins = 0  # successful logins, for tests
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start_session(self) -> str:
        sid = secrets.token_hex(16)
        with self._lock:
            self.logins += 1
            self._sessions[sid] = time.monotonic() + self.config.session_seconds
        return sid

    def session_valid(self, sid: str | None) -> bool:
        with self._lock:
            expires = self._sessions.get(sid or "")
            if expires is not None and expires < time.monotonic():
                del self._sessions[sid or ""]
                return False
            return expires is not None

    def drop_session(self, sid: str | None) -> None:
        with self._lock:
            self._sessions.pop(sid or "", None)

    def next_failure(self, uketsuke: str) -> str | None:
        with self._lock:
            planned = self._forced.get(uketsuke)
            if planned:
                kind: str | None = planned.pop(0)
            elif self.config.failure_rate and self._rng.random() < self.config.failure_rate:
                kind = self._rng.choice(self.config.failure_kinds)
            else:
                kind = None
            if kind:
                self.injected.append(kind)
            return kind

    def serve(self) -> ThreadingHTTPServer:
        from samples.legacy_app.server import Handler

        handler = type("BoundHandler", (Handler,), {"app": self})
        self._server = ThreadingHTTPServer((self.config.host, self.config.port), handler)
        self._server.daemon_threads = True
        return self._server

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        self.store.close()


@contextmanager
def running_legacy_app(config: LegacyAppConfig) -> Iterator[LegacyApp]:
    """Start the app in a background thread (port 0 picks a free port); stop it on exit."""
    app = LegacyApp(config)
    server = app.serve()
    thread = threading.Thread(target=server.serve_forever, name="legacy-app", daemon=True)
    thread.start()
    try:
        yield app
    finally:
        app.close()
        thread.join(timeout=5)
