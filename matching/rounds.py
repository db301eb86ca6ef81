"""Selection rounds after the first (二次調整, 三次 …): the records a round carries to the next one.

After the 内定 notices families answer (承諾 / 辞退), nurseries interview (可 / 不可) and the city cancels
some placements (取消). The next round keeps every accepted seat where it is, gives the seats that came
back to the children still waiting, and runs the same optimizer under the same rules:

- a seat a child holds is a :class:`Holding`; after a round every holding gets a :class:`SeatState` from
  the staff's :class:`StaffResponse` (承諾 → fixed; no answer → kept as it is, never moved; 辞退 / 取消 /
  面接不可 → the seat returns to the capacity);
- a transfer's old seat returns only once the child has accepted the new one;
- children who declined are left out of later rounds unless staff re-admit them (再選考);
- 面接不可 and a re-admitted 辞退 keep the child's other wishes: that nursery is excluded (除外).

`matching.round_plan` builds the next round from these, `matching.round_solve` scores, solves and checks
it with the fixed placements, `matching.round_report` says what changed. No file layout here: see
`matching.round_files`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from matching.adjustments import StaffAdjustment
from matching.errors import RoundError
from matching.instance import Instance
from matching.profile import CityProfile, Round
from matching.records import Application, Nursery
from matching.result import MatchResult


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Answer(StrEnum):
    """The family's answer to a 内定."""

    ACCEPT = "承諾"
    DECLINE = "辞退"


class Interview(StrEnum):
    """The nursery's interview (面接・健康診断) result."""

    PASSED = "可"
    FAILED = "不可"


class StaffResponse(_Frozen):
    """What staff recorded for one child after a round (a row of the responses workbook)."""

    child_id: str = Field(min_length=1)
    answer: Answer | None = None
    interview: Interview | None = None
    cancelled: bool = False  # 取消: the city cancelled the placement
    readmit: bool = False  # 再選考: a child who declined or was cancelled joins the next round again
    withdrawn: bool = False  # 取下げ: a waiting child's application is withdrawn


class SeatState(StrEnum):
    """What became of a held seat after the responses."""

    ACCEPTED = "承諾"  # fixed: never moved again
    PENDING = "回答待ち"  # no answer yet: kept where it is (not moved, not given away)
    DECLINED = "辞退"
    CANCELLED = "取消"
    INTERVIEW_FAILED = "面接不可"

    @property
    def kept(self) -> bool:
        return self in (SeatState.ACCEPTED, SeatState.PENDING)


def seat_state(response: StaffResponse | None, accepted_before: bool) -> SeatState:
    """取消 first (the city's decision), then 辞退, then 面接不可, then 承諾; no answer leaves it as it was."""
    if response is None:
        return SeatState.ACCEPTED if accepted_before else SeatState.PENDING
    if response.cancelled:
        return SeatState.CANCELLED
    if response.answer is Answer.DECLINE:
        return SeatState.DECLINED
    if response.interview is Interview.FAILED:
        return SeatState.INTERVIEW_FAILED
    if response.answer is Answer.ACCEPT or accepted_before:
        return SeatState.ACCEPTED
    return SeatState.PENDING


class Holding(_Frozen):
    """A seat a child holds at the end of a round (placed in this or an earlier round)."""

    child_id: str = Field(min_length=1)
    application_id: str = Field(min_length=1)
    nursery: str = Field(min_length=1)
    age_class: int = Field(ge=0, le=5)
    transfer_from: str | None = None  # a transfer: the seat it still holds until it accepts this one
    placed_in: str = Field(min_length=1, description="the round (一次, 二次 …) that placed the child")
    accepted: bool = False


class RoundIssue(_Frozen):
    """Something staff should look at before approving the round (ids only, no names)."""

    severity: Literal["error", "warning", "info"]
    message: str
    child_id: str | None = None
    application_id: str | None = None


class Release(_Frozen):
    """A seat given back after the responses, and whether its child joins the next round."""

    holding: Holding
    state: SeatState
    rejoins: bool


class ClassSeats(_Frozen):
    """The seats of one nursery and age class in a round, and where they went."""

    nursery: str
    age_class: int
    base: int  # 募集人数 of the season (round 1's capacity, or the nursery list given for the round)
    accepted: int  # seats fixed by an accepted placement
    pending: int  # seats kept for a placement not answered yet
    transfer_freed: int  # old seats of accepted transfers, returned to this class
    returned: dict[str, int] = Field(default_factory=dict)  # SeatState value -> seats returned now
    available: int  # seats this round offers
    over: int = 0  # kept placements beyond the seats (a pending transfer still holds its old seat)


@dataclass(frozen=True)
class RoundState:
    """A finished round as the next one needs it."""

    round_id: str
    applications: tuple[Application, ...]  # every application the round knew
    nurseries: tuple[Nursery, ...]  # base capacity: the season's 募集人数 per class
    instance: Instance  # the children who competed, with the seats the round offered
    result: MatchResult
    holdings: tuple[Holding, ...] = ()  # seats kept from earlier rounds (not in `instance`)
    exclusions: tuple[StaffAdjustment, ...] = ()  # 除外 carried: 面接不可, a re-admitted 辞退


def holdings_after(state: RoundState) -> tuple[Holding, ...]:
    """The seats held when the round ends: those carried in, then the round's new placements."""
    application_of = {c.id: a.id for a in state.applications for c in a.children}
    placed = []
    for entry in state.instance.applications:
        got = state.result.assignments.get(entry.id)
        if got is None or got == entry.current_nursery:
            continue
        placed.append(
            Holding(
                child_id=entry.id,
                application_id=application_of.get(entry.id, entry.sibling_group or entry.id),
                nursery=got,
                age_class=entry.age_class,
                transfer_from=entry.current_nursery,
                placed_in=state.round_id,
            )
        )
    return (*state.holdings, *placed)


def waiting_after(state: RoundState) -> tuple[str, ...]:
    """Children of the round left without a new seat (保留, and transfers keeping their current seat)."""
    return tuple(
        entry.id
        for entry in state.instance.applications
        if state.result.assignments.get(entry.id) in (None, entry.current_nursery)
    )


class RoundPlan(_Frozen):
    """The next round, built from the previous one, the responses and the new applications."""

    round_id: str
    previous_round: str
    admission_year: int
    applications: tuple[Application, ...]  # every application the round knows (the next state's)
    competing: tuple[Application, ...]  # the applications with only the children who compete
    base_nurseries: tuple[Nursery, ...]
    nurseries: tuple[Nursery, ...]  # the seats this round offers per class
    holdings: tuple[Holding, ...]  # kept seats (承諾 and 回答待ち): fixed in this round
    released: tuple[Release, ...]
    exclusions: tuple[StaffAdjustment, ...]  # every 除外 carried (the solver gets the competing ones)
    seats: tuple[ClassSeats, ...]
    new_applications: tuple[str, ...] = ()  # 受付番号 first seen in this round
    changed_applications: tuple[str, ...] = ()  # 受付番号 replaced by a changed application
    newly_accepted: tuple[str, ...] = ()  # children whose 承諾 was recorded for this round (決定通知)
    withdrawn: tuple[str, ...] = ()  # waiting children whose application was withdrawn
    left_out: tuple[str, ...] = ()  # declined or cancelled children not re-admitted
    issues: tuple[RoundIssue, ...] = ()

    def competing_exclusions(self) -> tuple[StaffAdjustment, ...]:
        """The exclusions the solver takes: children who compete, nurseries they list."""
        wishes = {c.id: set(a.preferences) for a in self.competing for c in a.children}
        return tuple(e for e in self.exclusions if e.nursery in wishes.get(e.child_id, ()))


class RoundLetters(_Frozen):
    """Which children of a later round's letters get 決定, and which get no line (nothing new to tell)."""

    decided: tuple[str, ...] = ()
    omit: tuple[str, ...] = ()

    @classmethod
    def of(cls, plan: RoundPlan) -> RoundLetters:
        decided = set(plan.newly_accepted)
        return cls(
            decided=tuple(sorted(decided)),
            omit=tuple(sorted(h.child_id for h in plan.holdings if h.child_id not in decided)),
        )


def next_round(profile: CityProfile, current: str) -> Round:
    """The round after `current` in city.toml's [[rounds]]; a city adds one for each further round."""
    ids = [r.id for r in profile.rounds]
    if current not in ids:
        raise RoundError(
            f"選考回「{current}」は {profile.name} の city.toml にありません (あるもの: {', '.join(ids)}) / "
            f"round {current!r} is not in city.toml"
        )
    position = ids.index(current)
    if position + 1 >= len(ids):
        raise RoundError(
            f"{profile.name} の city.toml に「{current}」の次の選考回がありません。[[rounds]] を追加してください"
            f' (例: id = "三次") / no round after {current!r} in city.toml: add one to [[rounds]]'
        )
    return profile.rounds[position + 1]
