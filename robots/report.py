"""What a run reports: `report.json` (counts and failed items, masked ids: safe to pass around) and the
staff report `staff-report.csv` (every item with its full 受付番号, for the staff who fix them).

Neither names a child; messages are the screen's own messages or the robot's, which never quote typed
values. The staff report is written from the queue, so it covers every run on that queue (a killed run
included: it is rewritten every few seconds while the robot works), and only its owner may read it (0600).
"""

from __future__ import annotations

import csv
import io
import json
import os
import threading
import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from matching.files import write_text_atomically
from robots.queue import State, WorkItem, WorkQueue


def mask(identifier: str) -> str:
    """Keep separators and the last 3 characters of each part: R2027-000123/A000123 -> *****-***123/****123."""
    parts = []
    for part in identifier.split("/"):
        keep = part[-3:] if len(part) > 4 else ""
        hidden = part[: len(part) - len(keep)]
        parts.append("".join(c if c in "-_" else "*" for c in hidden) + keep)
    return "/".join(parts)


class FailedItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    reference: str  # masked
    state: State
    attempts: int
    message: str
    screenshot: str | None
    trace: str | None


class RunReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    recipe: str
    dry_run: bool
    started_at: str
    finished_at: str
    seconds: float
    processed: int  # items worked on in this run
    entered: int  # saved by this run
    already_entered: int  # found entered on the screen (earlier run or lost answer): not written again
    filled_only: int  # dry run: filled, not saved
    counts: dict[State, int]  # whole queue
    failures: tuple[FailedItem, ...]  # whole queue: business errors and application errors

    @property
    def per_minute(self) -> float:
        return round(self.processed / self.seconds * 60, 1) if self.seconds > 0 else 0.0

    def write(self, path: Path) -> Path:
        data = self.model_dump(mode="json") | {"per_minute": self.per_minute}
        return write_text_atomically(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")  # 0600

    def summary_lines(self) -> list[str]:
        counts = ", ".join(f"{state.value} {count}" for state, count in self.counts.items())
        lines = [
            f"レシピ / recipe: {self.recipe}{' (dry run: 保存せず)' if self.dry_run else ''}",
            f"今回処理 / processed: {self.processed} (登録 entered {self.entered}, 登録済み確認 already "
            f"{self.already_entered}, 入力のみ filled {self.filled_only}) in {self.seconds:.1f} s "
            f"= {self.per_minute}/min",
            f"キュー全体 / queue: {counts}",
        ]
        for item in self.failures:
            lines.append(
                f"  [{item.state.value}] {item.reference} ({item.attempts} 回): {item.message}"
                f" | 画面 {item.screenshot or '-'} | trace {item.trace or '-'}"
            )
        return lines


def failures_of(queue: WorkQueue) -> tuple[FailedItem, ...]:
    return tuple(
        _failed(item)
        for item in queue.items()
        if item.state in (State.BUSINESS_ERROR, State.APPLICATION_ERROR)
    )


def _failed(item: WorkItem) -> FailedItem:
    return FailedItem(
        reference=mask(item.reference),
        state=item.state,
        attempts=item.attempts,
        message=item.message or "",
        screenshot=item.screenshot,
        trace=item.trace,
    )


STAFF_REPORT_NAME = "staff-report.csv"
STAFF_COLUMNS = (
    "受付番号",
    "児童番号",
    "決定",
    "状態",
    "試行回数",
    "画面・ロボットのメッセージ",
    "備考 (ロボット)",
    "更新日時",
    "画面の記録",
)
STATE_NAMES = {
    State.NEW: "未処理",
    State.IN_PROGRESS: "処理中",
    State.DONE: "登録済",
    State.BUSINESS_ERROR: "要確認 (業務エラー)",
    State.APPLICATION_ERROR: "再実行待ち (システムエラー)",
}


def staff_rows(queue: WorkQueue) -> list[list[str]]:
    rows = []
    for item in queue.items():
        application, _, child = item.reference.partition("/")
        outcome = item.decision.outcome.value if item.decision is not None else ""
        rows.append(
            [
                application,
                child,
                outcome,
                STATE_NAMES[item.state],
                str(item.attempts),
                item.message or "",
                item.note or "",
                item.updated_at,
                item.screenshot or "",
            ]
        )
    return rows


def write_staff_report(queue: WorkQueue, path: Path) -> Path:
    """Every queued item with its unmasked 受付番号, in a CSV Excel opens (UTF-8 with BOM), mode 0600."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(STAFF_COLUMNS)
    writer.writerows(staff_rows(queue))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:
        out.write(buffer.getvalue())
    os.chmod(partial, 0o600)  # also when the file existed with wider rights
    os.replace(partial, path)
    return path


class StaffReportWriter:
    """Rewrites the staff report from the queue at most every `every_s` seconds (and on demand)."""

    def __init__(self, queue_path: Path, path: Path, every_s: float = 2.0) -> None:
        self.queue_path = queue_path
        self.path = path
        self._every = every_s
        self._last = 0.0
        self._lock = threading.Lock()

    def write(self) -> Path:
        with self._lock, WorkQueue(self.queue_path) as queue:
            self._last = time.monotonic()
            return write_staff_report(queue, self.path)

    def maybe_write(self) -> None:
        if time.monotonic() - self._last >= self._every:
            self.write()
