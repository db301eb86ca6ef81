"""Masked child ids for screens, logs and artifacts that still tell every child of the season apart.

A fixed two-character tail (`A****23`) fits about one child in a hundred ids of the same shape, so a
list of a 2,000-child season names the same mask for many children. Here each id keeps the shortest
tail (at least two characters) that no other id of the season with the same first character and
length shares; the mask of one id can then never equal the mask of another.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

MIN_TAIL = 2


def mask_id(child_id: str) -> str:
    """The season-free mask: first character, stars, last two characters (`A0***12` style)."""
    if len(child_id) <= 4:
        return child_id[:1] + "***"
    return f"{child_id[:2]}***{child_id[-2:]}"


class SeasonMasks:
    def __init__(self, ids: Iterable[str]) -> None:
        shapes: dict[tuple[str, int], list[str]] = defaultdict(list)
        for child_id in set(ids):
            shapes[(child_id[:1], len(child_id))].append(child_id)
        self._masks: dict[str, str] = {}
        for (_, length), same_shape in shapes.items():
            tails = [Counter(child_id[length - k :] for child_id in same_shape) for k in range(length)]
            for child_id in same_shape:
                tail = min(MIN_TAIL, length - 1)
                while tail < length - 1 and tails[tail][child_id[length - tail :]] > 1:
                    tail += 1
                hidden = length - 1 - tail
                # An id too short to hide anything and stay unique is shown as it is.
                self._masks[child_id] = (
                    child_id[0] + "*" * hidden + child_id[length - tail :] if hidden > 0 else child_id
                )

    def __call__(self, child_id: str) -> str:
        return self._masks.get(child_id) or mask_id(child_id)
