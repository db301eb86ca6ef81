"""The typed input of a robot: one admission decision per child, and how to build them from a result."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from matching.files import write_text_atomically
from matching.records import Application, Nursery
from matching.result import MatchResult
from robots.errors import DecisionError


class Outcome(StrEnum):
    OFFER = "内定"
    WAIT = "保留"


class Replaced(BaseModel):
    """What an earlier round entered for the child (二次調整 …): the registered record a later decision
    may change, and only while the screen still shows exactly this."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    outcome: Outcome
    nursery_id: str | None = None
    nursery_name: str | None = None
    start_date: dt.date | None = None


class Decision(BaseModel):
    """What the robot enters for one child. `reference` is the queue's unique key.

    Which values an outcome needs is the screen's business, and screens differ (one wants 入所予定日 on
    保留 too, another refuses it): the record takes any combination and the screen's own message tells
    staff what is missing. `extra` carries whatever else a city's screen asks (入所区分, 保育必要量 …),
    mapped to inputs by the recipe (`source = "extra.入所区分"`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    application_id: str = Field(min_length=1, description="受付番号")
    child_id: str = Field(min_length=1, description="児童番号")
    child_name: str = Field(min_length=1, description="児童氏名 as registered (typed into the screen)")
    outcome: Outcome
    nursery_id: str | None = None
    nursery_name: str | None = None
    start_date: dt.date | None = Field(default=None, description="入所(予定)年月日, on any outcome")
    remarks: str | None = Field(default=None, max_length=2000, description="備考")
    extra: dict[str, str] = Field(default_factory=dict, description="other values a screen asks for")
    replaces: Replaced | None = Field(
        default=None, description="an earlier round's decision the registered record may still show"
    )

    @property
    def reference(self) -> str:
        return f"{self.application_id}/{self.child_id}"

    def previous(self) -> Decision | None:
        """The decision an earlier round entered for this child, as a decision (None: first entry)."""
        if self.replaces is None:
            return None
        return self.model_copy(update={**dict(self.replaces), "replaces": None})

    def value_of(self, source: str) -> object:
        """The value a recipe's `source` names: a field, or `extra.<name>` (missing extra: None)."""
        if source.startswith("extra."):
            return self.extra.get(source.removeprefix("extra."))
        return getattr(self, source)


@dataclass(frozen=True)
class RejectedDecision:
    """An item of a decisions file the record refused: reported to staff, the other items still run."""

    position: int  # 1-based place in the file
    reference: str  # 受付番号/児童番号 when readable, else "#<position>"
    message: str


@dataclass(frozen=True)
class DecisionFile:
    decisions: list[Decision]
    rejected: list[RejectedDecision]


def decisions_from_result(
    result: MatchResult,
    applications: Sequence[Application],
    nurseries: Sequence[Nursery] | Mapping[str, str],
    start_dates: Mapping[str, dt.date] | None = None,
    entered_before: Mapping[str, Decision] | None = None,
) -> list[Decision]:
    """One decision per child of `applications`, in application order.

    A child assigned to a nursery gets 内定 there from its application's desired start (or
    `start_dates[child_id]`); an unassigned child, and a transfer request that keeps its current
    nursery, gets 保留 with the same date (a screen that does not want it leaves it out in its recipe). A child the result does not mention is an error: the result belongs to another run.
    `entered_before`: per child, what an earlier round entered (二次調整 …); a decision that differs from
    it `replaces` it, so a recipe with a change form (registered.change) may change that record.
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
            start = (start_dates or {}).get(child.id, app.desired_start)
            if nursery is None or nursery == child.current_nursery:
                # 保留 keeps the desired start: some screens ask for 入所予定日 on 保留 too
                decisions.append(
                    Decision(
                        application_id=app.id,
                        child_id=child.id,
                        child_name=child.name,
                        outcome=Outcome.WAIT,
                        start_date=start,
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
                    start_date=start,
                )
            )
    return [_replacing(d, (entered_before or {}).get(d.child_id)) for d in decisions]


def _replacing(decision: Decision, before: Decision | None) -> Decision:
    if before is None or before.application_id != decision.application_id:
        return decision
    same = (before.outcome, before.nursery_id, before.start_date) == (
        decision.outcome,
        decision.nursery_id,
        decision.start_date,
    )
    if same:
        return decision
    replaced = Replaced(
        outcome=before.outcome,
        nursery_id=before.nursery_id,
        nursery_name=before.nursery_name,
        start_date=before.start_date,
    )
    return decision.model_copy(update={"replaces": replaced})


def latest_decisions(paths: Iterable[Path]) -> dict[str, Decision]:
    """Per child, the last decision of the decisions files in order (earlier rounds first)."""
    latest: dict[str, Decision] = {}
    for path in paths:
        for decision in load_decisions(path).decisions:
            latest[decision.child_id] = decision
    return latest


def load_decisions(path: Path) -> DecisionFile:
    """Read a decisions file item by item: a bad item is rejected with its reason, the rest are kept.

    Only a file that is not a JSON list at all is refused as a whole.
    """
    try:
        data = json.loads(path.read_bytes())
    except OSError as exc:
        raise DecisionError(f"決定ファイルを読めません / cannot read decisions file {path}: {exc}") from exc
    except ValueError as exc:
        raise DecisionError(
            f"決定ファイルが JSON ではありません / decisions file {path} is not JSON: {exc}"
        ) from exc
    if not isinstance(data, list):
        raise DecisionError(
            f"決定ファイルは決定の配列 [...] にしてください / decisions file {path} must be a JSON list"
        )
    return check_decisions(data)


def check_decisions(items: Sequence[object]) -> DecisionFile:
    """Validate each raw item on its own; a reference given twice with other content is rejected too."""
    decisions: list[Decision] = []
    rejected: list[RejectedDecision] = []
    seen: dict[str, Decision] = {}
    for position, raw in enumerate(items, start=1):
        reference = _raw_reference(raw, position)
        try:
            decision = Decision.model_validate(raw)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or '(item)'}: {e['msg']}" for e in exc.errors()
            )
            rejected.append(
                RejectedDecision(
                    position,
                    reference,
                    f"{position}件目の決定が不正です。内容を直してください / item {position} is invalid: {problems}",
                )
            )
            continue
        earlier = seen.get(decision.reference)
        if earlier is not None:
            if earlier != decision:
                rejected.append(
                    RejectedDecision(
                        position,
                        reference,
                        f"{position}件目: 同じ受付番号・児童番号の決定が内容を変えて2回あります / item "
                        f"{position}: the same reference appears twice with different content",
                    )
                )
            continue
        seen[decision.reference] = decision
        decisions.append(decision)
    return DecisionFile(decisions, rejected)


def _raw_reference(raw: object, position: int) -> str:
    if isinstance(raw, Mapping):
        app, child = raw.get("application_id"), raw.get("child_id")
        if isinstance(app, str) and isinstance(child, str) and app.strip() and child.strip():
            return f"{app.strip()}/{child.strip()}"
    return f"#{position}"


def save_decisions(decisions: Iterable[Decision], path: Path) -> None:
    payload = [d.model_dump(mode="json") for d in decisions]
    write_text_atomically(
        path, json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
    )  # 0600, whole or not at all
