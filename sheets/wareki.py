"""Japanese era (和暦) dates: 令和6年4月1日 and friends.

Formatting lives here beside the parsers so that every package writes and reads eras the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple


class Era(NamedTuple):
    name: str
    letter: str  # the one-letter abbreviation staff type: R6.4.1, H31.4.30
    start: dt.date


# Newest first: a date belongs to the first era whose start it is not before.
ERAS: tuple[Era, ...] = (
    Era("令和", "R", dt.date(2019, 5, 1)),
    Era("平成", "H", dt.date(1989, 1, 8)),
    Era("昭和", "S", dt.date(1926, 12, 25)),
    Era("大正", "T", dt.date(1912, 7, 30)),
    Era("明治", "M", dt.date(1868, 1, 25)),
)


def era_of(date: dt.date) -> tuple[Era, int]:
    """The era of `date` and the year within it (1 = 元年)."""
    for era in ERAS:
        if date >= era.start:
            return era, date.year - era.start.year + 1
    raise ValueError(f"{date} is before 明治 / 明治より前の日付です")


def format_wareki(date: dt.date, *, gannen: bool = False) -> str:
    """`令和6年4月1日`; with `gannen`, the first year is written 元年 as on official forms."""
    era, year = era_of(date)
    year_text = "元" if gannen and year == 1 else str(year)
    return f"{era.name}{year_text}年{date.month}月{date.day}日"


def format_wareki_short(date: dt.date) -> str:
    """`R6.4.1`: the abbreviation many staff ledgers use."""
    era, year = era_of(date)
    return f"{era.letter}{year}.{date.month}.{date.day}"
