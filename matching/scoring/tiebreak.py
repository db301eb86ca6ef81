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
    """Position of the guardians' counted reasons in the list (a work style before 就労 itself)."""
    positions = []
    for guardian in item.guardians:
        if guardian.kind is None:
            continue  # a missing guardian has no reason category
        categories = [guardian.kind.value]
        if guardian.kind is ReasonKind.WORK:
            categories.insert(0, (guardian.style or WorkStyle.EMPLOYED).value)
        found = [step for c in categories for step, item in enumerate(key.items) if c in item.split("|")]
        positions.append(found[0] if found else len(key.items))
    if not positions:
        return len(key.items)
    return min(positions) if key.pick_best else max(positions)


def _expr_value(key: TieKey, env: Env) -> int:
    assert key.condition is not None
    value = key.condition.fn(env)
    if key.kind is TieBreakKey.CONDITION:
        return 0 if value else 1
    if value is None:
        return _UNKNOWN_VALUE
    scaled = int(Fraction(value) * _VALUE_SCALE)
    return -scaled if key.descending else scaled


def tiebreak_keys(
    item: ScoredChild,
    rules: Rules,
    receipt: dict[str, int],
    admission_year: int = 0,
    nursery: str | None = None,
) -> tuple[int, ...]:
    values: list[int] = []
    household = item.application.household
    prefs = item.application.preferences
    at = nursery if nursery is not None else prefs[0]
    env: Env | None = None
    for key in rules.tie_keys or tuple(TieKey(kind, kind.value) for kind in rules.tiebreak):
        kind = key.kind
        if kind is TieBreakKey.BASE_POINTS:
            values.append(-item.base_scaled)
        elif kind is TieBreakKey.BASE_POINTS_LOW:
            values.append(item.base_scaled)
        elif kind is TieBreakKey.ADJUSTMENT_TOTAL:
            values.append(-item.adjustment_scaled)
        elif kind is TieBreakKey.CHOICE_RANK:
            values.append(prefs.index(at) + 1 if at in prefs else len(prefs) + 1)
        elif kind is TieBreakKey.SINGLE_PARENT:
            values.append(0 if AdjustmentFlag.SINGLE_PARENT in household.flags else 1)
        elif kind is TieBreakKey.INCOME_LEVY:
            levy = household.income_levy_total
            values.append(UNKNOWN_LEVY if levy is None else levy)
        elif kind is TieBreakKey.REASON_PRIORITY:
            values.append(_reason_position(item, key))
        elif kind in (TieBreakKey.CONDITION, TieBreakKey.VALUE):
            if env is None:
                env = Env(item.application, admission_year, rules.weeks_per_month)
                env.child = item.child
            env.nursery = at
            values.append(_expr_value(key, env))
        elif kind is TieBreakKey.RECEIPT_ORDER:
            values.append(receipt[item.child.id])
        else:  # TieBreakKey.LOTTERY
            seed = rules.lottery_seed or 0
            values.extend((seed, lottery_draw(seed, item.child.id)))
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
        by_nursery: dict[str, list[tuple[tuple[int, ...], str]]] = {}
        for item in scored:
            for nursery in item.application.preferences:
                entry = (tiebreak_keys(item, rules, receipt, admission_year, nursery), item.child.id)
                by_nursery.setdefault(nursery, []).append(entry)
        for nursery, entries in by_nursery.items():
            entries.sort()
            for rank, (_, child_id) in enumerate(entries, start=1):
                at.setdefault(child_id, {})[nursery] = rank
    return ranks, keys, at
