"""The only module that imports Playwright: a small synchronous driver over one Chromium page.

Everything the engine needs from a browser goes through :class:`BrowserSession`; Playwright's exceptions
are turned into :mod:`robots.errors` here, with messages that name the step, never the values typed
(names, passwords). Frames are addressed by name ("" or None: the top page), resolved lazily so that a
frameset reloaded after a new login is found again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from playwright.sync_api import Dialog, Frame, Page, Response, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from robots._exec.page_scripts import (
    CLICK_JS,
    FILL_JS,
    LOGIN_JS,
    MATCH_JS,
    OPTIONS_JS,
    OUTLINE_JS,
    READ_JS,
    TEXTS_JS,
)
from robots.errors import BrowserFailure, ScreenTimeout, ServerError

log = logging.getLogger(__name__)

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)
POLL_MS = 200  # slice of a wait, so an HTTP 5xx answer is noticed without waiting for the timeout

Target = tuple[str, str | None]  # css selector, text the element must contain (or None)
FormValue = tuple[str, str, str, str]  # kind (text/select/radio/check), css selector, value, label
FormProblem = tuple[str, str]  # ("missing" | "no_option", label)


@dataclass(frozen=True)
class BrowserOptions:
    executable_path: str = "/usr/bin/chromium"
    headless: bool = True
    trace: bool = True  # record a Playwright trace per item (kept only when the item fails)
    viewport: tuple[int, int] | None = None  # (width, height) in CSS pixels; None: Playwright's 1280x720


class BrowserSession:
    """One browser, one context, one page for a whole run (starting Chromium per item is slow)."""

    def __init__(self, options: BrowserOptions) -> None:
        self.options = options
        self.dialogs: list[str] = []  # messages of alert/confirm dialogs, all accepted
        self._http_error: int | None = None
        self._manager: Any = None
        self._page: Page | None = None
        self._tracing = False

    # -- lifecycle ------------------------------------------------------------------------------------
    def __enter__(self) -> BrowserSession:
        self._manager = sync_playwright().start()
        try:
            with self._translated("ブラウザー起動 / browser start"):
                self._browser = self._manager.chromium.launch(
                    executable_path=self.options.executable_path,
                    headless=self.options.headless,
                    args=list(CHROMIUM_ARGS),
                )
                viewport = self.options.viewport
                self._context = self._browser.new_context(
                    locale="ja-JP",
                    viewport={"width": viewport[0], "height": viewport[1]} if viewport else None,
                )
                self._new_page()
        except BaseException:
            self._manager.stop()  # no Playwright driver left behind when Chromium cannot start
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self._browser.close()
        except PlaywrightError:
            log.debug("browser already closed")
        finally:
            self._manager.stop()

    def _new_page(self) -> None:
        self._page = self._context.new_page()
        self._page.on("dialog", self._on_dialog)
        self._page.on("response", self._on_response)

    def reset_page(self) -> None:
        """A fresh page in the same context (cookies kept), after the old one crashed or hung."""
        with self._translated("ページ再作成 / new page"):
            if self._page is not None:
                try:
                    self._page.close()
                except PlaywrightError:
                    log.debug("old page already gone")
            self._new_page()

    @property
    def page(self) -> Page:
        assert self._page is not None, "BrowserSession used outside `with`"
        return self._page

    def _on_dialog(self, dialog: Dialog) -> None:
        # Old systems ask confirm() before saving and alert() after: the recipe decided to save, so accept.
        self.dialogs.append(dialog.message)
        try:
            dialog.accept()
        except PlaywrightError:
            log.debug("dialog closed before it was accepted")

    def _on_response(self, response: Response) -> None:
        if response.status >= 500 and response.request.resource_type == "document":
            self._http_error = response.status

    # -- actions ----------------------------------------------------------------------------------------
    def goto(self, url: str, timeout_ms: int, what: str) -> None:
        self._http_error = None
        with self._translated(what):
            self.page.goto(url, timeout=timeout_ms, wait_until="domcontentloaded")
        self._raise_http_error(what)

    def goto_frame(self, frame: str | None, url: str, timeout_ms: int, what: str) -> None:
        """Send one frame to `url`; returns once the navigation is committed (callers wait for content)."""
        self._http_error = None
        with self._translated(what):
            self._frame(frame, timeout_ms).goto(url, timeout=timeout_ms, wait_until="commit")
        self._raise_http_error(what)

    def click(self, frame: str | None, selector: str, timeout_ms: int, what: str, fast: bool = False) -> None:
        """Click; `fast` clicks by script when the element is there (no actionability round trips).

        The scripted click is scheduled with setTimeout so that a confirm() it opens or the navigation it
        starts cannot block or break this call; the caller then waits for the next screen.
        """
        self._http_error = None
        with self._translated(what):
            target = self._frame(frame, timeout_ms)
            if fast and target.evaluate(CLICK_JS, selector):
                return
            target.locator(selector).first.click(timeout=timeout_ms)

    def fill(self, frame: str | None, selector: str, text: str, timeout_ms: int, what: str) -> None:
        with self._translated(what):
            self._frame(frame, timeout_ms).locator(selector).first.fill(text, timeout=timeout_ms)

    def select(self, frame: str | None, selector: str, value: str, timeout_ms: int, what: str) -> None:
        with self._translated(what):
            self._frame(frame, timeout_ms).locator(selector).first.select_option(
                value=value, timeout=timeout_ms
            )

    def check(self, frame: str | None, selector: str, timeout_ms: int, what: str) -> None:
        with self._translated(what):
            self._frame(frame, timeout_ms).locator(selector).first.check(timeout=timeout_ms)

    def press(self, frame: str | None, selector: str, key: str, timeout_ms: int, what: str) -> None:
        """Focus the element and press `key` (e.g. ArrowDown opens a scripted drop-down list)."""
        with self._translated(what):
            self._frame(frame, timeout_ms).locator(selector).first.press(key, timeout=timeout_ms)

    def pause(self, ms: int) -> None:
        """Let the page work for `ms` (animations, a graph drawn after its data arrived)."""
        with self._translated("待機 / pause"):
            self.page.wait_for_timeout(ms)

    def wait_visible(
        self, frame: str | None, selector: str, timeout_ms: int, what: str, hidden: bool = False
    ) -> None:
        """Wait until the first element `selector` (any Playwright selector) is visible (or gone)."""
        with self._translated(what):
            self._frame(frame, timeout_ms).locator(selector).first.wait_for(
                state="hidden" if hidden else "visible", timeout=timeout_ms
            )

    def fill_form(self, frame: str | None, fields: Sequence[FormValue], timeout_ms: int) -> list[FormProblem]:
        """Set many fields in one round trip (value + input/change events, as Playwright's fill does).

        Returns the fields that could not be set: ("missing", label) or ("no_option", label).
        """
        with self._translated("入力 / fill form"):
            problems = self._frame(frame, timeout_ms).evaluate(FILL_JS, [list(f) for f in fields])
        return [(str(kind), str(label)) for kind, label in problems]

    def text(self, frame: str | None, selector: str, timeout_ms: int, what: str) -> str:
        with self._translated(what):
            raw = self._frame(frame, timeout_ms).locator(selector).first.inner_text(timeout=timeout_ms)
        return " ".join(raw.split())

    def texts(self, frame: str | None, selector: str, timeout_ms: int, what: str) -> list[str]:
        """The text of every element `selector` matches (whitespace squashed), in page order."""
        with self._translated(what):
            found = self._frame(frame, timeout_ms).evaluate(TEXTS_JS, selector)
        return [str(text) for text in found]

    def select_options(
        self, frame: str | None, selector: str, timeout_ms: int, what: str
    ) -> list[tuple[str, str]] | None:
        """(value, displayed text) of a select's options; None when there is no such select."""
        with self._translated(what):
            found = self._frame(frame, timeout_ms).evaluate(OPTIONS_JS, selector)
        return None if found is None else [(str(value), str(text)) for value, text in found]

    def read_values(
        self, frame: str | None, fields: Sequence[tuple[str, str]], timeout_ms: int
    ) -> list[list[str] | None]:
        """For each (kind, selector): what the page shows (see READ_JS), None when it is not there."""
        with self._translated("登録内容の読み取り / read registered values"):
            found = self._frame(frame, timeout_ms).evaluate(READ_JS, [list(f) for f in fields])
        return [None if shown is None else [str(s) for s in shown] for shown in found]

    def blank(self, frame: str | None, timeout_ms: int) -> None:
        """Show an empty page in `frame` (None/"": the whole page), e.g. before recording the next item."""
        with self._translated("空白ページ / blank page"):
            target = self._find_frame(frame)
            if target is not None:
                target.goto("about:blank", timeout=timeout_ms, wait_until="commit")

    def outline(self) -> list[dict[str, Any]]:
        """Every frame of the page (nested ones too) with its forms, fields, options, buttons and links."""
        found = []
        with self._translated("画面の調査 / explore"):
            for frame in self.page.frames:
                try:
                    data = frame.evaluate(OUTLINE_JS)
                except PlaywrightError:
                    continue  # a frame that went away while looking
                found.append({"frame": frame.name, "url": frame.url, **data})
        return found

    def login_form(self) -> tuple[str, str, str] | None:
        """(user field, password field, submit) of the page's login form, when it has one."""
        with self._translated("ログイン画面の調査 / find the login form"):
            found = self.page.main_frame.evaluate(LOGIN_JS)
        return None if found is None else (str(found[0]), str(found[1]), str(found[2]))

    def settle(self, timeout_ms: int) -> None:
        """Wait until the page and its frames finished loading (after a login or a navigation)."""
        with self._translated("読み込み / load"):
            self.page.wait_for_load_state("load", timeout=timeout_ms)
            for frame in self.page.frames:
                frame.wait_for_load_state("load", timeout=timeout_ms)

    def wait_any(self, frame: str | None, targets: dict[str, Target], timeout_ms: int, what: str) -> str:
        """Wait until one of `targets` is in the frame's loaded document; return its key (first match wins).

        A target is (css selector, text or None): the element must exist and contain the text. Raises
        ServerError as soon as a document answered 5xx, ScreenTimeout when nothing came in time.
        """
        arg = [[key, css, text] for key, (css, text) in targets.items()]
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            self._raise_http_error(what)
            remaining_ms = int((deadline - time.monotonic()) * 1000)
            if remaining_ms <= 0:
                raise ScreenTimeout(
                    f"{what}: 時間内に画面が表示されません / the screen did not appear in time"
                )
            slice_ms = min(POLL_MS, remaining_ms)
            target = self._find_frame(frame)
            if target is None:  # the frameset is still loading
                self.page.wait_for_timeout(20)
                continue
            try:
                handle = target.wait_for_function(MATCH_JS, arg=arg, timeout=slice_ms, polling=25)
                return str(handle.json_value())
            except PlaywrightTimeout:
                continue
            except PlaywrightError:
                time.sleep(0.01)  # the document was replaced while looking: look again
                continue

    def wait_dialog(self, message: str, since: int, timeout_ms: int, what: str) -> None:
        """Wait until a dialog containing `message` was shown after `since` (an index into dialogs)."""
        deadline = time.monotonic() + timeout_ms / 1000
        while not any(message in text for text in self.dialogs[since:]):
            if time.monotonic() > deadline:
                raise ScreenTimeout(f"{what}: 完了メッセージが表示されません / no confirmation message")
            with self._translated(what):
                self.page.wait_for_timeout(10)  # lets Playwright deliver the dialog event

    def _find_frame(self, name: str | None) -> Frame | None:
        return self.page.main_frame if not name else self.page.frame(name=name)

    def _frame(self, name: str | None, timeout_ms: int) -> Frame:
        deadline = time.monotonic() + timeout_ms / 1000
        while (frame := self._find_frame(name)) is None:
            if time.monotonic() > deadline:
                raise ScreenTimeout(f"フレーム {name} がありません / frame {name} did not appear")
            self.page.wait_for_timeout(20)
        return frame

    def _raise_http_error(self, what: str) -> None:
        if self._http_error is not None:
            status, self._http_error = self._http_error, None
            raise ServerError(f"{what}: サーバーエラー HTTP {status} / server error HTTP {status}")

    @contextmanager
    def _translated(self, what: str) -> Iterator[None]:
        try:
            yield
        except PlaywrightTimeout as exc:
            self._raise_http_error(what)
            raise ScreenTimeout(f"{what}: 時間内に応答がありません / timed out") from exc
        except PlaywrightError as exc:
            # The message may quote selectors or values: keep only the kind of failure.
            raise BrowserFailure(f"{what}: ブラウザーエラー / browser error ({type(exc).__name__})") from exc

    # -- evidence ---------------------------------------------------------------------------------------
    def start_trace(self) -> None:
        """Start recording one item. A fresh recording per item, not chunks of one: a chunk's network log
        holds every request since tracing started, i.e. the login form (password) and earlier children."""
        if self.options.trace and not self._tracing:
            self._context.tracing.start(snapshots=True, screenshots=False, sources=False)
            self._tracing = True

    def stop_trace(self, path: Path | None) -> Path | None:
        """End the item's recording: written to `path`, or dropped when `path` is None."""
        if not self._tracing:
            return None
        self._tracing = False
        try:
            self._context.tracing.stop(path=path)
        except PlaywrightError:
            log.warning("trace could not be written / トレースを書けませんでした")
            return None
        return path

    def screenshot(self, path: Path, full_page: bool = True) -> Path | None:
        try:
            self.page.screenshot(path=path, full_page=full_page, timeout=5000)
        except PlaywrightError:
            log.warning("screenshot failed / スクリーンショットを撮れませんでした")
            return None
        return path
