"""Sibling families: a group whose outcome is one whole assignment from a ranked list (issue 23).

A family's *outcome* gives each child an entry (a nursery it listed, or a transfer child's current seat)
or nothing. A child is *newly placed* when it gets one of its preferences; a transfer child keeping its
seat is not. The condition (きょうだい条件) says which outcomes the family accepts:

- 同保 (at most one newly assigned nursery): every newly placed child at the same nursery;
- 同時 (all enter together): every child newly placed, or none;
- 順次上 / 順次下: whenever anyone is newly placed, the eldest (上) / the youngest (下) is;
- 別保順次 (several nurseries, some now and the rest later): anything.

and in which order, best first (a combination file replaces both with the family's own list):

1. for 順次: more children newly placed first;
2. for 順次上 / 下: then the elder (上) / younger (下) children placed first, child by child;
3. for 別保…同: then more children in one nursery first (for 同保 this is 1.);
4. then the product of the placed children's preference ranks (1 = first choice), smaller first;
5. then each child's rank, eldest first.

"Nobody newly placed" (transfer children keep their seats) is every family's last resort and not in the
list. Children are ordered eldest first (higher age class; twins in instance order).

When the engine does not need this (today's two fast paths, see `needs_family`): a 同保同時 group without
transfer children is one unit at one nursery (the old group model, its nurseries in the order of 4.
and 5.), and a 別保順次希 group whose children are all in different age classes is a set of
individuals: no child can use a sibling's seat, so a family coalition exists exactly when one child
alone has justified envy (the family prefers any outcome in which one child improves and nobody
moves), and each child applies on its own list.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matching.errors import InstanceError
from matching.limits import DEFAULT_LIMITS
from matching.records import SiblingCondition

NONE = -1  # the child is not placed this round (outcome values elsewhere use the same marker)
SAME_NURSERY = frozenset(
    {
        SiblingCondition.SAME_TOGETHER,
        SiblingCondition.SAME_SEQUENTIAL_ELDEST,
        SiblingCondition.SAME_SEQUENTIAL_YOUNGEST,
    }
)
TOGETHER = frozenset(
    {
        SiblingCondition.SAME_TOGETHER,
        SiblingCondition.SPLIT_TOGETHER_SAME_FIRST,
        SiblingCondition.SPLIT_TOGETHER_OWN_FIRST,
    }
)
SAME_FIRST = frozenset(
    {SiblingCondition.SPLIT_TOGETHER_SAME_FIRST, SiblingCondition.SPLIT_SEQUENTIAL_SAME_FIRST}
)


@dataclass(frozen=True)
class MemberEntries:
    """What one child brings to its family: per entry its nursery and 0-based preference rank."""

    child: int
    age_class: int
    nurseries: tuple[int, ...]  # per entry; a transfer child's last entry is its current seat
    ranks: tuple[int, ...]
    stay: int  # entry index of a transfer child's current seat, else NONE


@dataclass(frozen=True)
class Family:
    members: tuple[int, ...]  # child indices, eldest first
    combos: tuple[tuple[int, ...], ...]  # best first: per member an entry index or NONE
    fallback: tuple[int, ...]  # nobody newly placed: transfer children at their seats, others NONE
    fallback_allowed: bool = True  # False when a member is pinned (it must be placed)

    def honours(self, combo: tuple[int, ...], pin: Sequence[int]) -> bool:
        """The outcome gives every pinned member its pinned entry."""
        return all(pin[m] == NONE or pin[m] == j for m, j in zip(self.members, combo, strict=True))

    def index_of(self, outcome: Sequence[int]) -> int:
        """Position of an outcome in the family's order; the fallback ranks after every combination."""
        key = tuple(outcome[m] for m in self.members)
        for i, combo in enumerate(self.combos):
            if combo == key:
                return i
        return len(self.combos)


def needs_family(condition: SiblingCondition, ages: Sequence[int], transfers: bool, listed: bool) -> bool:
    """Whether a group of two or more children needs the family model (see the module docstring)."""
    if listed:
        return True
    if condition is SiblingCondition.SAME_TOGETHER:
        return transfers
    if condition is SiblingCondition.SPLIT_SEQUENTIAL_OWN_FIRST:
        return len(set(ages)) < len(ages)
    return True


def eldest_first(members: Sequence[MemberEntries]) -> list[MemberEntries]:
    return sorted(members, key=lambda m: -m.age_class)  # stable: twins keep instance order


def derived_combos(
    group: str, condition: SiblingCondition, members: Sequence[MemberEntries], limit: int | None = None
) -> list[tuple[int, ...]]:
    """The outcomes the condition accepts, best first (members eldest first, as given)."""
    limit = limit or DEFAULT_LIMITS.max_family_outcomes
    options = [[*(j for j in range(len(m.nurseries)) if j != m.stay), m.stay] for m in members]
    size = math.prod(len(o) for o in options)
    if condition in SAME_NURSERY:  # one nursery at a time: subsets of the children who listed it
        listed = {n for m in members for j, n in enumerate(m.nurseries) if j != m.stay}
        size = len(listed) << len(members)
    if size > limit:
        raise InstanceError(
            f"きょうだいグループ {group} の入所パターンが多すぎます（約 {size:,} 通り、上限 {limit:,}）。希望園を減らすか、"
            f"組合せ希望を指定してください / sibling group {group} has about {size:,} possible outcomes "
            f"(limit max_family_outcomes {limit:,}): shorten the preferences or give its combinations"
        )
    candidates = _same_nursery_outcomes(members) if condition in SAME_NURSERY else _product(options)
    fallback = tuple(m.stay for m in members)
    valid = [c for c in candidates if c != fallback and _accepts(condition, members, c)]
    valid.sort(key=lambda combo: _order_key(condition, members, combo))
    return valid


def listed_combos(
    members: Sequence[MemberEntries],
    combinations: Sequence[Mapping[int, int | None]],
    excluded: set[tuple[int, int]],
) -> list[tuple[int, ...]]:
    """A combination file's list (child -> nursery index or None) as entry tuples, in the family's order.
    A combination using an excluded pair (除外) is dropped; "nobody new" needs no line."""
    fallback = tuple(m.stay for m in members)
    combos: list[tuple[int, ...]] = []
    for combination in combinations:
        entries: list[int] = []
        for m in members:
            nursery = combination[m.child]
            if nursery is None or (m.stay != NONE and m.nurseries[m.stay] == nursery):
                entries.append(m.stay)
            elif (m.child, nursery) in excluded or nursery not in m.nurseries:
                break
            else:
                entries.append(m.nurseries.index(nursery))
        else:
            combo = tuple(entries)
            if combo != fallback and combo not in combos:
                combos.append(combo)
    return combos


def _product(options: list[list[int]]) -> list[tuple[int, ...]]:
    combos: list[tuple[int, ...]] = [()]
    for choice in options:
        combos = [(*c, j) for c in combos for j in choice]
    return combos


def _same_nursery_outcomes(members: Sequence[MemberEntries]) -> list[tuple[int, ...]]:
    """Every outcome whose newly placed children share one nursery (the others not placed / staying)."""
    found: list[tuple[int, ...]] = []
    nurseries = sorted({n for m in members for j, n in enumerate(m.nurseries) if j != m.stay})
    for nursery in nurseries:
        options = []
        for m in members:
            here = [j for j, n in enumerate(m.nurseries) if n == nursery and j != m.stay]
            options.append([*here, m.stay])
        found.extend(_product(options))
    return found


def _new(member: MemberEntries, entry: int) -> bool:
    return entry != NONE and entry != member.stay


def _accepts(condition: SiblingCondition, members: Sequence[MemberEntries], combo: tuple[int, ...]) -> bool:
    new = [_new(m, j) for m, j in zip(members, combo, strict=True)]
    if condition in TOGETHER and not all(new):
        return False
    new_nurseries = {m.nurseries[j] for m, j, is_new in zip(members, combo, new, strict=True) if is_new}
    if condition in SAME_NURSERY and len(new_nurseries) > 1:
        return False
    if condition is SiblingCondition.SAME_SEQUENTIAL_ELDEST and any(new) and not new[0]:
        return False
    return not (condition is SiblingCondition.SAME_SEQUENTIAL_YOUNGEST and any(new) and not new[-1])


def _order_key(
    condition: SiblingCondition, members: Sequence[MemberEntries], combo: tuple[int, ...]
) -> tuple[int | tuple[int, ...], ...]:
    """Smaller is better (the module docstring's steps 1-5)."""
    new = [_new(m, j) for m, j in zip(members, combo, strict=True)]
    placed = sum(new)
    per_nursery: dict[int, int] = {}
    ranks: list[int] = []
    product = 1
    for m, j, is_new in zip(members, combo, new, strict=True):
        if is_new:
            per_nursery[m.nurseries[j]] = per_nursery.get(m.nurseries[j], 0) + 1
            ranks.append(m.ranks[j])
            product *= m.ranks[j] + 1
        else:
            ranks.append(1 << 30)
    sequential = condition not in TOGETHER
    mask: tuple[int, ...] = ()
    if condition is SiblingCondition.SAME_SEQUENTIAL_ELDEST:
        mask = tuple(0 if is_new else 1 for is_new in new)
    elif condition is SiblingCondition.SAME_SEQUENTIAL_YOUNGEST:
        mask = tuple(0 if is_new else 1 for is_new in reversed(new))
    together = -max(per_nursery.values(), default=0) if condition in SAME_FIRST else 0
    return (-placed if sequential else 0, mask, together, product, tuple(ranks))
