"""The ordered tie-break list (同点の場合の順位): one unique, reproducible rank per child.

Each key becomes integers where lower is better, recorded in `ChildPriority.tiebreak_keys` so the
review workbook can show why one child was ranked before another:
- 基準指数: minus the scaled 基準指数 (higher 基準指数 first);
- ひとり親: 0 for a single-parent household, else 1;
- 市民税所得割額: the levy in yen, unknown levy counted as UNKNOWN_LEVY (last);
- 申込順: the child's 1-based position in receipt order (received_on, 受付番号, order in the application);
- 抽選: two integers, the lottery seed and the child's draw (SHA-256 of seed and child id), so anyone can
  re-draw and check.
The child id is a last, silent key so even a 2^-48 collision of two draws stays deterministic.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from matching.records import AdjustmentFlag
from matching.scoring.rules import Rules, TieBreakKey

if TYPE_CHECKING:
    from matching.scoring.engine import ScoredChild

UNKNOWN_LEVY = 10**12  # larger than any real 市民税所得割額: households without a figure come last


def lottery_draw(seed: int, child_id: str) -> int:
    """The child's lottery number: reproducible from the seed alone, independent of input order."""
    digest = hashlib.sha256(f"{seed}:{child_id}".encode()).digest()
    return int.from_bytes(digest[:6], "big")


def receipt_order(scored: Sequence[ScoredChild]) -> dict[str, int]:
    def key(item: ScoredChild) -> tuple[dt.date, str, int]:
        received = item.application.received_on or dt.date.max  # no receipt date: after every dated one
        return (received, item.application.id, item.position)

    return {item.child.id: rank for rank, item in enumerate(sorted(scored, key=key), start=1)}


def tiebreak_keys(item: ScoredChild, rules: Rules, receipt: dict[str, int]) -> tuple[int, ...]:
    values: list[int] = []
    household = item.application.household
    for key in rules.tiebreak:
        if key is TieBreakKey.BASE_POINTS:
            values.append(-item.base_scaled)
        elif key is TieBreakKey.SINGLE_PARENT:
            values.append(0 if AdjustmentFlag.SINGLE_PARENT in household.flags else 1)
        elif key is TieBreakKey.INCOME_LEVY:
            levy = household.income_levy_yen
            values.append(UNKNOWN_LEVY if levy is None else levy)
        elif key is TieBreakKey.RECEIPT_ORDER:
            values.append(receipt[item.child.id])
        else:  # TieBreakKey.LOTTERY
            seed = rules.lottery_seed or 0
            values.extend((seed, lottery_draw(seed, item.child.id)))
    return tuple(values)


def order_children(
    scored: Sequence[ScoredChild], rules: Rules
) -> tuple[dict[str, int], dict[str, tuple[int, ...]]]:
    """(child id -> 1-based tie-break rank, child id -> recorded key values)."""
    receipt = receipt_order(scored)
    keys = {item.child.id: tiebreak_keys(item, rules, receipt) for item in scored}
    ordered = sorted(keys, key=lambda child_id: (keys[child_id], child_id))
    return {child_id: rank for rank, child_id in enumerate(ordered, start=1)}, keys
