"""A manual selection made the way admission clerks make it by hand, for parallel-run tests and demos.

Written from how staff describe their work, not from the program (it shares no code with matching):

1. Age class by age class, youngest first (0歳児, 1歳児, …).
2. Sibling applications that ask for one nursery (別園不可) are placed first, when the clerk reaches the
   class of the group's youngest child, at the first listed nursery where every child fits; the seats of
   the older children are set aside in their classes at the same time. A group that fits nowhere waits.
3. The other children of the class by 指数 (the clerk's own figure, plus a nursery's 加点 such as 兄弟在園),
   each at the first listed nursery with a free seat; a child with a higher 指数 at a nursery takes a seat
   tentatively held by a lower one (仮内定), who then tries the next nursery on its list.
4. Transfer requests (転園) keep their seat unless a nursery they listed still has a free seat after the
   new applicants are placed; the seat a transfer frees is offered again (繰り上げ) to the children of the
   class, and the clerk repeats until no transfer can move to a nursery it lists higher.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from heapq import heappop, heappush

from matching.instance import Instance, InstanceApplication

Slot = tuple[str, int]


class Clerk:
    def __init__(
        self,
        instance: Instance,
        scores: Mapping[str, int] | None = None,
        split: Mapping[str, str | None] | None = None,
    ) -> None:
        """`scores`: 指数 as the clerk computed them (a mis-added one differs from the instance);
        `split`: sibling children the clerk places alone (child -> nursery or None), against the wish."""
        self.apps = {a.id: a for a in instance.applications}
        self.scores = {cid: (scores or {}).get(cid, app.score) for cid, app in self.apps.items()}
        self.split = dict(split or {})
        self.seats: Counter[Slot] = Counter(
            {(n.id, age): seats for n in instance.nurseries for age, seats in n.capacity.items()}
        )
        self.used: Counter[Slot] = Counter()
        self.result: dict[str, str | None] = {}

    def key(self, cid: str, nursery: str) -> tuple[int, int, tuple[int, ...]]:
        """Larger is better: 指数 with the nursery's 加点, then 同点時順位 there, then the smaller 児童番号."""
        app = self.apps[cid]
        return (
            self.scores[cid] + app.bonus.get(nursery, 0),
            -app.tie_rank(nursery),
            tuple(-ord(c) for c in cid),
        )

    def select(self) -> dict[str, str | None]:
        groups: dict[str, list[InstanceApplication]] = defaultdict(list)
        for app in self.apps.values():
            if app.sibling_group is not None and not app.allow_split:
                groups[app.sibling_group].append(app)
        same_nursery = {g: kids for g, kids in groups.items() if len(kids) > 1}
        in_group = {a.id for kids in same_nursery.values() for a in kids}
        by_youngest: dict[int, list[list[InstanceApplication]]] = defaultdict(list)
        for kids in same_nursery.values():
            by_youngest[min(a.age_class for a in kids)].append(kids)
        for age in range(6):
            for kids in sorted(by_youngest[age], key=lambda ks: self._group_order(ks, age)):
                self._place_group(kids)
            singles = [
                a.id
                for a in self.apps.values()
                if a.age_class == age and a.id not in in_group and a.current_nursery is None
            ]
            transfers = sorted(
                (a.id for a in self.apps.values() if a.age_class == age and a.current_nursery is not None),
                key=lambda cid: (-self.scores[cid], self.apps[cid].tiebreak, cid),
            )
            self._class_with_transfers(age, singles, transfers)
        return {cid: self.result.get(cid) for cid in sorted(self.apps)}

    def _group_order(self, kids: list[InstanceApplication], age: int) -> tuple[int, int, str]:
        youngest = max(
            (a for a in kids if a.age_class == age), key=lambda a: (self.scores[a.id], -a.tiebreak)
        )
        return (-self.scores[youngest.id], youngest.tiebreak, youngest.id)

    def _place_group(self, kids: list[InstanceApplication]) -> None:
        alone = [a for a in kids if a.id in self.split]
        for app in alone:  # the planted mistake: this child is placed on its own
            nursery = self.split[app.id]
            self.result[app.id] = nursery
            if nursery is not None:
                self.used[(nursery, app.age_class)] += 1
        together = [a for a in kids if a.id not in self.split]
        if not together:
            return
        common = [n for n in together[0].preferences if all(n in a.preferences for a in together)]
        for nursery in common:
            need = Counter((nursery, a.age_class) for a in together)
            if all(self.used[slot] + count <= self.seats[slot] for slot, count in need.items()):
                for app in together:
                    self.result[app.id] = nursery
                    self.used[(nursery, app.age_class)] += 1
                return

    def _class_with_transfers(self, age: int, singles: list[str], transfers: list[str]) -> None:
        moved: dict[str, str] = {}
        while True:
            held = self._deferred_acceptance(singles)
            free = {
                slot: self.seats[slot] - self.used[slot] - len(held.get(slot, ()))
                for slot in self.seats
                if slot[1] == age
            }
            moves = 0
            for cid in transfers:  # down the list by 指数: each takes a seat still free, if any
                prefs = self.apps[cid].preferences
                # A transfer already moved still takes a nursery it lists higher when one frees up.
                better = prefs[: prefs.index(moved[cid])] if cid in moved else prefs
                target = next((n for n in better if free.get((n, age), 0) > 0), None)
                if target is None:
                    continue
                if cid in moved:
                    self.used[(moved[cid], age)] -= 1
                else:
                    self.seats[(self.apps[cid].current_nursery or "", age)] += 1  # 繰り上げ: the freed seat
                moved[cid] = target
                self.used[(target, age)] += 1
                free[(target, age)] -= 1
                moves += 1
            if not moves:
                break
        for slot, kids in held.items():
            for cid in kids:
                self.result[cid] = slot[0]
            self.used[slot] += len(kids)
        for cid in transfers:
            self.result[cid] = moved.get(cid)  # None: stays at its current nursery

    def _deferred_acceptance(self, children: list[str]) -> dict[Slot, list[str]]:
        # Each class keeps its tentative holders in a heap, the lowest 指数 on top: that is the one
        # the clerk sends on to its next nursery when a higher one arrives.
        held: dict[Slot, list[tuple[tuple[int, int, tuple[int, ...]], str]]] = defaultdict(list)
        next_choice = dict.fromkeys(children, 0)
        waiting = sorted(children, key=lambda cid: (self.scores[cid], -self.apps[cid].tiebreak))
        while waiting:
            cid = waiting.pop()
            app = self.apps[cid]
            if next_choice[cid] >= len(app.preferences):
                continue
            nursery = app.preferences[next_choice[cid]]
            next_choice[cid] += 1
            slot = (nursery, app.age_class)
            room = self.seats[slot] - self.used[slot]
            if room <= 0:
                waiting.append(cid)
                continue
            heap = held[slot]
            heappush(heap, (self.key(cid, nursery), cid))
            if len(heap) > room:
                waiting.append(heappop(heap)[1])
        return {slot: [cid for _, cid in heap] for slot, heap in held.items() if heap}
