"""The typed input of a robot: one admission decision per child, and how to build them from a result."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from matching.records import Application, Nursery
from matching.result import MatchResult
from robots.errors import DecisionError


class Outcome(StrEnum):
    OFFER = "内定"
    WAIT = "保留"


class Decision(BaseModel):
    """What the robot enters for one child. `reference` is the queue's unique key."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    application_id: str = Field(min_length=1, description="受付番号")
    child_id: str = Field(min_length=1, description="児童番号")
    child_name: str = Field(min_length=1, description="児童氏名 as registered (typed into the screen)")
    outcome: Outcome
    nursery_id: str | None = None
    nursery_name: str | None = None
    start_date: dt.date | None = Field(default=None, description="入所年月日")

    @model_validator(mode="after")
    def _outcome_consistent(self) -> Self:
        if self.outcome is Outcome.OFFER and (self.nursery_id is None or self.start_date is None):
            raise ValueError(
                f"{self.child_id}: 内定には施設と入所年月日が必要です / an offer needs a nursery and a start date"
            )
        if self.outcome is Outcome.WAIT and (self.nursery_id is not None or self.start_date is not None):
            raise ValueError(
                f"{self.child_id}: 保留に施設や入所年月日は付けません / a wait-list decision has no nursery or date"
            )
        return self

    @property
    def reference(self) -> str:
        return f"{self.application_id}/{self.child_id}"


_DECISIONS = TypeAdapter(list[Decision])


def decisions_from_result(
    result: MatchResult,
    applications: Sequence[Application],
    nurseries: Sequence[Nursery] | Mapping[str, str],
    start_dates: Mapping[str, dt.date] | None = None,
) -> list[Decision]:
    """One decision per child of `applications`, in application order.

    A child assigned to a nursery gets 内定 there from its application's desired start (or
    `start_dates[child_id]`); an unassigned child, and a transfer request that keeps its current
    nursery, gets 保留. A child the result does not mention is an error: the result belongs to another run.
    """
    names = nurseries if isinstance(nurseries, Mapping) else {n.id: n.name for n in nurseries}
    missing = [c.id for a in applications for c in a.children if c.id not in result.assignments]
    if missing:
        raise DecisionError(
            f"選考結果に {len(missing)} 人の児童がありません (例 {missing[0]}): 別の回の結果ではありませんか / "
            f"the result does not mention {len(missing)} children (e.g. {missing[0]}): is it from another run?"
        )
    decisions: list[Decision] = []
    for app in applications:
        for child in app.children:
            nursery = result.assignments[child.id]
            if child.name is None:
                raise DecisionError(
                    f"児童 {child.id} の氏名がありません / child {child.id} has no name to type into the screen"
                )
            if nursery is None or nursery == child.current_nursery:
                decisions.append(
                    Decision(
                        application_id=app.id, child_id=child.id, child_name=child.name, outcome=Outcome.WAIT
                    )
                )
                continue
            if nursery not in names:
                raise DecisionError(
                    f"児童 {child.id}: 施設 {nursery} が施設一覧にありません / nursery {nursery} is not in the list"
                )
            decisions.append(
                Decision(
                    application_id=app.id,
                    child_id=child.id,
                    child_name=child.name,
                    outcome=Outcome.OFFER,
                    nursery_id=nursery,
                    nursery_name=names[nursery],
                    start_date=(start_dates or {}).get(child.id, app.desired_start),
                )
            )
    return decisions


def load_decisions(path: Path) -> list[Decision]:
    try:
        return _DECISIONS.validate_json(path.read_bytes())
    except OSError as exc:
        raise DecisionError(f"決定ファイルを読めません / cannot read decisions file {path}: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DecisionError(
            f"決定ファイルが不正です / invalid decisions file {path}: {where}: {first['msg']}"
            f" ({exc.error_count()} problem(s))"
        ) from exc


def save_decisions(decisions: Iterable[Decision], path: Path) -> None:
    payload = [d.model_dump(mode="json") for d in decisions]
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
