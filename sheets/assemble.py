"""Group converted rows by 受付番号 and build validated Application records, reporting every problem.

Severity policy (see sheets/issues.py): a problem in a value the application cannot do without (birth
date, preferences, the reason of a guardian …) is an `error` and the application is left out; a problem
in an optional value (kana, phone, a flag mark) is a `warning` and that value is left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from matching.errors import InvalidRecordError
from matching.records import AdjustmentFlag, Application, parse_record
from sheets.guardians import GuardianReader
from sheets.header import MAX_PREFERENCES, HeaderLayout
from sheets.issues import LedgerIssue, Severity
from sheets.rows import ParsedRow
from sheets.xlsx_stream import column_letters

# Fields whose failure makes the application unusable.
REQUIRED_FIELDS = frozenset(
    {
        "application_id", "child_id", "birth_date", "desired_start", "preference", "current_nursery",
        "guardian.relation", "guardian.reason", "guardian.work_style", "guardian.hours_per_month",
        "guardian.days_per_week",
    }
)  # fmt: skip
APPLICATION_KEYS_PREFIXES = ("preference:", "guardian.", "flag:")
APPLICATION_KEYS = frozenset(
    {"received_on", "desired_start", "allow_split", "siblings_enrolled_at", "income_levy_yen", "flags", "phone",
     "postal_code"}
)  # fmt: skip
_PREFERENCE_KEYS = tuple((rank, f"preference:{rank}") for rank in range(1, MAX_PREFERENCES + 1))
_FLAG_KEYS = tuple((flag.value, f"flag:{flag.value}") for flag in AdjustmentFlag)
CHILD_KEYS = ("child_id", "child_name", "kana", "birth_date", "age_class", "current_nursery")


@dataclass(frozen=True)
class SheetRows:
    sheet: str
    layout: HeaderLayout
    rows: list[ParsedRow]


@dataclass
class _Draft:
    application_id: str
    sheet: str
    first_row: int
    values: dict[str, object]
    children: list[tuple[str, int, dict[str, object], HeaderLayout]] = field(default_factory=list)
    failed: bool = False


@dataclass(frozen=True)
class Contact:
    application_id: str
    phone: str | None = None
    postal_code: str | None = None


class Assembler:
    def __init__(self, file: str, derive_child_id: bool, relation_from_slot: tuple[str, ...] | None) -> None:
        self.file = file
        self.derive_child_id = derive_child_id
        self._guardians = GuardianReader(relation_from_slot)
        self.issues: list[LedgerIssue] = []
        self._drafts: dict[str, _Draft] = {}
        self._lookups: dict[int, Callable[[str], int | None]] = {}

    def _lookup(self, layout: HeaderLayout) -> Callable[[str], int | None]:
        found = self._lookups.get(id(layout))
        if found is None:
            found = self._lookups[id(layout)] = _column_lookup(layout)
        return found

    def report(
        self,
        sheet: str | None,
        row: int | None,
        message: str,
        severity: Severity,
        layout: HeaderLayout | None = None,
        column: int | None = None,
        raw: str | None = None,
        header: str | None = None,
    ) -> None:
        if header is None and layout is not None and column is not None:
            header = next((b.header for b in layout.bindings if b.column == column), None)
        self.issues.append(
            LedgerIssue(
                file=self.file,
                sheet=sheet,
                row=row,
                column=column_letters(column) if column is not None else None,
                header=header,
                raw=raw,
                message=message,
                severity=severity,
            )
        )

    def add_sheet(self, data: SheetRows) -> None:
        field_of = {b.column: b.ref.field for b in data.layout.bindings}
        column_of = self._lookup(data.layout)
        app_keys = tuple(
            key
            for key in (b.ref.value_key for b in data.layout.bindings)
            if key in APPLICATION_KEYS or key.startswith(APPLICATION_KEYS_PREFIXES)
        )
        unmapped = dict(data.layout.unmapped)
        for number, values, failures, note_column in data.rows:
            if note_column >= 0:
                self.report(
                    data.sheet, number, "対応表にない列だけに値がある行を読み飛ばしました / row skipped: values "
                    "only in unmapped columns", Severity.INFO, None, note_column, None, unmapped.get(note_column),
                )  # fmt: skip
                continue
            fatal = False
            for column, raw, message in failures:
                required = field_of.get(column, "") in REQUIRED_FIELDS
                fatal = fatal or required
                suffix = "" if required else "（この値は空欄として扱いました / value left out）"
                severity = Severity.ERROR if required else Severity.WARNING
                self.report(data.sheet, number, message + suffix, severity, data.layout, column, raw)
            app_id = values.get("application_id")
            if not isinstance(app_id, str):
                self.report(
                    data.sheet, number, "受付番号がありません。この行は読み込めません / no application id: "
                    "row skipped", Severity.ERROR, data.layout, column_of("application_id"),
                )  # fmt: skip
                continue
            self._add_row(
                data, number, app_id, {k: values[k] for k in app_keys if k in values}, values, fatal
            )

    def _add_row(
        self,
        data: SheetRows,
        number: int,
        app_id: str,
        app_values: dict[str, object],
        values: dict[str, object],
        fatal: bool,
    ) -> None:
        child_values = {k: values[k] for k in CHILD_KEYS if k in values}
        draft = self._drafts.get(app_id)
        if draft is None:
            draft = self._drafts[app_id] = _Draft(app_id, data.sheet, number, app_values)
        elif app_values != draft.values:
            column_of = self._lookup(data.layout)
            for key in sorted(set(app_values) | set(draft.values)):
                if app_values.get(key) != draft.values.get(key):
                    self.report(
                        data.sheet, number, f"同じ受付番号 {app_id} の {draft.first_row} 行目と値が違います。"
                        f"{draft.first_row} 行目の値を使いました / differs from the application's first row",
                        Severity.WARNING, data.layout, column_of(key),
                    )  # fmt: skip
        draft.failed = draft.failed or fatal
        draft.children.append((data.sheet, number, child_values, data.layout))

    def build(self, admission_year_of: Callable[[dt.date], int]) -> list[Application]:
        applications: list[Application] = []
        child_owner: dict[str, str] = {}
        for draft in self._drafts.values():
            if draft.failed:
                self.report(
                    draft.sheet, draft.first_row, f"受付番号 {draft.application_id}: 上のエラーのため申込を読み込み"
                    "ませんでした / application left out because of the errors above", Severity.ERROR,
                )  # fmt: skip
                continue
            record = self._record(draft)
            if record is None:
                continue
            try:
                application = parse_record(Application, record)
            except InvalidRecordError as exc:
                self.report(draft.sheet, draft.first_row, f"{exc}", Severity.ERROR)
                continue
            clash = next((c.id for c in application.children if c.id in child_owner), None)
            if clash is not None:
                self.report(
                    draft.sheet, draft.first_row, f"児童番号 {clash} は受付番号 {child_owner[clash]} にもあります。"
                    "申込を読み込みませんでした / duplicate child id", Severity.ERROR,
                )  # fmt: skip
                continue
            for child in application.children:
                child_owner[child.id] = application.id
            self._check_age_classes(draft, application, admission_year_of(application.desired_start))
            applications.append(application)
        return applications

    def _record(self, draft: _Draft) -> dict[str, object] | None:
        """The application as a dict for validation, or None after reporting each problem at its cell."""
        values = draft.values
        layout = draft.children[0][3]
        column_of = self._lookup(layout)
        problems: list[tuple[int, str | None, str]] = []  # (row, field key, message)
        first = draft.first_row
        start = values.get("desired_start")
        if start is None:
            problems.append((first, "desired_start", "入所希望月がありません / no desired start month"))
        elif isinstance(start, dt.date) and start.day != 1:
            problems.append(
                (first, "desired_start", f"入所希望月 {start} は1日にしてください / must be a 1st")
            )
        # Look up the few keys an application can have instead of scanning its values: this runs
        # 100,000 times for a big ledger.
        ranks = [rank for rank, key in _PREFERENCE_KEYS if key in values]
        present = values.keys()
        slots = self._guardians.slots(present)
        flags = {flag for flag, key in _FLAG_KEYS if key in values}
        preferences: list[object] = []
        for rank in ranks:
            nursery = values[_PREFERENCE_KEYS[rank - 1][1]]
            if nursery in preferences:
                problems.append(
                    (
                        first,
                        f"preference:{rank}",
                        f"第{rank}希望 {nursery} は上位の希望と重複しています / duplicate",
                    )
                )
            preferences.append(nursery)
        if not preferences:
            problems.append((first, "preference:1", "希望園が1つもありません / no nursery preference"))
        elif ranks != list(range(1, len(ranks) + 1)):
            self.report(
                draft.sheet, first, f"希望園の順位が飛んでいます（{ranks}）。順に繰り上げました / "
                "preference ranks have gaps; moved up in order", Severity.WARNING, layout, column_of(f"preference:{ranks[0]}"),
            )  # fmt: skip
        guardians = self._guardians.read(values, slots, problems, first)
        children = []
        for index, (_sheet, number, child, _layout) in enumerate(draft.children, start=1):
            child_id = child.get("child_id") or (
                f"{draft.application_id}-{index}" if self.derive_child_id else None
            )
            if child_id is None:
                problems.append((number, "child_id", "児童番号がありません / no child id"))
            if "birth_date" not in child:
                problems.append((number, "birth_date", "生年月日がありません / no birth date"))
            children.append(
                {"id": child_id, "name": child.get("child_name"), "kana": child.get("kana"),
                 "birth_date": child.get("birth_date"), "current_nursery": child.get("current_nursery")}
            )  # fmt: skip
        if problems:
            for row, field_key, message in problems:
                self.report(
                    draft.sheet, row, f"受付番号 {draft.application_id}: {message}（申込を読み込みませんでした / "
                    "application left out）", Severity.ERROR, layout, column_of(field_key) if field_key else None,
                )  # fmt: skip
            return None
        flags |= set(values.get("flags", frozenset()))  # type: ignore[call-overload]
        return {
            "id": draft.application_id,
            "received_on": values.get("received_on"),
            "household": {
                "guardians": guardians,
                "flags": sorted(flags),
                "income_levy_yen": values.get("income_levy_yen"),
                "siblings_enrolled_at": values.get("siblings_enrolled_at", ()),
            },
            "children": children,
            "preferences": preferences,
            "allow_split": bool(values.get("allow_split", False)),
            "desired_start": start,
        }

    def _check_age_classes(self, draft: _Draft, application: Application, year: int) -> None:
        for child, (sheet, number, values, layout) in zip(application.children, draft.children, strict=True):
            stated = values.get("age_class")
            column_of = self._lookup(layout)
            column = column_of("age_class")
            try:
                actual = child.age_class(year)
            except InvalidRecordError as exc:
                self.report(sheet, number, str(exc), Severity.WARNING, layout, column_of("birth_date"))
                continue
            if stated is not None and stated != actual:
                self.report(
                    sheet, number, f"年齢クラス {stated}歳児 は生年月日から計算した {actual}歳児 と違います"
                    f"（{year}年4月1日時点） / stated age class differs from the birth date", Severity.WARNING,
                    layout, column, str(stated),
                )  # fmt: skip

    def contacts(self) -> list[Contact]:
        return [
            Contact(d.application_id, d.values.get("phone"), d.values.get("postal_code"))  # type: ignore[arg-type]
            for d in self._drafts.values()
            if not d.failed and ("phone" in d.values or "postal_code" in d.values)
        ]


def _column_lookup(layout: HeaderLayout) -> Callable[[str], int | None]:
    return {binding.ref.value_key: binding.column for binding in layout.bindings}.get
