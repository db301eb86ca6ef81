"""Working hours in the forms cities write: 160, 160時間, １６０ｈ, 月160時間, 160.0, 週40時間, 週5日8時間,
週5日・1日8時間 (with a days-a-week figure inside), 160時間(予定).

The record keeps what was written (per month or per week, Reason.hours_per_week); a weekly figure also
gets its monthly equivalent with the city's weeks-per-month factor (4, 4.3 or 52/12), rounded to two
decimals, so rules written in monthly hours score it the way the city does.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import NamedTuple

from sheets.values import CellValueError, RawValue, normalise_text, parse_number

HOUR_UNITS = frozenset({"時間", "h", "hr", "hrs", "時間/月", "h/月"})
_DAYS_TIMES_HOURS = re.compile(r"^週(\d+)日[・,、/\s]*(?:1日)?(?:あたり)?(\d+(?:\.\d+)?)(?:時間|h)$")
_WEEKLY = re.compile(r"^(?:週|1週)(\d+(?:\.\d+)?)(?:時間|h)?$|^(\d+(?:\.\d+)?)(?:時間|h)?/週$")
_MONTHLY = re.compile(r"^(?:月|1か月|1ヶ月|ひと月)(.+)$")
_NOTE = re.compile(r"\s*(?:\([^()]*\)|※.*)$")


class Hours(NamedTuple):
    per_month: float | None
    per_week: float | None
    days: int | None  # days a week, when the text states them (週5日8時間)


def parse_hours(value: RawValue, *, weekly: bool, max_month: float, max_week: float) -> Hours:
    """`weekly`: a bare number in this column is hours a week (a 週就労時間 column)."""
    if isinstance(value, bool) or value is None:
        raise CellValueError("時間がありません / no hours")
    if isinstance(value, int | float):
        number = parse_number(value)
        return _checked(
            Hours(None, number, None) if weekly else Hours(number, None, None), value, max_month, max_week
        )
    text = normalise_text(value)
    if text is None:
        raise CellValueError("時間がありません / no hours")
    text = _NOTE.sub("", text).replace(" ", "").replace(",", "")
    found = _DAYS_TIMES_HOURS.match(text)
    if found:
        days, per_day = int(found[1]), float(found[2])
        if not 0 < days <= 7:
            raise CellValueError(f"週の日数が範囲外です（1〜7）: {value!r} / days a week out of range")
        return _checked(Hours(None, days * per_day, days), value, max_month, max_week)
    found = _WEEKLY.match(text)
    if found:
        return _checked(Hours(None, float(found[1] or found[2]), None), value, max_month, max_week)
    monthly = _MONTHLY.match(text)
    number = parse_number(monthly[1] if monthly else text, HOUR_UNITS)
    if weekly and not monthly:
        return _checked(Hours(None, number, None), value, max_month, max_week)
    return _checked(Hours(number, None, None), value, max_month, max_week)


def _checked(hours: Hours, raw: RawValue, max_month: float, max_week: float) -> Hours:
    for number, limit, what in ((hours.per_month, max_month, "月"), (hours.per_week, max_week, "週")):
        if number is not None and not 0 <= number <= limit:
            raise CellValueError(
                f"{what}の就労時間が範囲外です（0〜{limit:g}）: {raw!r}。時間を確認してください / "
                f"hours per {'month' if what == '月' else 'week'} out of range"
            )
    return hours


def monthly_equivalent(per_week: float, weeks_per_month: Fraction) -> float:
    """Weekly hours as monthly ones with the city's factor, rounded to two decimals."""
    return round(float(Fraction(str(per_week)) * weeks_per_month), 2)
