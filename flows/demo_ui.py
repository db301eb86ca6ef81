"""The demo as a clerk does it in the Prefect UI, with a screenshot of every step (`bodx demo`).

A small sample city's ledger and scans are put in a data folder's inbox, the 入所選考 deployment is
registered with the clerks' start form (drop-downs of that inbox), and a headless Chromium (through
robots' browser wrapper) then: starts a season from the form with only the required fields, follows it,
opens the summary it shows while it waits for approval, sends it back (差し戻し) from the approval form;
starts a second season with the scans too, follows OCR and the robot's progress, approves it, and opens
its report. The runs are executed in this process, as the serving process would (`bodx serve`).
Screenshots (1440 px wide) and an index (README.md) go to a folder of their own.
"""

from __future__ import annotations

import contextvars
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast
from uuid import UUID

from flows.demo import DEMO_PASSWORD, DEMO_USER, prepare_samples
from flows.errors import FlowsError, WalkthroughError
from flows.prefect_ui import PrefectUi, Screenshot
from flows.settings import FlowSettings
from robots._exec.browser import BrowserOptions, BrowserSession
from robots.errors import RobotsError
from samples.legacy_app import LegacyAppConfig, read_entries, running_legacy_app
from sheets.safety import write_atomically

UI_DEPLOYMENT = "入所選考-デモ"
LEDGER_NAME, SCANS_NAME = "受付台帳.xlsx", "スキャン"
APPROVER = "保育課 デモ職員 / demo clerk"
REJECT_COMMENT = "0歳児の保留が多いため、定員を確認してから再実行します / demo: sent back to check capacities"
APPROVE_COMMENT = "確認しました / checked (demo)"
VIEWPORT = (1440, 1000)
RUN_TIMEOUT_S = 600.0


@dataclass(frozen=True)
class UiDemo:
    rejected_run: UUID
    rejected_state: str
    approved_run: UUID
    approved_state: str
    legacy_entries: int
    screenshots: tuple[Screenshot, ...]
    index: Path


class _Executor:
    """Executes a run in a thread (as `bodx serve` would) while the browser follows it."""

    def __init__(self, run_id: UUID) -> None:
        self.run_id = run_id
        self.error: BaseException | None = None
        # The caller's context goes along: Prefect's settings (the API address) live in context variables.
        context = contextvars.copy_context()
        self._thread = threading.Thread(
            target=context.run, args=(self._execute,), name="season-run", daemon=True
        )
        self._thread.start()

    def _execute(self) -> None:
        from flows.runs import execute_run
        from flows.season import season_flow

        try:
            execute_run(season_flow, self.run_id)
        except BaseException as exc:  # handed to the browser's thread in wait()
            self.error = exc

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def wait(self) -> None:
        self._thread.join(RUN_TIMEOUT_S)
        if self._thread.is_alive():
            raise WalkthroughError(f"実行が {RUN_TIMEOUT_S:.0f} 秒で終わりません / the run did not stop")
        if self.error is not None:
            raise self.error


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """The data folder and robot login for the runs executed here; restored afterwards."""
    before = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _new_run(deployment_id: UUID, known: set[UUID]) -> UUID:
    from flows.runs import runs_of, wait_for_run

    def fresh() -> UUID | None:
        return next(iter(runs_of(deployment_id) - known), None)

    found = wait_for_run(fresh, "開始フォームの送信 / the start form's run")
    assert isinstance(found, UUID)
    return found


def _resumed(run_id: UUID) -> None:
    """Wait until the server took the approval form's answer (the run is no longer suspended)."""
    from flows.runs import is_suspended, read_run, wait_for_run

    def answered() -> UUID | None:
        return None if is_suspended(read_run(run_id)) else run_id

    wait_for_run(answered, "承認フォームの送信 / the approval form's answer")


def _follow(ui: PrefectUi, run: _Executor, name: str, caption: str, label: str) -> Screenshot:
    """The run's Artifacts tab, reloaded until the progress of `label` shows (or the run stops); then
    that progress artifact's own page (its bar, x / N and the time left)."""
    card = f":text('{label}')"
    while True:
        ui.open_run(run.run_id, tab="Artifacts")
        try:
            ui.wait_for(card, label, timeout_ms=1500)
        except RobotsError:
            if run.running:
                time.sleep(0.5)
                continue
            raise
        ui.driver.click(None, card, 10_000, label)
        ui.wait_for(":text-is('Artifacts')", label)  # the artifact's page: Artifacts / … breadcrumbs
        return ui.shot(name, caption)


def _state_name(run_id: UUID) -> str:
    from flows.runs import read_run

    state = read_run(run_id).state
    return (state.name if state else None) or "unknown"


def _season(ui: PrefectUi, deployment_id: UUID, with_scans: bool, prefix: int) -> _Executor:
    """Start a season from the form and wait until it suspends at the approval gate."""
    from flows.runs import runs_of

    ui.open_start_form(deployment_id)
    ui.choose("受付台帳（必須）", f"inbox/{LEDGER_NAME}")
    if with_scans:
        ui.choose("スキャンフォルダ", f"inbox/{SCANS_NAME}")
    else:
        ui.shot(
            f"{prefix:02d}-start-form",
            "開始フォーム: 必須の項目 (市・台帳) だけ / start form, required fields only",
        )
    known = runs_of(deployment_id)
    ui.submit_start_form()
    run = _Executor(_new_run(deployment_id, known))
    if with_scans:
        _follow(ui, run, f"{prefix:02d}-ocr-progress", "進捗: OCR 読み取り / progress of OCR", "OCR")
    run.wait()
    return run


def _walk(ui: PrefectUi, deployment_id: UUID) -> tuple[UUID, UUID]:
    first = _season(ui, deployment_id, with_scans=False, prefix=1)
    ui.open_run(first.run_id, tab="Artifacts")
    ui.shot(
        "02-awaiting-approval", "承認待ち: 実行画面の成果物 (概要・園別・ワークブック) / suspended, artifacts"
    )
    ui.open_artifact("season-summary")
    ui.shot("03-summary", "承認待ちの結果概要 / the summary awaiting approval")
    ui.open_run(first.run_id)
    ui.fill_approval(approve=False, approver=APPROVER, comment=REJECT_COMMENT)
    ui.shot("04-reject-form", "差し戻し: 承認をオフのまま、承認者と理由 / sending it back")
    ui.submit_approval()
    _resumed(first.run_id)
    _Executor(first.run_id).wait()
    ui.open_run(first.run_id)
    ui.state_shown("差し戻し")
    ui.shot("05-rejected", "差し戻し: 実行の状態 / the rejected run's state")

    second = _season(ui, deployment_id, with_scans=True, prefix=6)
    ui.open_run(second.run_id)
    ui.fill_approval(approve=True, approver=APPROVER, comment=APPROVE_COMMENT)
    ui.shot("07-approve-form", "承認: 承認をオンにして送信 / approving")
    ui.submit_approval()
    _resumed(second.run_id)
    entry = _Executor(second.run_id)
    _follow(ui, entry, "08-entry-progress", "進捗: システム入力 / progress of the robot", "システム入力")
    entry.wait()
    ui.open_run(second.run_id)
    ui.state_shown("Completed")
    ui.shot("09-completed", "承認後: 入力まで完了 / completed after approval")
    ui.open_run(second.run_id, tab="Artifacts")
    ui.open_artifact("season-report")
    ui.shot("10-report", "結果と入力状況 (承認者・コメント付き) / report with approver and comment")
    return first.run_id, second.run_id


def _inbox(out: Path, applicants: int, pages: int, seed: int, year: int) -> tuple[Path, LegacyAppConfig]:
    """A fresh data folder whose inbox holds the sample ledger and scans, and the legacy system's seed."""
    samples = prepare_samples(out / "samples", applicants, pages, seed, year)
    data_dir = out / "data"
    shutil.rmtree(data_dir, ignore_errors=True)
    inbox = data_dir / "inbox"
    inbox.mkdir(mode=0o700, parents=True)
    shutil.copy2(samples.ledger, inbox / LEDGER_NAME)
    shutil.copytree(samples.scans, inbox / SCANS_NAME)
    legacy_db = out / "legacy_app.sqlite"
    for stale in (
        legacy_db,
        legacy_db.with_name(legacy_db.name + "-wal"),
        legacy_db.with_name(legacy_db.name + "-shm"),
    ):
        stale.unlink(missing_ok=True)
    config = LegacyAppConfig(
        db_path=legacy_db,
        user=DEMO_USER,
        password=DEMO_PASSWORD,
        processing_delay_ms=20,
        children=samples.legacy_children,
        nurseries=samples.legacy_nurseries,
    )
    return data_dir, config


def write_index(shots: Path, taken: list[Screenshot]) -> Path:
    lines = ["# 入所選考のデモ: 職員の操作 / the season as staff do it", ""]
    for shot in taken:
        lines += [f"## {shot.caption}", "", f"![{shot.name}]({shot.path.name})", ""]
    return write_atomically(shots / "README.md", "\n".join(lines).encode("utf-8"))


def run_ui_demo(
    out: Path,
    ui_url: str,
    shots: Path | None = None,
    applicants: int = 12,
    pages: int = 1,
    seed: int = 2027,
    year: int = 2027,
) -> UiDemo:
    """Walk through the UI as staff do; screenshots to `shots` (default out/screenshots). Needs
    PREFECT_API_URL to point at the server behind `ui_url`."""
    from flows.deployments import season_deployment

    data_dir, config = _inbox(out, applicants, pages, seed, year)
    env = {"BODX_DATA_DIR": str(data_dir), "BODX_ROBOT_USER": DEMO_USER, "BODX_ROBOT_PASSWORD": DEMO_PASSWORD}
    with _environment(env), running_legacy_app(config) as legacy:
        settings = FlowSettings.from_env()
        deployment = season_deployment(
            settings, data_dir / "inbox", legacy.base_url, ["hinata"], UI_DEPLOYMENT
        )
        deployment_id = cast(UUID, deployment.apply())  # sync call: the id, not a coroutine
        options = BrowserOptions(trace=False, viewport=VIEWPORT)
        with BrowserSession(options) as driver:
            ui = PrefectUi(driver, ui_url, shots or out / "screenshots")
            try:
                rejected, approved = _walk(ui, deployment_id)
            except (RobotsError, FlowsError) as exc:
                failed = ui.shots / "failed.png"
                driver.screenshot(failed, full_page=False)
                raise WalkthroughError(
                    f"UI のデモが途中で止まりました (画面: {failed}) / the UI walkthrough stopped: {exc}"
                ) from exc
    return UiDemo(
        rejected_run=rejected,
        rejected_state=_state_name(rejected),
        approved_run=approved,
        approved_state=_state_name(approved),
        legacy_entries=len(read_entries(config.db_path)),
        screenshots=tuple(ui.taken),
        index=write_index(ui.shots, ui.taken),
    )
