"""Find the root causes among the differing children: manual mistakes first, then differences of method.

Each check looks at the manual result alone (with the program's scores as the truth) and names the
children a cause is about. The order matters and is the order a clerk would check a list in: a wrong
指数 explains everything it displaced, so a higher-priority child left out behind a child whose 指数
was mis-added is a knock-on of that mistake, not an inversion of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from matching.compare.model import Kind, Text
from matching.compare.season import Season, Slot


@dataclass
class Finding:
    kind: Kind
    reasons: dict[str, Text] = field(default_factory=dict)  # subject child id -> why

    @property
    def subjects(self) -> tuple[str, ...]:
        return tuple(self.reasons)


class RootFinder:
    def __init__(self, season: Season, differing: Iterable[str]) -> None:
        self.s = season
        self.differing = list(differing)
        self.differ_set = set(self.differing)
        self.taken: set[str] = set()
        self.findings: list[Finding] = []
        self.links: list[tuple[str, str]] = []  # knock-on -> the child whose mistake displaced it

    def both(self, cid: str) -> str:
        s = self.s
        m, p = s.manual.get(cid), s.program.get(cid)
        return f"手作業では{s.outcome_text(cid, m)}、プログラムでは{s.outcome_text(cid, p)}"

    def add(self, kind: Kind, reasons: dict[str, Text]) -> None:
        fresh = {
            cid: text for cid, text in reasons.items() if cid in self.differ_set and cid not in self.taken
        }
        if fresh:
            self.taken.update(fresh)
            self.findings.append(Finding(kind, fresh))

    def open(self) -> list[str]:
        return [cid for cid in self.differing if cid not in self.taken]

    def run(self) -> list[Finding]:
        for step in (
            self.scores,
            self.unlisted,
            self.split_siblings,
            self.over_capacity,
            self.free_seats,
            self.envy,
            self.blocking_groups,
        ):
            step()
        return self.findings

    # --- manual mistakes ----------------------------------------------------------------------------
    def scores(self) -> None:
        for cid in self.open():
            if self.s.score_differs(cid):
                written, real = self.s.manual_scores[cid], self.s.apps[cid].score
                text = (
                    f"手作業の指数 {written} がプログラムの指数 {real} と違います (指数内訳を確認してください)。"
                    f"{self.both(cid)}"
                )
                self.add(Kind.SCORE_DIFFERS, {cid: Text(text)})

    def unlisted(self) -> None:
        s = self.s
        for cid in self.open():
            m = s.manual.get(cid)
            if m is not None and s.rank(cid, m) is None:
                wishes = "、".join(f"第{r} {s.label(n)}" for r, n in enumerate(s.apps[cid].preferences, 1))
                text = f"手作業では希望していない {s.label(m)} に内定 (希望: {wishes})。プログラムでは{s.outcome_text(cid, s.program.get(cid))}"
                self.add(Kind.UNLISTED_NURSERY, {cid: Text(text)})

    def split_siblings(self) -> None:
        s = self.s
        for cid in self.open():
            members = s.same_nursery_group(cid)
            if members is None or len({s.manual.get(m) for m in members}) == 1:
                continue
            others = [m for m in members if m != cid]
            placed = "、".join(
                f"{{{i}}} さん {s.outcome_text(m, s.manual.get(m))}" for i, m in enumerate(others)
            )
            text = (
                f"同じ園を希望するきょうだいが手作業では別々です (本児 {s.outcome_text(cid, s.manual.get(cid))}、"
                f"{placed})。プログラムでは全員{s.outcome_text(cid, s.program.get(cid))}"
            )
            self.add(Kind.SIBLING_WISH_BROKEN, {cid: Text(text, tuple(others))})
            for other in others:  # the whole family is one cause, listed together
                if other in self.differ_set and other not in self.taken:
                    rest = tuple(m for m in members if m != other)
                    self.findings[-1].reasons[other] = Text(
                        f"きょうだい ({'、'.join(f'{{{i}}} さん' for i in range(len(rest)))}) と別々に配置されています。"
                        f"{self.both(other)}",
                        rest,
                    )
                    self.taken.add(other)

    def over_capacity(self) -> None:
        s = self.s
        for slot, seated in sorted(s.manual.at.items()):
            excess = -s.free(s.manual, slot)
            if excess <= 0:
                continue
            nursery, age = slot
            moved_in = [c for c in seated if c in self.differ_set and s.program.get(c) != nursery]
            excess -= sum(1 for c in moved_in if c in self.taken)  # already a mistake of its own
            # The children that do not fit are the lowest ranked; a sibling's seat is the group's.
            candidates = sorted(
                (c for c in moved_in if c not in self.taken),
                key=lambda c: (s.same_nursery_group(c) is not None, s.priority(c, nursery)),
            )
            if excess <= 0 or not candidates:
                continue
            seats, freed = s.seats(s.manual, slot), s.manual.freed[slot]
            freed_text = f" (転園で空いた {freed} 席を含む)" if freed else ""
            reasons = {
                c: Text(
                    f"手作業では {s.label(nursery)} {age}歳児の{seats}席{freed_text}に{len(seated)}人が内定 "
                    f"(定員超過 {len(seated) - seats} 人)。本児の指数 {s.points(c, nursery)} はこの組で低い方です。"
                    f"プログラムでは{s.outcome_text(c, s.program.get(c))}"
                )
                for c in candidates[:excess]
            }
            self.add(Kind.OVER_CAPACITY, reasons)

    def fits(self, members: list[str], nursery: str, *, free_only: bool) -> bool:
        """Could the whole group sit at `nursery` on the manual side (free seats, or also seats of
        lower-priority children when `free_only` is false: the checker's Hall condition)?"""
        s = self.s
        by_age: dict[int, list[str]] = {}
        for m in members:
            if s.manual.get(m) != nursery:
                by_age.setdefault(s.age(m), []).append(m)
        for age, kids in by_age.items():
            slot: Slot = (nursery, age)
            free = s.free(s.manual, slot)
            if free_only:
                if free < len(kids):
                    return False
                continue
            seats = s.seats(s.manual, slot)
            others = [c for c in s.manual.at[slot] if c not in members]
            kids.sort(key=lambda k: s.priority(k, nursery), reverse=True)
            for i, kid in enumerate(kids):
                above = sum(1 for o in others if s.priority(o, nursery) > s.priority(kid, nursery))
                if seats - above < len(kids) - i:
                    return False
        return True

    def free_seats(self) -> None:
        s = self.s
        for cid in self.open():
            members = s.same_nursery_group(cid) or [cid]
            for nursery in s.better_than(cid, s.manual.get(cid)):
                if not all(nursery in s.apps[m].preferences for m in members):
                    continue
                if self.fits(members, nursery, free_only=True):
                    slot = (nursery, s.age(cid))
                    free = max(s.free(s.manual, slot), 0)
                    group = "きょうだい全員が入れる" if len(members) > 1 else ""
                    text = (
                        f"手作業では第{s.rank(cid, nursery)}希望 {s.label(nursery)} {slot[1]}歳児に{group}空き "
                        f"({free} 席) があるのに本児は{s.outcome_text(cid, s.manual.get(cid))}。"
                        f"プログラムでは{s.outcome_text(cid, s.program.get(cid))}"
                    )
                    self.add(Kind.FREE_SEAT_LEFT, {m: Text(text) for m in members})
                    break

    # --- a higher-priority child left out behind a lower one -----------------------------------------
    def envy(self) -> None:
        s = self.s
        found: list[tuple[tuple[bool, int], str, str, list[str]]] = []
        for high in self.open():
            if s.same_nursery_group(high) is not None:
                continue  # a group's envy is the group's (blocking_groups)
            envied: dict[str, list[str]] = {}
            for nursery in s.better_than(high, s.manual.get(high)):
                own = s.priority(high, nursery)
                lower = [c for c in s.manual.at[(nursery, s.age(high))] if s.priority(c, nursery) < own]
                if lower:
                    envied[nursery] = lower
            if not envied:
                continue
            # The seat it has in the program is the one it lost; otherwise its most wanted one.
            program = s.program.get(high)
            nursery = program if program in envied else next(iter(envied))
            assert nursery is not None
            # The child whose seat it was in the program goes first: it is the one a swap displaced;
            # others who also outrank the intruder are its knock-ons.
            found.append(((program != nursery, -s.points(high, nursery)), high, nursery, envied[nursery]))
        for _, high, nursery, lower in sorted(found, key=lambda item: (item[0], item[1])):
            if high not in self.taken:
                self._envy_found(high, nursery, lower)

    def _envy_found(self, high: str, nursery: str, lower: list[str]) -> None:
        s = self.s
        mistaken = [c for c in lower if c in self.taken]
        if mistaken:
            # The seat went to a child whose placement is already a mistake: a knock-on of it, even
            # when the two share no seat in the results (the chain walk needs the link).
            self.links.append((high, mistaken[0]))
            return
        # The child it lost to: one whose outcome also differs, the lowest ranked first.
        low = min(lower, key=lambda c: (c not in self.differ_set, s.priority(c, nursery)))
        own, theirs = s.points(high, nursery), s.points(low, nursery)
        where = f"第{s.rank(high, nursery)}希望 {s.label(nursery)}"
        group = s.same_nursery_group(low)
        if s.is_transfer(high):
            self.add(
                Kind.TRANSFER_CHAIN,
                {
                    high: Text(
                        f"転園希望の本児 (指数 {own}) は{where}で {{0}} さん (指数 {theirs}) より上位です。プログラムは"
                        f"転園も指数順に決め、空いた元の席を次の児童に回します。{self.both(high)}",
                        (low,),
                    )
                },
            )
        elif group is not None:
            detail = f"{where}では指数の高い {{0}} さん (指数 {own}、きょうだい {theirs}) が後になりました"
            self._group_root(group, detail, (high,))
        elif s.is_transfer(low):
            self.add(
                Kind.TRANSFER_CHAIN,
                {
                    low: Text(
                        f"手作業では転園希望の本児が {s.label(nursery)} に移り、指数の高い {{0}} さん (指数 {own}、"
                        f"本児 {theirs}) が{s.outcome_text(high, s.manual.get(high))}。{self.both(low)}",
                        (high,),
                    )
                },
            )
        else:
            tied = own == theirs  # equal 指数: the tie rank (同点時順位) or the 児童番号 decided
            lower_word = "指数が同じで同点時の順位が後" if tied else "指数の低い児童"
            higher_word = "指数が同じで同点時の順位が先" if tied else "指数の高い児童"
            self.add(
                Kind.PRIORITY_ORDER_BROKEN,
                {
                    high: Text(
                        f"手作業では本児 (指数 {own}) より{lower_word}の {{0}} さん (指数 {theirs}) が{where}に内定し、"
                        f"本児は{s.outcome_text(high, s.manual.get(high))}。プログラムでは"
                        f"{s.outcome_text(high, s.program.get(high))}",
                        (low,),
                    ),
                    low: Text(
                        f"手作業では本児 (指数 {theirs}) が {s.label(nursery)} に内定し、{higher_word}の {{0}} さん "
                        f"(指数 {own}、同園は第{s.rank(high, nursery)}希望) が{s.outcome_text(high, s.manual.get(high))}。"
                        f"プログラムでは本児は{s.outcome_text(low, s.program.get(low))}",
                        (high,),
                    ),
                },
            )

    # --- sibling groups handled differently ------------------------------------------------------------
    def _group_root(self, members: list[str], detail: str, mentions: tuple[str, ...]) -> None:
        reasons = {}
        for m in members:
            others = tuple(o for o in members if o != m)
            names = "、".join(f"{{{i + len(mentions)}}} さん" for i in range(len(others)))
            reasons[m] = Text(
                f"同じ園を希望するきょうだい (本児と {names}) の配置が違います。手作業はきょうだいを全員入れる園に"
                f"先に配置し、プログラムは1人ずつ指数で席を比べます ({detail})。"
                f"{self.both(m)}",
                mentions + others,
            )
        self.add(Kind.SIBLING_GROUP_PLACED_DIFFERENTLY, reasons)

    def blocking_groups(self) -> None:
        s = self.s
        for cid in self.open():
            members = s.same_nursery_group(cid)
            if members is None or cid in self.taken:
                continue
            for nursery in s.better_than(cid, s.manual.get(cid)):
                if all(nursery in s.apps[m].preferences for m in members) and self.fits(
                    members, nursery, free_only=False
                ):
                    detail = f"{s.label(nursery)} には指数の低い児童が手作業で内定しています"
                    self._group_root(members, detail, ())
                    break
