"""The same OCR subflow on threads, a LocalCluster or an existing Dask scheduler."""

from __future__ import annotations

from pathlib import Path

import pytest
from prefect.task_runners import ThreadPoolTaskRunner
from prefect_dask import DaskTaskRunner

from flows.params import ScaleOut
from flows.runners import task_runner_for


def test_runner_choice() -> None:
    assert isinstance(task_runner_for(ScaleOut(runner="threads", workers=3)), ThreadPoolTaskRunner)
    local = task_runner_for(ScaleOut())
    assert isinstance(local, DaskTaskRunner) and local.address is None
    remote = task_runner_for(ScaleOut(dask_address="tcp://10.0.0.5:8786"))
    assert isinstance(remote, DaskTaskRunner) and remote.address == "tcp://10.0.0.5:8786"


def test_auto_runner_uses_threads_for_a_small_batch_unless_a_scheduler_is_named() -> None:
    assert isinstance(task_runner_for(ScaleOut(), files=4), ThreadPoolTaskRunner)
    assert isinstance(task_runner_for(ScaleOut(), files=400), DaskTaskRunner)
    remote = task_runner_for(ScaleOut(dask_address="tcp://10.0.0.5:8786"), files=4)
    assert isinstance(remote, DaskTaskRunner) and remote.address == "tcp://10.0.0.5:8786"
    assert isinstance(task_runner_for(ScaleOut(runner="dask"), files=4), DaskTaskRunner)


@pytest.mark.slow
def test_ocr_on_an_existing_scheduler(prefect_harness: None, tmp_path: Path) -> None:
    from distributed import LocalCluster

    from flows.ocr_batch import read_scans
    from flows.paths import DEFAULT_TEMPLATES
    from samples.forms.generate import generate_forms

    pages = generate_forms(tmp_path / "scans", 1, seed=5)
    # An in-process cluster stands in for a remote one: the flow only sees the scheduler's address.
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        readings = read_scans(
            [p.image for p in pages], DEFAULT_TEMPLATES, ScaleOut(dask_address=cluster.scheduler_address)
        )
    assert [Path(r.source).name for r in readings] == [p.image.name for p in pages]
    assert all(r.status.was_read for r in readings)
    assert {r.template_id for r in readings} <= {"hoiku_moushikomi", "shuro_shomeisho"}
