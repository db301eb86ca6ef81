"""Helpers shared by the `bodx bench …` commands: repeated runs and their medians."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer

T = TypeVar("T")


@contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    """`with stopwatch() as elapsed: …; elapsed()` gives seconds since the block started."""
    start = time.perf_counter()
    yield lambda: time.perf_counter() - start


def timed(func: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def emit(payload: dict[str, Any], as_json: bool, lines: list[str]) -> None:
    """Print the figures: one JSON object for machines, or readable lines for people."""
    if as_json:
        typer.echo(json.dumps(payload, ensure_ascii=False, sort_keys=False))
    else:
        for line in lines:
            typer.echo(line)
