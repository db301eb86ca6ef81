"""The ordered tie-break list (同点の場合の順位): one unique, reproducible rank per child.

Each key becomes integers where lower is better, recorded in `ChildPriority.tiebreak_keys` so the
review workbook can show why one child was ranked before another:
- 基準指数: minus the scaled 基準指数 (higher first); 基準指数(低い方): the scaled 基準指数 (lower first);
- 調整指数: minus the scaled 調整指数 total (higher first);
- 希望順位: the position of the nursery on the child's form (per nursery: 1 = first choice);
- ひとり親: 0 for a single-parent household, else 1;
- 市民税所得割額: the household's levy in yen, unknown levy counted as UNKNOWN_LEVY (last);
- { reasons = [...] }: the position in the list of the guardians' counted reasons (best or worst);
- { when = "…" }: 0 when the condition holds, else 1; { value = "…" }: the number (× 10^6), or minus it;
- 申込順: the child's 1-based position in receipt order (received_on, 受付番号, order in the application);
- 抽選: two integers, the lottery seed and the child's draw (SHA-256 of seed and child id), so anyone can
  re-draw and check.
The child id is a last, silent key so even a 2^-48 collision of two draws stays deterministic.

When a key depends on the nursery (希望順位, or a condition over sibling_here / choice_rank), the order
differs per nursery: `tiebreak_at[n]` is the child's rank among the children who list n, and the
optimizer compares (score + bonus[n], tiebreak_at[n]) at n. `tiebreak` stays the order at each child's
first choice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from matching.records import AdjustmentFlag, ReasonKind, WorkStyle
from matching.scoring.expr_names import Env
from matching.scoring.rules import Rules, TieBreakKey, TieKey

if TYPE_CHECKING:
    from matching.scoring.engine import ScoredChild

UNKNOWN_LEVY = 10**12  # larger than any real 市民税所得割額: households without a figure come last
_UNKNOWN_VALUE = 10**15  # a value key whose value is unknown: last
_VALUE_SCALE = 10**6


def lottery_draw(seed: int, child_id: str) -> int:
    """The child's lottery number: reproducible from the seed alone, independent of input order."""
    digest = hashlib.sha256(f"{seed}:{child_id}".encode()).digest()
    return int.from_bytes(digest[:6], "big")


def receipt_order(scored: Sequence[ScoredChild]) -> dict[str, int]:
    def key(item: ScoredChild) -> tuple[dt.date, str, int]:
        received = item.application.received_on or dt.date.max  # no receipt date: after every dated one
        return (received, item.application.id, item.position)

    return {item.child.id: rank for rank, item in enumerate(sorted(scored, key=key), start=1)}


def _reason_position(item: ScoredChild, key: TieKey) -> int:
    """Step of the guardians' counted reasons in the list (a work style is looked up before 就労)."""
    steps = key.steps
    last = len(key.items)
    positions = []
    for guardian in item.guardians:
        if guardian.kind is None:
            continue  # a missing guardian has no reason category
        step = last
        if guardian.kind is ReasonKind.WORK:
            step = steps.get((guardian.style or WorkStyle.EMPLOYED).value, last)
        if step == last:
            step = steps.get(guardian.kind.value, last)
        positions.append(step)
    if not positions:
        return last
    return min(positions) if key.pick_best else max(positions)


def _expr_value(key: TieKey, env: Env) -> int:
    assert key.condition is not None
    value = key.condition.fn(env)
    if key.kind is TieBreakKey.CONDITION:
        return 0 if value else 1
    if value is None:
        return _UNKNOWN_VALUE
    scaled = value * _VALUE_SCALE if isinstance(value, int) else int(Fraction(value) * _VALUE_SCALE)
    return -scaled if key.descending else scaled


def _key_value(
    key: TieKey, item: ScoredChild, rules: Rules, receipt: dict[str, int], env: Env | None, at: str
) -> int:
    kind = key.kind
    if kind is TieBreakKey.BASE_POINTS:
        return -item.base_scaled
    if kind is TieBreakKey.BASE_POINTS_LOW:
        return item.base_scaled
    if kind is TieBreakKey.ADJUSTMENT_TOTAL:
        return -item.adjustment_scaled
    if kind is TieBreakKey.CHOICE_RANK:
        prefs = item.application.preferences
        return prefs.index(at) + 1 if at in prefs else len(prefs) + 1
    if kind is TieBreakKey.SINGLE_PARENT:
        return 0 if AdjustmentFlag.SINGLE_PARENT in item.application.household.flags else 1
    if kind is TieBreakKey.INCOME_LEVY:
        levy = item.application.household.income_levy_total
        return UNKNOWN_LEVY if levy is None else levy
    if kind is TieBreakKey.REASON_PRIORITY:
        return _reason_position(item, key)
    if kind in (TieBreakKey.CONDITION, TieBreakKey.VALUE):
        assert env is not None
        env.nursery = at
        return _expr_value(key, env)
    assert kind is TieBreakKey.RECEIPT_ORDER
    return receipt[item.child.id]


def _env(item: ScoredChild, rules: Rules, admission_year: int) -> Env:
    env = Env(item.application, admission_year, rules.weeks_per_month)
    env.child = item.child
    return env


def _keys(rules: Rules) -> tuple[TieKey, ...]:
    return rules.tie_keys or tuple(TieKey(kind, kind.value) for kind in rules.tiebreak)


def tiebreak_keys(
    item: ScoredChild,
    rules: Rules,
    receipt: dict[str, int],
    admission_year: int = 0,
    nursery: str | None = None,
) -> tuple[int, ...]:
    """The compared values of one child (at `nursery`, or at its first choice)."""
    env = _env(item, rules, admission_year) if rules.tie_needs_env else None
    at = nursery if nursery is not None else item.application.preferences[0]
    values: list[int] = []
    for key in _keys(rules):
        if key.kind is TieBreakKey.LOTTERY:
            seed = rules.lottery_seed or 0
            values.extend((seed, lottery_draw(seed, item.child.id)))
        else:
            values.append(_key_value(key, item, rules, receipt, env, at))
    return tuple(values)


def order_children(
    scored: Sequence[ScoredChild], rules: Rules, admission_year: int = 0
) -> tuple[dict[str, int], dict[str, tuple[int, ...]], dict[str, dict[str, int]]]:
    """(child id -> 1-based tie-break rank, child id -> recorded key values, per-nursery ranks).

    The per-nursery ranks are empty unless a key depends on the nursery.
    """
    receipt = receipt_order(scored)
    keys = {item.child.id: tiebreak_keys(item, rules, receipt, admission_year) for item in scored}
    ordered = sorted(keys, key=lambda child_id: (keys[child_id], child_id))
    ranks = {child_id: rank for rank, child_id in enumerate(ordered, start=1)}
    at: dict[str, dict[str, int]] = {}
    if rules.per_nursery_tiebreak:
        # Only the nursery-dependent values change from one nursery to the next: recompute just those.
        slots = []
        position = 0
        for key in _keys(rules):
            if key.per_nursery:
                slots.append((position, key))
            position += 2 if key.kind is TieBreakKey.LOTTERY else 1
        by_nursery: dict[str, list[tuple[tuple[int, ...], str]]] = {}
        for item in scored:
            env = _env(item, rules, admission_year) if rules.tie_needs_env else None
            values = list(keys[item.child.id])
            child_id = item.child.id
            for choice, nursery in enumerate(item.application.preferences, start=1):
                for slot, key in slots:
                    if key.kind is TieBreakKey.CHOICE_RANK:  # the common case, without the general lookup
                        values[slot] = choice
                    else:
                        values[slot] = _key_value(key, item, rules, receipt, env, nursery)
                entries = by_nursery.get(nursery)
                if entries is None:
                    entries = by_nursery[nursery] = []
                entries.append((tuple(values), child_id))
        for nursery, entries in by_nursery.items():
            entries.sort()
            for rank, (_, child_id) in enumerate(entries, start=1):
                at.setdefault(child_id, {})[nursery] = rank
    return ranks, keys, at
