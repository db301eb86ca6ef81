"""Decode and convert the data rows of one ledger sheet, in parallel for big sheets.

Each data row becomes a :data:`ParsedRow`: its number, the converted values by field key
(`child_name`, `preference:2`, `guardian.hours_per_month:0`, `flag:ひとり親`) and the failures
(column, raw preview, message). Plain tuples and dicts: they cross a process boundary.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from sheets.converters import CACHE_LIMIT, Cached, Failure
from sheets.header import HeaderLayout
from sheets.issues import raw_preview
from sheets.xlsx_stream import CellValue, RowChunks, XlsxBook

# (row number, values by field key, failures, column of the first value when the row has values only in
# unmapped columns (a note) else -1)
ParsedRow = tuple[int, dict[str, object], list[tuple[int, str | None, str]], int]
PARALLEL_MIN_ROWS = 20_000
_MISSING = object()


@dataclass(frozen=True)
class RowPlan:
    """Which converter reads which column into which field key."""

    steps: tuple[tuple[int, str, dict[object, object], Callable[[CellValue], object]], ...]


def plan_for(layout: HeaderLayout, converters: dict[str, Cached]) -> RowPlan:
    steps = []
    for binding in layout.bindings:
        converter = converters[binding.ref.field]
        steps.append((binding.column, binding.ref.value_key, converter.cache, converter.convert_uncached))
    return RowPlan(tuple(steps))


def convert_rows(rows: Iterable[tuple[int, list[CellValue]]], plan: RowPlan, after: int) -> list[ParsedRow]:
    """Rows below the header (`after`), blank rows left out."""
    parsed: list[ParsedRow] = []
    steps = plan.steps
    for number, cells in rows:
        if number <= after:
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
            parsed.append((number, values, failures, -1))
        else:
            note = next((i for i, cell in enumerate(cells) if cell is not None and str(cell).strip()), -1)
            if note >= 0:
                parsed.append((number, values, failures, note))
    return parsed


# The forked worker inherits the job through this global instead of pickling 100 MB of XML.
_JOB: tuple[XlsxBook, RowChunks, RowPlan, int] | None = None


def _convert_part(index: int, parts: int) -> list[ParsedRow]:
    assert _JOB is not None
    book, chunks, plan, after = _JOB
    return convert_rows(book.decode_rows(chunks.part(index, parts)), plan, after)


def parse_sheet_rows(book: XlsxBook, chunks: RowChunks, plan: RowPlan, after: int) -> list[ParsedRow]:
    """All data rows of one sheet; sheets with many rows are split over the machine's cores (fork)."""
    global _JOB
    parts = min(os.cpu_count() or 1, 4)
    if (
        len(chunks.chunks) < PARALLEL_MIN_ROWS
        or parts < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return convert_rows(book.decode_rows(chunks), plan, after)
    _JOB = (book, chunks, plan, after)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=parts - 1, mp_context=context) as pool:
            # The parent converts the first part itself while the workers do the others.
            futures = [pool.submit(_convert_part, index, parts) for index in range(1, parts)]
            result = _convert_part(0, parts)
            for future in futures:
                result.extend(future.result())
        return result
    finally:
        _JOB = None
