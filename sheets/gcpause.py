"""Pause Python's cyclic garbage collector around bulk work.

Reading a ledger or writing a review workbook creates millions of small acyclic objects (dicts,
records, cells); the cyclic collector would scan all live ones again and again (a fifth of the reading
time, an eighth of the writing time on 100,000 rows). Reference counting still frees everything; the
collector runs as usual afterwards.

The objects that survive the pause are mostly results that live on (2.4 million for the 100,000-row
ledger). Left in the youngest generation, the first collection after the pause would scan every one of
them (1.3 s) and the next older one again later; they are moved to the oldest generation instead
(gc.freeze + gc.unfreeze: two list splices, nothing scanned), where only the collector's full
collections look at them, as at any other long-lived object. Cyclic garbage among them is still found by
those. A process that froze objects itself (gc.freeze before forking workers) is left as it is.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def pause_cyclic_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()
