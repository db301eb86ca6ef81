"""The runner's feed: an item whose save went unanswered comes back after its wait, not before, while
the worker takes fresh items meanwhile; the feed ends only when nothing waits any more."""

from __future__ import annotations

import time
from functools import partial
from typing import Any, cast

from robots.queue import WorkItem
from robots.runner import _Feed


def _items(count: int) -> list[WorkItem]:
    # The feed only hands items on; stand-ins with a reference are enough.
    return [cast(WorkItem, type("Item", (), {"reference": f"R{n}"})()) for n in range(count)]


def _feed(items: list[WorkItem], limit: int | None = None) -> _Feed:
    return _Feed(partial(next, iter(items), None), limit)


def test_deferred_item_returns_after_fresh_ones_and_its_wait() -> None:
    first, second, third = _items(3)
    feed = _feed([first, second, third])
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
    feed = _feed([first, second, third])
    feed.next()
    feed.later(first, 3, delay_s=0.0)
    assert feed.next() == (first, 3)
    feed.fail(RuntimeError("browser gone"))
    assert feed.next() is None
    error: Any = feed.error
    assert isinstance(error, RuntimeError)


def test_limit_stops_taking_fresh_items() -> None:
    first, second, _ = _items(3)
    feed = _feed(_items(3), limit=2)
    assert [feed.next() is not None for _ in range(3)] == [True, True, False]
    del first, second
