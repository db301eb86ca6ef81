"""The facts a comparison reasons from: seats, priorities and both sides' placements, per age class.

Priority at nursery n is (score + bonus[n]) higher first, then the tie rank there lower, then the
smaller child id: exactly as the optimizer and the checker compare children. A transfer child's kept seat is outside the capacity
of the run (it is shown as 保留 here); a transfer that moves frees its seat in its current class, and
those freed seats count as capacity on the side that moved it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from matching.compare.model import Outcomes
from matching.instance import Instance, InstanceApplication

Slot = tuple[str, int]  # (nursery id, age class)
PriorityKey = tuple[int, int, tuple[int, ...]]  # larger is better


def id_order(child_id: str) -> tuple[int, ...]:
    """A key under which a smaller id is larger: the last tie-break is "smaller child id first"."""
    return (*(-ord(char) for char in child_id), 1)


def staying_as_none(outcomes: Outcomes, instance: Instance) -> dict[str, str | None]:
    """A transfer "placed" at its current nursery stays there: the same outcome as 保留."""
    current = {a.id: a.current_nursery for a in instance.applications if a.current_nursery is not None}
    return {
        cid: (None if nursery is not None and current.get(cid) == nursery else nursery)
        for cid, nursery in outcomes.items()
    }


class Side:
    """One side's placements (manual or program) with seat counts that include freed transfer seats."""

    def __init__(self, outcomes: Mapping[str, str | None], apps: Mapping[str, InstanceApplication]) -> None:
        self.outcomes = outcomes
        self.at: dict[Slot, list[str]] = defaultdict(list)
        self.freed: dict[Slot, int] = defaultdict(int)
        for cid, nursery in outcomes.items():
            app = apps.get(cid)
            if nursery is None or app is None:
                continue
            self.at[(nursery, app.age_class)].append(cid)
            if app.current_nursery is not None:
                self.freed[(app.current_nursery, app.age_class)] += 1

    def get(self, cid: str) -> str | None:
        return self.outcomes.get(cid)


class Season:
    def __init__(
        self,
        instance: Instance,
        manual: Mapping[str, str | None],
        program: Mapping[str, str | None],
        manual_scores: Mapping[str, int] | None = None,
    ) -> None:
        self.apps: dict[str, InstanceApplication] = {a.id: a for a in instance.applications}
        self.names = {n.id: n.name for n in instance.nurseries}
        self.capacity: dict[Slot, int] = {
            (n.id, age): seats for n in instance.nurseries for age, seats in n.capacity.items()
        }
        self.manual, self.program = Side(manual, self.apps), Side(program, self.apps)
        self.manual_scores = dict(manual_scores or {})
        self.groups: dict[str, list[str]] = defaultdict(list)
        for app in instance.applications:
            if app.sibling_group is not None:
                self.groups[app.sibling_group].append(app.id)
        self.wanting: dict[Slot, list[str]] = defaultdict(list)
        for app in instance.applications:
            for nursery in app.preferences:
                self.wanting[(nursery, app.age_class)].append(app.id)

    # --- children ---------------------------------------------------------------------------------
    def age(self, cid: str) -> int:
        return self.apps[cid].age_class

    def slot(self, cid: str, nursery: str | None) -> Slot | None:
        return None if nursery is None else (nursery, self.apps[cid].age_class)

    def priority(self, cid: str, nursery: str) -> PriorityKey:
        app = self.apps[cid]
        return (app.score + app.bonus.get(nursery, 0), -app.tie_rank(nursery), id_order(app.id))

    def points(self, cid: str, nursery: str) -> int:
        return self.priority(cid, nursery)[0]

    def rank(self, cid: str, nursery: str | None) -> int | None:
        """1-based preference rank, None for 保留, staying, or a nursery the family did not list."""
        prefs = self.apps[cid].preferences
        return prefs.index(nursery) + 1 if nursery in prefs else None

    def prefers(self, cid: str, nursery: str, outcome: str | None) -> bool:
        """Would the child rather have `nursery` (which it listed) than `outcome`?"""
        wanted, got = self.rank(cid, nursery), self.rank(cid, outcome)
        return wanted is not None and (got is None or got > wanted)

    def better_than(self, cid: str, outcome: str | None) -> tuple[str, ...]:
        prefs = self.apps[cid].preferences
        got = self.rank(cid, outcome)
        return prefs if got is None else prefs[: got - 1]

    def same_nursery_group(self, cid: str) -> list[str] | None:
        """The members of the child's sibling group when the family asked for one nursery for all."""
        app = self.apps[cid]
        if app.sibling_group is None or app.allow_split:
            return None
        members = self.groups[app.sibling_group]
        return members if len(members) > 1 else None

    def is_transfer(self, cid: str) -> bool:
        return self.apps[cid].current_nursery is not None

    def score_differs(self, cid: str) -> bool:
        written = self.manual_scores.get(cid)
        return written is not None and cid in self.apps and written != self.apps[cid].score

    # --- seats ------------------------------------------------------------------------------------
    def seats(self, side: Side, slot: Slot) -> int:
        return self.capacity.get(slot, 0) + side.freed[slot]

    def free(self, side: Side, slot: Slot) -> int:
        return self.seats(side, slot) - len(side.at[slot])

    def label(self, nursery: str | None) -> str:
        if nursery is None:
            return "保留"
        name = self.names.get(nursery)
        return f"{name}({nursery})" if name else nursery

    def outcome_text(self, cid: str, nursery: str | None) -> str:
        rank = self.rank(cid, nursery)
        if nursery is None:
            return "在園継続" if self.is_transfer(cid) else "保留"
        if rank is not None:
            return f"第{rank}希望 {self.label(nursery)}"
        return f"{self.label(nursery)} (希望外)"
