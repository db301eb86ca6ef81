"""What a sheet's columns give the record builder, worked out once per sheet layout: the record path and
column letters of each value (for the records' origins), the free-text columns checked for formula-like
values, and the declared facts by level. A ledger has 100,000 rows and one layout.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache

from sheets.header import HeaderLayout
from sheets.xlsx_stream import column_letters

_TEXT_KEYS = ("child_name", "remarks", "address")  # formula-looking text here is reported
_PATHS = {
    "application_id": "id", "received_on": "received_on", "desired_start": "desired_start",
    "household_number": "household.number",
    "address": "household.address", "postal_code": "household.postal_code", "remarks": "remarks",
    "income_levy_yen": "household.income_levy_yen", "sibling_condition": "sibling_condition",
    "flags": "household.flags", "siblings_enrolled_at": "household.siblings_enrolled_at",
}  # fmt: skip


_CHILD_FIELD = {"child_name": "name", "child_id": "id"}


@lru_cache(maxsize=512)
def field_path(key: str) -> str:
    """The record's field path of a row value key: `guardian.name:1` -> `household.guardians.1.name` (by
    guardian slot), `preference:2` -> `preferences.1` (by rank), `fact.household:x` -> `household.facts.x`."""
    name, _, rest = key.partition(":")
    if name.startswith("guardian."):
        return f"household.guardians.{rest}.{name.removeprefix('guardian.')}"
    if name == "preference":
        return f"preferences.{int(rest) - 1}"
    if name == "phone":
        return f"household.phones.{int(rest) - 1}"
    if name == "flag":
        return "household.flags"
    if name == "fact.household":
        return f"household.facts.{rest}"
    if name == "fact.guardian":
        fact, _, slot = rest.partition(":")
        return f"household.guardians.{slot}.facts.{fact}"
    return _PATHS.get(key, key)


@dataclass(frozen=True)
class LayoutPlan:
    """What a sheet's columns give, worked out once per sheet: a ledger has 100,000 rows and one layout."""

    app_cells: tuple[tuple[str, str, str], ...]  # (value key, record path, column letters)
    child_cells: tuple[tuple[str, str, str], ...]  # (value key, child field, column letters)
    text_keys: tuple[str, ...]  # free text checked for formula-like values
    household_facts: tuple[tuple[str, str], ...]  # (value key, fact name)
    child_facts: tuple[tuple[str, str], ...]
    guardian_facts: tuple[tuple[str, str, int], ...]  # (value key, fact name, guardian slot)
    columns: dict[str, int]  # value key -> column
    _child_paths: dict[int, tuple[tuple[str, str, str], ...]] = dataclasses.field(
        default_factory=dict, compare=False
    )

    def child_paths(self, index: int) -> tuple[tuple[str, str, str], ...]:
        """(value key, origin field path, column letters) of the `index`-th child's cells."""
        found = self._child_paths.get(index)
        if found is None:
            found = self._child_paths[index] = tuple(
                (key, f"children.{index}.{name}", letters) for key, name, letters in self.child_cells
            )
        return found

    @classmethod
    def of(cls, layout: HeaderLayout) -> LayoutPlan:
        keys = [(b.ref.value_key, column_letters(b.column), b.ref) for b in layout.bindings]
        child = {"child_name", "birth_date", "kana", "sex", "child_id", "current_nursery"}
        return cls(
            app_cells=tuple(
                (k, field_path(k), c) for k, c, r in keys if k not in child and r.field != "fact.child"
            ),
            child_cells=tuple((k, _CHILD_FIELD.get(k, k), c) for k, c, _r in keys if k in child),
            text_keys=tuple(k for k, _c, r in keys if k in _TEXT_KEYS or r.field == "guardian.name"),
            household_facts=tuple((k, r.key) for k, _c, r in keys if r.field == "fact.household"),
            child_facts=tuple((k, r.key) for k, _c, r in keys if r.field == "fact.child"),
            guardian_facts=tuple((k, r.key, r.index) for k, _c, r in keys if r.field == "fact.guardian"),
            columns={b.ref.value_key: b.column for b in layout.bindings},
        )
