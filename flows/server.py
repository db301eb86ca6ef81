"""A local Prefect server: find one that answers, or start `prefect server start` in the background.

The server keeps its database under PREFECT_HOME (embedded SQLite) unless
PREFECT_API_DATABASE_CONNECTION_URL points at PostgreSQL (see flows/README.md).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from flows.errors import ServerUnavailableError
from flows.settings import FlowSettings, prefect_environment

STARTUP_SECONDS = 120.0  # first start migrates the database: about 10-20 s on a small PC


def server_answers(api_url: str, timeout: float = 2.0) -> bool:
    try:
        response = httpx.get(api_url.rstrip("/") + "/health", timeout=timeout)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalServer:
    """A server this process started; `stop()` ends it (and only it)."""

    api_url: str
    process: subprocess.Popen[bytes] | None
    log_path: Path | None

    @property
    def ui_url(self) -> str:
        return self.api_url.removesuffix("/api") + "/"

    @property
    def started_here(self) -> bool:
        return self.process is not None

    def stop(self, timeout: float = 20.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)


def start_server(
    settings: FlowSettings,
    database_url: str | None = None,
    detach: bool = False,
    startup_seconds: float = STARTUP_SECONDS,
) -> LocalServer:
    """Start `prefect server start` on the host and port of `settings.api_url` and wait until it answers.

    `detach=True` lets the server outlive this process (`make demo` leaves it running for the UI).
    """
    parts = urlsplit(settings.api_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 4200
    env = {**os.environ, **prefect_environment(settings)}
    if database_url:
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = database_url
    settings.prefect_home.mkdir(parents=True, exist_ok=True)
    log_path = settings.prefect_home / f"server-{port}.log"
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", host, "--port", str(port)]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=detach
        )
    deadline = time.monotonic() + startup_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerUnavailableError(
                f"Prefect サーバーが起動直後に終了しました。ログを確認してください / the Prefect server exited "
                f"at start (code {process.returncode}); see {log_path}"
            )
        if server_answers(settings.api_url):
            return LocalServer(settings.api_url, process, log_path)
        time.sleep(0.5)
    process.terminate()
    raise ServerUnavailableError(
        f"Prefect サーバーが {startup_seconds:.0f} 秒以内に応答しません / the Prefect server did not answer "
        f"within {startup_seconds:.0f} s; see {log_path}"
    )


def ensure_server(settings: FlowSettings) -> LocalServer:
    """Use the server at `settings.api_url` if it answers; otherwise start one in the background."""
    if server_answers(settings.api_url):
        return LocalServer(settings.api_url, None, None)
    host = urlsplit(settings.api_url).hostname or ""
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ServerUnavailableError(
            f"Prefect サーバー {settings.api_url} が応答しません。サーバー担当者に確認してください / the "
            f"Prefect server at {settings.api_url} does not answer, and it is not local so it is not started here"
        )
    return start_server(settings, detach=True)
