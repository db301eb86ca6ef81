"""Clerical mistakes planted into a clerk's selection, each of one kind, with the children it is about.

The kinds are the ones parallel runs in cities turn up: a mis-added 指数 (one too high, one too low), a
class filled over its capacity, a child placed at a nursery the family did not list, a same-nursery
sibling group split, a child left waiting beside a free seat, and two children swapped against the
指数 order. Mistakes are planted where no other difference between the two results already is (a test
must be able to tell which mistake a difference comes from), so `reference`, the result the selection
will be compared with, is used only to choose places.

The expected root kinds are the codes of `matching.compare.Kind` (plain strings here).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from matching.instance import Instance, InstanceApplication
from samples.manual_selection.clerk import Clerk, Slot

Outcomes = Mapping[str, str | None]


@dataclass
class PlantedSelection:
    outcomes: dict[str, str | None]
    scores: dict[str, int]  # the 指数 the clerk wrote, every child
    planted: dict[str, str] = field(default_factory=dict)  # child id -> expected root kind code


class _Planter:
    def __init__(self, instance: Instance, reference: Outcomes, seed: int) -> None:
        self.instance = instance
        self.apps = {a.id: a for a in instance.applications}
        self.capacity = Counter({(n.id, a): s for n in instance.nurseries for a, s in n.capacity.items()})
        self.reference = dict(reference)
        self.rng = random.Random(seed)
        self.scores = {cid: app.score for cid, app in self.apps.items()}
        self.split: dict[str, str | None] = {}
        self.planted: dict[str, str] = {}
        self.used_slots: set[Slot] = set()
        self.outcomes: dict[str, str | None] = {}
        self._version = 0  # bumped whenever `outcomes` changes; the seat index is rebuilt then
        self._cached: tuple[int, dict[Slot, list[str]], Counter[Slot]] | None = None

    # --- what is already different, and where ---------------------------------------------------------
    def rerun(self) -> None:
        self.outcomes = Clerk(self.instance, self.scores, self.split).select()
        self._version += 1

    def place(self, cid: str, nursery: str | None) -> None:
        self.outcomes[cid] = nursery
        self._version += 1

    def differing(self) -> set[str]:
        return {
            c for c in self.apps if self._norm(c, self.outcomes[c]) != self._norm(c, self.reference.get(c))
        }

    def _norm(self, cid: str, nursery: str | None) -> str | None:
        return None if nursery == self.apps[cid].current_nursery else nursery

    def touched(self) -> set[Slot]:
        slots = set(self.used_slots)
        for cid in self.differing() | set(self.planted):
            app = self.apps[cid]
            for nursery in (self.outcomes[cid], self.reference.get(cid), app.current_nursery):
                if nursery is not None:
                    slots.add((nursery, app.age_class))
        return slots

    def singles(self) -> list[InstanceApplication]:
        busy = self.differing() | set(self.planted)
        found = [
            a
            for a in self.apps.values()
            if a.sibling_group is None and a.current_nursery is None and a.id not in busy
        ]
        self.rng.shuffle(found)
        return found

    def held(self, slot: Slot) -> list[str]:
        return self._index()[0].get(slot, [])

    def free(self, slot: Slot) -> int:
        """Seats left in a class on the clerk's side, counting seats freed by transfers that moved."""
        return self.capacity[slot] + self._index()[1][slot] - len(self.held(slot))

    def _index(self) -> tuple[dict[Slot, list[str]], Counter[Slot]]:
        if self._cached is None or self._cached[0] != self._version:
            held: dict[Slot, list[str]] = {}
            freed: Counter[Slot] = Counter()
            for cid, nursery in self.outcomes.items():
                if nursery is None:
                    continue
                app = self.apps[cid]
                held.setdefault((nursery, app.age_class), []).append(cid)
                if app.current_nursery is not None:
                    freed[(app.current_nursery, app.age_class)] += 1
            self._cached = (self._version, held, freed)
        return self._cached[1], self._cached[2]

    def points(self, cid: str, nursery: str) -> int:
        return self.scores[cid] + self.apps[cid].bonus.get(nursery, 0)

    def plant(self, cid: str, kind: str, *slots: Slot) -> None:
        self.planted[cid] = kind
        self.used_slots.update(slots)

    # --- the mistakes ---------------------------------------------------------------------------------
    def mis_added_score(self, up: bool) -> None:
        clear = self.touched()
        for app in self.singles():
            first = (app.preferences[0], app.age_class)
            now = self.outcomes[app.id]
            if first in clear or (now is not None and (now, app.age_class) in clear):
                continue
            holders = [c for c in self.held(first) if c != app.id]
            if not holders or (up and now == first[0]) or (not up and now != first[0]):
                continue
            lowest = min(self.points(c, first[0]) for c in holders)
            own = self.points(app.id, first[0])
            change = (
                (lowest - own + self.rng.randint(1, 5)) if up else -(own - lowest + self.rng.randint(1, 5))
            )
            before = dict(self.outcomes)
            self.scores[app.id] += change
            self.rerun()
            if self.outcomes[app.id] != before[app.id]:
                self.plant(app.id, "score_differs", first)
                return
            self.scores[app.id] -= change
            self.rerun()
        raise AssertionError("no child for a mis-added 指数")

    def split_group(self) -> None:
        clear, busy = self.touched(), self.differing()
        groups: dict[str, list[InstanceApplication]] = {}
        for app in self.apps.values():
            if app.sibling_group is not None and not app.allow_split:
                groups.setdefault(app.sibling_group, []).append(app)
        for _, kids in sorted(groups.items()):
            nursery = self.outcomes[kids[0].id]
            if len(kids) < 2 or nursery is None or any(k.id in busy for k in kids):
                continue
            if any((nursery, k.age_class) in clear for k in kids):
                continue
            youngest = min(kids, key=lambda k: (k.age_class, k.id))
            self.split[youngest.id] = None  # the clerk placed the older ones and left the youngest waiting
            self.rerun()
            if len({self.outcomes[k.id] for k in kids}) == 1:  # the others found no seat either
                del self.split[youngest.id]
                self.rerun()
                continue
            for kid in kids:
                if kid.id in self.differing():
                    self.plant(kid.id, "sibling_wish_broken", (nursery, kid.age_class))
            return
        raise AssertionError("no sibling group to split")

    def over_capacity(self) -> None:
        clear = self.touched()
        for app in self.singles():
            slot = (app.preferences[0], app.age_class)
            if (
                self.outcomes[app.id] is None
                and slot not in clear
                and self.held(slot)
                and self.free(slot) <= 0
            ):
                self.place(app.id, slot[0])
                self.plant(app.id, "over_capacity", slot)
                return
        raise AssertionError("no child to place over capacity")

    def unlisted(self) -> None:
        clear = self.touched()
        for app in self.singles():
            if self.outcomes[app.id] is not None:
                continue
            for slot in sorted(self.capacity):
                if slot[0] in app.preferences or slot in clear or slot[1] != app.age_class:
                    continue
                if self.free(slot) > 0:
                    self.place(app.id, slot[0])
                    self.plant(app.id, "unlisted_nursery", slot)
                    return
        raise AssertionError("no child to place at an unlisted nursery")

    def swap(self) -> None:
        clear = self.touched()
        singles = self.singles()
        for high in singles:
            nursery = self.outcomes[high.id]
            if nursery is None or (nursery, high.age_class) in clear or self._free_seat_for(high):
                continue
            for low in singles:
                if (
                    low.age_class == high.age_class
                    and self.outcomes[low.id] is None
                    and nursery in low.preferences
                    and self.points(low.id, nursery) < self.points(high.id, nursery)
                    and not any((n, low.age_class) in clear for n in low.preferences)
                ):
                    self.place(high.id, None)
                    self.place(low.id, nursery)
                    self.plant(high.id, "priority_order_broken", (nursery, high.age_class))
                    self.plant(low.id, "priority_order_broken")
                    return
        raise AssertionError("no pair to swap")

    def _free_seat_for(self, app: InstanceApplication) -> bool:
        return any(self.free((n, app.age_class)) > 0 for n in app.preferences)

    def free_seat(self) -> None:
        clear = self.touched()
        busy = self.differing() | set(self.planted)
        for app in self.singles():
            nursery = self.outcomes[app.id]
            if nursery is None or (nursery, app.age_class) in clear:
                continue
            # Nobody else whose result differs may want that seat: the mistake must be this child's alone.
            if any(
                nursery in self.apps[c].preferences and self.apps[c].age_class == app.age_class for c in busy
            ):
                continue
            self.place(app.id, None)
            self.plant(app.id, "free_seat_left", (nursery, app.age_class))
            return
        raise AssertionError("no child to leave beside a free seat")


def plant_mistakes(instance: Instance, reference: Outcomes, seed: int = 0) -> PlantedSelection:
    """The clerk's selection with ten planted mistakes (two mis-added 指数, one split sibling group, two
    classes over capacity, two unlisted nurseries, one swap against the 指数 order, two free seats)."""
    planter = _Planter(instance, reference, seed)
    planter.rerun()
    planter.mis_added_score(up=True)
    planter.mis_added_score(up=False)
    planter.split_group()
    for step in (
        planter.over_capacity,
        planter.over_capacity,
        planter.unlisted,
        planter.unlisted,
        planter.swap,
    ):
        step()
    planter.free_seat()
    planter.free_seat()
    return PlantedSelection(planter.outcomes, planter.scores, planter.planted)


def clerk_selection(instance: Instance) -> PlantedSelection:
    """The clerk's selection without mistakes."""
    return PlantedSelection(Clerk(instance).select(), {a.id: a.score for a in instance.applications})
