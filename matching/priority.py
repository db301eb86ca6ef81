"""A child's priority as scoring produces it: what the optimizer, workbook and explanations consume."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class BreakdownItem(BaseModel):
    """One line of a priority's breakdown: which rule gave how many points."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule_id: str
    label: str  # staff wording, e.g. "母: 就労 月160時間以上"
    points: int  # in the rules file's scaled integer points (see `Rules.scale`)
    nursery: str | None = None  # set for a per-nursery bonus (兄弟在園 …)


class ChildPriority(BaseModel):
    """Priority of one child: higher `score` first; at nursery n add `bonus[n]`; then lower `tiebreak`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    child_id: str
    application_id: str
    age_class: int = Field(ge=0, le=5)
    score: int
    tiebreak: int
    bonus: dict[str, int] = Field(default_factory=dict)
    breakdown: tuple[BreakdownItem, ...] = ()
    # The raw tie-break values in order (e.g. income levy, receipt order, lottery draw), for the workbook.
    tiebreak_keys: tuple[int, ...] = ()
    # Per-nursery tie order when the rules' tie-break depends on the nursery (希望順位 …): the child's
    # rank among the children who list that nursery; compare these instead of `tiebreak` there.
    tiebreak_at: dict[str, int] = Field(default_factory=dict)
