"""The guardians of one application, from a ledger's guardian column groups (保護者1, 保護者2 …).

Problems are collected, not raised: the assembler reports each at its cell and leaves the application out.
"""

from __future__ import annotations

from collections.abc import KeysView

from matching.errors import InvalidRecordError
from matching.records import Reason, ReasonKind, parse_record
from sheets.mapping import GUARDIAN_FIELDS

MAX_GUARDIAN_SLOTS = 4  # Household allows at most four guardians
_GUARDIAN_KEYS = tuple(
    {name: f"guardian.{name}:{slot}" for name in GUARDIAN_FIELDS} for slot in range(MAX_GUARDIAN_SLOTS)
)
_GUARDIAN_KEY_SETS = tuple(frozenset(keys.values()) for keys in _GUARDIAN_KEYS)
_WORK = ReasonKind.WORK.value


class GuardianReader:
    def __init__(self, slot_relations: tuple[str, ...] | None) -> None:
        # 続柄 by column group where the ledger has no relation column (保護者1 = 父 …)
        self._slot_relations = slot_relations
        self._reasons: dict[tuple[object, ...], Reason] = {}

    @staticmethod
    def slots(present: KeysView[str]) -> list[int]:
        """The guardian column groups this application has values in."""
        return [slot for slot, keys in enumerate(_GUARDIAN_KEY_SETS) if not present.isdisjoint(keys)]

    def read(
        self,
        values: dict[str, object],
        slots: list[int],
        problems: list[tuple[int, str | None, str]],
        row: int,
    ) -> list[dict[str, object]]:
        """Guardian dicts ready for validation; each missing value is added to `problems` as
        (row, field key, message)."""
        guardians = []
        for slot in slots:
            keys = _GUARDIAN_KEYS[slot]
            relation = values.get(keys["relation"]) or (
                self._slot_relations[slot] if self._slot_relations else None
            )
            label = f"保護者{slot + 1}"
            if relation is None:
                problems.append(
                    (row, f"guardian.relation:{slot}", f"{label}の続柄がありません / no relation")
                )
            kind = values.get(keys["reason"])
            if kind is None:
                problems.append((row, f"guardian.reason:{slot}", f"{label}の事由がありません / no reason"))
                continue
            reason = {
                "kind": kind,
                "work_style": values.get(keys["work_style"]),
                "hours_per_month": values.get(keys["hours_per_month"]),
                "days_per_week": values.get(keys["days_per_week"]),
                "level": values.get(keys["level"]),
            }
            if kind == _WORK:
                for name, what in (("hours_per_month", "月就労時間"), ("days_per_week", "週就労日数")):
                    if reason[name] is None:
                        problems.append(
                            (
                                row,
                                f"guardian.{name}:{slot}",
                                f"{label}: 就労には{what}が必要です / work needs {name}",
                            )
                        )
                if any(reason[name] is None for name in ("hours_per_month", "days_per_week")):
                    continue
            guardians.append(
                {"relation": relation, "name": values.get(keys["name"]), "reasons": [self._reason(reason)]}
            )
        if not guardians and not problems:
            problems.append((row, None, "保護者の情報がありません / no guardian"))
        return guardians

    def _reason(self, fields: dict[str, object]) -> Reason | dict[str, object]:
        """A validated Reason, shared by every guardian with the same one: a ledger has few distinct
        reasons, and validating each anew was a third of the time spent building 100,000 records."""
        key = tuple(fields.values())
        found = self._reasons.get(key)
        if found is None:
            try:
                found = self._reasons[key] = parse_record(Reason, fields)
            except InvalidRecordError:
                return fields  # validated (and reported) with its application
        return found
