"""The demo's run as staff see it: the Prefect UI in headless Chromium shows it Completed, with artifacts."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from flows.server import free_port, start_server
from flows.settings import FlowSettings
from tests.flows.drain import drain_prefect_workers

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium is not installed"),
]
CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def test_demo_run_is_completed_with_artifacts_in_the_ui() -> None:
    from playwright.sync_api import expect, sync_playwright
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.demo import run_demo

    base = Path(tempfile.mkdtemp(prefix="bodx-ui-"))
    settings = FlowSettings(
        project_dir=base,
        data_dir=base / "data",
        prefect_home=base / "prefect-home",
        api_url=f"http://127.0.0.1:{free_port()}/api",
    )
    server = start_server(settings)
    try:
        with temporary_settings(updates={PREFECT_API_URL: settings.api_url}):
            run = run_demo(base / "demo", applicants=8, pages=0, seed=11)
            drain_prefect_workers()
        assert run.state == "Completed"
        args = [*CHROMIUM_ARGS, *(["--no-sandbox"] if os.geteuid() == 0 else [])]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=args)
            try:
                page = browser.new_page()
                page.goto(f"{server.ui_url}runs/flow-run/{run.flow_run_id}")
                expect(page.get_by_text("season", exact=True).first).to_be_visible(timeout=30_000)
                expect(page.get_by_text("Completed", exact=True).first).to_be_visible()
                page.get_by_text("Artifacts", exact=True).first.click()
                expect(page.get_by_text("season-report", exact=True).first).to_be_visible(timeout=15_000)
                expect(page.get_by_text("review-workbook", exact=True).first).to_be_visible()
                page.get_by_text("season-report", exact=True).first.click()
                expect(page.get_by_text(re.compile("承認 / approved")).first).to_be_visible(timeout=15_000)
                expect(page.get_by_text(re.compile("年齢クラス別")).first).to_be_visible()
            finally:
                browser.close()
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)
