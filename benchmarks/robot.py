"""`bodx bench robot`: enter N decisions into a sample legacy screen with injected failures, then check the
app's own database: no duplicate, nothing lost, every saved value right, every business error reported
with the screen's own message. Two scenarios per screen:

- **kill + resume**: one robot process (N browsers) is SIGKILLed mid-run, then the same command resumes;
- **overlap**: two robot processes are started on one queue at once (an overlapping scheduled run).

This harness lives in benchmarks/ (not the robot library): it uses samples.legacy_app and a synthetic city.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.robot_apps import BenchCase, classic_case, kawabe_case, stored_right
from robots.queue import State, WorkQueue

if TYPE_CHECKING:
    from samples.legacy_app import Entry

BENCH_USER, BENCH_PASSWORD = "bench-clerk", "bench-pass-0"
SCREENS: dict[str, tuple[str, Callable[[int, int], BenchCase]]] = {
    "classic": ("legacy-classic", classic_case),
    "kawabe": ("legacy-kawabe", kawabe_case),
}


@dataclass(frozen=True)
class BenchResult:
    app: str
    scenario: str  # kill_resume | overlap
    items: int
    done: int
    duplicates: int
    lost: int
    business_errors: int
    per_minute: float
    # detail for people
    injected_business_errors: int
    unreported_business_errors: int  # an invalid item not reported, or without the screen's own codes
    unexpected_business_errors: int  # a valid item reported as the data's fault
    wrong_values: int
    killed_after_done: int
    runs: int
    seconds: float
    injected_failures: dict[str, int]

    @property
    def ok(self) -> bool:
        return (
            self.duplicates == 0
            and self.lost == 0
            and self.unreported_business_errors == 0
            and self.unexpected_business_errors == 0
            and self.wrong_values == 0
            and self.business_errors == self.injected_business_errors
        )

    def figures(self) -> dict[str, object]:
        return {
            "items": self.items,
            "done": self.done,
            "duplicates": self.duplicates,
            "lost": self.lost,
            "business_errors": self.business_errors,
            "business_errors_with_screen_message": self.injected_business_errors
            - self.unreported_business_errors,
            "wrong_values": self.wrong_values,
            "per_minute": self.per_minute,
            "ok": self.ok,
        }


def run_bench(
    items: int,
    workdir: Path,
    failure_rate: float = 0.05,
    seed: int = 1,
    kill_at: float = 0.4,
    workers: int = 1,
    app: str = "classic",
    scenario: str = "kill_resume",
) -> BenchResult:
    """One scenario on one sample screen, in `workdir` (its own app database and queue)."""
    from samples.legacy_app import LegacyAppConfig, read_entries, running_legacy_app

    recipe, make_case = SCREENS[app]
    case = make_case(items, seed)
    workdir.mkdir(parents=True, exist_ok=True)
    queue_path, artifacts = workdir / "queue.db", workdir / "artifacts"
    config = LegacyAppConfig(
        db_path=workdir / "legacy.db",
        user=BENCH_USER,
        password=BENCH_PASSWORD,
        session_seconds=90.0,
        processing_delay_ms=150,
        failure_rate=failure_rate,
        hang_seconds=6.0,
        seed=seed,
        children=tuple(case.children),
        nurseries=case.nurseries,
    )
    with WorkQueue(queue_path) as queue:
        queue.add(case.decisions)
    env = os.environ | {"BODX_ROBOT_USER": BENCH_USER, "BODX_ROBOT_PASSWORD": BENCH_PASSWORD}
    with running_legacy_app(config) as legacy:
        command = [
            sys.executable, "-m", "bodx.cli", "robot", "run", "--recipe", recipe,
            "--base-url", legacy.base_url, "--queue", str(queue_path), "--artifacts", str(artifacts),
        ]  # fmt: skip
        start = time.perf_counter()
        killed_after = 0
        if scenario == "kill_resume":
            killed_after = _run_and_kill(
                [*command, "--workers", str(workers)],
                env,
                workdir / "robot-1.log",
                queue_path,
                int(items * kill_at),
            )
            runs = 1
        else:  # two processes, one browser each, started together on the same queue
            _run_together([[*command, "--workers", "1"]] * 2, env, workdir)
            runs = 2
        while True:  # resume; again only while the system kept failing an item three times in a row
            with WorkQueue(queue_path) as queue:
                left = queue.counts()
            if left[State.APPLICATION_ERROR] + left[State.NEW] + left[State.IN_PROGRESS] == 0 or runs >= 5:
                break
            runs += 1
            _run([*command, "--workers", str(workers)], env, workdir / f"robot-{runs}.log")
        seconds = time.perf_counter() - start
        injected = Counter(legacy.injected)
    return _verify(
        app, scenario, case, read_entries(config.db_path), queue_path, seconds, killed_after, runs, injected
    )


def _run_and_kill(
    command: list[str], env: dict[str, str], log: Path, queue_path: Path, kill_when_done: int
) -> int:
    with log.open("wb") as out:
        robot = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        with WorkQueue(queue_path) as queue:
            while robot.poll() is None:
                done = queue.counts()[State.DONE]
                if done >= kill_when_done:
                    # SIGKILL the robot's whole process group (python, Playwright driver, Chromium):
                    # nothing gets to clean up, exactly like a crash or a power cut.
                    os.killpg(robot.pid, signal.SIGKILL)
                    robot.wait()
                    return done
                time.sleep(0.1)
    raise RuntimeError(f"robot finished before it could be killed (see {log})")


def _run_together(commands: list[list[str]], env: dict[str, str], workdir: Path) -> None:
    logs = [(workdir / f"robot-overlap-{n}.log").open("wb") for n in range(len(commands))]
    try:
        robots = [
            subprocess.Popen(c, env=env, stdout=out, stderr=subprocess.STDOUT)
            for c, out in zip(commands, logs, strict=True)
        ]
        codes = [robot.wait() for robot in robots]
    finally:
        for out in logs:
            out.close()
    if any(codes):
        raise RuntimeError(f"an overlapping robot run failed with exit codes {codes} (see {workdir})")


def _run(command: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("wb") as out:
        finished = subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    if finished.returncode != 0:
        raise RuntimeError(f"robot run failed with exit code {finished.returncode} (see {log})")


def _verify(
    app: str,
    scenario: str,
    case: BenchCase,
    entries: list[Entry],
    queue_path: Path,
    seconds: float,
    killed_after: int,
    runs: int,
    injected: Counter[str],
) -> BenchResult:
    by_ref = Counter(f"{e.uketsuke}/{e.child_id}" for e in entries)
    duplicates = sum(count - 1 for count in by_ref.values() if count > 1)
    invalid = case.expected_codes
    expected = {d.reference: d for d in case.decisions if d.reference not in invalid}
    lost = sum(1 for ref in expected if ref not in by_ref)
    wrong = sum(1 for e in entries if not stored_right(app, expected.get(f"{e.uketsuke}/{e.child_id}"), e))
    with WorkQueue(queue_path) as queue:
        items = {item.reference: item for item in queue.items()}
        done = queue.counts()[State.DONE]
    reported = {ref for ref, item in items.items() if item.state == State.BUSINESS_ERROR}
    unreported = sum(
        1
        for ref, codes in invalid.items()
        if ref not in reported or not all(code in (items[ref].message or "") for code in codes)
    )
    return BenchResult(
        app=app,
        scenario=scenario,
        items=len(case.decisions),
        done=done,
        duplicates=duplicates,
        lost=lost + sum(1 for ref in invalid if ref not in reported),
        business_errors=len(reported),
        per_minute=round(len(case.decisions) / seconds * 60, 1),
        injected_business_errors=len(invalid),
        unreported_business_errors=unreported,
        unexpected_business_errors=len(reported - set(invalid)),
        wrong_values=wrong,
        killed_after_done=killed_after,
        runs=runs,
        seconds=round(seconds, 1),
        injected_failures=dict(injected),
    )
