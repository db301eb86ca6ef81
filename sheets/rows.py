"""Decode and convert the data rows of one ledger sheet, in parallel for big sheets.

Each data row becomes a :data:`ParsedRow`: its number, the converted values by field key
(`child_name`, `preference:2`, `guardian.hours_per_month:0`, `flag:ひとり親`) and the failures
(column, raw preview, message). Plain tuples and dicts: they cross a process boundary.

Rows that are not data are marked, never converted: a totals row (its first cell 合計, 計 …), a separator
(―――, ＊＊＊) and a footnote (※ …). They are recognised by the row's first cell, so the check costs one
look per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sheets.converters import CACHE_LIMIT, Cached, Failure
from sheets.forked import process_count, run_forked
from sheets.header import HeaderLayout
from sheets.issues import raw_preview
from sheets.xlsx_stream import CellValue, RowChunks, XlsxBook

# (row number, values by field key, failures, column of the first value when the row has values only in
# unmapped columns (a note) or of the first cell of a row that is not data, else -1, what the row is when it is not data ("totals", "separator",
# "footnote") else "")
ParsedRow = tuple[int, dict[str, object], list[tuple[int, str | None, str]], int, str]
SEPARATOR_CHARS = frozenset("-‐―ー－=＝*＊_＿~〜・･.。 　")

PARALLEL_MIN_ROWS = 20_000
_MISSING = object()


@dataclass(frozen=True)
class RowPlan:
    """Which converter reads which column into which field key."""

    steps: tuple[tuple[int, str, dict[object, object], Callable[[CellValue], object]], ...]
    totals_labels: frozenset[str] = frozenset()


def plan_for(
    layout: HeaderLayout, converters: dict[str, Cached], totals_labels: Iterable[str] = ()
) -> RowPlan:
    steps = []
    for binding in layout.bindings:
        ref = binding.ref
        converter = converters[f"fact:{ref.key}" if ref.field.startswith("fact.") else ref.field]
        steps.append((binding.column, ref.value_key, converter.cache, converter.convert_uncached))
    return RowPlan(tuple(steps), frozenset(totals_labels))


def _not_data(cells: list[CellValue], totals: frozenset[str]) -> tuple[str, int]:
    """What a row is when its first cell says it is not data (else ""), and that cell's column."""
    first: CellValue
    if cells and cells[0] is not None:  # the usual row: one look
        column, first = 0, cells[0]
    else:
        column, first = next(((i, cell) for i, cell in enumerate(cells) if cell is not None), (-1, None))
    return _kind(first, totals), column


def _kind(first: CellValue, totals: frozenset[str]) -> str:
    if first.__class__ is not str or not isinstance(first, str):
        return ""
    text = first.strip()
    if not text:
        return ""
    if text.replace(" ", "").replace("　", "") in totals:
        return "totals"
    if text[0] in "※＊*":
        return "footnote"
    if all(char in SEPARATOR_CHARS for char in text):
        return "separator"
    return ""


def convert_rows(rows: Iterable[tuple[int, list[CellValue]]], plan: RowPlan, after: int) -> list[ParsedRow]:
    """Rows below the header (`after`), blank rows left out."""
    parsed: list[ParsedRow] = []
    steps = plan.steps
    totals = plan.totals_labels
    for number, cells in rows:
        if number <= after:
            continue
        skipped, first_column = _not_data(cells, totals)
        if skipped:
            parsed.append((number, {}, [], first_column, skipped))
            continue
        width = len(cells)
        values: dict[str, object] = {}
        failures: list[tuple[int, str | None, str]] = []
        for column, key, cache, convert in steps:
            if column >= width:
                continue
            raw = cells[column]
            if raw is None:
                continue
            if raw.__class__ is bool:
                value = convert(raw)
            else:
                value = cache.get(raw, _MISSING)
                if value is _MISSING:
                    value = convert(raw)
                    if len(cache) < CACHE_LIMIT:
                        cache[raw] = value
            if isinstance(value, Failure):
                failures.append((column, raw_preview(raw), value.message))
            elif value is not None and value is not False and value != ():
                values[key] = value
        if values or failures:
            parsed.append((number, values, failures, -1, ""))
        else:
            note = next((i for i, cell in enumerate(cells) if cell is not None and str(cell).strip()), -1)
            if note >= 0:
                parsed.append((number, values, failures, note, ""))
    return parsed


def parse_sheet_rows(book: XlsxBook, chunks: RowChunks, plan: RowPlan, after: int) -> list[ParsedRow]:
    """All data rows of one sheet; sheets with many rows are split over the machine's cores (fork)."""
    parts = process_count() if len(chunks.chunks) >= PARALLEL_MIN_ROWS else 1

    def convert_part(index: int) -> list[ParsedRow]:
        return convert_rows(book.decode_rows(chunks.part(index, parts)), plan, after)

    if parts < 2:
        return convert_part(0)
    result: list[ParsedRow] = []
    # This process converts the first part while the workers convert the others.
    run_forked(lambda index: convert_part(index + 1), parts - 1, parts - 1, lambda: result.extend(convert_part(0)),
               result.extend)  # fmt: skip
    return result
