"""Run a recipe over the work queue: the robot's main loop.

Retry policy: application errors (timeout, HTTP 5xx, lost session, browser failure) are retried after
logging in again, up to `max_attempts` per run; business errors are never retried. Every failed attempt
leaves a screenshot and a Playwright trace named by the queue's sequence number (no ids, no names).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from robots._exec.browser import BrowserOptions, BrowserSession
from robots.credentials import Credentials
from robots.decisions import Decision, RejectedDecision
from robots.errors import ApplicationError, BusinessError, ItemError, QueueError, ScreenTimeout
from robots.queue import State, WorkItem, WorkQueue, new_owner
from robots.recipe import Recipe
from robots.report import STAFF_REPORT_NAME, RunReport, StaffReportWriter, failures_of, mask
from robots.screen import DecisionScreen, Found

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RobotSettings:
    max_attempts: int = 3  # per item and run, application errors only
    dry_run: bool = False  # fill the form, never save; the queue is left as it was
    trace: bool = True
    headless: bool = True
    executable_path: str = "/usr/bin/chromium"
    retry_pause_s: float = 0.1  # grows with each attempt; old systems recover from a hiccup quickly
    unanswered_save_wait_s: float = 3.0  # after a save that timed out, before checking the screen again
    retry_application_errors: bool = True  # also retry items a previous run gave up on
    limit: int | None = None  # work on at most this many items (staged roll-outs, tests)
    # Browsers (each with its own login) working in parallel. 1 keeps to one session, which some
    # systems require; 2 hides the system's waits (処理中) behind the other browser's work.
    workers: int = 1
    lease_s: float = 300.0  # how long an item stays ours without a new attempt (killed elsewhere: at once)

    def __post_init__(self) -> None:
        if self.workers < 1 or self.max_attempts < 1:
            raise ValueError("workers and max_attempts must be at least 1 / 1以上にしてください")


Progress = Callable[[int, int], None]  # (items settled so far, items to work on): for a progress bar


@dataclass
class _Tally:
    processed: int = 0
    entered: int = 0
    already: int = 0
    filled: int = 0
    settled: int = 0  # items this run finished with, whatever the outcome (a bar's x of N)
    total: int = 0
    on_progress: Progress | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, name: str, add: bool = True) -> None:
        if add:
            with self.lock:
                setattr(self, name, getattr(self, name) + 1)

    def settle(self) -> None:
        # Under the lock: with two browsers the callback is never called from both at once.
        with self.lock:
            self.settled += 1
            if self.on_progress is not None:
                self.on_progress(min(self.settled, self.total), self.total)


class _Feed:
    """Hands items to the workers one at a time; after a fatal error nobody takes another.

    Items come from `take` (a lease on the shared queue, or the dry run's list). An item whose save went
    unanswered comes back later (`later`): the system may still be storing it, and the worker enters other
    items meanwhile instead of waiting idle before it checks the screen.
    """

    def __init__(self, take: Callable[[], WorkItem | None], limit: int | None = None) -> None:
        self._take = take
        self._left = limit
        self._waiting: list[tuple[float, int, WorkItem]] = []  # (not before, next attempt, item)
        self._lock = threading.Lock()
        self.error: BaseException | None = None

    def next(self) -> tuple[WorkItem, int] | None:
        """(item, first attempt number), or None when nothing is left for this worker."""
        while True:
            with self._lock:
                if self.error is not None:
                    return None
                now = time.monotonic()
                if self._waiting and self._waiting[0][0] <= now:
                    _, attempt, waited = self._waiting.pop(0)
                    return waited, attempt
                fresh = self._take() if self._left is None or self._left > 0 else None
                if fresh is not None:
                    self._left = None if self._left is None else self._left - 1
                    return fresh, 1
                if not self._waiting:
                    return None
                pause = self._waiting[0][0] - now
            time.sleep(min(pause, 0.5))

    def later(self, item: WorkItem, attempt: int, delay_s: float) -> None:
        with self._lock:
            self._waiting.append((time.monotonic() + delay_s, attempt, item))
            self._waiting.sort(key=lambda entry: entry[0])

    def fail(self, exc: BaseException) -> None:
        with self._lock:
            self.error = self.error or exc


@dataclass(frozen=True)
class _Run:
    """What every worker of one run shares."""

    feed: _Feed
    recipe: Recipe
    credentials: Credentials
    base_url: str
    queue_path: Path
    artifacts: Path
    settings: RobotSettings
    tally: _Tally
    owner: str
    staff: StaffReportWriter


def run_robot(
    recipe: Recipe,
    credentials: Credentials,
    *,
    base_url: str,
    queue_path: Path,
    artifacts_dir: Path,
    decisions: Iterable[Decision] = (),
    rejected: Iterable[RejectedDecision] = (),
    settings: RobotSettings | None = None,
    on_progress: Progress | None = None,
) -> RunReport:
    """Enqueue `decisions` (already queued ones are kept), work through the queue, write the reports.

    `rejected` are items of the decisions file the record refused: they go to the staff report as
    business errors. `on_progress(settled, total)` is called once at the start and after each item is
    finished with (entered, found entered, or failed for good). Safe to call again after a crash or a kill (interrupted items are checked on the
    screen first), and while another run works on the same queue (items are leased, never shared).
    """
    settings = settings or RobotSettings()
    artifacts_dir.mkdir(parents=True, exist_ok=True)
    started, clock = dt.datetime.now(dt.UTC), time.perf_counter()
    tally = _Tally(on_progress=on_progress)
    owner = new_owner()
    staff = StaffReportWriter(queue_path, artifacts_dir / STAFF_REPORT_NAME)
    with WorkQueue(queue_path) as queue, WorkQueue(queue_path, shared=True) as feed_queue:
        added = queue.add(decisions)
        queue.add_rejected(rejected)
        for reference in added.conflicts:
            log.warning(
                "item %s: differs from the queued one, already worked on: not changed", mask(reference)
            )
        log.info("robot %s: %d queued (%d new)", recipe.name, len(queue.items()), added.added)
        staff.write()
        to_work = len(queue.pending(settings.retry_application_errors))
        tally.total = to_work if settings.limit is None else min(to_work, settings.limit)
        if on_progress is not None:
            on_progress(0, tally.total)
        if settings.dry_run:  # the queue is left as it was: no leases, no attempts
            take = partial(next, iter(queue.pending(settings.retry_application_errors)), None)
        else:
            take = partial(feed_queue.claim, owner, settings.lease_s, settings.retry_application_errors)
        feed = _Feed(take, settings.limit)
        run = _Run(
            feed, recipe, credentials, base_url, queue_path, artifacts_dir, settings, tally, owner, staff
        )
        try:
            if settings.workers == 1:
                _worker(run)
            else:
                threads = [
                    threading.Thread(target=_worker, args=(run,), name=f"robot-{n}")
                    for n in range(settings.workers)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
        finally:
            queue.release(owner)
            staff.write()
        if feed.error is not None:
            raise feed.error
        report = RunReport(
            recipe=recipe.name,
            dry_run=settings.dry_run,
            started_at=started.isoformat(timespec="seconds"),
            finished_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            seconds=round(time.perf_counter() - clock, 2),
            processed=tally.processed,
            entered=tally.entered,
            already_entered=tally.already,
            filled_only=tally.filled,
            counts=queue.counts(),
            failures=failures_of(queue),
        )
    # report.json is the latest run; the stamped copy keeps the history of earlier runs
    report.write(artifacts_dir / f"report-{started:%Y%m%dT%H%M%S}.json")
    report.write(artifacts_dir / "report.json")
    return report


def _worker(run: _Run) -> None:
    """One browser and one session working through the feed (its own SQLite connection)."""
    settings = run.settings
    try:
        options = BrowserOptions(settings.executable_path, settings.headless, settings.trace)
        with WorkQueue(run.queue_path) as queue, BrowserSession(options) as driver:
            screen = DecisionScreen(driver, run.recipe, run.base_url, run.credentials)
            _first_login(screen, settings)
            while (taken := run.feed.next()) is not None:
                if _work_on(run, taken[0], taken[1], screen, queue):
                    run.tally.settle()
                run.staff.maybe_write()
    except BaseException as exc:  # handed to run_robot, which raises it in the caller's thread
        run.feed.fail(exc)


def _work_on(run: _Run, item: WorkItem, first_attempt: int, screen: DecisionScreen, queue: WorkQueue) -> bool:
    """Work on one item; False when it was handed back to come again later (not finished with yet)."""
    ref, driver, settings = item.reference, screen.driver, run.settings
    decision = item.decision
    if decision is None:  # refused items are business errors, never handed out; be safe anyway
        return True
    run.tally.count("processed", first_attempt == 1)
    for attempt in range(first_attempt, settings.max_attempts + 1):
        total = attempt
        if not settings.dry_run:
            if attempt == 1:
                total = item.attempts  # the claim counted it
            else:
                try:
                    total = queue.start(ref, run.owner, settings.lease_s)
                except QueueError:
                    log.warning("item %s: taken over by another run; left to it", mask(ref))
                    return True
        screen.blank()  # the recording starts from an empty work frame, not the previous child's page
        driver.start_trace()
        try:
            found = screen.enter(decision, settings.dry_run)
        except ItemError as exc:
            evidence = run.artifacts / f"item-{item.seq:06d}-{total}"
            shot = driver.screenshot(evidence.with_suffix(".png"))
            trace = driver.stop_trace(evidence.with_suffix(".zip"))
            final = isinstance(exc, BusinessError) or attempt == settings.max_attempts
            state = (
                State.BUSINESS_ERROR
                if isinstance(exc, BusinessError)
                else (State.APPLICATION_ERROR if final else State.IN_PROGRESS)
            )
            log.warning("item %s attempt %d: %s: %s", mask(ref), attempt, type(exc).__name__, exc.message)
            if not settings.dry_run:
                queue.record_failure(ref, exc.message, shot, trace, state)
            if final:
                return True
            _recover(screen, attempt, settings)
            if isinstance(exc, ScreenTimeout) and screen.save_clicked:
                # No answer after saving: the system may still be storing it. The retry (which looks at
                # the screen first) waits that long, or its check could miss a record about to appear;
                # meanwhile this worker enters other items.
                run.feed.later(item, attempt + 1, settings.unanswered_save_wait_s)
                return False
            continue
        driver.stop_trace(None)
        if settings.dry_run:
            run.tally.count("filled", found in _WRITTEN)
            run.tally.count("already", found is Found.ALREADY_ENTERED)
            return True
        queue.finish_done(ref, _NOTES.get(found))
        run.tally.count("entered", found in _WRITTEN)
        run.tally.count("already", found not in _WRITTEN)
        return True
    return True


_WRITTEN = (Found.NOT_ENTERED, Found.CHANGED)
_NOTES = {
    Found.CHANGED: "前の回の決定で登録済みだったため変更画面で今回の決定に変更 / the earlier round's record "
    "changed to this decision",
    Found.ALREADY_ENTERED: "画面で登録済みを確認し、内容が決定と一致 / found entered on the screen, same values",
    Found.ALREADY_UNCHECKED: "画面で登録済みを確認 (レシピに照会画面がなく内容は未照合) / found entered; "
    "not compared (the recipe has no [registered] view)",
}


def _first_login(screen: DecisionScreen, settings: RobotSettings) -> None:
    """Log in before the first item; a hiccup of the system is retried, a refused password is not."""
    for attempt in range(1, settings.max_attempts + 1):
        try:
            screen.login()
            return
        except ApplicationError as exc:
            if attempt == settings.max_attempts:
                raise
            log.warning("login attempt %d failed: %s", attempt, exc.message)
            time.sleep(settings.retry_pause_s * attempt)


def _recover(screen: DecisionScreen, attempt: int, settings: RobotSettings) -> None:
    """Before the next attempt: a short pause, then a fresh login (the cure for every application error)."""
    time.sleep(settings.retry_pause_s * attempt)
    try:
        screen.login()
    except ApplicationError as exc:
        log.warning("re-login failed, next attempt will try again: %s", exc.message)
        try:
            screen.driver.reset_page()
        except ApplicationError as again:
            log.warning("new page failed too: %s", again.message)
