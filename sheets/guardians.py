"""The guardians of one application, from a ledger's guardian column groups (保護者1, 保護者2 / 父, 母 …).

Problems are collected, not raised: the builder reports each at its cell. A guardian the record cannot
hold without a value (no 続柄, no 事由, a working guardian without hours or days) puts the application on
hold; a missing name, kana, birth date or income only leaves that value out.
"""

from __future__ import annotations

from collections.abc import KeysView
from fractions import Fraction

from matching.errors import InvalidRecordError
from matching.records import Reason, ReasonKind, parse_record
from sheets.hours import Hours, monthly_equivalent
from sheets.mapping import GUARDIAN_FIELDS

MAX_GUARDIAN_SLOTS = 4  # Household allows at most four guardians
_GUARDIAN_KEYS = tuple(
    {name: f"guardian.{name}:{slot}" for name in GUARDIAN_FIELDS} for slot in range(MAX_GUARDIAN_SLOTS)
)
_GUARDIAN_KEY_SETS = tuple(frozenset(keys.values()) for keys in _GUARDIAN_KEYS)
_WORK = ReasonKind.WORK.value
_OPTIONAL = ("name", "kana", "birth_date", "income_levy_yen")
# (row, field key or None, message)
Problem = tuple[int, str | None, str]


class GuardianReader:
    def __init__(
        self, slot_relations: tuple[str, ...] | None, weeks_per_month: Fraction, default_reason: str | None
    ) -> None:
        # 続柄 by column group where the ledger has no relation column (保護者1 = 父 …)
        self._slot_relations = slot_relations
        self._weeks = weeks_per_month
        self._default_reason = default_reason
        self._reasons: dict[tuple[object, ...], Reason] = {}

    @staticmethod
    def slots(present: KeysView[str]) -> list[int]:
        """The guardian column groups this application has values in (facts alone do not make one)."""
        return [slot for slot, keys in enumerate(_GUARDIAN_KEY_SETS) if not present.isdisjoint(keys)]

    def read(
        self,
        values: dict[str, object],
        slots: list[int],
        problems: list[Problem],
        row: int,
        failed: frozenset[str],
    ) -> list[tuple[int, dict[str, object]]]:
        """(slot, guardian dict) ready for validation; what blocks the record is added to `problems`."""
        guardians = []
        for slot in slots:
            keys = _GUARDIAN_KEYS[slot]
            relation = values.get(keys["relation"]) or (
                self._slot_relations[slot]
                if self._slot_relations and slot < len(self._slot_relations)
                else None
            )
            label = f"保護者{slot + 1}"
            if relation is None:
                problems.append((row, keys["relation"], f"{label}の続柄がありません / no relation"))
            hours = values.get(keys["hours_per_month"]) or values.get(keys["hours_per_week"])
            days = values.get(keys["days_per_week"])
            if isinstance(hours, Hours) and days is None and hours.days is not None:
                days = hours.days
            kind = values.get(keys["reason"])
            if kind is None and (hours is not None or days is not None) and keys["reason"] not in failed:
                kind = self._default_reason
            if kind is None:
                if keys["reason"] not in failed:
                    problems.append((row, keys["reason"], f"{label}の事由がありません / no reason"))
                else:
                    problems.append((row, None, f"{label}の事由が読めません / the reason could not be read"))
                continue
            per_month = per_week = None
            if isinstance(hours, Hours):
                per_month, per_week = hours.per_month, hours.per_week
                if per_week is not None and per_month is None:
                    per_month = monthly_equivalent(per_week, self._weeks)
            reason = {
                "kind": kind,
                "work_style": values.get(keys["work_style"]),
                "hours_per_month": per_month,
                "hours_per_week": per_week,
                "days_per_week": days,
                "level": values.get(keys["level"]),
            }
            if kind == _WORK:
                missing = [
                    (key, what)
                    for key, what, value in (
                        (keys["hours_per_month"], "就労時間", per_month),
                        (keys["days_per_week"], "週就労日数", days),
                    )
                    if value is None
                ]
                for key, what in missing:
                    spoiled = key in failed or (
                        key == keys["hours_per_month"] and keys["hours_per_week"] in failed
                    )
                    problems.append(
                        (
                            row,
                            None if spoiled else key,
                            f"{label}: 就労には{what}が必要です / work needs {what}",
                        )
                    )
                if missing:
                    continue
            guardian: dict[str, object] = {"relation": relation, "reasons": [self._reason(reason)]}
            for name in _OPTIONAL:  # only what the ledger has: absent fields validate faster
                value = values.get(keys[name])
                if value is not None:
                    guardian[name] = value
            guardians.append((slot, guardian))
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
