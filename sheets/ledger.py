"""Read a staff ledger (受付台帳) into canonical Application and Nursery records plus an issue list.

    reading = read_ledger(Path("受付台帳.xlsx"), load_mapping(Path("city.mapping.toml")))

One bad row never stops the others: every problem becomes a :class:`LedgerIssue`; only a file that cannot
be opened at all (WorkbookRefusedError) or mapped at all (LedgerFormatError) raises. With the city
profile (`profile=`), declared facts, the city's sibling words, its weeks-per-month factor and the
round's first day (the default 入所希望月) apply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from matching.errors import InvalidRecordError
from matching.profile import CityProfile
from matching.records import DEFAULT_WEEKS_PER_MONTH, Application, Nursery, parse_record
from sheets.assemble import Grouper, Reporter, SheetRows
from sheets.build import HeldApplication, RecordBuilder
from sheets.build_shares import build_applications
from sheets.converters import Failure, build_converters, capacity_converter, nursery_index
from sheets.errors import LedgerFormatError
from sheets.gcpause import pause_cyclic_gc
from sheets.guardians import GuardianReader
from sheets.header import HeaderLayout, application_vocabulary, find_header, nursery_vocabulary
from sheets.issues import LedgerIssue, Severity, issue_sort_key, raw_preview
from sheets.mapping import LedgerMapping
from sheets.rows import parse_sheet_rows, plan_for
from sheets.safety import DEFAULT_LIMITS, WorkbookLimits, read_checked_parts
from sheets.values import normalise_text
from sheets.xlsx_stream import CellValue, RowChunks, XlsxBook, column_letters

REQUIRED_APPLICATION_COLUMNS = {
    "application_id": "受付番号",
    "birth_date": "生年月日",
    "preference": "第1希望",
}


@dataclass(frozen=True)
class LedgerReading:
    applications: tuple[Application, ...]
    nurseries: tuple[Nursery, ...]
    issues: tuple[LedgerIssue, ...]
    held: tuple[HeldApplication, ...] = ()  # stated in the ledger, not yet usable: see the issues

    @property
    def has_errors(self) -> bool:
        return any(issue.severity is Severity.ERROR for issue in self.issues)


def admission_year_of(desired_start: dt.date) -> int:
    """The fiscal year (April..March) a start month belongs to."""
    return desired_start.year if desired_start.month >= 4 else desired_start.year - 1


def read_ledger(
    path: Path,
    mapping: LedgerMapping,
    *,
    nurseries: Sequence[Nursery] = (),
    limits: WorkbookLimits = DEFAULT_LIMITS,
    profile: CityProfile | None = None,
    round_id: str | None = None,
) -> LedgerReading:
    """Normalise the ledger at `path`. `nurseries` adds known nurseries (e.g. from nurseries.json) to
    those found on the ledger's own nursery sheet, for resolving the names staff wrote."""
    if limits is DEFAULT_LIMITS and profile is not None:  # a city's [limits] table, when it has one
        limits = WorkbookLimits.from_limits(profile.limits)
    parts = read_checked_parts(path, limits)
    if mapping.fact_columns and profile is None:
        raise LedgerFormatError(
            f"{path.name}: 対応表に [fact_columns] があります。市のプロファイル (--city) を指定してください / "
            "the mapping fills declared facts: give the city profile"
        )
    with pause_cyclic_gc():
        return _read(path, parts, mapping, nurseries, profile, _default_start(mapping, profile, round_id))


def _default_start(
    mapping: LedgerMapping, profile: CityProfile | None, round_id: str | None
) -> dt.date | None:
    """The 入所希望月 of rows without one: the mapping's default, else the profile round's first day."""
    wanted = mapping.defaults.desired_start
    if wanted is not None and not wanted.startswith("round"):
        return dt.date.fromisoformat(wanted)
    if profile is None:
        if wanted is not None:
            raise LedgerFormatError(
                f'desired_start = "{wanted}" には市のプロファイル (--city) が必要です / needs the city profile'
            )
        return None
    if wanted is not None and wanted.startswith("round:"):
        round_id = round_id or wanted.split(":", 1)[1]
    return profile.round(round_id).first_day


def _read(
    path: Path,
    parts: dict[str, bytearray],
    mapping: LedgerMapping,
    nurseries: Sequence[Nursery],
    profile: CityProfile | None,
    default_start: dt.date | None,
) -> LedgerReading:
    issues: list[LedgerIssue] = []
    with XlsxBook(path, parts) as book:  # takes the parts over: each is dropped once decoded
        sheet_chunks = {sheet: book.row_chunks(sheet) for sheet in book.sheet_names}
        headers = {sheet: _header_rows(book, chunks, mapping) for sheet, chunks in sheet_chunks.items()}
        nursery_sheet = _nursery_sheet(book, mapping, headers)
        found: list[Nursery] = list(nurseries)
        if nursery_sheet is not None:
            found.extend(
                _read_nurseries(book, path.name, nursery_sheet, sheet_chunks[nursery_sheet], mapping, issues)
            )
        names = {n.id: n.name for n in found}
        aliases = {n.id: n.aliases for n in found if n.aliases}
        converters = build_converters(mapping, nursery_index(names, mapping, aliases), profile)
        reporter = Reporter(path.name)
        grouper = Grouper(reporter, mapping)
        fact_levels = {f.name: f.level.value for f in profile.facts} if profile is not None else None
        vocabulary = application_vocabulary(mapping, fact_levels)
        sheets_read = 0
        for sheet in _application_sheets(book, mapping, nursery_sheet):
            merges = book.merges(sheet)
            layout = find_header(
                headers[sheet], vocabulary, merges, book.hidden_columns(sheet), mapping.ledger.header_rows
            )
            missing = _missing_columns(layout, mapping)
            if layout is None or missing:
                message = (
                    f"シート「{sheet}」に必要な列がありません: {'・'.join(missing) or '見出し行が見つかりません'} / "
                    "required columns not found"
                )
                if mapping.ledger.application_sheets:
                    raise LedgerFormatError(f"{path.name}: {message}")
                reporter.report(
                    sheet, None, message + "（シートを読み飛ばしました / sheet skipped）", Severity.INFO
                )
                continue
            for column, header in layout.unmapped:
                reporter.report(
                    sheet, layout.header_row, f"列「{header}」は対応表にないため読み飛ばしました / unmapped column "
                    "skipped", Severity.INFO, None, column, None, header,
                )  # fmt: skip
            for column, header in layout.hidden:
                reporter.report(
                    sheet, layout.header_row, f"列「{header}」は非表示のため読みません / hidden column not read",
                    Severity.INFO, None, column, None, header,
                )  # fmt: skip
            plan = plan_for(layout, converters, mapping.ledger.totals_labels)
            rows = parse_sheet_rows(book, sheet_chunks[sheet], plan, layout.header_row)
            grouper.add_sheet(SheetRows(sheet, layout, rows, merges))
            sheets_read += 1
        if sheets_read == 0:
            raise LedgerFormatError(
                f"{path.name}: 申込の見出し行があるシートが見つかりません。対応表を確認してください / "
                "no sheet with an application header; check the mapping file"
            )
        slot_relations = (
            tuple(mapping.slot_relation(i) for i in range(len(mapping.guardians.slots)))
            if mapping.ledger.relation_from_slot
            else None
        )
        weeks = profile.weeks_per_month if profile is not None else DEFAULT_WEEKS_PER_MONTH
        default_reason = mapping.defaults.reason.value if mapping.defaults.reason is not None else None
        builder = RecordBuilder(
            reporter,
            GuardianReader(slot_relations, weeks, default_reason),
            derive_child_id=mapping.ledger.derive_child_id,
            child_id_from_row=mapping.ledger.siblings_by in ("household", "none"),
            default_start=default_start,
            required=frozenset(mapping.ledger.required),
            admission_year_of=admission_year_of,
        )
        applications = build_applications(builder, list(grouper.drafts.values()))
    issues.extend(reporter.issues)
    return LedgerReading(
        applications=tuple(applications),
        nurseries=tuple(found[len(nurseries) :]),
        issues=tuple(sorted(issues, key=issue_sort_key)),
        held=tuple(builder.held),
    )


def _header_rows(
    book: XlsxBook, chunks: RowChunks, mapping: LedgerMapping
) -> list[tuple[int, list[CellValue]]]:
    limit = mapping.ledger.header_search_rows
    head = RowChunks(chunks.prefix, chunks.chunks[:limit], chunks.first_row)
    return [(number, values) for number, values in islice(book.decode_rows(head), limit) if number <= limit]


def _nursery_sheet(
    book: XlsxBook, mapping: LedgerMapping, headers: dict[str, list[tuple[int, list[CellValue]]]]
) -> str | None:
    if mapping.ledger.nursery_sheet is not None:
        if mapping.ledger.nursery_sheet not in book.sheet_names:
            raise LedgerFormatError(
                f"{book.path.name}: 施設シート「{mapping.ledger.nursery_sheet}」がありません / nursery sheet not found"
            )
        return mapping.ledger.nursery_sheet
    vocabulary = nursery_vocabulary(mapping)
    for sheet in book.sheet_names:
        if sheet in mapping.ledger.application_sheets:
            continue
        layout = find_header(headers[sheet], vocabulary, ())
        if layout is not None and {"id", "name", "capacity"} <= layout.fields():
            return sheet
    return None


def _application_sheets(book: XlsxBook, mapping: LedgerMapping, nursery_sheet: str | None) -> list[str]:
    if mapping.ledger.application_sheets:
        missing = [s for s in mapping.ledger.application_sheets if s not in book.sheet_names]
        if missing:
            raise LedgerFormatError(
                f"{book.path.name}: シートがありません: {'・'.join(missing)}（あるシート: {'・'.join(book.sheet_names)}）"
                " / sheet not found"
            )
        return list(mapping.ledger.application_sheets)
    return [sheet for sheet in book.sheet_names if sheet != nursery_sheet]


def _missing_columns(layout: HeaderLayout | None, mapping: LedgerMapping) -> list[str]:
    if layout is None:
        return []
    fields = layout.fields()
    required = dict(REQUIRED_APPLICATION_COLUMNS)
    if not mapping.ledger.derive_child_id and mapping.ledger.siblings_by not in ("household", "none"):
        required["child_id"] = "児童番号"
    return [label for field, label in required.items() if field not in fields]


def _read_nurseries(
    book: XlsxBook,
    file: str,
    sheet: str,
    chunks: RowChunks,
    mapping: LedgerMapping,
    issues: list[LedgerIssue],
) -> list[Nursery]:
    limit = mapping.ledger.header_search_rows
    layout = find_header(
        [(n, v) for n, v in book.decode_rows(RowChunks(chunks.prefix, chunks.chunks[:limit])) if n <= limit],
        nursery_vocabulary(mapping),
        book.merges(sheet),
    )
    if layout is None or not {"id", "name"} <= layout.fields():
        raise LedgerFormatError(
            f"{file}: 施設シート「{sheet}」に施設番号・施設名の見出しがありません / nursery sheet has no id/name header"
        )
    seats = capacity_converter()
    nurseries: list[Nursery] = []
    seen: set[str] = set()
    for number, cells in book.decode_rows(chunks):
        if number <= layout.header_row:
            continue
        capacity: dict[int, int] = {}
        record: dict[str, object] = {"capacity": capacity}
        problems = []
        for binding in layout.bindings:
            raw = cells[binding.column] if binding.column < len(cells) else None
            if binding.ref.field == "capacity":
                value = seats(raw)
                if isinstance(value, Failure):
                    problems.append((binding, raw, value.message))
                elif value is not None:
                    capacity[binding.ref.index] = int(value)  # type: ignore[call-overload]
            else:
                text = normalise_text(raw)
                if text is not None:
                    record[binding.ref.field] = text
        if len(record) == 1 and not capacity and not problems:
            continue  # a blank row
        for binding, raw, message in problems:
            issues.append(_issue(file, sheet, number, binding.column, binding.header, raw, message))
        if problems:
            continue
        try:
            nursery = parse_record(Nursery, record)
        except InvalidRecordError as exc:
            issues.append(_issue(file, sheet, number, None, None, None, str(exc)))
            continue
        if nursery.id in seen:
            issues.append(
                _issue(file, sheet, number, None, None, nursery.id, "施設番号が重複しています / duplicate id")
            )
            continue
        seen.add(nursery.id)
        nurseries.append(nursery)
    return nurseries


def _issue(
    file: str, sheet: str, row: int, column: int | None, header: str | None, raw: object, message: str
) -> LedgerIssue:
    return LedgerIssue(
        file=file,
        sheet=sheet,
        row=row,
        column=column_letters(column) if column is not None else None,
        header=header,
        raw=raw_preview(raw),
        message=message,
        severity=Severity.ERROR,
    )
