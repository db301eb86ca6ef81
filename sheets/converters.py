"""Per-column converters: raw cell value -> clean value, cached, with a staff-readable failure message.

A ledger repeats the same values (○, 160時間, 令和6年4月1日, nursery names) thousands of times, so each
converter remembers its answers; a failure is remembered too and reported for every row it occurs in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from matching.records import MAX_HOURS_PER_MONTH
from sheets.mapping import FLAG_SYNONYMS, LedgerMapping
from sheets.values import (
    CellValueError,
    RawValue,
    header_key,
    normalise_text,
    parse_date,
    parse_int,
    parse_mark,
    parse_number,
    parse_phone,
    parse_postal_code,
)

HOUR_UNITS = frozenset({"時間", "h", "hr", "hrs", "時間/月", "h/月"})
DAY_UNITS = frozenset({"日", "日/週", "d", "days"})
YEN_UNITS = frozenset({"円"})
SEAT_UNITS = frozenset({"人", "名", "席"})
MAX_LEVY_YEN = 100_000_000


class Failure:
    """A remembered conversion failure (the message)."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


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


def _name_key(text: str) -> str:
    return header_key(text)


def nursery_index(names: dict[str, str], mapping: LedgerMapping) -> NurseryIndex:
    by_key: dict[str, str] = {}
    for nursery_id, name in names.items():
        by_key.setdefault(_name_key(name), nursery_id)
    for nursery_id, aliases in mapping.nursery_aliases.items():
        for alias in aliases:
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


def build_converters(mapping: LedgerMapping, nurseries: NurseryIndex) -> dict[str, Cached]:
    """One cached converter per field name (the FieldRef.field of a column binding)."""
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

    parsers: dict[str, Callable[[RawValue], object]] = {
        "application_id": _required_text,
        "child_id": _text,
        "received_on": _date,
        "desired_start": _month,
        "preference": nursery,
        "allow_split": mark,
        "siblings_enrolled_at": nursery_list,
        "income_levy_yen": _bounded(lambda r: parse_int(r, YEN_UNITS), 0, MAX_LEVY_YEN, "所得割額"),
        "flags": flag_list,
        "flag": mark,
        "phone": optional(parse_phone),
        "postal_code": optional(parse_postal_code),
        "child_name": _text,
        "kana": _text,
        "birth_date": _date,
        "age_class": age_class,
        "current_nursery": nursery,
        "guardian.relation": _text,
        "guardian.name": _text,
        "guardian.reason": _synonym_lookup(mapping.merged("reasons"), "事由"),
        "guardian.work_style": _synonym_lookup(mapping.merged("work_styles"), "就労形態"),
        "guardian.hours_per_month": _bounded(
            lambda r: parse_number(r, HOUR_UNITS), 0, MAX_HOURS_PER_MONTH, "月の就労時間"
        ),
        "guardian.days_per_week": _bounded(lambda r: parse_int(r, DAY_UNITS), 0, 7, "週の就労日数"),
        "guardian.level": _text,
    }
    return {field: Cached(parse) for field, parse in parsers.items()}


def capacity_converter() -> Cached:
    return Cached(_bounded(lambda r: parse_int(r, SEAT_UNITS), 0, 10_000, "募集人数"))
