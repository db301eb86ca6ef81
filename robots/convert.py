"""Value conversions a recipe names for a field: how a decision's value is written on one screen.

Each converter takes the decision's raw value (str, date or None) and returns the text the screen wants;
None gives "" (an empty field). A recipe may then map the text onto screen codes (e.g. 令和 -> "5").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from robots.errors import BusinessError
from sheets.wareki import era_of, format_wareki, format_wareki_short

Converter = Callable[[object], str]


def _date(value: object) -> dt.date:
    if not isinstance(value, dt.date):
        raise BusinessError(f"日付ではありません / not a date: {type(value).__name__}")
    return value


def _text(value: object) -> str:
    return str(value)


def _era_name(value: object) -> str:
    return era_of(_date(value))[0].name


def _era_year(value: object) -> str:
    return str(era_of(_date(value))[1])


CONVERTERS: dict[str, Converter] = {
    "text": _text,
    "wareki_era": _era_name,  # 令和
    "wareki_year": _era_year,  # 9 (元年 is 1)
    "year": lambda v: str(_date(v).year),
    "month": lambda v: str(_date(v).month),
    "day": lambda v: str(_date(v).day),
    "month2": lambda v: f"{_date(v).month:02d}",
    "day2": lambda v: f"{_date(v).day:02d}",
    "iso_date": lambda v: _date(v).isoformat(),
    "wareki": lambda v: format_wareki(_date(v)),  # 令和9年4月1日
    "wareki_short": lambda v: format_wareki_short(_date(v)),  # R9.4.1
}


def convert(value: object, converter: str, mapping: dict[str, str], label: str) -> str:
    """Screen text of `value`; a value the mapping does not know is the data's fault (business error)."""
    if value is None or value == "":
        return ""
    text = CONVERTERS[converter](value)
    if not mapping:
        return text
    if text not in mapping:
        raise BusinessError(
            f"{label}: 値「{text}」は画面の選択肢にありません / value {text!r} has no choice on the screen"
        )
    return mapping[text]
