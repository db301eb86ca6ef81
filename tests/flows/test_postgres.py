"""The Prefect server runs on a real PostgreSQL and a flow run lands in it."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

from flows.server import free_port, start_server
from flows.settings import FlowSettings
from tests.flows.drain import drain_prefect_workers
from tests.flows.postgres import postgres_bin, running_postgres

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(postgres_bin() is None, reason="Debian postgresql is not installed"),
]


def test_flow_run_lands_in_postgres() -> None:
    from prefect import flow
    from prefect.settings import PREFECT_API_URL, temporary_settings

    @flow(name="postgres-check")
    def postgres_check() -> int:
        return 42

    # Not under pytest's tmp_path: that is private to root (0700) and the `postgres` user must enter it.
    base = Path(tempfile.mkdtemp(prefix="bodx-pg-"))
    base.chmod(0o755)
    try:
        with running_postgres(base / "cluster") as pg:
            settings = FlowSettings(
                project_dir=base,
                data_dir=base / "data",
                prefect_home=base / "prefect-home",
                api_url=f"http://127.0.0.1:{free_port()}/api",
            )
            server = start_server(settings, database_url=pg.asyncpg_url)
            try:
                run_name = f"pg-{uuid.uuid4().hex[:8]}"
                with temporary_settings(updates={PREFECT_API_URL: settings.api_url}):
                    state = postgres_check.with_options(flow_run_name=run_name)(return_state=True)
                    drain_prefect_workers()  # before the server goes away
                assert state.is_completed()
                assert state.result() == 42
                stored = pg.psql(f"SELECT state_type FROM flow_run WHERE name = '{run_name}'")
                assert stored == "COMPLETED"
            finally:
                server.stop()
    finally:
        shutil.rmtree(base, ignore_errors=True)
