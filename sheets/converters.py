"""Per-column converters: raw cell value -> clean value, cached, with a staff-readable failure message.

A ledger repeats the same values (○, 160時間, 令和6年4月1日, nursery names) thousands of times, so each
converter remembers its answers; a failure is remembered too and reported for every row it occurs in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from matching.profile import CityProfile
from matching.records import MAX_HOURS_PER_MONTH, MAX_HOURS_PER_WEEK, SiblingCondition
from sheets.field_parsers import days_per_week, fact_parser, free_text, sex, standard_condition
from sheets.hours import parse_hours
from sheets.mapping import FLAG_SYNONYMS, LedgerMapping
from sheets.values import (
    CellValueError,
    RawValue,
    header_key,
    katakana,
    normalise_text,
    parse_date,
    parse_int,
    parse_mark,
    parse_phone,
    parse_postal_code,
)
from sheets.xlsx_stream import Uncomputed

YEN_UNITS = frozenset({"円"})
SEAT_UNITS = frozenset({"人", "名", "席"})
MAX_LEVY_YEN = 100_000_000


class Failure:
    """A remembered conversion failure (the message)."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


UNCOMPUTED_MESSAGE = (
    "数式の計算結果が保存されていません。Excelで開いて保存し直すか、値を入力してください / formula "
    "saved without its computed value: open and save the workbook in Excel, or type the value"
)
CACHE_LIMIT = 100_000  # distinct values remembered per column kind (names are unique: no point beyond)


class Cached:
    """Wraps a parser with a dict cache; `convert(raw)` returns the value or a :class:`Failure`.

    The row loop in sheets/rows.py uses `cache` and `convert_uncached` directly (one call less per
    cell). Booleans bypass the cache: True == 1 would share an entry with the number 1.
    """

    __slots__ = ("_parse", "cache")

    def __init__(self, parse: Callable[[RawValue], object]) -> None:
        self._parse = parse
        self.cache: dict[object, object] = {}

    def __call__(self, raw: RawValue) -> object:
        if raw.__class__ is bool:
            return self.convert_uncached(raw)
        try:
            return self.cache[raw]
        except KeyError:
            pass
        value = self.convert_uncached(raw)
        if len(self.cache) < CACHE_LIMIT:
            self.cache[raw] = value
        return value

    def convert_uncached(self, raw: RawValue) -> object:
        if raw.__class__ is Uncomputed:
            return Failure(UNCOMPUTED_MESSAGE)
        try:
            return self._parse(raw)
        except CellValueError as exc:
            return Failure(str(exc))


@dataclass(frozen=True)
class NurseryIndex:
    """Resolves what staff wrote for a nursery (an id, a name, an alias) to its id."""

    ids: frozenset[str]
    by_key: dict[str, str]
    nurseries_by: str

    def resolve(self, text: str) -> str:
        if self.nurseries_by in ("id", "either") and text in self.ids:
            return text
        if self.nurseries_by in ("name", "either"):
            found = self.by_key.get(_name_key(text))
            if found is not None:
                return found
        raise CellValueError(
            f"施設「{text}」が施設一覧にありません。施設名の表記か別名(nursery_aliases)を確認してください / "
            "unknown nursery"
        )


_KATAKANA_TO_HIRAGANA = str.maketrans({chr(c): chr(c - 0x60) for c in range(ord("ァ"), ord("ヶ") + 1)})


def _name_key(text: str) -> str:
    """NFKC, no whitespace, and katakana folded to hiragana: ﾐﾄﾞﾘ保育園 and みどり保育園 are one name."""
    return header_key(text).translate(_KATAKANA_TO_HIRAGANA)


def nursery_index(
    names: dict[str, str], mapping: LedgerMapping, aliases: dict[str, tuple[str, ...]] | None = None
) -> NurseryIndex:
    """Names compared after NFKC with whitespace removed; the records' own aliases and the mapping's
    [nursery_aliases] name the same nursery."""
    by_key: dict[str, str] = {}
    for nursery_id, name in names.items():
        by_key.setdefault(_name_key(name), nursery_id)
    for nursery_id, others in (aliases or {}).items():
        for alias in others:
            by_key.setdefault(_name_key(alias), nursery_id)
    for nursery_id, written in mapping.nursery_aliases.items():
        for alias in written:
            by_key[_name_key(alias)] = nursery_id
    return NurseryIndex(frozenset(names), by_key, mapping.ledger.nurseries_by)


def _text(raw: RawValue) -> str | None:
    return normalise_text(raw)


def _required_text(raw: RawValue) -> str:
    text = normalise_text(raw)
    if text is None:
        raise CellValueError("空欄です / blank")
    return text


def _date(raw: RawValue) -> dt.date | None:
    if normalise_text(raw) is None:
        return None
    return parse_date(raw)


def _month(raw: RawValue) -> dt.date | None:
    if normalise_text(raw) is None:
        return None
    return parse_date(raw, require_day=False)


def _bounded(
    parse: Callable[[RawValue], float], low: float, high: float, what: str
) -> Callable[[RawValue], float | None]:
    def convert(raw: RawValue) -> float | None:
        if normalise_text(raw) is None:
            return None
        number = parse(raw)
        if not low <= number <= high:
            raise CellValueError(f"{what}が範囲外です（{low:g}〜{high:g}）: {raw!r} / {what} out of range")
        return number

    return convert


def _synonym_lookup(table: dict[str, tuple[str, ...]], what: str) -> Callable[[RawValue], str | None]:
    keys = {header_key(name): canonical for canonical, names in table.items() for name in (canonical, *names)}

    def convert(raw: RawValue) -> str | None:
        text = normalise_text(raw)
        if text is None:
            return None
        found = keys.get(header_key(text))
        if found is None:
            raise CellValueError(
                f"{what}「{text}」が分かりません（{'・'.join(table)}） / unknown {what}; add a synonym to the mapping"
            )
        return found

    return convert


def _list_splitter(separators: str) -> Callable[[str], list[str]]:
    translate = str.maketrans(dict.fromkeys(separators, "\x1f"))

    def split(text: str) -> list[str]:
        return [part.strip() for part in text.translate(translate).split("\x1f") if part.strip()]

    return split


def build_converters(
    mapping: LedgerMapping, nurseries: NurseryIndex, profile: CityProfile | None = None
) -> dict[str, Cached]:
    """One cached converter per field name (the FieldRef.field of a column binding), and one per
    city-declared fact (`fact:<name>`)."""
    extra_true = frozenset(header_key(mark) for mark in mapping.true_marks)
    split = _list_splitter(mapping.ledger.list_separators)
    flag_keys = {
        header_key(name): flag
        for flag, names in mapping.merged("flag_columns").items()
        for name in (flag, *names)
    }

    def nursery(raw: RawValue) -> str | None:
        text = normalise_text(raw)
        return None if text is None else nurseries.resolve(text)

    def nursery_list(raw: RawValue) -> tuple[str, ...]:
        text = normalise_text(raw)
        return () if text is None else tuple(nurseries.resolve(part) for part in split(text))

    def flag_list(raw: RawValue) -> frozenset[str]:
        text = normalise_text(raw)
        found = set()
        for part in split(text or ""):
            flag = flag_keys.get(header_key(part))
            if flag is None:
                raise CellValueError(
                    f"加点項目「{part}」が分かりません（{'・'.join(FLAG_SYNONYMS)}） / unknown flag"
                )
            found.add(flag)
        return frozenset(found)

    def mark(raw: RawValue) -> bool:
        return parse_mark(raw, extra_true)

    def optional(parse: Callable[[RawValue], object]) -> Callable[[RawValue], object]:
        return lambda raw: None if normalise_text(raw) is None else parse(raw)

    def age_class(raw: RawValue) -> int | None:
        text = normalise_text(raw)
        if text is None:
            return None
        return parse_int(text.replace("歳児クラス", "歳児").replace("クラス", ""), frozenset({"歳児", "歳"}))

    def sibling_condition(raw: RawValue) -> str | None:
        text = normalise_text(raw)
        if text is None:
            return None
        found = profile.sibling_condition(text) if profile is not None else standard_condition(text)
        if found is None:
            words = "・".join(
                [*(profile.sibling_labels if profile else ()), *(c.value for c in SiblingCondition)]
            )
            raise CellValueError(
                f"きょうだいの条件「{text}」が分かりません（{words}） / unknown sibling condition"
            )
        return found.value

    def hours(weekly: bool) -> Callable[[RawValue], object]:
        return optional(lambda raw: parse_hours(raw, weekly=weekly, max_month=MAX_HOURS_PER_MONTH,
                                                max_week=MAX_HOURS_PER_WEEK))  # fmt: skip

    yen = _bounded(lambda r: parse_int(r, YEN_UNITS), 0, MAX_LEVY_YEN, "所得割額")
    parsers: dict[str, Callable[[RawValue], object]] = {
        "application_id": _required_text,
        "child_id": _text,
        "received_on": _date,
        "desired_start": _month,
        "preference": nursery,
        "allow_split": mark,
        "siblings_enrolled_at": nursery_list,
        "income_levy_yen": yen,
        "flags": flag_list,
        "flag": mark,
        "phone": optional(parse_phone),
        "postal_code": optional(parse_postal_code),
        "household_number": _text,
        "address": free_text,
        "remarks": free_text,
        "sibling_condition": sibling_condition,
        "child_name": _text,
        "kana": katakana,
        "sex": sex,
        "birth_date": _date,
        "age_class": age_class,
        "current_nursery": nursery,
        "guardian.relation": _text,
        "guardian.name": _text,
        "guardian.kana": katakana,
        "guardian.birth_date": _date,
        "guardian.income_levy_yen": yen,
        "guardian.reason": _synonym_lookup(mapping.merged("reasons"), "事由"),
        "guardian.work_style": _synonym_lookup(mapping.merged("work_styles"), "就労形態"),
        "guardian.hours_per_month": hours(weekly=False),
        "guardian.hours_per_week": hours(weekly=True),
        "guardian.days_per_week": _bounded(days_per_week, 0, 7, "週の就労日数"),
        "guardian.level": _text,
    }
    if profile is not None:
        for fact in profile.facts:
            parsers[f"fact:{fact.name}"] = fact_parser(fact, extra_true)
    ditto = frozenset(header_key(mark) for mark in mapping.ledger.ditto_marks)
    return {
        field: Cached(parse if field in ("application_id", "child_id") else _or_ditto(parse, ditto))
        for field, parse in parsers.items()
    }


# A ditto mark (同上, 〃) converts to this value; the assembler replaces it with the row above's value.
DITTO = "\x00同上"


def _or_ditto(parse: Callable[[RawValue], object], marks: frozenset[str]) -> Callable[[RawValue], object]:
    def convert(raw: RawValue) -> object:
        if raw.__class__ is str and len(raw) <= 4 and header_key(raw) in marks:
            return DITTO
        return parse(raw)

    return convert


def capacity_converter() -> Cached:
    return Cached(_bounded(lambda r: parse_int(r, SEAT_UNITS), 0, 10_000, "募集人数"))
