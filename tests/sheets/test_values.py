"""Numbers with units, marks, phone numbers and postal codes; property tests for the number parser."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets.converters import YEN_UNITS
from sheets.field_parsers import DAY_UNITS
from sheets.hours import HOUR_UNITS
from sheets.values import (
    CellValueError,
    normalise_text,
    parse_int,
    parse_mark,
    parse_number,
    parse_phone,
    parse_postal_code,
)

FULL_WIDTH_DIGITS = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("160時間", 160.0),
        ("１６０ｈ", 160.0),
        ("160 h", 160.0),
        ("160H", 160.0),
        ("160時間(予定)", 160.0),
        ("160時間（見込み）", 160.0),
        ("97.5時間", 97.5),
        (160, 160.0),
        (160.5, 160.5),
        ("160", 160.0),
    ],
)
def test_hours_with_units(raw: object, expected: float) -> None:
    assert parse_number(raw, HOUR_UNITS) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", ["約160時間", "160円", "百六十時間", "", None, True, "160-170時間"])
def test_hours_that_are_not_numbers(raw: object) -> None:
    with pytest.raises(CellValueError):
        parse_number(raw, HOUR_UNITS)  # type: ignore[arg-type]


def test_yen_and_days() -> None:
    assert parse_int("123,400円", YEN_UNITS) == 123400
    assert parse_int("１２３，４００円", YEN_UNITS) == 123400
    assert parse_int("5日/週", DAY_UNITS) == 5
    with pytest.raises(CellValueError, match="整数"):
        parse_int("4.5日", DAY_UNITS)


@given(st.integers(min_value=0, max_value=744), st.sampled_from(["", "時間", "h", "ｈ", "H", " 時間", "hrs"]))
def test_whole_hours_parse_back(hours: int, unit: str) -> None:
    text = f"{hours}{unit}"
    assert parse_number(text, HOUR_UNITS) == hours
    assert parse_number(text.translate(FULL_WIDTH_DIGITS), HOUR_UNITS) == hours


@given(st.decimals(min_value=0, max_value=744, places=2, allow_nan=False, allow_infinity=False))
def test_decimal_hours_parse_back(hours: object) -> None:
    assert parse_number(f"{hours}時間", HOUR_UNITS) == pytest.approx(float(hours))  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=10**9))
def test_thousands_separators(amount: int) -> None:
    assert parse_int(f"{amount:,}円", YEN_UNITS) == amount


@given(st.text(alphabet="あいうabc#%", min_size=1, max_size=6))
def test_text_without_digits_is_never_a_number(text: str) -> None:
    with pytest.raises(CellValueError):
        parse_number(text, HOUR_UNITS)


@pytest.mark.parametrize(
    "mark", ["○", "〇", "◯", "●", "✓", "✔", "レ", "有", "あり", "はい", "1", "TRUE", True, 1]
)
def test_true_marks(mark: object) -> None:
    assert parse_mark(mark) is True  # type: ignore[arg-type]


@pytest.mark.parametrize("mark", [None, "", "  ", "×", "無", "なし", "0", "-", False, 0])
def test_false_marks(mark: object) -> None:
    assert parse_mark(mark) is False  # type: ignore[arg-type]


@pytest.mark.parametrize("mark", ["?", "たぶん", "△"])
def test_unknown_marks_are_errors_not_guesses(mark: str) -> None:
    with pytest.raises(CellValueError):
        parse_mark(mark)
    assert parse_mark("△", frozenset({"△"})) is True


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("090-1234-5678", "09012345678"), ("０３（１２３４）５６７８", "0312345678"), (312345678, "0312345678")],
)
def test_phone_numbers(raw: object, expected: str) -> None:
    assert parse_phone(raw) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", ["03-1234-56", "1234567890", "電話なし"])
def test_bad_phone_numbers(raw: str) -> None:
    with pytest.raises(CellValueError):
        parse_phone(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [("〒105-0011", "105-0011"), ("１０５００１１", "105-0011"), (601234, "060-1234")]
)
def test_postal_codes(raw: object, expected: str) -> None:
    assert parse_postal_code(raw) == expected  # type: ignore[arg-type]
    with pytest.raises(CellValueError):
        parse_postal_code("105-001")


def test_normalise_text() -> None:
    assert normalise_text("ｻｸﾗ　ﾐﾗｲ ") == "サクラ ミライ"
    assert normalise_text("ＡＢＣ１２３") == "ABC123"
    assert normalise_text("   ") is None
    assert normalise_text(12.0) == "12"


RAW = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet="0123456789０１２３.,/-年月日時間hR令和平成元()（）○✓レ有無 〒", max_size=14),
    st.text(max_size=10),
)


@given(RAW)
def test_every_parser_fails_only_with_a_cell_value_error(raw: object) -> None:
    from sheets.values import parse_date

    parsers = (
        lambda r: parse_number(r, HOUR_UNITS),
        lambda r: parse_int(r, YEN_UNITS),
        parse_mark,
        parse_phone,
        parse_postal_code,
        parse_date,
        lambda r: parse_date(r, require_day=False),
        normalise_text,
    )
    for parse in parsers:
        with contextlib.suppress(CellValueError):
            parse(raw)
