"""`bodx bench flow`: the intake flow on generated pages, with the default runner and with Dask."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from pydantic import BaseModel

from samples.forms.generate import generate_forms


class FlowBench(BaseModel):
    pages: int
    default_pages_per_minute: float
    dask_pages_per_minute: float
    default_seconds: float
    dask_seconds: float


def bench_pages(cache: Path, pages: int, seed: int) -> Path:
    """Generated scans, kept between runs (generating is slower than reading a few of them)."""
    folder = cache / f"flow-pages-{pages}-seed{seed}"
    marker = folder / ".complete"
    if not marker.exists():
        generate_forms(folder, pages, seed)
        marker.write_text("ok\n", encoding="utf-8")
    return folder


def run_flow_bench(pages: int, seed: int, cache: Path) -> FlowBench:
    """Both runs go to a temporary Prefect server (not the user's), started before the clock starts."""
    from prefect.testing.utilities import prefect_test_harness

    from flows.intake import intake_flow
    from flows.params import IntakeParams, ScaleOut

    scans = bench_pages(cache, pages, seed)
    seconds: dict[str, float] = {}
    with prefect_test_harness(server_startup_timeout=120), tempfile.TemporaryDirectory() as tmp:
        for runner in ("threads", "dask"):
            params = IntakeParams(scans_dir=scans, out_dir=Path(tmp) / runner, scale=ScaleOut(runner=runner))
            started = time.perf_counter()
            outcome = intake_flow(params)
            seconds[runner] = time.perf_counter() - started
            if outcome.pages != pages:
                raise RuntimeError(f"{runner}: read {outcome.pages} pages of {pages}")
    return FlowBench(
        pages=pages,
        default_pages_per_minute=round(pages / seconds["threads"] * 60, 1),
        dask_pages_per_minute=round(pages / seconds["dask"] * 60, 1),
        default_seconds=round(seconds["threads"], 1),
        dask_seconds=round(seconds["dask"], 1),
    )
