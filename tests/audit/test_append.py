"""Appends are atomic and serialised: two writers at once, a writer killed mid-stream, a torn last line."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

from audit import AuditEvent, SeasonLog, child_history, find_season_dir, verify_season
from audit.log import TORN_NAME
from tests.audit.conftest import Season

# Children a bit over a pipe buffer (64 KiB) make each line large, so a torn write would be likely.
_CHILDREN = {f"C{n:05d}": "内定 N001 (第1希望)" for n in range(2500)}


def _append_many(root: str, writer: str, count: int, big: bool) -> None:
    log = SeasonLog(Path(root))
    for n in range(count):
        log.append(
            AuditEvent(
                action="note", actor=writer, summary=f"{writer} {n}", children=_CHILDREN if big else {}
            )
        )


def _fork() -> multiprocessing.context.SpawnContext:
    """Writers in fresh interpreters: forked from a pytest process that has already run Prefect flows
    (with their threads), a child could inherit a held lock and exit 1 (seen in the full suite)."""
    return multiprocessing.get_context("spawn")


def test_two_processes_appending_keep_one_chain(season: Season) -> None:
    workers = [
        _fork().Process(target=_append_many, args=(str(season.root), name, 40, False)) for name in ("a", "b")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    report = verify_season(season.root)
    assert report.ok and report.findings == ()
    assert report.entries == 5 + 80
    assert report.head is not None and report.head.seq == 85


def test_a_killed_writer_leaves_a_valid_chain(season: Season) -> None:
    worker = _fork().Process(target=_append_many, args=(str(season.root), "killed", 10_000, True))
    worker.start()
    deadline = time.monotonic() + 30
    while season.log.path.stat().st_size < 2_000_000 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert worker.pid is not None
    os.kill(worker.pid, signal.SIGKILL)
    worker.join(10)
    assert verify_season(season.root).ok
    season.log.append(AuditEvent(action="note", actor="after the kill"))
    report = verify_season(season.root)
    assert report.ok and report.findings == () and report.entries > 6


def test_a_torn_last_line_is_kept_aside_and_the_chain_goes_on(season: Season) -> None:
    with season.log.path.open("ab") as stream:
        stream.write(b'{"seq": 6, "action": "half-writ')
    report = verify_season(season.root)
    assert report.ok and [f.kind for f in report.findings] == ["torn-write"]
    entry = season.log.append(AuditEvent(action="note", actor="next writer"))
    assert entry.seq == 6
    assert verify_season(season.root).findings == ()
    assert (season.log.folder / TORN_NAME).read_bytes().startswith(b'{"seq": 6, "action": "half-writ')


def test_child_history_lists_every_decision_about_the_child(season: Season) -> None:
    history = child_history(season.root, "C0002")
    assert [line.action for line in history] == ["admission", "export", "approval", "robot"]
    admission, _, approval, robot = (line.detail for line in history)
    assert "保留" in admission and "調整 除外 N001 (理由: 転居予定)" in admission
    assert "承認者 課長 山田" in approval and "確認済み" in approval
    assert "保留 → 要確認: 施設不一致" in robot
    assert [line.action for line in child_history(season.root, "C0001")] == [
        "admission",
        "export",
        "approval",
        "robot",
    ]
    assert [line.action for line in child_history(season.root, "C9999")] == ["export", "approval"]


def test_season_folder_is_found_from_a_file_inside(season: Season) -> None:
    assert find_season_dir(season.root / "admission" / "result.json") == season.root.resolve()
    assert find_season_dir(season.root.parent) is None


def test_a_step_run_again_is_recorded_once(season: Season) -> None:
    first = season.log.append(AuditEvent(action="season-start", actor="x"), once="run-1:start")
    again = season.log.append(AuditEvent(action="season-start", actor="x"), once="run-1:start")
    other = season.log.append(AuditEvent(action="season-start", actor="x"), once="run-2:start")
    assert again == first and other.seq == first.seq + 1
    assert verify_season(season.root).entries == 7


def test_an_export_is_recorded_as_an_access(season: Season) -> None:
    from audit import record_access

    letters = season.root / "notices" / "letters.pdf"
    letters.parent.mkdir()
    letters.write_bytes(b"%PDF synthetic")
    entry = record_access(letters, "通知書", count="児童 2 人", actor="clerk@pc")
    assert entry is not None and entry.action == "export" and entry.season_wide
    assert [(f.path, f.role) for f in entry.files] == [("notices/letters.pdf", "access")]
    assert record_access(season.root.parent / "elsewhere.pdf", "通知書") is None
    assert "通知書: letters.pdf (児童 2 人)" in child_history(season.root, "C0001")[-1].detail
