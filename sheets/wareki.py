"""Japanese era (和暦) dates: 令和6年4月1日 and friends.

Formatting lives here beside the parsers so that every package writes and reads eras the same way.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
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


# --- Parsing -------------------------------------------------------------------------------------------
# Staff type dates in many shapes; every parser below takes text already NFKC-normalised by the caller
# or not (it normalises again: cheap, and the parsers stay safe to call on their own).

_ERA_BY_KEY: dict[str, Era] = {}
for _era in ERAS:
    _ERA_BY_KEY[_era.name] = _era
    _ERA_BY_KEY[_era.name[0]] = _era  # 令6.4.1 / 平31.4.30
    _ERA_BY_KEY[_era.letter] = _era
    _ERA_BY_KEY[_era.letter.lower()] = _era

_SEP = r"\s*[./\-年]\s*"
_WAREKI = re.compile(
    r"^(?P<era>令和|平成|昭和|大正|明治|[令平昭大明]|[RHSTMrhstm])\s*\.?\s*(?P<year>\d{1,2}|元)"
    r"(?:" + _SEP + r"(?P<month>\d{1,2})(?:\s*[./\-月]\s*(?P<day>\d{1,2})\s*日?)?\s*月?)?\s*$"
)
_WESTERN = re.compile(
    r"^(?P<year>\d{4})" + _SEP + r"(?P<month>\d{1,2})(?:\s*[./\-月]\s*(?P<day>\d{1,2})\s*日?)?\s*月?\s*$"
)
_COMPACT = re.compile(r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})?$")  # 20240401 / 202404
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug folded in)
_EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)
EXCEL_SERIAL_RANGE = (1, 2958465)  # 1900-01-01 .. 9999-12-31


class WarekiError(ValueError):
    """Text that is not a date; the message says why in Japanese and English."""


def _ymd(era: Era | None, year_text: str, month: int, day: int) -> dt.date:
    if era is not None:
        era_year = 1 if year_text == "元" else int(year_text)
        if era_year < 1:
            raise WarekiError(f"{era.name}0年はありません / there is no year 0 of {era.name}")
        year = era.start.year + era_year - 1
    else:
        year = int(year_text)
    try:
        date = dt.date(year, month, day)
    except ValueError as exc:
        raise WarekiError(f"{year}年{month}月{day}日は存在しない日付です / not a calendar date") from exc
    if era is not None:
        following = [e for e in ERAS if e.start > era.start]
        end = min((e.start for e in following), default=None)
        if date < era.start or (end is not None and date >= end):
            real_era, real_year = era_of(date)
            raise WarekiError(
                f"{era.name}{year_text}年{month}月{day}日は{era.name}の期間外です"
                f"（{real_era.name}{real_year}年ではありませんか） / the date is outside the {era.name} era"
            )
    return date


def parse_date_text(text: str, *, require_day: bool = True) -> dt.date:
    """`令和6年4月1日`, `R6.4.1`, `H31.4.30`, `令和元年5月1日`, `2024/4/1`, `2024-04-01`, `20240401`.

    With `require_day=False` a year and month alone (`2027/4`, `令和9年4月`, `R9.4`) give the 1st.
    """
    value = unicodedata.normalize("NFKC", text).strip()
    match = _WAREKI.match(value)
    era: Era | None
    if match:
        era = _ERA_BY_KEY[match["era"]]
    else:
        match = _WESTERN.match(value) or _COMPACT.match(value)
        era = None
    if not match or match["month"] is None:
        raise WarekiError(f"日付として読めません: {text!r} / not a date")
    if match["day"] is None and require_day:
        raise WarekiError(f"日がありません: {text!r} / the day of the month is missing")
    return _ymd(era, match["year"], int(match["month"]), int(match["day"] or 1))


def excel_serial_to_date(serial: float, *, date1904: bool = False) -> dt.date:
    """An Excel serial day number (the value of a date cell without its date format) as a date."""
    low, high = EXCEL_SERIAL_RANGE
    if not low <= serial <= high:
        raise WarekiError(f"Excelの日付シリアル値の範囲外です: {serial} / not an Excel date serial")
    epoch = _EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH
    return epoch + dt.timedelta(days=int(serial))


def date_to_excel_serial(date: dt.date) -> int:
    return (date - _EXCEL_EPOCH).days
