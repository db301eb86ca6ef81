"""Parallel-run check: compare the manual selection with the program's, child by child, with reasons.

Pure: outcomes in (child id -> nursery id, None = 保留), the instance for priorities and preferences,
typed records out. Reasons are written in the words staff use; other children appear only as masked ids.
A child's priority at nursery n is (score + bonus[n]) higher first, then tiebreak lower first, exactly as
the optimizer compares them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from matching.instance import Instance, InstanceApplication

Outcomes = Mapping[str, str | None]


class DifferenceKind(StrEnum):
    ONLY_IN_PROGRAM = "手作業の結果にない"
    ONLY_IN_MANUAL = "プログラムの結果にない"
    NOT_PREFERRED = "希望外の園"
    HIGHER_PRIORITY_LEFT_OUT = "指数の高い児童が保留"
    LOWER_PRIORITY_PLACED = "指数の低い児童が内定"
    OVER_CAPACITY = "定員超過"
    SEAT_LEFT_EMPTY = "空きがあるのに保留"
    SIBLINGS = "きょうだいの扱い"
    UNEXPLAINED = "規則にない事情"
    NO_PRIORITIES = "指数情報なし"


@dataclass(frozen=True)
class Difference:
    child_id: str
    manual: str | None  # None = 保留
    program: str | None
    kind: DifferenceKind
    reason: str


@dataclass(frozen=True)
class Comparison:
    children: int
    agreed: int
    differences: tuple[Difference, ...]

    @property
    def agreement_rate(self) -> float:
        return self.agreed / self.children if self.children else 1.0


def mask_id(child_id: str) -> str:
    """Enough of an id to tell children apart in a list, not enough to be the id ("A0***12")."""
    if len(child_id) <= 4:
        return child_id[:1] + "***"
    return f"{child_id[:2]}***{child_id[-2:]}"


def compare_outcomes(manual: Outcomes, program: Outcomes, instance: Instance | None = None) -> Comparison:
    """Every child whose outcomes differ, with the most specific reason that the data supports."""
    if instance is not None:
        manual, program = _staying_as_none(manual, instance), _staying_as_none(program, instance)
    children = sorted(set(manual) | set(program))
    explainer = _Explainer(manual, program, instance) if instance is not None else None
    differences = []
    for child_id in children:
        if child_id in manual and child_id in program and manual[child_id] == program[child_id]:
            continue
        m, p = manual.get(child_id), program.get(child_id)
        if child_id not in manual:
            kind, reason = (
                DifferenceKind.ONLY_IN_PROGRAM,
                "手作業の結果一覧にこの児童がありません (入力漏れの可能性)",
            )
        elif child_id not in program:
            kind, reason = (
                DifferenceKind.ONLY_IN_MANUAL,
                "プログラムの結果一覧にこの児童がありません (申込データの漏れの可能性)",
            )
        elif explainer is None:
            kind = DifferenceKind.NO_PRIORITIES
            reason = f"手作業 {_plain(m)}、プログラム {_plain(p)} (理由の説明には --instance を指定)"
        else:
            differences.append(explainer.explain(child_id))
            continue
        differences.append(Difference(child_id, m, p, kind, reason))
    return Comparison(len(children), len(children) - len(differences), tuple(differences))


def _staying_as_none(outcomes: Outcomes, instance: Instance) -> dict[str, str | None]:
    """A transfer applicant "placed" at its current nursery stays there: the same outcome as 保留."""
    current = {a.id: a.current_nursery for a in instance.applications if a.current_nursery is not None}
    return {
        cid: (None if nursery is not None and current.get(cid) == nursery else nursery)
        for cid, nursery in outcomes.items()
    }


def _plain(nursery: str | None) -> str:
    return nursery if nursery is not None else "保留"


@dataclass(frozen=True)
class _Priority:
    value: int
    tiebreak: int

    def beats(self, other: _Priority) -> bool:
        return (self.value, -self.tiebreak) > (other.value, -other.tiebreak)


class _Explainer:
    def __init__(self, manual: Outcomes, program: Outcomes, instance: Instance) -> None:
        self.manual, self.program = manual, program
        self.apps: dict[str, InstanceApplication] = {a.id: a for a in instance.applications}
        self.names = {n.id: n.name for n in instance.nurseries}
        self.capacity = {(n.id, age): seats for n in instance.nurseries for age, seats in n.capacity.items()}
        self.manual_count: Counter[tuple[str, int]] = Counter()
        self.manual_at: dict[tuple[str, int], list[str]] = defaultdict(list)
        for child_id, nursery in manual.items():
            app = self.apps.get(child_id)
            if nursery is not None and app is not None and nursery != app.current_nursery:
                self.manual_count[(nursery, app.age_class)] += 1
                self.manual_at[(nursery, app.age_class)].append(child_id)
        self.wanting: dict[tuple[str, int], list[str]] = defaultdict(list)
        for app in instance.applications:
            for nursery in app.preferences:
                self.wanting[(nursery, app.age_class)].append(app.id)

    def label(self, nursery: str) -> str:
        name = self.names.get(nursery)
        return f"{name}({nursery})" if name else nursery

    def priority(self, child_id: str, nursery: str) -> _Priority:
        app = self.apps[child_id]
        return _Priority(app.score + app.bonus.get(nursery, 0), app.tiebreak)

    def choice(self, child_id: str, nursery: str | None) -> int | None:
        """1-based preference rank of `nursery`, None for 保留 / staying at the current nursery."""
        prefs = self.apps[child_id].preferences
        return prefs.index(nursery) + 1 if nursery in prefs else None

    def outcome_text(self, child_id: str, nursery: str | None) -> str:
        rank = self.choice(child_id, nursery)
        if rank is not None and nursery is not None:
            return f"第{rank}希望 {self.label(nursery)} に内定"
        if nursery is not None and nursery == self.apps[child_id].current_nursery:
            return "在園継続 (保留)"
        return "保留" if nursery is None else f"{self.label(nursery)} に内定"

    def worse_for(self, child_id: str, outcome: str | None, nursery: str) -> bool:
        """Would the child rather have `nursery` than `outcome`?"""
        wanted = self.choice(child_id, nursery)
        got = self.choice(child_id, outcome)
        return wanted is not None and (got is None or got > wanted)

    def explain(self, child_id: str) -> Difference:
        m, p = self.manual[child_id], self.program[child_id]
        app = self.apps.get(child_id)
        if app is None:
            return Difference(
                child_id,
                m,
                p,
                DifferenceKind.UNEXPLAINED,
                "申込データにない児童です。規則にない事情による調整の可能性",
            )
        # Explain the side that gave the child more: why the other side did not give it that.
        if m is not None and self.worse_for(child_id, p, m):
            steps = (self._not_preferred, self._higher_left_out, self._over_capacity, self._siblings)
        else:
            steps = (self._not_preferred, self._lower_placed, self._seat_left_empty, self._siblings)
        for step in steps:
            found = step(child_id, app, m, p)
            if found is not None:
                return Difference(child_id, m, p, found[0], found[1])
        return Difference(
            child_id,
            m,
            p,
            DifferenceKind.UNEXPLAINED,
            f"手作業では{self.outcome_text(child_id, m)}、プログラムでは{self.outcome_text(child_id, p)}。"
            "規則にない事情による調整の可能性",
        )

    def _not_preferred(
        self, cid: str, app: InstanceApplication, m: str | None, p: str | None
    ) -> tuple[DifferenceKind, str] | None:
        if m is None or m in app.preferences or m == app.current_nursery:
            return None
        return (
            DifferenceKind.NOT_PREFERRED,
            f"手作業では希望していない {self.label(m)} に内定。規則にない事情による調整の可能性",
        )

    def _higher_left_out(
        self, cid: str, app: InstanceApplication, m: str | None, p: str | None
    ) -> tuple[DifferenceKind, str] | None:
        # Manual gave this child m; someone with a higher priority at m wanted it and got worse.
        if m is None or m not in app.preferences:
            return None
        own = self.priority(cid, m)
        witnesses = [
            other
            for other in self.wanting[(m, app.age_class)]
            if other != cid
            and other in self.manual
            and self.priority(other, m).beats(own)
            and self.worse_for(other, self.manual[other], m)
        ]
        if not witnesses:
            return None
        best = max(
            witnesses, key=lambda other: (self.priority(other, m).value, -self.priority(other, m).tiebreak)
        )
        theirs = self.priority(best, m)
        rank = self.choice(best, m)
        return (
            DifferenceKind.HIGHER_PRIORITY_LEFT_OUT,
            f"手作業では {self.label(m)} に内定、本児より指数の高い {mask_id(best)} さん (指数 {theirs.value}、"
            f"本児 {own.value}) が {self.label(m)} を第{rank}希望で{self.outcome_text(best, self.manual[best])}",
        )

    def _over_capacity(
        self, cid: str, app: InstanceApplication, m: str | None, p: str | None
    ) -> tuple[DifferenceKind, str] | None:
        if m is None or m == app.current_nursery:
            return None
        seats = self.capacity.get((m, app.age_class), 0)
        placed = self.manual_count[(m, app.age_class)]
        if placed <= seats:
            return None
        return (
            DifferenceKind.OVER_CAPACITY,
            f"手作業では {self.label(m)} {app.age_class}歳児の募集 {seats} 人に {placed} 人が内定 (定員超過)。"
            "規則にない事情による調整の可能性",
        )

    def _lower_placed(
        self, cid: str, app: InstanceApplication, m: str | None, p: str | None
    ) -> tuple[DifferenceKind, str] | None:
        # The program gave this child p, which it prefers; manual gave p to someone ranked lower there.
        if p is None or not self.worse_for(cid, m, p):
            return None
        own = self.priority(cid, p)
        lower = [other for other in self.manual_at[(p, app.age_class)] if own.beats(self.priority(other, p))]
        if not lower:
            return None
        worst = min(
            lower, key=lambda other: (self.priority(other, p).value, -self.priority(other, p).tiebreak)
        )
        return (
            DifferenceKind.LOWER_PRIORITY_PLACED,
            f"プログラムでは第{self.choice(cid, p)}希望 {self.label(p)} に内定。手作業で {self.label(p)} に内定した "
            f"{mask_id(worst)} さんは本児より指数が低い (本児 {own.value}、{mask_id(worst)} さん "
            f"{self.priority(worst, p).value})。手作業では本児は{self.outcome_text(cid, m)}",
        )

    def _seat_left_empty(
        self, cid: str, app: InstanceApplication, m: str | None, p: str | None
    ) -> tuple[DifferenceKind, str] | None:
        if p is None or not self.worse_for(cid, m, p):
            return None
        seats = self.capacity.get((p, app.age_class), 0)
        placed = self.manual_count[(p, app.age_class)]
        if placed >= seats:
            return None
        return (
            DifferenceKind.SEAT_LEFT_EMPTY,
            f"手作業では第{self.choice(cid, p)}希望 {self.label(p)} {app.age_class}歳児に空き (募集 {seats}、"
            f"内定 {placed}) があるのに本児は{self.outcome_text(cid, m)}。規則にない事情による調整の可能性",
        )

    def _siblings(
        self, cid: str, app: InstanceApplication, m: str | None, p: str | None
    ) -> tuple[DifferenceKind, str] | None:
        if app.sibling_group is None:
            return None
        split = "別園可" if app.allow_split else "同じ園のみ"
        return (
            DifferenceKind.SIBLINGS,
            f"きょうだい同時申込 ({split}) の扱いの違い: 手作業では{self.outcome_text(cid, m)}、"
            f"プログラムでは{self.outcome_text(cid, p)}",
        )
