"""Run one measurement in a fresh interpreter, so that its peak RSS and warm caches are its own."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any


def run_module(module: str, *args: str) -> dict[str, Any]:
    """`python -m module args…`, which prints its figures as one JSON line last; those figures."""
    done = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{module} failed (exit {done.returncode}): {done.stderr.strip()[-800:]}")
    figures: dict[str, Any] = json.loads(lines[-1])
    return figures


def own_peak_rss_mb() -> float:
    """This process's peak resident size in MB, from /proc/self/status (VmHWM).

    Not ``getrusage(RUSAGE_SELF).ru_maxrss``: on Linux that starts from the size of the process that
    spawned this one (``exec`` keeps the high-water mark of the address space it replaces), so a large
    benchmark driver inflated the figure of the fresh interpreter it measures. VmHWM belongs to this
    address space only."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)  # kB
    raise RuntimeError("VmHWM missing from /proc/self/status")
