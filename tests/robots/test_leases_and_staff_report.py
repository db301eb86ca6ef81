"""Queue leases (two runs on one queue never share an item) and the staff report (every item, unmasked,
0600, accumulated over runs), without a browser."""

from __future__ import annotations

import csv
import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from robots.decisions import RejectedDecision
from robots.errors import BusinessError
from robots.options import choose_option, normalise, same_value
from robots.queue import State, WorkQueue, new_owner
from robots.report import write_staff_report
from tests.robots.conftest import decision_for, seed_children


def test_a_leased_item_is_not_taken_by_another_run_until_its_lease_ends(tmp_path: Path) -> None:
    decisions = [decision_for(c) for c in seed_children(3)]
    with WorkQueue(tmp_path / "q.db") as first, WorkQueue(tmp_path / "q.db") as second:
        first.add(decisions)
        a, b = new_owner(), new_owner()
        taken_a = first.claim(a, lease_s=0.3)
        taken_b = second.claim(b, lease_s=0.3)
        assert taken_a is not None and taken_b is not None and taken_a.reference != taken_b.reference
        assert taken_a.attempts == 1 and taken_a.state is State.IN_PROGRESS and taken_a.owner == a
        assert second.claim(b, lease_s=0.3) is not None  # the third item
        assert second.claim(b) is None  # the rest are held by a
        time.sleep(0.35)  # a hangs: its lease ends
        again = second.claim(b)
        assert again is not None and again.reference == taken_a.reference and again.attempts == 2
        with pytest.raises(Exception, match="lease"):
            first.start(taken_a.reference, a)  # a may not go on with it now


def test_a_killed_runs_items_come_back_at_once_and_a_run_does_not_retake_its_own_failures(
    tmp_path: Path,
) -> None:
    decisions = [decision_for(c) for c in seed_children(2)]
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead_owner = f"{socket.gethostname()}:{gone.pid}:dead"
    with WorkQueue(tmp_path / "q.db") as queue:
        queue.add(decisions)
        held = queue.claim(dead_owner, lease_s=600)
        assert held is not None
        me = new_owner()
        taken = queue.claim(me)
        assert taken is not None and taken.reference == held.reference  # interrupted first, at once
        queue.record_failure(taken.reference, "HTTP 500", None, None, State.APPLICATION_ERROR)
        other = queue.claim(me)
        assert other is not None and other.reference != taken.reference
        assert queue.claim(me) is None  # its own application error waits for the next run
        later = queue.claim(new_owner())
        assert later is not None and later.reference == taken.reference and later.attempts == 3
        assert queue.release(me) == 1  # the item `me` still held


_CLAIMER = """
import sys, time
from pathlib import Path
from robots.queue import WorkQueue, new_owner
owner, taken = new_owner(), []
with WorkQueue(Path(sys.argv[1])) as queue:
    while (item := queue.claim(owner)) is not None:
        time.sleep(0.002)  # "work" on it, so that the two processes interleave
        queue.finish_done(item.reference)
        taken.append(item.reference)
print("\\n".join(taken))
"""


def test_two_processes_on_one_queue_never_take_the_same_item(tmp_path: Path) -> None:
    decisions = [decision_for(c) for c in seed_children(300)]
    with WorkQueue(tmp_path / "q.db") as queue:
        queue.add(decisions)
    env = os.environ | {"PYTHONPATH": str(Path(__file__).parents[2])}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _CLAIMER, str(tmp_path / "q.db")],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=60)[0].split() for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert all(outputs), "both processes took items"
    assert not set(outputs[0]) & set(outputs[1])
    assert sorted(outputs[0] + outputs[1]) == sorted(d.reference for d in decisions)


def test_staff_report_lists_every_item_unmasked_and_protected(tmp_path: Path) -> None:
    decisions = [decision_for(c) for c in seed_children(3)]
    path = tmp_path / "data" / "staff-report.csv"
    with WorkQueue(tmp_path / "q.db") as queue:
        queue.add(decisions[:2])
        queue.add_rejected(
            [RejectedDecision(3, "R2027-000009/A000009", "3件目の決定が不正です / item 3 is invalid")]
        )
        item = queue.claim(new_owner())
        assert item is not None
        queue.record_failure(
            item.reference, "E102 施設コード N999 は登録されていません", None, None, State.BUSINESS_ERROR
        )
        path.parent.mkdir()
        path.write_text("old", encoding="utf-8")
        os.chmod(path, 0o644)
        write_staff_report(queue, path)
        queue.add(decisions[2:])  # a later run on the same queue: the report grows
        write_staff_report(queue, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["受付番号"] for r in rows] == ["R2027-000001", "R2027-000002", "R2027-000009", "R2027-000003"]
    assert rows[0]["画面・ロボットのメッセージ"].startswith("E102") and rows[0]["試行回数"] == "1"
    assert rows[2]["状態"].startswith("要確認") and rows[2]["決定"] == "" and rows[2]["試行回数"] == "0"
    assert not any(d.child_name in json.dumps(rows, ensure_ascii=False) for d in decisions)


def test_options_by_displayed_text_never_take_a_look_alike() -> None:
    options = [("", "（選択）"), ("11", "ひまわり　保育園"), ("12", "ひまわり第二保育園"), ("21", "中央保育園"),
               ("22", "中央保育園分園"), ("31", "市立たんぽぽ保育園"), ("41", "ｻｸﾗ保育園"), ("42", "さくら保育園")]  # fmt: skip
    assert choose_option("ひまわり保育園", options, {}, "施設") == "11"  # width and spaces do not matter
    assert choose_option("中央保育園", options, {}, "施設") == "21"
    assert choose_option("たんぽぽ保育園", options, {"たんぽぽ保育園": "市立たんぽぽ保育園"}, "施設") == "31"
    with pytest.raises(BusinessError, match="似た選択肢 / similar: ひまわり　保育園, ひまわり第二保育園"):
        choose_option("ひまわり", options, {}, "施設")
    with pytest.raises(BusinessError, match="look-alikes"):
        choose_option("たんぽぽ保育園", options, {}, "施設")
    twice = [("1", "中央保育園"), ("2", "中央 保育園")]
    with pytest.raises(BusinessError, match="ambiguous"):
        choose_option("中央保育園", twice, {}, "施設")
    assert normalise("０４") == "4" and normalise("ｻｸﾗ") == "サクラ"
    assert same_value(["A", "内定"], ["A", "内定"]) and not same_value(["保留"], ["A", "内定"])
