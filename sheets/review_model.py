"""What the review workbook shows: the typed input and, per child, the row the sheets are built from."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from matching.adjustments import StaffAdjustment
from matching.priority import ChildPriority
from matching.records import Application, Child, Nursery
from matching.result import MatchResult
from sheets.errors import ReviewInputError
from sheets.issues import LedgerIssue


class ReviewInput(BaseModel):
    """Everything the review workbook shows; typed records only."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    admission_year: int
    applications: tuple[Application, ...]
    nurseries: tuple[Nursery, ...]
    priorities: tuple[ChildPriority, ...]
    result: MatchResult
    issues: tuple[LedgerIssue, ...] = ()
    # Adjustments already in force (from the previous review workbook): pre-filled in the 調整 columns so
    # that a re-run's workbook keeps the staff's decisions.
    adjustments: tuple[StaffAdjustment, ...] = ()
    source_files: tuple[Path, ...] = ()  # inputs of this run: never written over
    generated_at: dt.datetime = Field(default=dt.datetime(2000, 1, 1), description="workbook timestamp")
    title: str = "保育所等利用調整 結果確認"
    # The rules file's `scale` (scores are points × scale integers): the workbook shows points as the
    # city's table writes them (12.5, not 125).
    points_scale: int = Field(default=1, ge=1)


@dataclass(frozen=True)
class ChildRow:
    """One child with everything the sheets show about it."""

    child: Child
    application: Application
    age_class: int
    priority: ChildPriority | None
    assigned: str | None
    rank: int | None  # 1 = 第1希望; None: waitlisted or staying at the current nursery
    staying: bool
    adjustment: StaffAdjustment | None


@dataclass(frozen=True)
class ReviewModel:
    data: ReviewInput
    rows: tuple[ChildRow, ...]
    nurseries: dict[str, Nursery]

    def nursery_name(self, nursery_id: str | None) -> str:
        if nursery_id is None:
            return ""
        nursery = self.nurseries.get(nursery_id)
        return nursery.name if nursery else nursery_id

    def nursery_choice(self, nursery_id: str) -> str:
        """The 調整施設番号 drop-down entry: 「N001 さくら保育園」 (read back to the id)."""
        return nursery_choice(self.nurseries[nursery_id]) if nursery_id in self.nurseries else nursery_id

    def points(self, scaled: int) -> int | float:
        """Scaled integer points as the table writes them: 12 or 12.5."""
        whole, rest = divmod(scaled, self.data.points_scale)
        return whole if rest == 0 else scaled / self.data.points_scale

    def rank_and_points(self, priority: ChildPriority) -> tuple[str | None, int | float]:
        """区分 (the rank class of the rules' 順位区分, None without one) and the 指数 within it: the
        score without the class's ×multiplier part, so 一般 12点 reads as 一般 / 12, not 1,120."""
        rank = next((item for item in priority.breakdown if item.rule_id.startswith(RANK_PREFIX)), None)
        if rank is None:
            return None, self.points(priority.score)
        return rank.rule_id.removeprefix(RANK_PREFIX), self.points(priority.score - rank.points)


RANK_PREFIX = "rank."  # the breakdown item scoring writes for the child's 順位区分


def nursery_choice(nursery: Nursery) -> str:
    return f"{nursery.id} {nursery.name}"


def build_model(data: ReviewInput) -> ReviewModel:
    nurseries = {n.id: n for n in data.nurseries}
    priorities = {p.child_id: p for p in data.priorities}
    adjustments: dict[str, StaffAdjustment] = {}
    for adjustment in data.adjustments:
        adjustments.setdefault(adjustment.child_id, adjustment)  # one per child fits the 調整 cell
    rows = []
    for application in data.applications:
        for child in application.children:
            assigned = data.result.assignments.get(child.id)
            if assigned is not None and assigned not in nurseries:
                raise ReviewInputError(
                    f"児童 {child.id} の内定施設 {assigned} が施設一覧にありません / unknown nursery in the result"
                )
            staying = assigned is not None and assigned == child.current_nursery
            rank = (
                application.preferences.index(assigned) + 1 if assigned in application.preferences else None
            )
            rows.append(
                ChildRow(
                    child=child,
                    application=application,
                    age_class=child.age_class(data.admission_year),
                    priority=priorities.get(child.id),
                    assigned=assigned,
                    rank=rank,
                    staying=staying,
                    adjustment=adjustments.get(child.id),
                )
            )
    return ReviewModel(data, tuple(rows), nurseries)


def placed_per_rank(rows: Sequence[ChildRow]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for row in rows:
        counts[rank_label(row)] += 1
    return counts


def rank_label(row: ChildRow) -> str:
    if row.assigned is None:
        return "保留"
    if row.staying:
        return "在籍継続"
    return f"第{row.rank}希望" if row.rank is not None else "希望外"
