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
