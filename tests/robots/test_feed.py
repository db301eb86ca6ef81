"""The runner's feed: an item whose save went unanswered comes back after its wait, not before, while
the worker takes fresh items meanwhile; the feed ends only when nothing waits any more."""

from __future__ import annotations

import time
from typing import Any, cast

from robots.queue import WorkItem
from robots.runner import _Feed


def _items(count: int) -> list[WorkItem]:
    # The feed only hands items on; stand-ins with a reference are enough.
    return [cast(WorkItem, type("Item", (), {"reference": f"R{n}"})()) for n in range(count)]


def test_deferred_item_returns_after_fresh_ones_and_its_wait() -> None:
    first, second, third = _items(3)
    feed = _Feed([first, second, third])
    taken = feed.next()
    assert taken == (first, 1)
    started = time.monotonic()
    feed.later(first, 2, delay_s=0.3)
    assert feed.next() == (second, 1)
    assert feed.next() == (third, 1)
    assert feed.next() == (first, 2)  # waited for: nothing else was left
    assert time.monotonic() - started >= 0.3
    assert feed.next() is None


def test_a_due_item_goes_before_fresh_ones_and_an_error_stops_the_feed() -> None:
    first, second, third = _items(3)
    feed = _Feed([first, second, third])
    feed.next()
    feed.later(first, 3, delay_s=0.0)
    assert feed.next() == (first, 3)
    feed.fail(RuntimeError("browser gone"))
    assert feed.next() is None
    error: Any = feed.error
    assert isinstance(error, RuntimeError)
