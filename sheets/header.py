"""Find the header of a ledger sheet and bind its columns to canonical fields.

Staff ledgers put a title and blank rows above the header, split headers over two rows (a merged
保護者1 over 氏名 / 続柄 / 就労時間), and name columns in their own words. The header is the row (or row
pair or triple) within the first rows of the sheet whose labels match the most known fields, or the rows
the mapping states. Hidden columns are never bound: a stale column someone hid is not data.
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

    field: str  # "child_name", "preference", "guardian.hours_per_month", "flag", "fact", "capacity" …
    index: int = 0  # preference rank / phone number (1-based), guardian slot (0-based) or age class
    key: str = ""  # the AdjustmentFlag value of a flag column, the name of a fact column

    @property
    def value_key(self) -> str:
        """The key a converted row stores this column's value under: `child_name`, `preference:2`,
        `guardian.hours_per_month:0`, `flag:ひとり親`, `phone:2`, `fact.child:medical_care`, `fact.guardian:leave_end:1`."""
        if self.field == "flag":
            return f"flag:{self.key}"
        if self.field.startswith("fact."):
            return (
                f"{self.field}:{self.key}:{self.index}"
                if self.field == "fact.guardian"
                else f"{self.field}:{self.key}"
            )
        if self.field in ("preference", "phone") or self.field.startswith("guardian."):
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
    hidden: tuple[tuple[int, str], ...] = ()  # (column, header text) of hidden columns, never read
    first_row: int = 0  # the first header row (1-based)

    def fields(self) -> set[str]:
        return {binding.ref.field for binding in self.bindings}


def application_vocabulary(
    mapping: LedgerMapping, fact_levels: dict[str, str] | None = None
) -> dict[str, FieldRef]:
    """Header key -> field for application sheets (placeholders expanded). First claim wins.

    `fact_levels` (fact name -> household / guardian / child, from the city profile) binds the
    mapping's [fact_columns]; a guardian-level fact's headers use `{g}`."""
    vocabulary: dict[str, FieldRef] = {}

    def claim(name: str, ref: FieldRef) -> None:
        vocabulary.setdefault(header_key(name), ref)

    for field, names in mapping.merged("columns").items():
        for name in names:
            if "{n}" in name and field == "phone":
                for number in range(1, 5):
                    claim(name.replace("{n}", str(number)), FieldRef(field, number))
            elif "{n}" in name:
                for rank in range(1, MAX_PREFERENCES + 1):
                    claim(name.replace("{n}", str(rank)), FieldRef(field, rank))
                    claim(name.replace("{n}", _KANJI_DIGITS[rank]), FieldRef(field, rank))
            else:
                claim(name, FieldRef(field, 1 if field == "phone" else 0))
    for fact, names in mapping.fact_columns.items():
        level = (fact_levels or {}).get(fact)
        for name in names:
            if level == "guardian":
                for slot, label in enumerate(mapping.guardians.slots):
                    claim(name.replace("{g}", label), FieldRef("fact.guardian", slot, fact))
            elif level is not None:
                claim(name, FieldRef(f"fact.{level}", 0, fact))
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
    hidden: frozenset[int] = frozenset(),
    stated: tuple[int, int] | None = None,
) -> HeaderLayout | None:
    """The best header of one to three rows among `rows` (the first rows of a sheet), or the `stated`
    (first, last) rows; None if nothing matches."""
    by_number = dict(rows)
    if stated is not None:
        layout = _bind(stated[1], stated[1] - stated[0] + 1, by_number, vocabulary, merges, hidden)
        return layout if layout.bindings else None
    best: HeaderLayout | None = None
    best_score = 0
    for number in sorted(by_number):
        for height in (1, 2, 3):
            if any(number - k not in by_number for k in range(1, height)):
                continue
            layout = _bind(number, height, by_number, vocabulary, merges, hidden)
            score = len({(b.ref.field, b.ref.index, b.ref.key) for b in layout.bindings})
            if score > best_score:  # strictly better: a taller reading must add something
                best, best_score = layout, score
    return best


def _bind(
    number: int,
    height: int,
    rows: dict[int, list[CellValue]],
    vocabulary: dict[str, FieldRef],
    merges: tuple[Merge, ...],
    hidden: frozenset[int] = frozenset(),
) -> HeaderLayout:
    band = [number - k for k in range(height - 1, -1, -1)]  # top to bottom
    width = max(len(rows.get(r, [])) for r in band)
    bindings: list[ColumnBinding] = []
    unmapped: list[tuple[int, str]] = []
    hidden_found: list[tuple[int, str]] = []
    taken: set[tuple[str, int, str]] = set()
    for column in range(width):
        parts: list[str] = []
        for r in band:
            text = _text(
                _merged_value(rows, r, column, merges) if height > 1 else _cell(rows.get(r, []), column)
            )
            if text and (not parts or parts[-1] != text):  # a merge down repeats its label
                parts.append(text)
        header = " ".join(parts)
        if column in hidden:
            if header:
                hidden_found.append((column, header))
            continue
        # The full label first, then shorter tails (児童 氏名 -> 氏名), then the upper parts alone.
        candidates = ["".join(parts[i:]) for i in range(len(parts))] + parts[-2::-1]
        for label in candidates:
            ref = vocabulary.get(header_key(label)) if label else None
            if ref is not None and (ref.field, ref.index, ref.key) not in taken:
                taken.add((ref.field, ref.index, ref.key))
                bindings.append(ColumnBinding(column, header, ref))
                break
        else:
            if header:
                unmapped.append((column, header))
    return HeaderLayout(number, tuple(bindings), tuple(unmapped), tuple(hidden_found), band[0])


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
