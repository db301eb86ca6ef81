"""Run one hostile case in its own process and measure it: exit code, output, wall time, peak RSS.

Each case runs `bodx` (or a Python snippet) in a child process so that its peak resident memory can
be read for that child alone (through `measured_launch.py`); an address-space cap keeps a regression from
exhausting the shared machine before the assertion fails.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_RSS_MB = 1024  # the bound: peak RSS under 1 GB per case
MAX_SECONDS = 30.0  # and at most 30 s per case: CPU seconds, which the other jobs on a shared
# 2-core machine do not inflate; wall time is capped separately (the kill time-out) with room for load
_ADDRESS_SPACE_CAP = 8 * 1024**3  # a runaway case fails (MemoryError) instead of eating the machine


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def assert_bounded(self) -> None:
        assert self.peak_rss_mb < MAX_RSS_MB, f"peak RSS {self.peak_rss_mb:.0f} MB\n{self.output[-2000:]}"
        assert self.cpu_seconds <= MAX_SECONDS, f"{self.cpu_seconds:.1f} CPU s\n{self.output[-2000:]}"

    def assert_refused(self, *fragments: str) -> None:
        """Exit 2, a message, no traceback, each fragment in the message, within the bounds."""
        assert self.code == 2, f"exit {self.code}\n{self.output[-3000:]}"
        assert "Traceback" not in self.output, self.output[-3000:]
        for fragment in fragments:
            assert fragment in self.output, f"{fragment!r} not in:\n{self.output[-3000:]}"
        self.assert_bounded()


_LAUNCHER = Path(__file__).with_name("measured_launch.py")


def run_process(
    argv: list[str], cwd: Path, timeout: float = 120.0, env: dict[str, str] | None = None
) -> Outcome:
    """Run `argv`, killing it after `timeout` (the bound is asserted separately, with a margin for load).

    The case runs under `measured_launch.py`, so its peak RSS is its own and not this (large) test
    process's; the launcher and the case share a new session, killed together on time-out."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        report = Path(scratch) / "rusage.json"
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-S", str(_LAUNCHER), str(report), str(_ADDRESS_SPACE_CAP), "--", *argv],
            cwd=cwd,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONHASHSEED": "0", **(env or {})},
            start_new_session=True,
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        seconds = time.perf_counter() - started
        if report.exists():
            figures = json.loads(report.read_text(encoding="utf-8"))
        else:  # killed on time-out: the case ran for the whole time-out
            figures = {"exit": -signal.SIGKILL, "cpu_seconds": seconds, "peak_rss_kb": 0}
        process.returncode = figures["exit"]
        out.seek(0)
        err.seek(0)
        if os.environ.get("BODX_HOSTILE_LOG"):  # figures for reports: one JSON line per case
            with open(os.environ["BODX_HOSTILE_LOG"], "a", encoding="utf-8") as log:
                case = os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0]
                figures = {"case": case, "argv": [str(a) for a in argv[1:4]], "exit": process.returncode}
                figures |= {"wall_s": round(seconds, 2), "cpu_s": round(figures["cpu_seconds"], 2)}
                log.write(
                    json.dumps(figures | {"peak_rss_mb": round(figures["peak_rss_kb"] / 1024, 1)}) + "\n"
                )
        return Outcome(
            process.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            figures["cpu_seconds"],
            figures["peak_rss_kb"] / 1024,  # kilobytes on Linux
        )


def bodx(*args: str | Path, cwd: Path, timeout: float = 120.0) -> Outcome:
    """`bodx ARGS…` as staff would run it (the console script's entry point)."""
    return run_process([sys.executable, "-m", "bodx.cli", *map(str, args)], cwd, timeout)


def python(code: str, cwd: Path, timeout: float = 120.0) -> Outcome:
    """A library call in its own process (for readers that have no command of their own)."""
    return run_process([sys.executable, "-c", code], cwd, timeout, env={"PYTHONPATH": str(ROOT)})
