"""Turn raw recogniser text into field values (和暦 dates, numbers, phone numbers, kana) and validate them.

Both engines' texts go through the same normalisation, so that agreement is judged on values, not on
spelling (full-width digits, 令和 vs R, hiragana look-alikes in a katakana field …).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ocr.template import FieldKind, FieldSpec
from sheets.wareki import WarekiError, parse_date_text

DASHES = "‐‑‒–—―−ー一－ｰ─━"
# Kanji and hiragana that look like katakana: in a katakana-only field they can only mean the katakana.
KANA_LOOKALIKES = str.maketrans(
    {
        "一": "ー",
        "口": "ロ",
        "力": "カ",
        "工": "エ",
        "二": "ニ",
        "夕": "タ",
        "卜": "ト",
        "八": "ハ",
        "-": "ー",
    }
)
# RapidOCR's model also knows Chinese glyph variants and sometimes returns them for Japanese print
# (物產 for 物産). Company names and addresses use the Japanese forms; personal names are left alone,
# since old forms there are legitimate and belong to the person.
JAPANESE_FORMS = str.maketrans("產內稅說錄步靑淸黃德", "産内税説録歩青清黄徳")
DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "〇": "0", "I": "1", "l": "1", "|": "1", ",": "", "，": ""}
)

# A number typed with its unit (7.5時間, 20日, 123,400円, 6か月): the unit is the form's, not the value's.
_UNIT = re.compile(r"(?<=[0-9])(時間|日|円|か月|ヶ月|カ月)$")
_LONG_VOWEL = re.compile(r"(?<=[ァ-ヶ])[一－—―‐-](?=[ァ-ヶ]|$)")
_WAREKI = re.compile(r"(令和|平成|昭和|大正|明治|[RHSTM])(元|\d{1,2})[年.](\d{1,2})[月.](\d{1,2})日?")
_SEIREKI = re.compile(r"(\d{4})[年./-](\d{1,2})[月./-](\d{1,2})日?")


def _katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def normalise(kind: FieldKind, text: str) -> str:
    """Canonical text of a field of this kind. No spaces, except the one between family and given name
    in kana (フリガナ keeps it: records and notices print the reading as written)."""
    text = unicodedata.normalize("NFKC", text)
    if kind is FieldKind.KANA:
        parts = _katakana(text).translate(KANA_LOOKALIKES).split()
        return f"{parts[0]} {''.join(parts[1:])}" if len(parts) > 1 else "".join(parts)
    text = re.sub(r"\s+", "", text)
    if kind is FieldKind.DIGITS:
        return _UNIT.sub("", text.translate(DIGIT_LOOKALIKES))
    if kind is FieldKind.PHONE:
        text = text.translate(DIGIT_LOOKALIKES)
        return "".join("-" if c in DASHES else c for c in text)
    if kind is FieldKind.DATE:
        return text.translate(DIGIT_LOOKALIKES)
    if kind in (FieldKind.TEXT, FieldKind.ADDRESS):
        text = text.translate(JAPANESE_FORMS)
    # 一 (kanji one) after a katakana is the long vowel mark: コ一ポ is コーポ.
    return _LONG_VOWEL.sub("ー", text)


def parse_date(text: str) -> dt.date | None:
    """`令和6年4月1日`, `R6.4.1`, `平成元年1月8日`, `2024年4月1日`, `2024/4/1` → date; None if not a date.

    The date is found in the OCR text here; the calendar (eras, 元年, days that do not exist, a date
    outside its era such as 平成31年5月1日) is :mod:`sheets.wareki`'s, the same as for ledgers.
    """
    text = unicodedata.normalize("NFKC", re.sub(r"\s+", "", text))
    match = _WAREKI.search(text) or _SEIREKI.search(text)
    if match is None:
        return None
    try:
        return parse_date_text(match.group(0))
    except WarekiError:
        return None


def to_value(spec: FieldSpec, text: str) -> str | None:
    """The value stored for a text field: dates as ISO strings; None for an empty reading."""
    cleaned = normalise(spec.kind, text)
    if not cleaned:
        return None
    if spec.kind is FieldKind.DATE:
        date = parse_date(cleaned)
        return date.isoformat() if date else cleaned  # keep the unparsed text: validation flags it
    return cleaned


def problems(spec: FieldSpec, value: str | bool | None) -> list[str]:
    """What is wrong with a value, bilingual; empty when valid."""
    found: list[str] = []
    if value is None or value == "":
        if spec.required:
            found.append("必須項目が空です / required field is empty")
        return found
    if isinstance(value, bool):
        return found
    if spec.kind is FieldKind.DATE:
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            return ["日付として読めません / not a date"]
        if spec.value_range and not spec.value_range[0] <= date.year <= spec.value_range[1]:
            found.append(f"年が範囲外です ({date.year}) / year out of range")
        return found
    if spec.pattern and not re.fullmatch(spec.pattern, value):
        found.append("書式が違います / does not match the expected format")
    if spec.value_range and spec.kind is FieldKind.DIGITS:
        try:
            number = float(value)
        except ValueError:
            found.append("数値ではありません / not a number")
        else:
            if not spec.value_range[0] <= number <= spec.value_range[1]:
                found.append(
                    f"値が範囲外です ({spec.value_range[0]:g}〜{spec.value_range[1]:g}) / value out of range"
                )
    if spec.kind is FieldKind.KANA and not re.fullmatch(r"[ァ-ヶー・]+( [ァ-ヶー・]+)?", value):
        found.append("カタカナ以外の文字があります / contains characters other than katakana")
    return found


def same_value(spec: FieldSpec, truth: str | bool | None, read: str | bool | None) -> bool:
    """Exact match as staff would judge it (used by the benchmark and tests)."""
    if spec.kind.is_mark:
        return bool(truth) == bool(read) if spec.kind is FieldKind.CHECKBOX else truth == read
    if truth is None or truth == "":
        return read is None or read == ""
    if read is None:
        return False
    if spec.kind is FieldKind.DATE:
        return str(truth) == str(read)
    return normalise(spec.kind, str(truth)) == normalise(spec.kind, str(read))
