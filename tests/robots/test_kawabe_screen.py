"""The かわべ町 sample screens: EUC-JP, an iframe in a frame, no `open` step, facilities by displayed name
with look-alikes, 入所予定日 on 保留, 備考 and extra values, all red messages, a time-out page that looks
like a business error, registered records read back."""

from __future__ import annotations

import csv
import datetime as dt
import stat
from pathlib import Path

import pytest

from robots.queue import State
from robots.report import STAFF_REPORT_NAME
from tests.robots.conftest import AppFactory, decision_for, seed_children

pytestmark = pytest.mark.browser

KAWABE_NURSERIES = {
    "N001": "さくら保育園",
    "N002": "ひまわり保育園",
    "N003": "たんぽぽ保育園",
    "N004": "中央保育園",
}


def test_kawabe_screen_end_to_end(legacy_app: AppFactory, robot, tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    children = seed_children(8)
    offer = {"extra": {"保育必要量": "標準"}, "start_date": dt.date(2027, 4, 1)}
    decisions = [
        decision_for(
            children[0], nursery_id="N002", nursery_name="ひまわり保育園", remarks="兄と同じ園を希望", **offer
        ),
        decision_for(children[1], offer=False, start_date=dt.date(2027, 5, 1)),  # 保留 with its date
        decision_for(
            children[2], nursery_id="N003", nursery_name="たんぽぽ保育園", extra={"保育必要量": "短時間"}
        ),
        decision_for(children[3], nursery_id="N004", nursery_name="中央保育園", **offer),
        decision_for(
            children[4], nursery_id=None, nursery_name=None, remarks="長" * 120
        ),  # three screen errors
        decision_for(
            children[5], nursery_id="N001", nursery_name="さくら保育園", **offer
        ),  # registered, same
        decision_for(
            children[6], nursery_id="N002", nursery_name="ひまわり保育園", **offer
        ),  # registered, other
        decision_for(children[7], nursery_id="N002", nursery_name="ひまわり", **offer),  # only a look-alike
    ]
    caplog.set_level("INFO")
    with legacy_app(
        children, nurseries=KAWABE_NURSERIES, forced_failures={"R2027-000003": ("session",)}
    ) as app:
        for child, code in ((children[5], "N001"), (children[6], "N001")):
            app.store.add_entry(
                uketsuke=child.uketsuke, child_id=child.child_id, name=child.name, outcome="内定",
                nursery_code=code, start_date=dt.date(2027, 4, 1), admission_kind=None, layout="kawabe",
                extra='{"保育必要量": "標準"}',
            )  # fmt: skip
        report = robot(app, decisions, recipe="legacy-kawabe")
        entries = {e.child_id: e for e in app.store.entries() if e.seq > 2}
        injected = list(app.injected)
    assert injected == ["session"]
    assert report.counts[State.DONE] == 5 and report.counts[State.BUSINESS_ERROR] == 3
    assert report.entered == 4 and report.already_entered == 1
    stored = {
        cid: (e.outcome, e.nursery_code, e.start_date, e.remarks, e.extra) for cid, e in entries.items()
    }
    assert stored == {
        "A000001": (
            "内定",
            "N002",
            dt.date(2027, 4, 1),
            "兄と同じ園を希望",
            '{"保育必要量": "標準"}',
        ),  # not 第二
        "A000002": ("保留", None, dt.date(2027, 5, 1), None, None),
        "A000003": ("内定", "N003", dt.date(2027, 4, 1), None, '{"保育必要量": "短時間"}'),  # alias 市立…
        "A000004": ("内定", "N004", dt.date(2027, 4, 1), None, '{"保育必要量": "標準"}'),  # not 分園
    }
    failures = {f.reference[-3:]: f for f in report.failures}
    # every red line of the screen, verbatim and in order; the lost session was retried, not reported
    assert failures["005"].message == (
        "E202 入所施設を選択してください | E205 保育必要量を選択してください | E207 備考は100文字以内で入力してください"
    )
    assert failures["007"].message.startswith("登録済みの内容が決定と異なります (入所施設)")
    assert (
        "ひまわり第二保育園" in failures["008"].message
        and "似た名前では選びません" in failures["008"].message
    )
    assert "003" not in failures
    staff = tmp_path / "artifacts" / STAFF_REPORT_NAME
    assert stat.S_IMODE(staff.stat().st_mode) == 0o600
    with staff.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row["受付番号"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {c.uketsuke for c in children}  # unmasked, every item
    assert rows["R2027-000005"]["画面・ロボットのメッセージ"] == failures["005"].message
    assert rows["R2027-000003"]["試行回数"] == "2" and rows["R2027-000003"]["状態"] == "登録済"
    assert "R2027-000005" not in caplog.text and "*****-***005/****005" in caplog.text  # logs stay masked
    assert not any(c.name in staff.read_text(encoding="utf-8-sig") for c in children)
