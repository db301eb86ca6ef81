"""What a clerk does in the Prefect UI (3.8, the default UI), as clicks through robots' browser wrapper.

Used by the demo's walkthrough (`flows.demo_ui`) to take the screenshots of each step and by the browser
test. The selectors follow the UI's own structure (schema-form properties found by their label, the
run page's tabs, the resume dialog); Playwright itself stays in robots/_exec/browser.py.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from robots._exec.browser import BrowserSession

TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class Screenshot:
    name: str  # file stem, e.g. 01-start-form
    caption: str  # 日本語 / English, for the index
    path: Path


def field(label: str) -> str:
    """The form property whose own label is `label` (not an enclosing section that contains it); the UI
    adds " (Optional)" to the label of a field that is not required."""
    pattern = "^" + re.escape(label) + r"( \(Optional\))?$"
    quoted = pattern.replace("\\", "\\\\").replace('"', '\\"')  # inside a CSS string
    return (
        f'.schema-form-property:has(> .p-label__header .schema-form-property__label:text-matches("{quoted}"))'
    )


class PrefectUi:
    """One browser page on the Prefect UI; screenshots go to `shots` (0600, folder 0700)."""

    def __init__(self, driver: BrowserSession, ui_url: str, shots: Path) -> None:
        self.driver = driver
        self.ui_url = ui_url.rstrip("/") + "/"
        self.shots = shots
        shots.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.taken: list[Screenshot] = []

    def _goto(self, path: str, what: str) -> None:
        self.driver.goto(self.ui_url + path, TIMEOUT_MS, what)

    def wait_for(self, selector: str, what: str, timeout_ms: int = TIMEOUT_MS) -> None:
        self.driver.wait_visible(None, selector, timeout_ms, what)

    def shot(self, name: str, caption: str, settle_ms: int = 1200) -> Screenshot:
        path = self.shots / f"{name}.png"
        self.driver.pause(settle_ms)  # the run graph and the last animation (toast, dialog) settle
        if self.driver.screenshot(path, full_page=False) is None:
            raise RuntimeError(f"{name}: スクリーンショットを撮れません / screenshot failed")
        os.chmod(path, 0o600)
        taken = Screenshot(name, caption, path)
        self.taken.append(taken)
        return taken

    # -- the start form -----------------------------------------------------------------------------
    def open_start_form(self, deployment_id: UUID) -> None:
        self._goto(f"deployments/deployment/{deployment_id}/run", "開始フォーム / start form")
        self.wait_for("button:has-text('Submit')", "開始フォーム / start form")

    def choose(self, label: str, option: str) -> None:
        """Pick `option` in the drop-down (or multi-select) of the property labelled `label`."""
        what = f"{label}: {option}"
        # The UI's select opens from the keyboard reliably; a synthetic click can close it again at once.
        self.driver.press(
            None, f"{field(label)} button.p-select-button__control", "ArrowDown", TIMEOUT_MS, what
        )
        self.driver.click(None, f".p-select-option:has-text('{option}')", TIMEOUT_MS, what)
        self.driver.press(None, f"{field(label)} button.p-select-button__control", "Escape", TIMEOUT_MS, what)

    def submit_start_form(self) -> None:
        """Submit; the UI then shows the deployment's runs (the caller finds the new run by the API)."""
        self.driver.click(None, "button:has-text('Submit')", TIMEOUT_MS, "開始 / submit")

    # -- a run ----------------------------------------------------------------------------------------
    def open_run(self, run_id: UUID, tab: str | None = None) -> None:
        self._goto(f"runs/flow-run/{run_id}", "実行の画面 / run page")
        self.wait_for("li.p-tab:text-is('Logs')", "実行の画面 / run page")
        if tab is not None:
            self.driver.click(None, f"li.p-tab:text-is('{tab}')", TIMEOUT_MS, f"タブ / tab {tab}")

    def open_artifact(self, key: str) -> None:
        """From a run's Artifacts tab: the artifact's own page."""
        self.driver.click(None, f":text-is('{key}')", TIMEOUT_MS, f"成果物 / artifact {key}")
        self.wait_for(f":text-is('{key}')", f"成果物 / artifact {key}")

    def state_shown(self, state_name: str, timeout_ms: int = TIMEOUT_MS) -> None:
        """The run's state badge reads `state_name` (e.g. 差し戻し)."""
        self.wait_for(
            f".state-badge:text-is('{state_name}'), :text-is('{state_name}')", state_name, timeout_ms
        )

    # -- the approval (resume) dialog -------------------------------------------------------------------
    def fill_approval(self, approve: bool, approver: str, comment: str) -> None:
        self.driver.click(None, "button:has-text('Resume')", TIMEOUT_MS, "承認フォーム / resume")
        self.wait_for(".p-modal", "承認フォーム / resume dialog")
        if approve:
            self.driver.click(
                None, f"{field('承認する / approve')} [role=switch]", TIMEOUT_MS, "承認する / approve"
            )
        self.driver.fill(
            None, f"{field('承認者 / approver（必須）')} textarea", approver, TIMEOUT_MS, "承認者"
        )
        self.driver.fill(None, f"{field('コメント / comment')} textarea", comment, TIMEOUT_MS, "コメント")

    def submit_approval(self) -> None:
        self.driver.click(None, ".p-modal__footer button:has-text('Submit')", TIMEOUT_MS, "送信 / submit")
        self.driver.wait_visible(None, ".p-modal", TIMEOUT_MS, "承認の送信 / sent", hidden=True)
