"""The optimizer's result: the JSON `bodx match` writes and every consumer (sheets, flows, robots) reads.

`status`, `blocking` and `assignments` are the documented interface; the other keys add detail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from matching.files import write_text_atomically

Status = Literal["optimal", "feasible", "infeasible"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BlockingCoalition(_Frozen):
    """A child (or a sibling group) and a nursery that would rather have each other (justified envy).

    A sibling family (any condition but 同保同時 and 別保順次希 in different age classes, or a family with
    a combination file) blocks with a whole outcome it prefers: `combination` then gives every child's
    nursery in it (None: not placed this round; a transfer child staying: its current nursery), sorted
    by child id, and `nursery` is the first new nursery of the eldest child placed."""

    applicants: tuple[str, ...]
    nursery: str
    combination: tuple[tuple[str, str | None], ...] = ()


def coalition_order(coalition: BlockingCoalition) -> tuple[object, ...]:
    """The order of `blocking` in a result (the engine and the checker both sort by it)."""
    combination = tuple((child, nursery or "") for child, nursery in coalition.combination)
    return (coalition.applicants, coalition.nursery, combination)


class ChoiceExplanation(_Frozen):
    """Why a child did or did not get one nursery it listed.

    `cutoff_score` is the lowest priority admitted to that nursery's class (score + bonus there), None when
    the class admitted nobody or had no seat; `child_score` is the child's priority at that nursery.
    """

    rank: int = Field(ge=1)  # 第1希望 = 1
    nursery: str
    age_class: int = Field(ge=0, le=5)
    cutoff_score: int | None
    child_score: int
    text: str  # e.g. "第1希望 N001 さくら保育園 1歳児: 最低内定指数 120、本児 110"


class MatchResult(_Frozen):
    status: Status
    blocking: tuple[BlockingCoalition, ...] = ()
    assignments: dict[str, str | None]  # child id -> nursery id (a staying transfer: its current nursery)
    blocking_bound: int | None = None  # proven lower bound on blocking coalitions (status "feasible")
    placed: int = 0
    explanations: dict[str, tuple[ChoiceExplanation, ...]] = Field(default_factory=dict)
    adjustment_cost: int = 0  # blocking coalitions caused by staff adjustments (固定/除外)
    message: str | None = None  # why the status is "infeasible", in staff wording (Japanese / English)

    def to_json(self) -> str:
        """Deterministic JSON text (field order, UTF-8, one trailing newline); pydantic's compiled
        serializer, because the pure-Python `json.dumps(indent=…)` takes seconds at city scale."""
        return self.model_dump_json(indent=1) + "\n"


def load_result(path: Path) -> MatchResult:
    return MatchResult.model_validate_json(path.read_bytes())


def save_result(result: MatchResult, path: Path) -> None:
    write_text_atomically(path, result.to_json())  # 0600; a full disk never leaves half a result
