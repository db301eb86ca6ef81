"""Cell value parsers: text normalisation, numbers with units, marks, phone numbers and postal codes.

Every parser takes the raw cell value (str, int, float, bool, datetime or None) and returns the clean
value or raises :class:`CellValueError` with a staff-readable message. They are pure functions, so the
ledger reader wraps them in caches: the same 160時間 or ○ appears thousands of times in a ledger.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from sheets.wareki import WarekiError, excel_serial_to_date, parse_date_text

RawValue = str | int | float | bool | dt.datetime | dt.date | None


class CellValueError(ValueError):
    """One cell's value cannot be read as what its column needs."""


_SPACES = re.compile(r"\s+")
# Notes staff add after a value: 160時間（予定）, 5日 ※土曜あり. NFKC turns （） into ().
_TRAILING_NOTE = re.compile(r"\s*(?:\([^()]*\)|※.*)$")


def normalise_text(value: RawValue) -> str | None:
    """NFKC (全角英数 -> 半角, 半角カナ -> 全角カナ), trimmed, inner whitespace runs collapsed to one space.

    Blank cells and cells holding only spaces (a common way of "deleting" a value) give None.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", str(value))).strip()
    return text or None


def header_key(value: RawValue) -> str:
    """The comparison key of a header or synonym: NFKC, no whitespace or punctuation noise at all."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    return re.sub(r"[\s・:：_\-]+", "", text).lower()


_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*([^\d\s]*)$")


def parse_number(value: RawValue, units: frozenset[str] = frozenset()) -> float:
    """`160`, `160時間`, `１６０ｈ`, `1,600円`, `160時間(予定)`: the number, unit checked against `units`.

    An empty `units` accepts a bare number only. Units are compared after NFKC and lower-casing.
    """
    if isinstance(value, bool) or value is None:
        raise CellValueError("数値がありません / no number")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise CellValueError("数値として読めません / not a finite number")
        return float(value)
    if isinstance(value, dt.date):
        raise CellValueError("日付が入っています。数値を入力してください / a date where a number belongs")
    text = normalise_text(value)
    if text is None:
        raise CellValueError("数値がありません / no number")
    text = _TRAILING_NOTE.sub("", text).replace(",", "").replace(" ", "")
    match = _NUMBER.match(text)
    if not match:
        raise CellValueError(f"数値として読めません: {value!r} / not a number")
    unit = match[2].lower()
    if unit and unit not in units:
        allowed = "・".join(sorted(units)) or "(単位なし)"
        raise CellValueError(f"単位「{match[2]}」は使えません（使える単位: {allowed}） / unknown unit")
    return float(match[1])


def parse_int(value: RawValue, units: frozenset[str] = frozenset()) -> int:
    number = parse_number(value, units)
    if not number.is_integer():
        raise CellValueError(f"整数ではありません: {value!r} / not a whole number")
    return int(number)


TRUE_MARKS: frozenset[str] = frozenset(
    {"○", "〇", "◯", "◎", "●", "✓", "✔", "☑", "レ", "v", "有", "有り", "あり", "はい", "可", "要", "済",
     "該当", "1", "true", "yes", "y", "t"}
)  # fmt: skip
FALSE_MARKS: frozenset[str] = frozenset(
    {"×", "✕", "✗", "無", "無し", "なし", "いいえ", "不可", "非該当", "0", "false", "no", "n", "f", "-", "ー", "―"}
)  # fmt: skip


def parse_mark(value: RawValue, extra_true: frozenset[str] = frozenset()) -> bool:
    """○ / ✓ / レ / 有 … -> True; blank, × / 無 / なし … -> False; anything else is an error (no guess)."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    text = normalise_text(value)
    if text is None:
        return False
    key = text.lower()
    if key in TRUE_MARKS or key in extra_true:
        return True
    if key in FALSE_MARKS:
        return False
    raise CellValueError(f"○/× として読めません: {value!r}（○・✓・レ・有 または空欄） / not a yes/no mark")


_MIDNIGHT = re.compile(r"(?:\s+|T)0{1,2}:00(?::00(?:\.0+)?)?$")


def parse_date(value: RawValue, *, require_day: bool = True, date1904: bool = False) -> dt.date:
    """A date cell: a real date, an Excel serial number, or text in wareki or western form."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or value is None:
        raise CellValueError("日付がありません / no date")
    try:
        if isinstance(value, int | float):
            if 190001 <= value <= 999912 and require_day is False:  # 202704: a compact year-month
                return parse_date_text(str(int(value)), require_day=False)
            if 19000101 <= value <= 99991231:  # 20240401 typed as a number
                return parse_date_text(str(int(value)), require_day=require_day)
            return excel_serial_to_date(value, date1904=date1904)
        text = normalise_text(value)
        if text is None:
            raise CellValueError("日付がありません / no date")
        text = _MIDNIGHT.sub("", text)  # 2022-05-03 00:00:00: a date cell exported as text
        if re.fullmatch(r"\d{5}(?:\.\d+)?", text):  # a serial that arrived as text
            return excel_serial_to_date(float(text), date1904=date1904)
        return parse_date_text(text, require_day=require_day)
    except WarekiError as exc:
        raise CellValueError(str(exc)) from exc


_PHONE = re.compile(r"^0\d{9,10}$")


def parse_phone(value: RawValue) -> str:
    """Japanese phone numbers: hyphens (any dash) and brackets dropped, 10 or 11 digits from a 0.

    Returned as digits with the usual 090-1234-5678 / 03-1234-5678 style grouping is region-dependent,
    so the canonical form is digits only.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = "0" + str(value)  # Excel drops the leading zero of a number-typed phone
    text = normalise_text(value)
    if text is None:
        raise CellValueError("電話番号がありません / no phone number")
    digits = re.sub(r"[\s\-‐–—―ー()（）]", "", text)
    if digits.startswith("+81"):  # the international form: +81-90-1234-5678
        digits = "0" + digits[3:].removeprefix("0")
    if not _PHONE.match(digits):
        raise CellValueError(
            f"電話番号として読めません（0から始まる10〜11桁）: {value!r} / not a phone number"
        )
    return digits


_HIRAGANA = str.maketrans({chr(c): chr(c + 0x60) for c in range(ord("ぁ"), ord("ゖ") + 1)})


def katakana(value: RawValue) -> str | None:
    """Furigana as full-width katakana: ｻｸﾗ (NFKC) and さくら (hiragana) both become サクラ."""
    text = normalise_text(value)
    return None if text is None else text.translate(_HIRAGANA)


def parse_postal_code(value: RawValue) -> str:
    """〒123-4567, 1234567, １２３－４５６７ -> `123-4567`."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:07d}"  # 0601234 typed as a number loses its leading zero
    text = normalise_text(value)
    if text is None:
        raise CellValueError("郵便番号がありません / no postal code")
    digits = re.sub(r"[\s\-‐–—―ー〒]", "", text)
    if not re.fullmatch(r"\d{7}", digits):
        raise CellValueError(f"郵便番号として読めません（7桁）: {value!r} / not a postal code")
    return f"{digits[:3]}-{digits[3:]}"
