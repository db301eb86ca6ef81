"""Group converted ledger rows into applications the way the ledger states them, reporting every problem.

Siblings come only from what the ledger says (LedgerSettings.siblings_by): rows sharing a 受付番号,
only consecutive rows sharing one, rows sharing a 世帯番号, or none. A 受付番号 seen again where the
convention does not make it a sibling row is a duplicate: the later row becomes its own application
(`<id>-R<row>`) and an error says so; it is never merged into another household. Ditto marks (同上, 〃)
take the value of the row above within the same application; cells merged down a household's rows
count for every row they cover. Records are then built by sheets.build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from sheets.converters import DITTO
from sheets.header import HeaderLayout
from sheets.issues import LedgerIssue, Severity
from sheets.mapping import LedgerMapping
from sheets.rows import ParsedRow
from sheets.xlsx_stream import Merge, column_letters

# Fields whose bad value is an error staff must fix (the others are warnings: the value is left out).
ERROR_FIELDS = frozenset(
    {
        "application_id", "child_id", "birth_date", "desired_start", "preference", "current_nursery", "received_on",
        "child_name", "sibling_condition", "guardian.relation", "guardian.name", "guardian.reason",
        "guardian.work_style", "guardian.hours_per_month", "guardian.hours_per_week", "guardian.days_per_week",
        "guardian.birth_date",
    }
)  # fmt: skip
CHILD_KEYS = frozenset(
    {"child_id", "child_name", "kana", "sex", "birth_date", "age_class", "current_nursery"}
)
_NOT_DATA = {
    "totals": "合計の行です。データとして読みません / totals row: not data",
    "separator": "区切りの行です。データとして読みません / separator row: not data",
    "footnote": "注記の行です。データとして読みません / footnote row: not data",
}


@dataclass(frozen=True)
class SheetRows:
    sheet: str
    layout: HeaderLayout
    rows: list[ParsedRow]
    merges: tuple[Merge, ...] = ()


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, object]  # converted, ditto marks resolved
    layout: HeaderLayout
    failed: frozenset[str]  # value keys whose cell could not be read (already reported)


@dataclass
class Draft:
    application_id: str
    rows: list[Row]
    values: dict[str, object]  # application-level values (the first row's, blanks filled from later rows)
    household: object = None
    column_of: dict[str, int] = field(default_factory=dict)

    @property
    def first(self) -> Row:
        return self.rows[0]


@lru_cache(maxsize=1024)
def is_child_key(key: str) -> bool:
    return key in CHILD_KEYS or key.startswith("fact.child:")


class Reporter:
    """Collects issues with the cell as Excel names it."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.issues: list[LedgerIssue] = []

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


class Grouper:
    def __init__(self, reporter: Reporter, mapping: LedgerMapping) -> None:
        self.reporter = reporter
        self.convention = mapping.ledger.siblings_by
        self.drafts: dict[object, Draft] = {}
        self._row_ids: dict[str, tuple[str, int]] = {}  # 受付番号 -> (sheet, row) where first seen
        self._last: tuple[str, str] | None = None  # (sheet, 受付番号) of the previous data row
        self._columns: dict[int, dict[str, int]] = {}

    def column_of(self, layout: HeaderLayout) -> dict[str, int]:
        found = self._columns.get(id(layout))
        if found is None:
            found = self._columns[id(layout)] = {b.ref.value_key: b.column for b in layout.bindings}
        return found

    def add_sheet(self, data: SheetRows) -> None:
        report = self.reporter.report
        layout = data.layout
        columns = self.column_of(layout)
        key_of = {b.column: b.ref.value_key for b in layout.bindings}
        field_of = {b.column: b.ref.field for b in layout.bindings}
        unmapped = dict(layout.unmapped)
        _fill_merged(data, key_of)
        for number, values, failures, note_column, skipped in data.rows:
            if skipped:
                report(data.sheet, number, _NOT_DATA[skipped], Severity.INFO, None, note_column, None,
                       unmapped.get(note_column))  # fmt: skip
                continue
            if note_column >= 0:
                report(data.sheet, number, "対応表にない列だけに値がある行を読み飛ばしました / row skipped: values only "
                       "in unmapped columns", Severity.INFO, None, note_column, None, unmapped.get(note_column))  # fmt: skip
                continue
            failed = set()
            for column, raw, message in failures:
                failed.add(key_of.get(column, ""))
                error = field_of.get(column, "") in ERROR_FIELDS
                report(data.sheet, number, message + "（この値は空欄として扱いました / value left out）",
                       Severity.ERROR if error else Severity.WARNING, layout, column, raw)  # fmt: skip
            app_id = values.get("application_id")
            if not isinstance(app_id, str):
                if "application_id" in failed:
                    continue  # reported above
                if values.keys() <= {"remarks"}:
                    report(data.sheet, number, "備考だけの行を読み飛ばしました / row skipped: a remark only",
                           Severity.INFO, layout, columns.get("remarks"))  # fmt: skip
                    continue
                if not values.get("child_name"):
                    report(data.sheet, number, "受付番号も児童氏名もない行です。この行は読み込めません / no "
                           "application id and no child name: row dropped", Severity.ERROR, layout,
                           columns.get("application_id"))  # fmt: skip
                    continue
                app_id = f"{data.sheet}-R{number}"
                report(data.sheet, number, f"受付番号がありません。仮の番号 {app_id} を付けました。番号を入力して"
                       "ください / no application id: a provisional one was given", Severity.ERROR, layout,
                       columns.get("application_id"))  # fmt: skip
                values["application_id"] = app_id
            self._add(Row(data.sheet, number, values, layout, frozenset(failed)), app_id)

    def _add(self, row: Row, app_id: str) -> None:
        convention = self.convention
        previous = self._last
        self._last = (row.sheet, app_id)
        if convention == "application_id":
            self._join(app_id, row, app_id)
            return
        if convention == "consecutive_id" and previous == (row.sheet, app_id) and app_id in self.drafts:
            self._join(app_id, row, app_id)
            return
        seen = self._row_ids.get(app_id)
        if seen is not None:
            renamed = f"{app_id}-R{row.number}"
            self.reporter.report(
                row.sheet, row.number, f"受付番号 {app_id} は {seen[0]} の {seen[1]} 行目にもあります。別の申込として "
                f"{renamed} にしました。番号を直してください / duplicate application id: kept apart as {renamed}",
                Severity.ERROR, row.layout, self.column_of(row.layout).get("application_id"), app_id,
            )  # fmt: skip
            app_id = renamed
            row.values["application_id"] = renamed
            self._last = (row.sheet, renamed)
        self._row_ids[app_id] = (row.sheet, row.number)
        if convention == "household":
            number = row.values.get("household_number")
            group = ("household", number) if isinstance(number, str) else ("row", row.sheet, row.number)
            self._join(group, row, app_id)
        else:
            self._join(app_id, row, app_id)

    def _join(self, group: object, row: Row, app_id: str) -> None:
        draft = self.drafts.get(group)
        values = row.values
        if draft is None:
            if DITTO in values.values():
                self._resolve_ditto(None, row)
            app_values = {
                k: v for k, v in values.items() if k not in CHILD_KEYS and not k.startswith("fact.child:")
            }
            self.drafts[group] = Draft(app_id, [row], app_values, column_of=self.column_of(row.layout))
            return
        if DITTO in values.values():
            self._resolve_ditto(draft.rows[-1], row, draft.values)
        mine = draft.values
        columns = self.column_of(row.layout)
        for key, value in values.items():
            if is_child_key(key) or key == "application_id":
                continue
            known = mine.get(key)
            if known is None:
                if key not in draft.first.failed:  # a bad first value stays empty (it is reported)
                    mine[key] = value
            elif known != value:
                self.reporter.report(
                    row.sheet, row.number, f"同じ申込 {draft.application_id} の {draft.first.number} 行目と値が違います。"
                    f"{draft.first.number} 行目の値を使いました / differs from the application's first row",
                    Severity.WARNING, row.layout, columns.get(key),
                )  # fmt: skip
        draft.rows.append(row)

    def _resolve_ditto(self, above: Row | None, row: Row, household: dict[str, object] | None = None) -> None:
        """同上 is the value above; where the row above left the cell blank, the household's value."""
        values = row.values
        marked = [key for key, value in values.items() if value == DITTO]
        for key in marked:
            source = above.values.get(key) if above is not None else None
            if source is None and household is not None and not is_child_key(key):
                source = household.get(key)
            if source is None and above is not None and key in above.failed:
                del values[key]  # the value above could not be read (reported there): nothing to carry
                row.failed = row.failed | {key}
            elif source is None:
                del values[key]
                self.reporter.report(
                    row.sheet, row.number, "「同上」ですが、同じ申込（世帯）の上の行にこの値がありません。値を入力して"
                    "ください / ditto mark with no value above in the same application", Severity.ERROR,
                    row.layout, self.column_of(row.layout).get(key), "同上",
                )  # fmt: skip
                row.failed = row.failed | {key}
            else:
                values[key] = source


def _fill_merged(data: SheetRows, key_of: dict[int, str]) -> None:
    """A cell merged down over several data rows (a household's cells over its children) holds for each."""
    below = [m for m in data.merges if m.first_row > data.layout.header_row and m.last_row > m.first_row]
    if not below:
        return
    by_number = {
        number: values for number, values, _f, note, skipped in data.rows if note < 0 and not skipped
    }
    for merge in below:
        key = key_of.get(merge.first_col)
        top = by_number.get(merge.first_row)
        if key is None or top is None or key not in top:
            continue
        for number in range(merge.first_row + 1, merge.last_row + 1):
            values = by_number.get(number)
            if values is not None and key not in values:
                values[key] = top[key]
