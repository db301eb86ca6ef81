"""Date parsing: wareki (long, short, 元年), western, compact, Excel serials; property tests with Hypothesis."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets.values import CellValueError, parse_date
from sheets.wareki import (
    date_to_excel_serial,
    era_of,
    excel_serial_to_date,
    format_wareki,
    format_wareki_short,
    parse_date_text,
)

DATES = st.dates(min_value=dt.date(1926, 12, 25), max_value=dt.date(2099, 12, 31))
FULL_WIDTH = str.maketrans("0123456789./-", "０１２３４５６７８９．／－")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和6年4月1日", dt.date(2024, 4, 1)),
        ("令和６年４月１日", dt.date(2024, 4, 1)),
        ("R6.4.1", dt.date(2024, 4, 1)),
        ("r06.04.01", dt.date(2024, 4, 1)),
        ("R6/4/1", dt.date(2024, 4, 1)),
        ("令6.4.1", dt.date(2024, 4, 1)),
        ("H31.4.30", dt.date(2019, 4, 30)),
        ("平成31年4月30日", dt.date(2019, 4, 30)),
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("R1.5.1", dt.date(2019, 5, 1)),
        ("S64.1.7", dt.date(1989, 1, 7)),
        ("2024/4/1", dt.date(2024, 4, 1)),
        ("2024-04-01", dt.date(2024, 4, 1)),
        ("2024年4月1日", dt.date(2024, 4, 1)),
        ("２０２４／４／１", dt.date(2024, 4, 1)),
        ("20240401", dt.date(2024, 4, 1)),
        (" 令和 6年 4月 1日 ", dt.date(2024, 4, 1)),
    ],
)
def test_parses_the_shapes_staff_type(text: str, expected: dt.date) -> None:
    assert parse_date_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2027/4", dt.date(2027, 4, 1)), ("令和9年4月", dt.date(2027, 4, 1)), ("R9.4", dt.date(2027, 4, 1))],
)
def test_year_month_gives_the_first(text: str, expected: dt.date) -> None:
    assert parse_date_text(text, require_day=False) == expected
    with pytest.raises(ValueError, match="日がありません"):
        parse_date_text(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("H31.5.1", "平成の期間外"),  # 平成 ended on April 30, 2019
        ("令和元年4月30日", "令和の期間外"),
        ("2024/2/30", "存在しない"),
        ("R0.4.1", "0年"),
        ("令和6年13月1日", "存在しない"),
        ("R6", "読めません"),
        ("きのう", "読めません"),
    ],
)
def test_rejects_impossible_dates_with_a_reason(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_date_text(text)


@given(DATES)
def test_long_wareki_round_trips(date: dt.date) -> None:
    assert parse_date_text(format_wareki(date)) == date
    assert parse_date_text(format_wareki(date, gannen=True)) == date


@given(DATES)
def test_short_wareki_round_trips_also_full_width(date: dt.date) -> None:
    short = format_wareki_short(date)
    assert parse_date_text(short) == date
    assert parse_date_text(short.translate(FULL_WIDTH)) == date
    assert parse_date_text(unicodedata.normalize("NFKC", short).lower()) == date


@given(
    DATES,
    st.sampled_from(
        ["{y}/{m}/{d}", "{y}-{m:02d}-{d:02d}", "{y}年{m}月{d}日", "{y}{m:02d}{d:02d}", "{y}.{m}.{d}"]
    ),
)
def test_western_shapes_round_trip(date: dt.date, shape: str) -> None:
    text = shape.format(y=date.year, m=date.month, d=date.day)
    assert parse_date_text(text) == date
    assert parse_date_text(text.translate(FULL_WIDTH)) == date


@given(DATES)
def test_excel_serials_round_trip(date: dt.date) -> None:
    serial = date_to_excel_serial(date)
    assert excel_serial_to_date(serial) == date
    assert parse_date(serial) == date
    assert parse_date(float(serial)) == date
    assert parse_date(dt.datetime.combine(date, dt.time(12))) == date


@given(DATES)
def test_era_year_matches_the_formatted_text(date: dt.date) -> None:
    era, year = era_of(date)
    assert format_wareki(date).startswith(f"{era.name}{year}年")


def test_cell_level_errors_are_cell_value_errors() -> None:
    with pytest.raises(CellValueError):
        parse_date("H31.5.1")
    with pytest.raises(CellValueError):
        parse_date(9999999)
    with pytest.raises(CellValueError):
        parse_date(True)
