"""Strict-mode reduction of the cut-off model: bounds propagated in pure Python before CP-SAT.

CP-SAT's probing finds the same fixings, but at city scale it spends seconds doing so; this pass is
linear-ish in the preference entries.
"""

from __future__ import annotations

from matching.optimizer.compiled import Compiled


class Propagator:
    """Strict-mode bounds, to a fixed point (pure Python, linear-ish in the entries).

    - A slot is guaranteed eligible when fewer than `cap` possible admissions sit above it, or when a
      certainly admitted child sits at or below it. An individual with a guaranteed slot ends there or
      better, so its worse entries are impossible.
    - An individual that must be placed (a guaranteed slot) with one possible entry left is certainly
      admitted there.
    - A cut class must be full: if exactly `cap` possible admissions remain, all of them happen (for a
      group: the group is at that nursery), so those children's other entries are impossible.
    Family members (optimizer/families.py) are counted as possible admissions but never fixed here:
    which outcome a family takes is left to CP-SAT (sound: fewer deductions, never wrong ones).
    """

    def __init__(self, comp: Compiled, possible: list[list[bool]], active: list[int]) -> None:
        self.comp, self.possible, self.active = comp, possible, active
        n_classes = comp.n_classes
        self.frontier = [0] * n_classes
        self.forced = [0] * n_classes  # slots [0, forced) eligible because of a certain admission
        self.counted = [0] * n_classes  # possible admissions before the frontier
        self.total = [0] * n_classes  # possible admissions in [0, active)
        self.best = [len(classes) for classes in comp.ent_class]
        self.fixed = [p >= 0 for p in comp.pin]
        # A pinned occupant may sit below children it makes eligible nowhere; counting rules do not
        # apply to its class.
        self.pinned_class = [False] * n_classes
        for c, p in enumerate(comp.pin):
            if p >= 0:
                self.pinned_class[comp.ent_class[c][p]] = True
        for c, row in enumerate(possible):
            for j, ok in enumerate(row):
                if ok:
                    self.total[comp.ent_class[c][j]] += 1
        self.work = list(range(n_classes - 1, -1, -1))

    def remove(self, c: int, j: int) -> None:
        comp = self.comp
        g = comp.group_of[c]
        for m in comp.groups[g] if g >= 0 else (c,):
            if not self.possible[m][j]:
                continue
            self.possible[m][j] = False
            k = comp.ent_class[m][j]
            self.total[k] -= 1
            if comp.ent_pos[m][j] < self.frontier[k]:
                self.counted[k] -= 1
            self.work.append(k)

    def admit(self, c: int, j: int) -> None:
        """c (or its whole group) is certainly placed at entry j."""
        comp = self.comp
        if comp.family_of[c] >= 0:
            return
        g = comp.group_of[c]
        members = comp.groups[g] if g >= 0 else [c]
        if self.fixed[members[0]]:
            return
        for m in members:
            self.fixed[m] = True
        for other in range(len(comp.ent_class[c])):
            if other != j:
                self.remove(c, other)
        for m in members:
            self.best[m] = j
            k = comp.ent_class[m][j]
            reach = comp.ent_pos[m][j] + 1
            if reach > self.forced[k]:
                self.forced[k] = reach
                self.work.append(k)

    def run(self) -> list[int]:
        comp, possible, active = self.comp, self.possible, self.active
        roster, cap, group_of = comp.roster, comp.class_cap, comp.group_of
        frontier, forced, counted, best = self.frontier, self.forced, self.counted, self.best
        while self.work:
            k = self.work.pop()
            items, i, limit = roster[k], frontier[k], active[k]
            if limit < len(items) and self.total[k] == cap[k]:
                for c, j in items:
                    if possible[c][j]:
                        self.admit(c, j)
            pinned_class = self.pinned_class[k]
            while i < limit and ((counted[k] < cap[k] and not pinned_class) or i < forced[k]):
                c, j = items[i]
                if possible[c][j]:
                    counted[k] += 1
                i += 1
                frontier[k] = i
                if group_of[c] >= 0 or comp.family_of[c] >= 0 or comp.pin[c] >= 0 or j >= best[c]:
                    continue
                for later in range(j + 1, best[c]):
                    self.remove(c, later)
                best[c] = j
                left = [jj for jj in range(j + 1) if possible[c][jj]]
                if len(left) == 1:
                    self.admit(c, left[0])
        return frontier
