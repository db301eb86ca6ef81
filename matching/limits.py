"""Every size limit the project applies to untrusted input, named once with its documented default.

Why limits at all: staff files come from many hands (scanners, clerks' workbooks, other systems). A
single malformed or hostile file must end in a clear message naming the file and the limit, never in
gigabytes of memory, minutes of CPU or a solver told numbers it cannot represent. Every reader takes a
:class:`Limits` (default :data:`DEFAULT_LIMITS`); a city raises or lowers any of them in the optional
``[limits]`` table of its ``city.toml`` (key = field name below), e.g.::

    [limits]
    max_pdf_pages = 2000          # a city that scans a whole season into one PDF

This module is in `matching` (the base package every other package imports) and imports nothing of the
project, so `ocr`, `sheets` and `robots` can use it without cycles.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

# CP-SAT works in 64-bit integers and multiplies priorities by weights and sums them over every child:
# values must stay far below 2**63 for its sums to be exact. 2**31 leaves room for 60,000-child sums.
EXACT_INT_LIMIT = 2**31 - 1


@dataclass(frozen=True)
class Limits:
    """Limits on input size. Field names are the keys of a city's ``[limits]`` table."""

    # Scans (ocr.loading): A3 at 600 dpi is 70 megapixels; beyond that a "page" is a decompression bomb.
    max_page_pixels: int = 80_000_000
    # The longest side of a PDF page in points (1/72 inch): A3 is 1,191 pt, A0 3,370 pt.
    max_pdf_page_points: int = 3_400
    max_pdf_pages: int = 2_000  # pages in one PDF file (they are rendered one at a time)
    max_scan_file_bytes: int = 500 * 1024**2
    # Workbooks (sheets.safety): sizes are measured while inflating, never taken from the zip directory.
    max_workbook_file_bytes: int = 200 * 1024**2
    max_workbook_part_bytes: int = 256 * 1024**2  # one inflated part (a worksheet's XML)
    max_workbook_total_bytes: int = 512 * 1024**2
    max_workbook_parts: int = 10_000
    max_sheet_rows: int = 300_000  # rows a worksheet's XML may hold, styled empty rows included
    # Records and numbers (matching): text length, list lengths, exact integer ranges for the solver.
    max_text_chars: int = 2_000  # a name, an address, a remark (a 3 MB "name" is refused)
    max_preferences: int = 100  # nurseries one child may list
    # Whole assignments one sibling family may end up with (its condition's outcomes, or its combination
    # file): triplets listing 10 nurseries each under 別保順次 have 1,330; each one is a few variables.
    max_family_outcomes: int = 5_000
    max_children: int = 200_000  # children in one city's season
    max_nurseries: int = 10_000
    max_capacity: int = 10_000  # seats of one age class at one nursery
    max_abs_score: int = 10**9  # |score|, |bonus|, tie ranks (after the rules' scale)
    max_rules_scale: int = 1_000_000  # the rules' multiplier from points to integer priorities
    max_abs_points: int = 1_000_000  # |points| one rule gives
    # JSON inputs (applications, nurseries, instances, results): 60,000 applications are about 63 MB.
    max_json_bytes: int = 256 * 1024**2

    def __post_init__(self) -> None:
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"limits.{item.name} must be a positive integer, not {value!r}")


DEFAULT_LIMITS = Limits()
LIMIT_NAMES = frozenset(item.name for item in dataclasses.fields(Limits))


def limits_problems(table: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Problems of a city's ``[limits]`` table as (key, 日本語, English); unknown keys are the caller's."""
    problems = []
    for key, value in table.items():
        if key not in LIMIT_NAMES:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 2**62:
            problems.append(
                (key, f"{key} は正の整数にしてください（{value!r}）", f"{key} must be a positive integer")
            )
    return problems


def limits_from_table(table: dict[str, Any], base: Limits = DEFAULT_LIMITS) -> Limits:
    """`base` with the known keys of `table` replaced (validate with :func:`limits_problems` first)."""
    known = {key: value for key, value in table.items() if key in LIMIT_NAMES}
    return dataclasses.replace(base, **known)


def too_large(what_ja: str, what_en: str, found: int | str, limit: str, value: int) -> str:
    """The one wording of "over a limit": which thing, how big, which limit and how to raise it."""
    return (
        f"{what_ja}が上限を超えています（{found}、上限 {limit} = {value:,}） / "
        f"{what_en} exceeds the limit ({found}; {limit} = {value:,}; a city may change it in "
        "city.toml [limits])"
    )


# C0 controls except tab, newline and carriage return, and DEL: deleted by bytes.translate (C speed).
_C0 = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])
_C1 = re.compile(rb"\xc2[\x80-\x9f]")  # U+0080..U+009F in UTF-8
_ESCAPED = re.compile(
    rb"\\u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])"
)  # the same, as JSON \u escapes


def control_character_line(data: bytes) -> int | None:
    """The 1-based line of the first control character in UTF-8 `data` (raw, or escaped as in JSON),
    if any. They have no place in a name or an address, break workbooks (openpyxl refuses them) and
    terminals. Messages name the line, never the text around it (it is usually a name). Tab, newline
    and carriage return are allowed (remarks have several lines)."""
    positions = []
    if len(data.translate(None, _C0)) != len(data):
        positions.append(min(data.find(bytes([c])) for c in _C0 if bytes([c]) in data))
    for pattern, marker in ((_C1, b"\xc2"), (_ESCAPED, b"\\u00")):
        if marker in data:
            found = pattern.search(data)
            if found is not None:
                positions.append(found.start())
    return None if not positions else data.count(b"\n", 0, min(positions)) + 1


def long_text_line(data: bytes, max_chars: int) -> int | None:
    """The 1-based line of the first JSON string in UTF-8 `data` longer than `max_chars` characters, if
    any. Vectorised (numpy) over the quote positions: a 60 MB file costs a few tens of milliseconds."""
    import numpy as np

    raw = np.frombuffer(data, np.uint8)
    quotes = np.flatnonzero(raw == 34)
    quotes = quotes[(quotes == 0) | (raw[np.maximum(quotes - 1, 0)] != 92)]  # not \" inside a string
    starts, ends = quotes[0::2][: len(quotes) // 2], quotes[1::2]
    for index in np.flatnonzero(ends - starts - 1 > max_chars):  # bytes >= characters: a cheap filter
        start, end = int(starts[index]), int(ends[index])
        if len(data[start + 1 : end].decode("utf-8", "replace")) > max_chars:
            return data.count(b"\n", 0, start) + 1
    return None
