"""A throw-away PostgreSQL cluster for tests: initdb + pg_ctl into a temp dir on a free port.

PostgreSQL refuses to run as root, so as root the cluster belongs to the Debian `postgres` user and every
server command runs through `runuser -u postgres`.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flows.server import free_port


def postgres_bin() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


@dataclass(frozen=True)
class PostgresCluster:
    port: int
    bin_dir: Path
    as_user: tuple[str, ...]

    @property
    def asyncpg_url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/prefect"

    def psql(self, sql: str) -> str:
        command = [*self.as_user, str(self.bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(self.port)]
        command += ["-U", "postgres", "-d", "prefect", "-tAc", sql]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


@contextmanager
def running_postgres(base: Path) -> Iterator[PostgresCluster]:
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise RuntimeError(
            "PostgreSQL server binaries not found under /usr/lib/postgresql (Debian `postgresql`)"
        )
    as_user: tuple[str, ...] = ()
    base.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        as_user = ("runuser", "-u", "postgres", "--")
        shutil.chown(base, user="postgres")
    data, sockets = base / "pgdata", base / "sock"
    port = free_port()

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, timeout=120)

    run("mkdir", "-p", str(sockets))
    run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    options = f"-p {port} -k {sockets} -h 127.0.0.1 -F"
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "pg.log"), "-w", "start")
    try:
        run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "prefect")
        yield PostgresCluster(port, bin_dir, as_user)
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
