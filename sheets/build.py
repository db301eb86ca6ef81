"""Build validated Application records from grouped ledger rows (sheets.assemble), one problem per issue.

A bad or missing value the record can do without is left out and reported at its cell; the application
stays. Only what the record cannot exist without — a child's birth date (or one outside the round's
age classes), a guardian's 事由 / 続柄, a working guardian's hours or days, any preference, the start
month — puts the application on hold: it is listed in `held` with the reasons, not silently lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from matching.errors import InvalidRecordError
from matching.records import CONDITION_OF_ALLOW_SPLIT, AdjustmentFlag, Application, Origin, parse_record
from sheets.assemble import Draft, Reporter, Row
from sheets.cells import FORMULA_TRIGGERS
from sheets.guardians import GuardianReader, Problem
from sheets.header import MAX_PREFERENCES
from sheets.issues import Severity
from sheets.layout_plan import LayoutPlan

_PREFERENCE_KEYS = tuple((rank, f"preference:{rank}") for rank in range(1, MAX_PREFERENCES + 1))
_PHONE_KEYS = tuple(f"phone:{n}" for n in range(1, 5))
_FLAG_KEYS = tuple((flag.value, f"flag:{flag.value}") for flag in AdjustmentFlag)
_HOUSEHOLD_VALUES = (
    ("household_number", "number"), ("income_levy_yen", "income_levy_yen"),
    ("siblings_enrolled_at", "siblings_enrolled_at"), ("postal_code", "postal_code"), ("address", "address"),
)  # fmt: skip
_CHILD_VALUES = (
    ("child_name", "name"),
    ("kana", "kana"),
    ("sex", "sex"),
    ("current_nursery", "current_nursery"),
)


@dataclass(frozen=True)
class HeldApplication:
    """An application the ledger states but the records cannot hold yet; staff fix the cells and re-read."""

    id: str
    sheet: str
    rows: tuple[int, ...]
    reasons: tuple[str, ...]


class RecordBuilder:
    def __init__(
        self,
        reporter: Reporter,
        guardians: GuardianReader,
        *,
        derive_child_id: bool,
        child_id_from_row: bool,
        default_start: dt.date | None,
        required: frozenset[str],
        admission_year_of: Callable[[dt.date], int],
    ) -> None:
        self.reporter = reporter
        self._guardians = guardians
        self._derive = derive_child_id
        self._child_id_from_row = child_id_from_row
        self._default_start = default_start
        self._required = required
        self._year_of = admission_year_of
        self.held: list[HeldApplication] = []
        self._child_owner: dict[str, str] = {}
        self._plans: dict[int, LayoutPlan] = {}
        self._origin_places: dict[str, tuple[str, str | None]] = {}

    def _plan(self, row: Row) -> LayoutPlan:
        found = self._plans.get(id(row.layout))
        if found is None:
            found = self._plans[id(row.layout)] = LayoutPlan.of(row.layout)
        return found

    def _at(
        self, row: Row, key: str | None, message: str, severity: Severity, raw: str | None = None
    ) -> None:
        column = self._column(row, key)
        self.reporter.report(row.sheet, row.number, message, severity, row.layout, column, raw)

    def _column(self, row: Row, key: str | None) -> int | None:
        return None if key is None else self._plan(row).columns.get(key)

    def build(self, draft: Draft) -> Application | None:
        record = self.prepare(draft)
        return None if record is None else self.finish(draft, record)

    def prepare(self, draft: Draft) -> dict[str, object] | None:
        """The record of one draft, ready for validation; None when it is held (issues reported). Changes
        nothing other drafts depend on, so drafts can be prepared in worker processes (sheets.forked)."""
        first = draft.first
        values = draft.values
        blocking: list[tuple[Row, Problem]] = []
        start = values.get("desired_start") or self._default_start
        if start is None:
            spoiled = "desired_start" in first.failed
            blocking.append((first, (first.number, None if spoiled else "desired_start",
                                     "入所希望月がありません / no desired start month")))  # fmt: skip
        elif isinstance(start, dt.date) and start.day != 1:
            blocking.append(
                (
                    first,
                    (
                        first.number,
                        "desired_start",
                        f"入所希望月 {start} は1日にしてください / must be a 1st",
                    ),
                )
            )
        preferences = self._preferences(draft)
        if not preferences:
            blocking.append(
                (first, (first.number, None, "使える希望園が1つもありません / no usable nursery preference"))
            )
        slots = self._guardians.slots(values.keys())
        problems: list[Problem] = []
        read = self._guardians.read(values, slots, problems, first.number, first.failed)
        blocking.extend((first, p) for p in problems)
        guardians = [g for _slot, g in read]
        if read and "guardian_name" in self._required and read[0][1].get("name") is None:
            key = f"guardian.name:{read[0][0]}"
            if self._column(first, key) is not None and key not in first.failed:
                self._at(first, key, "第1保護者の氏名がありません。入力してください / the first guardian's name is missing",
                         Severity.ERROR)  # fmt: skip
        children = [self._child(draft, index, row, start, blocking) for index, row in enumerate(draft.rows)]
        self._formula_text(draft)
        if blocking:
            self._hold(draft, blocking)
            return None
        plan = self._plan(first)
        if plan.guardian_facts:
            for slot, guardian in read:
                facts = {
                    name: values[key] for key, name, at in plan.guardian_facts if at == slot and key in values
                }
                if facts:
                    guardian["facts"] = facts
        household: dict[str, object] = {"guardians": guardians}
        for key, field in _HOUSEHOLD_VALUES:  # only what the ledger has: absent fields validate faster
            if key in values:
                household[field] = values[key]
        flags = {flag for flag, key in _FLAG_KEYS if key in values} | _flags(values)
        if flags:
            household["flags"] = sorted(flags)
        phones = [values[k] for k in _PHONE_KEYS if k in values]
        if phones:
            household["phones"] = phones
        if plan.household_facts:
            facts = {name: values[key] for key, name in plan.household_facts if key in values}
            if facts:
                household["facts"] = facts
        record: dict[str, object] = {
            "id": draft.application_id,
            "household": household,
            "children": children,
            "preferences": preferences,
            "desired_start": start,
        }
        for key in ("received_on", "sibling_condition", "remarks"):
            if key in values:
                record[key] = values[key]
        if "sibling_condition" not in record and len(children) > 1:
            # No condition stated: the 別園可 mark (absent = not allowed) as records have always read it
            # (what Application's allow_split conversion does, without its copy of the record per row).
            record["sibling_condition"] = CONDITION_OF_ALLOW_SPLIT[bool(values.get("allow_split", False))]
        return record

    def finish(self, draft: Draft, record: dict[str, object]) -> Application | None:
        """Validate a prepared record, in draft order: a child id seen in an earlier application holds it."""
        first = draft.first
        record["origin"] = self._origin(draft)
        try:
            application = parse_record(Application, record)
        except InvalidRecordError as exc:
            self._hold(draft, [(first, (first.number, None, str(exc)))])
            return None
        owners = self._child_owner
        clash = next((c.id for c in application.children if c.id in owners), None)
        if clash is not None:
            self._hold(draft, [(first, (first.number, None, f"児童番号 {clash} は受付番号 "
                                        f"{owners[clash]} にもあります / duplicate child id"))])  # fmt: skip
            return None
        for child in application.children:
            owners[child.id] = application.id
        return application

    def _preferences(self, draft: Draft) -> list[object]:
        values, first = draft.values, draft.first
        preferences: list[object] = []
        ranks = [rank for rank, key in _PREFERENCE_KEYS if key in values]
        for rank in ranks:
            nursery = values[_PREFERENCE_KEYS[rank - 1][1]]
            if nursery in preferences:
                self._at(first, f"preference:{rank}", f"第{rank}希望 {nursery} は上位の希望と重複しています。この希望は"
                         "除きました / duplicate of a higher preference: left out", Severity.ERROR)  # fmt: skip
                continue
            preferences.append(nursery)
        failed = bool(first.failed) and any(key in first.failed for _r, key in _PREFERENCE_KEYS)
        if preferences and not failed and ranks != list(range(1, len(ranks) + 1)):
            self._at(first, f"preference:{ranks[0]}", f"希望園の順位が飛んでいます（{ranks}）。順に繰り上げました / "
                     "preference ranks have gaps; moved up in order", Severity.WARNING)  # fmt: skip
        return preferences

    def _child(
        self, draft: Draft, index: int, row: Row, start: object, blocking: list[tuple[Row, Problem]]
    ) -> dict[str, object]:
        values = row.values
        child_id = values.get("child_id")
        if child_id is None:
            if self._derive:
                child_id = f"{draft.application_id}-{index + 1}"
            elif self._child_id_from_row:
                child_id = values.get("application_id")
        if child_id is None:
            blocking.append((row, (row.number, "child_id", "児童番号がありません / no child id")))
        born = values.get("birth_date")
        if born is None:
            spoiled = "birth_date" in row.failed
            blocking.append(
                (row, (row.number, None if spoiled else "birth_date", "生年月日がありません / no birth date"))
            )
        elif isinstance(start, dt.date) and isinstance(born, dt.date):
            self._check_age(row, born, start, values.get("age_class"), blocking)
        if (
            values.get("child_name") is None
            and "child_name" in self._required
            and "child_name" not in row.failed
        ) and self._column(row, "child_name") is not None:
            self._at(
                row,
                "child_name",
                "児童氏名がありません。入力してください / the child's name is missing",
                Severity.ERROR,
            )
        child = {"id": child_id, "birth_date": born}
        for key, field in _CHILD_VALUES:  # only what the row has: absent fields validate faster
            if key in values:
                child[field] = values[key]
        facts = {name: values[key] for key, name in self._plan(row).child_facts if key in values}
        if facts:
            child["facts"] = facts
        return child

    def _check_age(
        self, row: Row, born: dt.date, start: dt.date, stated: object, blocking: list[tuple[Row, Problem]]
    ) -> None:
        year = self._year_of(start)
        reference = dt.date(year, 4, 1)
        age = reference.year - born.year - ((reference.month, reference.day) < (born.month, born.day))
        if born > start or age > 5:
            what = (
                f"入所希望月 {start:%Y-%m} より後に生まれています"
                if born > start
                else f"{year}年4月1日に{age}歳です"
            )
            message = (f"生年月日 {born} は選考の年齢（0〜5歳児）の範囲外です（{what}）。生年月日を確認してください / "
                       "birth date out of the round's age range")  # fmt: skip
            self._at(row, "birth_date", message, Severity.ERROR, str(born))
            blocking.append((row, (row.number, None, message)))
            return
        actual = max(age, 0)
        if stated is not None and stated != actual:
            self._at(row, "age_class", f"年齢クラス {stated}歳児 は生年月日から計算した {actual}歳児 と違います"
                     f"（{year}年4月1日時点） / stated age class differs from the birth date", Severity.WARNING, str(stated))  # fmt: skip

    def _formula_text(self, draft: Draft) -> None:
        for row in draft.rows:
            for key in self._plan(row).text_keys:
                value = row.values.get(key)
                if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
                    self._at(row, key, "数式のような文字（= + - @ で始まる）です。文字のまま読みました。意図した値か確認して"
                             "ください / formula-like text kept as text: check it", Severity.WARNING, value[:80])  # fmt: skip

    def _hold(self, draft: Draft, blocking: list[tuple[Row, Problem]]) -> None:
        reasons = []
        for row, (_number, key, message) in blocking:
            if key is not None:
                self._at(row, key, f"{message}（必須の値です / a required value）", Severity.ERROR)
            reasons.append(message)
        first = draft.first
        self.reporter.report(first.sheet, first.number, f"受付番号 {draft.application_id}: 申込を保留しました（選考に"
                             f"入りません）。上の項目を直して読み直してください / application held: {'; '.join(reasons)}",
                             Severity.ERROR)  # fmt: skip
        self.held.append(
            HeldApplication(
                draft.application_id, first.sheet, tuple(r.number for r in draft.rows), tuple(reasons)
            )
        )

    def _origin(self, draft: Draft) -> Origin:
        first = draft.first
        values = draft.values
        number = str(first.number)
        fields = {
            path: letters + number for key, path, letters in self._plan(first).app_cells if key in values
        }
        for index, row in enumerate(draft.rows):
            number = str(row.number)
            row_values = row.values
            for key, path, letters in self._plan(row).child_paths(index):
                if key in row_values:
                    fields[path] = letters + number
        file, sheet = self._origin_place(first.sheet)
        # Built, not validated: validating its two dozen cells cost more than the rest of the record.
        # Paths and cell names are made here (no whitespace, all str); the file and sheet name are the
        # validated ones, so the record is the one validation gives.
        return Origin.model_construct(
            file=file, sheet=sheet, rows=tuple(r.number for r in draft.rows), fields=fields
        )

    def _origin_place(self, sheet: str) -> tuple[str, str | None]:
        found = self._origin_places.get(sheet)
        if found is None:
            place = Origin.model_validate({"file": self.reporter.file, "sheet": sheet})
            found = self._origin_places[sheet] = (place.file, place.sheet)
        return found


def _flags(values: dict[str, object]) -> set[str]:
    listed = values.get("flags")
    return {str(flag) for flag in listed} if isinstance(listed, frozenset | set | tuple | list) else set()
