import datetime as dt

import pytest

from ocr.postprocess import normalise, parse_date, problems, same_value, to_value
from ocr.template import ChoiceOption, FieldKind, FieldSpec


def spec(kind: FieldKind, **extra: object) -> FieldSpec:
    return FieldSpec(name="f", label="項目", kind=kind, box=(0, 0, 100, 40), **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和6年4月1日", dt.date(2024, 4, 1)),
        ("平成元年1月8日", dt.date(1989, 1, 8)),
        ("昭和63年12月31日", dt.date(1988, 12, 31)),
        ("R6.4.1", dt.date(2024, 4, 1)),
        ("２０２４年４月１日", dt.date(2024, 4, 1)),
        ("2024/4/1", dt.date(2024, 4, 1)),
        ("令和 6 年 4 月 1 日", dt.date(2024, 4, 1)),
    ],
)
def test_dates_parse_wareki_and_seireki(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["令和6年2月30日", "六月", "", "2024年13月1日", "平成31年5月1日", "令和0年4月1日"]
)
def test_impossible_dates_are_not_dates(text: str) -> None:
    assert parse_date(text) is None


def test_date_field_value_is_iso_and_validated_by_year_range() -> None:
    birth = spec(FieldKind.DATE, value_range=(2019, 2027), required=True)
    assert to_value(birth, "令和5年7月7日") == "2023-07-07"
    assert problems(birth, "2023-07-07") == []
    assert problems(birth, "1999-01-01")  # out of range
    assert problems(birth, "令和5年7月") == ["日付として読めません / not a date"]


def test_kana_normalisation_maps_lookalikes_and_hiragana() -> None:
    assert normalise(FieldKind.KANA, "サトウ　ハルト") == "サトウ ハルト"  # the family/given space stays
    assert normalise(FieldKind.KANA, " サトウ  ハル ト ") == "サトウ ハルト"
    assert not problems(spec(FieldKind.KANA), "サトウ ハルト")
    assert normalise(FieldKind.KANA, "コ一ヒ") == "コーヒ"  # kanji one is the long vowel here
    assert normalise(FieldKind.KANA, "へべ") == "ヘベ"  # hiragana look-alikes
    assert problems(spec(FieldKind.KANA), "サトウ太郎")


def test_phone_and_digits_normalisation() -> None:
    assert normalise(FieldKind.PHONE, "０９０－１２３４ー５６７８") == "090-1234-5678"
    assert normalise(FieldKind.DIGITS, "1,2O0") == "1200"
    hours = spec(FieldKind.DIGITS, pattern=r"^[0-9]{1,3}(\.[0-9])?$", value_range=(1, 744))
    assert problems(hours, "160") == []
    assert problems(hours, "800")  # above the range
    assert problems(hours, "1a")  # pattern


def test_units_are_stripped_from_numbers() -> None:
    assert normalise(FieldKind.DIGITS, "7.5時間") == "7.5"
    assert normalise(FieldKind.DIGITS, "２０日") == "20"
    assert normalise(FieldKind.DIGITS, "123,400円") == "123400"
    assert normalise(FieldKind.DIGITS, "N012") == "N012"


def test_text_keeps_long_vowel_after_katakana_only() -> None:
    assert normalise(FieldKind.ADDRESS, "コ一ポ桜101 一丁目") == "コーポ桜101一丁目"


def test_required_and_same_value() -> None:
    required = spec(FieldKind.NAME, required=True)
    assert problems(required, None)
    assert same_value(required, "佐藤 陽翔", "佐藤陽翔")
    choice = FieldSpec(
        "c",
        "性別",
        FieldKind.CHOICE,
        (0, 0, 10, 10),
        options=(ChoiceOption("男", (0, 0, 9, 9)), ChoiceOption("女", (0, 0, 9, 9))),
    )
    assert same_value(choice, "男", "男") and not same_value(choice, "男", None)


def test_chinese_glyph_variants_become_japanese_in_text_not_in_names() -> None:
    assert normalise(FieldKind.TEXT, "有限会社東和物產") == "有限会社東和物産"
    assert normalise(FieldKind.NAME, "物產") == "物產"  # a person's own spelling is not changed
