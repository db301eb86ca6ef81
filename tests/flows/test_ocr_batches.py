"""Scan files go to OCR tasks in runs: a few per task for big batches, one per task for small ones."""

from __future__ import annotations

from pathlib import Path

from flows.ocr_batch import MOST_FILES_PER_TASK, file_batches


def test_runs_keep_order_and_cover_every_file_once() -> None:
    scans = [Path(f"page_{n:04d}.jpg") for n in range(1, 401)]
    batches = file_batches(scans, parallelism=2)
    assert [scan for batch in batches for scan in batch] == scans
    assert max(len(b) for b in batches) == MOST_FILES_PER_TASK
    assert len(batches) >= 4 * 2


def test_small_batches_stay_one_file_per_task() -> None:
    scans = [Path(f"page_{n}.jpg") for n in range(5)]
    assert file_batches(scans, parallelism=2) == [[scan] for scan in scans]
    assert file_batches([], parallelism=2) == []


def test_many_workers_get_smaller_runs() -> None:
    scans = [Path(f"page_{n}.jpg") for n in range(100)]
    assert {len(b) for b in file_batches(scans, parallelism=16)} == {1}
    assert {len(b) for b in file_batches(scans, parallelism=4)} == {6, 4}
