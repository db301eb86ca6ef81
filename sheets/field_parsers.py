"""Parsers of the fields records v2 added and of city-declared facts: days a week as written (週5日),
sex (男 / 女 / the 1 / 2 codes of old systems), free text kept as written, sibling conditions by their
standard names, and a declared fact's cells typed by its declaration.
"""

from __future__ import annotations

from collections.abc import Callable

from matching.profile import FactDeclaration, FactType
from matching.records import SiblingCondition
from sheets.values import (
    CellValueError,
    RawValue,
    header_key,
    normalise_text,
    parse_date,
    parse_int,
    parse_mark,
)

DAY_UNITS = frozenset({"日", "日/週", "d", "days"})


_SEXES = {"男": "男", "男児": "男", "男性": "男", "1": "男", "m": "男", "女": "女", "女児": "女", "女性": "女",
          "2": "女", "f": "女"}  # fmt: skip


def days_per_week(raw: RawValue) -> int:
    """5, 5日, 週5日, 5日/週."""
    if isinstance(raw, str):
        text = normalise_text(raw) or ""
        raw = text.removeprefix("週").removeprefix("1週") if text.startswith("週") else raw
    return parse_int(raw, DAY_UNITS)


def sex(raw: RawValue) -> str | None:
    text = normalise_text(raw)
    if text is None:
        return None
    found = _SEXES.get(text.lower())
    if found is None:
        raise CellValueError(f"性別「{text}」が分かりません（男・女） / unknown sex")
    return found


def standard_condition(text: str) -> SiblingCondition | None:
    try:
        return SiblingCondition(text)
    except ValueError:
        return None


FACT_UNITS = frozenset({"か月", "ヶ月", "ヵ月", "カ月", "月", "年", "人", "回", "日"})


def fact_parser(fact: FactDeclaration, extra_true: frozenset[str]) -> Callable[[RawValue], object]:
    """A city-declared fact's cells, typed by its declaration; a blank cell states nothing."""

    def convert(raw: RawValue) -> object:
        if normalise_text(raw) is None:
            return None
        if fact.type is FactType.BOOL:
            return parse_mark(raw, extra_true) or None
        if fact.type is FactType.INT:
            value: object = parse_int(raw, FACT_UNITS)
        elif fact.type is FactType.DATE:
            value = parse_date(raw)
        else:
            text = normalise_text(raw) or ""
            if fact.type is FactType.CHOICE:
                text = next((c for c in fact.choices if header_key(c) == header_key(text)), text)
            value = text
        try:
            return fact.coerce(value)
        except ValueError as exc:
            raise CellValueError(str(exc)) from exc

    return convert


def free_text(raw: RawValue) -> str | None:
    """Free text (備考, 住所) as staff wrote it: trimmed, inner whitespace runs collapsed, no NFKC."""
    if raw is None or isinstance(raw, bool | int | float):
        return normalise_text(raw)
    text = " ".join(str(raw).split())
    return text or None
