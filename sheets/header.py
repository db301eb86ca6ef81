"""Find the header of a ledger sheet and bind its columns to canonical fields.

Staff ledgers put a title and blank rows above the header, split headers over two rows (a merged
保護者1 over 氏名 / 続柄 / 就労時間), and name columns in their own words. The header is the row (or row
pair) within the first rows of the sheet whose labels match the most known fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sheets.mapping import LedgerMapping
from sheets.values import header_key
from sheets.xlsx_stream import CellValue, Merge

MAX_PREFERENCES = 10
_KANJI_DIGITS = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


@dataclass(frozen=True)
class FieldRef:
    """What a column holds: `field` plus the preference rank, guardian slot, age class or flag it is for."""

    field: str  # "child_name", "preference", "guardian.hours_per_month", "flag", "capacity" …
    index: int = 0  # preference rank (1-based), guardian slot (0-based) or age class
    key: str = ""  # the AdjustmentFlag value of a flag column

    @property
    def value_key(self) -> str:
        """The key a converted row stores this column's value under: `child_name`, `preference:2`,
        `guardian.hours_per_month:0`, `flag:ひとり親`."""
        if self.field == "flag":
            return f"flag:{self.key}"
        if self.field == "preference" or self.field.startswith("guardian."):
            return f"{self.field}:{self.index}"
        return self.field


@dataclass(frozen=True)
class ColumnBinding:
    column: int  # 0-based
    header: str
    ref: FieldRef


@dataclass(frozen=True)
class HeaderLayout:
    header_row: int  # the last header row (1-based); data starts below it
    bindings: tuple[ColumnBinding, ...]
    unmapped: tuple[tuple[int, str], ...]  # (column, header text) of columns no field claims

    def fields(self) -> set[str]:
        return {binding.ref.field for binding in self.bindings}


def application_vocabulary(mapping: LedgerMapping) -> dict[str, FieldRef]:
    """Header key -> field for application sheets (placeholders expanded). First claim wins."""
    vocabulary: dict[str, FieldRef] = {}

    def claim(name: str, ref: FieldRef) -> None:
        vocabulary.setdefault(header_key(name), ref)

    for field, names in mapping.merged("columns").items():
        for name in names:
            if "{n}" in name:
                for rank in range(1, MAX_PREFERENCES + 1):
                    claim(name.replace("{n}", str(rank)), FieldRef(field, rank))
                    claim(name.replace("{n}", _KANJI_DIGITS[rank]), FieldRef(field, rank))
            else:
                claim(name, FieldRef(field))
    for field, names in mapping.merged("guardian_columns").items():
        for slot, label in enumerate(mapping.guardians.slots):
            for name in names:
                claim(name.replace("{g}", label), FieldRef(f"guardian.{field}", slot))
    for flag, names in mapping.merged("flag_columns").items():
        for name in names:
            claim(name, FieldRef("flag", key=flag))
    return vocabulary


def nursery_vocabulary(mapping: LedgerMapping) -> dict[str, FieldRef]:
    vocabulary: dict[str, FieldRef] = {}
    for field, names in mapping.merged("nursery_columns").items():
        for name in names:
            if "{age}" in name:
                for age in range(6):
                    vocabulary.setdefault(header_key(name.replace("{age}", str(age))), FieldRef(field, age))
            else:
                vocabulary.setdefault(header_key(name), FieldRef(field))
    return vocabulary


def find_header(
    rows: Iterable[tuple[int, list[CellValue]]],
    vocabulary: dict[str, FieldRef],
    merges: tuple[Merge, ...],
) -> HeaderLayout | None:
    """The best one- or two-row header among `rows` (the first rows of a sheet), None if nothing matches."""
    by_number = dict(rows)
    best: HeaderLayout | None = None
    best_score = 0
    for number in sorted(by_number):
        for height in (1, 2):
            if height == 2 and number - 1 not in by_number:
                continue
            layout = _bind(number, height, by_number, vocabulary, merges)
            score = len({(b.ref.field, b.ref.index, b.ref.key) for b in layout.bindings})
            if score > best_score:  # strictly better: a two-row reading must add something
                best, best_score = layout, score
    return best


def _bind(
    number: int,
    height: int,
    rows: dict[int, list[CellValue]],
    vocabulary: dict[str, FieldRef],
    merges: tuple[Merge, ...],
) -> HeaderLayout:
    bottom = rows[number]
    top = rows.get(number - 1, []) if height == 2 else []
    width = max(len(bottom), len(top))
    bindings: list[ColumnBinding] = []
    unmapped: list[tuple[int, str]] = []
    taken: set[tuple[str, int, str]] = set()
    for column in range(width):
        low = _text(_cell(bottom, column))
        high = _text(_merged_value(rows, number - 1, column, merges)) if height == 2 else ""
        if height == 2 and not low and _vertically_merged(number, column, merges):
            low, high = high, ""
        candidates = [high + low, low, high] if high else [low]
        header = " ".join(part for part in (high, low) if part)
        for label in candidates:
            ref = vocabulary.get(header_key(label)) if label else None
            if ref is not None and (ref.field, ref.index, ref.key) not in taken:
                taken.add((ref.field, ref.index, ref.key))
                bindings.append(ColumnBinding(column, header, ref))
                break
        else:
            if header:
                unmapped.append((column, header))
    return HeaderLayout(number, tuple(bindings), tuple(unmapped))


def _cell(values: list[CellValue], column: int) -> CellValue:
    return values[column] if column < len(values) else None


def _text(value: CellValue) -> str:
    return "" if value is None else str(value).strip()


def _merged_value(
    rows: dict[int, list[CellValue]], row: int, column: int, merges: tuple[Merge, ...]
) -> CellValue:
    for merge in merges:
        if merge.first_row <= row <= merge.last_row and merge.first_col <= column <= merge.last_col:
            return _cell(rows.get(merge.first_row, []), merge.first_col)
    return _cell(rows.get(row, []), column)


def _vertically_merged(row: int, column: int, merges: tuple[Merge, ...]) -> bool:
    return any(
        m.first_row < row <= m.last_row and m.first_col <= column <= m.last_col and m.first_row == row - 1
        for m in merges
    )
