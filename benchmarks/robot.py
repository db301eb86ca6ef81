"""`bodx bench robot`: enter N decisions into the sample legacy app with injected failures and one
real kill of the robot process, resume, then check the app's own database: no duplicate, nothing lost,
every business error reported.

This harness lives in benchmarks/ (not the robot library): it uses samples.legacy_app and a synthetic city.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matching.result import MatchResult
from robots.decisions import Decision, decisions_from_result
from robots.queue import State, WorkQueue

if TYPE_CHECKING:
    from samples.legacy_app import Entry, SeedChild

BENCH_USER, BENCH_PASSWORD = "bench-clerk", "bench-pass-0"
BUSINESS_ERROR_EVERY = 100  # one decision in 100 carries data the screen must reject


@dataclass(frozen=True)
class BenchResult:
    items: int
    done: int
    duplicates: int
    lost: int
    business_errors: int
    per_minute: float
    # detail for people (not part of the JSON interface)
    injected_business_errors: int
    unreported_business_errors: int
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
            and self.wrong_values == 0
            and self.business_errors == self.injected_business_errors
        )


def synthetic_decisions(
    items: int, seed: int
) -> tuple[list[Decision], dict[str, str], set[str], list[SeedChild]]:
    """Decisions for the first `items` children of a generated city, with 1 % deliberately invalid.

    Returns (decisions, nursery names, references that must be rejected, seed children for the app).
    """
    from samples.citygen.generate import generate_city
    from samples.legacy_app import SeedChild

    city = generate_city(items, seed)
    names = {n.id: n.name for n in city.nurseries}
    # A stand-in result: every other child gets its first choice, the rest wait (保留).
    children = [(app, child) for app in city.applications for child in app.children][:items]
    apps = {app.id: app for app, _ in children}
    kept_ids = {child.id for _, child in children}
    trimmed = [
        app.model_copy(update={"children": tuple(c for c in app.children if c.id in kept_ids)})
        for app in apps.values()
    ]
    assignments: dict[str, str | None] = {
        child.id: (app.preferences[0] if index % 4 != 3 else None)
        for index, (app, child) in enumerate(children)
    }
    result = MatchResult(status="feasible", assignments=assignments)
    decisions = decisions_from_result(result, trimmed, names)
    invalid: set[str] = set()
    births = {child.id: child.birth_date for _, child in children}
    for index in range(BUSINESS_ERROR_EVERY // 2, len(decisions), BUSINESS_ERROR_EVERY):
        d = decisions[index]
        fields = d.model_dump()
        if (index // BUSINESS_ERROR_EVERY) % 2 == 0:  # a nursery code the system does not know
            fields |= {"outcome": "内定", "nursery_id": "N999", "start_date": dt.date(2027, 4, 1)}
        else:  # a start date before the child's birth
            before_birth = births[d.child_id] - dt.timedelta(days=31)
            fields |= {"outcome": "内定", "nursery_id": next(iter(names)), "start_date": before_birth}
        bad = Decision.model_validate(fields)
        decisions[index] = bad
        invalid.add(bad.reference)
    seed_children = [
        SeedChild(app.id, child.id, child.name or child.id, child.birth_date) for app, child in children
    ]
    return decisions, names, invalid, seed_children


def run_bench(
    items: int,
    workdir: Path,
    failure_rate: float = 0.05,
    seed: int = 1,
    kill_at: float = 0.4,
    workers: int = 1,
) -> BenchResult:
    from samples.legacy_app import LegacyAppConfig, read_entries, running_legacy_app

    decisions, names, invalid, seed_children = synthetic_decisions(items, seed)
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
        children=tuple(seed_children),
        nurseries=names,
    )
    with WorkQueue(queue_path) as queue:
        queue.add(decisions)
    with running_legacy_app(config) as app:
        command = [
            sys.executable, "-m", "bodx.cli", "robot", "run", "--recipe", "legacy-classic",
            "--base-url", app.base_url, "--queue", str(queue_path), "--artifacts", str(artifacts),
            "--workers", str(workers),
        ]  # fmt: skip
        env = os.environ | {"BODX_ROBOT_USER": BENCH_USER, "BODX_ROBOT_PASSWORD": BENCH_PASSWORD}
        start = time.perf_counter()
        killed_after = _run_and_kill(command, env, workdir / "robot-1.log", queue_path, int(items * kill_at))
        runs = 1
        while True:  # resume; once more only if the system kept failing an item three times in a row
            runs += 1
            _run(command, env, workdir / f"robot-{runs}.log")
            with WorkQueue(queue_path) as queue:
                left = queue.counts()
            if left[State.APPLICATION_ERROR] + left[State.NEW] + left[State.IN_PROGRESS] == 0 or runs >= 4:
                break
        seconds = time.perf_counter() - start
        injected = Counter(app.injected)
    entries = read_entries(config.db_path)
    report = json.loads((artifacts / "report.json").read_text(encoding="utf-8"))
    return _verify(
        decisions, invalid, entries, report, queue_path, items, seconds, killed_after, runs, injected
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


def _run(command: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("wb") as out:
        finished = subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    if finished.returncode != 0:
        raise RuntimeError(f"robot run failed with exit code {finished.returncode} (see {log})")


def _verify(
    decisions: list[Decision],
    invalid: set[str],
    entries: list[Entry],
    report: dict[str, Any],
    queue_path: Path,
    items: int,
    seconds: float,
    killed_after: int,
    runs: int,
    injected: Counter[str],
) -> BenchResult:
    by_ref = Counter(f"{e.uketsuke}/{e.child_id}" for e in entries)
    duplicates = sum(count - 1 for count in by_ref.values() if count > 1)
    expected = {d.reference: d for d in decisions if d.reference not in invalid}
    lost = sum(1 for ref in expected if ref not in by_ref)
    wrong = sum(1 for e in entries if not _matches(expected.get(f"{e.uketsuke}/{e.child_id}"), e))
    with WorkQueue(queue_path) as queue:
        states = {item.reference: item.state for item in queue.items()}
        done = queue.counts()[State.DONE]
    reported = [f for f in report["failures"] if f["state"] == State.BUSINESS_ERROR]
    unreported = sum(1 for ref in invalid if states.get(ref) != State.BUSINESS_ERROR)
    return BenchResult(
        items=items,
        done=done,
        duplicates=duplicates,
        lost=lost + unreported,
        business_errors=len(reported),
        per_minute=round(items / seconds * 60, 1),
        injected_business_errors=len(invalid),
        unreported_business_errors=unreported,
        wrong_values=wrong,
        killed_after_done=killed_after,
        runs=runs,
        seconds=round(seconds, 1),
        injected_failures=dict(injected),
    )


def _matches(decision: Decision | None, entry: Entry) -> bool:
    """The app holds exactly what the decision says (name through Shift_JIS, outcome, nursery, date)."""
    if decision is None:
        return False  # an invalid decision was stored, or something nobody asked for
    return (
        "".join(entry.name.split()) == "".join(decision.child_name.split())
        and entry.outcome == decision.outcome.value
        and entry.nursery_code == decision.nursery_id
        and entry.start_date == decision.start_date
    )
