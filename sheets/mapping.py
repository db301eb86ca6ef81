"""Per-city column mapping files (TOML): which ledger header means which canonical field.

A mapping only adds to the built-in synonyms (sheets/vocabulary.py), so most cities need a few lines.
Placeholders: `{n}` a preference rank or phone number (第{n}希望, 電話{n}), `{g}` a guardian slot label
(see [guardians]), `{age}` an age class (0..5) in the nursery sheet. Files are read strictly: an unknown
table, key or field is an error with its line and the nearest allowed name. The format is documented
in samples/ledgers/README.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from matching.config import ConfigProblems, read_toml_text, unknown_keys
from matching.records import ReasonKind
from sheets.errors import MappingFileError
from sheets.vocabulary import (
    APPLICATION_FIELDS,
    CHILD_FIELDS,
    FLAG_SYNONYMS,
    GUARDIAN_FIELDS,
    NURSERY_FIELDS,
    REASON_SYNONYMS,
    WORK_STYLE_SYNONYMS,
)

__all__ = [
    "APPLICATION_FIELDS", "CHILD_FIELDS", "FLAG_SYNONYMS", "GUARDIAN_FIELDS", "NURSERY_FIELDS",
    "REASON_SYNONYMS", "WORK_STYLE_SYNONYMS", "LedgerMapping", "load_mapping", "mapping_problems",
]  # fmt: skip

Synonyms = dict[str, tuple[str, ...]]
SIBLING_CONVENTIONS = ("application_id", "consecutive_id", "household", "none")
DEFAULT_DITTO_MARKS = ("同上", "〃", "同", "″", "々", "\u3003")
DEFAULT_TOTALS_LABELS = ("合計", "総計", "小計", "計", "集計")


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LedgerSettings(_Section):
    name: str = ""
    application_sheets: tuple[str, ...] = ()  # empty: every sheet whose header is found
    nursery_sheet: str | None = None
    header_search_rows: int = Field(default=20, ge=1, le=200)
    # The header's first and last row when the search should not guess (a three-row merged header).
    header_rows: tuple[int, int] | None = None
    nurseries_by: Literal["name", "id", "either"] = "either"
    list_separators: str = "、,，・/／ "
    # No 児童番号 column: child ids become `<受付番号>-<n>` (n = the child's order in the application).
    derive_child_id: bool = False
    # Guardians without a 続柄 column take their slot's relation ([guardians] relations, else the label).
    relation_from_slot: bool = False
    # How the ledger states siblings: rows sharing a 受付番号 anywhere (application_id), only on the
    # next row (consecutive_id; a later repeat is a duplicate), rows sharing a 世帯番号 (household), or
    # never (none: one row, one application).
    siblings_by: Literal["application_id", "consecutive_id", "household", "none"] = "application_id"
    ditto_marks: tuple[str, ...] = DEFAULT_DITTO_MARKS
    totals_labels: tuple[str, ...] = DEFAULT_TOTALS_LABELS  # a row starting with one of these is not data
    # Values that must be there; a missing one is an error at its cell (the application stays).
    required: tuple[Literal["child_name", "birth_date", "guardian_name"], ...] = (
        "child_name", "birth_date", "guardian_name",
    )  # fmt: skip

    @field_validator("header_rows")
    @classmethod
    def _rows_in_order(cls, value: tuple[int, int] | None) -> tuple[int, int] | None:
        if value is not None and not 1 <= value[0] <= value[1] <= value[0] + 4:
            raise ValueError("header_rows は [最初の行, 最後の行] (5行まで) / [first, last], at most 5 rows")
        return value


class GuardianSettings(_Section):
    slots: tuple[str, ...] = ("保護者1", "保護者2")
    relations: tuple[str, ...] = ()  # 続柄 per slot when the ledger has no 続柄 column (父, 母)

    @field_validator("slots")
    @classmethod
    def _slots(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not 1 <= len(value) <= 4:
            raise ValueError("guardians.slots は1〜4個にしてください / 1 to 4 guardian slots")
        return value


class Defaults(_Section):
    """Values for what a ledger does not state."""

    # "round" (the profile's first round), "round:<id>", or a date: the 入所希望月 of every application
    # whose row has none.
    desired_start: str | None = None
    # The 事由 of a guardian with working hours but no reason (a ledger without a 事由 column).
    reason: ReasonKind | None = None

    @field_validator("desired_start")
    @classmethod
    def _start(cls, value: str | None) -> str | None:
        if value is None or value == "round" or value.startswith("round:"):
            return value
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(
                'desired_start は "round"、"round:<id>" か日付 (2027-04-01) / a round or a date'
            ) from None
        if day.day != 1:
            raise ValueError("desired_start は月の1日にしてください / must be the 1st of a month")
        return value


class LedgerMapping(BaseModel):
    """A parsed mapping file; `*_columns` hold the file's synonyms (merged() adds the built-in ones)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ledger: LedgerSettings = LedgerSettings()
    guardians: GuardianSettings = GuardianSettings()
    defaults: Defaults = Defaults()
    columns: Synonyms = Field(default_factory=dict)
    guardian_columns: Synonyms = Field(default_factory=dict)
    flag_columns: Synonyms = Field(default_factory=dict)
    fact_columns: Synonyms = Field(default_factory=dict)  # a city-declared fact name -> its headers
    nursery_columns: Synonyms = Field(default_factory=dict)
    reasons: Synonyms = Field(default_factory=dict)
    work_styles: Synonyms = Field(default_factory=dict)
    nursery_aliases: Synonyms = Field(default_factory=dict)  # nursery id -> other names staff write
    true_marks: tuple[str, ...] = ()

    def merged(self, table: str) -> Synonyms:
        """Built-in synonyms of `table` with this file's additions first (they win ambiguities)."""
        builtin = BUILTIN_TABLES[table]
        extra: Synonyms = getattr(self, table)
        return {key: (*extra.get(key, ()), *names) for key, names in builtin.items()}

    def slot_relation(self, slot: int) -> str:
        relations = self.guardians.relations
        return relations[slot] if slot < len(relations) else self.guardians.slots[slot]


BUILTIN_TABLES: dict[str, Synonyms] = {
    "columns": {**APPLICATION_FIELDS, **CHILD_FIELDS},
    "guardian_columns": GUARDIAN_FIELDS,
    "flag_columns": FLAG_SYNONYMS,
    "nursery_columns": NURSERY_FIELDS,
    "reasons": REASON_SYNONYMS,
    "work_styles": WORK_STYLE_SYNONYMS,
}
_SECTIONS: dict[str, set[str]] = {
    "ledger": set(LedgerSettings.model_fields),
    "guardians": set(GuardianSettings.model_fields),
    "defaults": set(Defaults.model_fields),
}
_SYNONYM_TABLES = ("columns", "guardian_columns", "flag_columns", "fact_columns", "nursery_columns", "reasons",
                   "work_styles", "nursery_aliases")  # fmt: skip


def mapping_problems(path: Path) -> tuple[LedgerMapping | None, list[str]]:
    """The mapping and every problem of the file (each `file:line: 日本語 / English`)."""
    try:
        data, text = read_toml_text(path, MappingFileError, "対応表ファイル", "the mapping file")
    except MappingFileError as exc:
        return None, [str(exc)]
    check = ConfigProblems(
        text, str(path), MappingFileError, "対応表に誤りがあります / mapping file has errors"
    )
    unknown_keys(check, data, set(LedgerMapping.model_fields), ())
    for section, allowed in _SECTIONS.items():
        table = data.get(section)
        if isinstance(table, dict):
            unknown_keys(check, table, allowed, (section,))
    for table, builtin in BUILTIN_TABLES.items():
        value = data.get(table)
        if isinstance(value, dict):
            unknown_keys(check, value, builtin, (table,))
    cleaned = _as_tuples(data, check)
    mapping = None
    if not check.problems:
        try:
            mapping = LedgerMapping.model_validate(cleaned)
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(p for p in err["loc"] if isinstance(p, str | int))
                where = ".".join(str(p) for p in loc) or "(file)"
                check.add(loc, f"{where}: {err['msg']}", f"{where}: {err['msg']}")
    return (mapping if not check.problems else None), check.messages()


def load_mapping(path: Path) -> LedgerMapping:
    """Read a mapping file (TOML) strictly. A bad file raises :class:`MappingFileError` with every problem."""
    mapping, problems = mapping_problems(path)
    if mapping is None:
        raise MappingFileError(
            "対応表に誤りがあります / mapping file has errors:\n" + "\n".join(problems or [f"{path}"])
        )
    return mapping


def _as_tuples(raw: dict[str, Any], check: ConfigProblems) -> dict[str, Any]:
    """Accept a single string where a list of synonyms is expected (`氏名 = "お名前"`)."""
    result = dict(raw)
    for table in _SYNONYM_TABLES:
        value = raw.get(table)
        if value is None:
            continue
        if not isinstance(value, dict):
            check.add((table,), f"[{table}] は表にしてください", f"[{table}] must be a table")
            continue
        fixed = {}
        for key, names in value.items():
            if isinstance(names, str):
                names = [names]
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                check.add((table, key), f"{key} は見出しの文字列か、その並びにしてください",
                          f"{key} must be a header text or a list of them")  # fmt: skip
                continue
            fixed[key] = tuple(names)
        result[table] = fixed
    return result
