"""The run report staff read: counts per state and every failed item with its message and evidence.

It names items by masked reference only (no names); messages are the screen's business messages or
the robot's own, which never quote typed values.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict

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
        path.parent.mkdir(parents=True, exist_ok=True)
        data = self.model_dump(mode="json") | {"per_minute": self.per_minute}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return path

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
