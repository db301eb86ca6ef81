"""Progress on the terminal for commands that take more than a few seconds (rich, on stderr).

`counting(label, total, unit)` draws a bar with x / N, the time spent and the time left, for work that
counts (scan files, robot items); `working(label)` a spinner with the time spent, for one long step
(reading a ledger, optimising). Both draw only when stderr is a terminal and disappear when done, so the
result lines stay as they were, and piped or --json output is never mixed with them. Labels are
「日本語 / English」 like every message.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

Advance = Callable[[int, int], None]  # (done, total): the callbacks the libraries take


def _console() -> Console:
    return Console(stderr=True)


def _shown(console: Console) -> bool:
    return console.is_terminal and not os.environ.get("BODX_NO_PROGRESS")


@contextmanager
def counting(label: str, total: int, unit: str = "") -> Iterator[Advance]:
    """A bar for `total` items; the callback sets how many are done (and may correct the total)."""
    console = _console()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TimeElapsedColumn(),
        TextColumn("残り / left"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True, disable=not _shown(console)) as bar:
        task = bar.add_task(label, total=total)

        def advance(done: int, new_total: int) -> None:
            bar.update(task, completed=done, total=new_total)

        yield advance


@contextmanager
def working(label: str) -> Iterator[None]:
    """A spinner with the time spent, for one step that gives no count."""
    console = _console()
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=not _shown(console)) as spinner:
        spinner.add_task(label, total=None)
        yield
