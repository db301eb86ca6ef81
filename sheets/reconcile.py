"""The reconciliation workbook of a parallel run: child by child, is the manual or the program right, and why.

    write_reconcile_workbook(ReconcileInput(comparison, people, ...), Path("out/照合.xlsx"))

Sheets: 集計 (agreement overall, by age class and by nursery; causes and children per root cause; what
was read and skipped), 相違一覧 (one row per differing child, grouped by root cause, manual mistakes
first, with the children of the same chain), 指数のみ相違 (the 指数 differs but the outcome does not).
The file holds names, so it is written protected (sheets locked, filter allowed) and with mode 0600
through the atomic writer; every text cell is guarded against formula injection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from matching.compare import Comparison, Difference, Kind
from matching.records import AGE_CLASS_LABELS
from sheets.cells import header_row, safe_row, wrapped_text
from sheets.deterministic import workbook_bytes
from sheets.safety import ensure_writable_output, write_atomically
from sheets.xlsx_stream import column_letters

SUMMARY_SHEET, DIFFERENCES_SHEET, SCORES_SHEET = "集計", "相違一覧", "指数のみ相違"
CHAIN_NAMES_SHOWN = 12  # a long chain is summarised, the rest counted

DIFFERENCE_COLUMNS: tuple[tuple[str, float], ...] = (
    ("原因番号", 9),
    ("区分", 16),
    ("原因", 20),
    ("受付番号", 15),
    ("児童番号", 12),
    ("伏字", 11),
    ("氏名", 14),
    ("年齢クラス", 9),
    ("手作業", 24),
    ("プログラム", 24),
    ("手作業の指数", 10),
    ("プログラムの指数", 10),
    ("理由", 70),
    ("同じ原因の児童", 48),
)
REASON_WIDTH, CHAIN_WIDTH = DIFFERENCE_COLUMNS[-2][1], DIFFERENCE_COLUMNS[-1][1]
TOP = Alignment(vertical="top")
LINE_HEIGHT = 15.0  # points; wrapped rows get their height here (not every viewer fits rows on opening)


@dataclass(frozen=True)
class Person:
    application_id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class ReconcileInput:
    comparison: Comparison
    people: Mapping[str, Person]  # child id -> 受付番号 and 氏名 (from either workbook)
    masks: Mapping[str, str]  # child id -> the masked id the screen and logs show
    generated_at: dt.datetime
    sources: Sequence[Path] = ()
    sheets_read: Sequence[str] = ()
    skipped: Sequence[tuple[str, str]] = ()  # (sheet, reason)
    problems: Sequence[str] = ()
    title: str = "手作業とプログラムの照合 (並行稼働)"
    notes: Sequence[str] = field(default_factory=tuple)

    def label(self, child_id: str) -> str:
        person = self.people.get(child_id)
        if person is None or not (person.name or person.application_id):
            return child_id
        parts = [p for p in (person.application_id, person.name) if p]
        return f"{' '.join(parts)} ({child_id})"


def write_reconcile_workbook(data: ReconcileInput, path: Path, *, overwrite: bool = False) -> Path:
    ensure_writable_output(path, data.sources, overwrite=overwrite)
    workbook = Workbook(write_only=True)
    workbook.security = WorkbookProtection(lockStructure=True)
    _summary(workbook.create_sheet(SUMMARY_SHEET), data)
    _differences(workbook.create_sheet(DIFFERENCES_SHEET), data)
    _score_only(workbook.create_sheet(SCORES_SHEET), data)
    # mkstemp inside the atomic writer creates the file with mode 0600: names stay with staff.
    write_atomically(path, workbook_bytes(workbook, data.generated_at))
    return path


def _protect(sheet: WriteOnlyWorksheet) -> None:
    """Locked cells, filter allowed; printed one page wide."""
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    protection = sheet.protection
    protection.sheet = True
    protection.autoFilter = False  # filtering and selecting stay allowed on the locked sheet
    protection.sort = False
    protection.formatColumns = False


def _percent(sheet: WriteOnlyWorksheet, rate: float) -> Cell:
    cell = WriteOnlyCell(sheet, value=rate)
    cell.number_format = "0.00%"
    return cell


def _outcome(comparison: Comparison, nursery: str | None) -> str:
    if nursery is None:
        return "保留"
    name = comparison.nursery_names.get(nursery)
    return f"{name} ({nursery})" if name else nursery


def _summary(sheet: WriteOnlyWorksheet, data: ReconcileInput) -> None:
    _protect(sheet)
    for letter, width in zip("ABCDE", (28, 24, 12, 12, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    comparison = data.comparison
    rows: list[list[object]] = [
        [data.title],
        [f"作成 {data.generated_at:%Y-%m-%d %H:%M}"],
        [],
        ["対象児童", comparison.children],
        ["一致", comparison.agreed],
        ["相違", len(comparison.differences)],
        ["一致率", _percent(sheet, comparison.agreement_rate)],
        [],
    ]
    for row in rows:
        sheet.append(safe_row(sheet, row))
    sheet.append(header_row(sheet, ["区分", "原因", "原因の件数", "児童数"]))
    for kind, (causes, children) in comparison.counts_by_kind().items():
        sheet.append(safe_row(sheet, [kind.category.value, kind.label, causes, children]))
    chains = sum(1 for d in comparison.differences if d.kind is Kind.CHAIN)
    sheet.append(safe_row(sheet, ["(うち連鎖)", Kind.CHAIN.label, None, chains]))
    sheet.append([])
    sheet.append(header_row(sheet, ["年齢クラス", "児童", "一致", "一致率"]))
    for age, agreement in comparison.by_class.items():
        label = AGE_CLASS_LABELS.get(age, str(age))
        sheet.append([label, agreement.children, agreement.agreed, _percent(sheet, agreement.rate)])
    sheet.append([])
    sheet.append(header_row(sheet, ["施設 (どちらかで内定)", "施設番号", "児童", "一致", "一致率"]))
    for nursery, agreement in comparison.by_nursery.items():
        name = comparison.nursery_names.get(nursery, "")
        sheet.append(
            safe_row(
                sheet, [name, nursery, agreement.children, agreement.agreed, _percent(sheet, agreement.rate)]
            )
        )
    sheet.append([])
    sheet.append(header_row(sheet, ["読み込み", "内容"]))
    for read in data.sheets_read:
        sheet.append(safe_row(sheet, ["読んだシート", read]))
    for skipped, reason in data.skipped:
        sheet.append(safe_row(sheet, [f"読まなかったシート「{skipped}」", reason]))
    for problem in data.problems:
        sheet.append(safe_row(sheet, ["確認が必要な行", problem]))
    sheet.append(safe_row(sheet, ["指数のみ相違 (結果は同じ)", f"{len(comparison.score_only)} 人"]))
    for note in data.notes:
        sheet.append(safe_row(sheet, ["備考", note]))


def _differences(sheet: WriteOnlyWorksheet, data: ReconcileInput) -> None:
    _protect(sheet)
    comparison = data.comparison
    for index, (_label, width) in enumerate(DIFFERENCE_COLUMNS):
        sheet.column_dimensions[column_letters(index)].width = width
    sheet.freeze_panes = "D2"
    last = column_letters(len(DIFFERENCE_COLUMNS) - 1)
    sheet.auto_filter.ref = f"A1:{last}{max(len(comparison.differences), 1) + 1}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.append(header_row(sheet, [label for label, _ in DIFFERENCE_COLUMNS]))
    members = {root.id: root.children for root in comparison.roots}
    for row_number, diff in enumerate(comparison.differences, start=2):
        person = data.people.get(diff.child_id, Person())
        reason, chain = diff.reason_text(data.label), _chain(data, diff, members[diff.root])
        sheet.row_dimensions[row_number].height = _height([(reason, REASON_WIDTH), (chain, CHAIN_WIDTH)])
        sheet.append(
            _top_row(
                sheet,
                [
                    diff.root,
                    diff.kind.category.value,
                    diff.kind.label
                    if diff.kind is not Kind.CHAIN
                    else f"{Kind.CHAIN.label} ← {_root_label(comparison, diff)}",
                    person.application_id,
                    diff.child_id,
                    data.masks.get(diff.child_id, ""),
                    person.name,
                    AGE_CLASS_LABELS.get(diff.age_class, "") if diff.age_class is not None else None,
                    _outcome(comparison, diff.manual),
                    _outcome(comparison, diff.program),
                    diff.manual_score,
                    diff.program_score,
                    wrapped_text(sheet, reason),
                    wrapped_text(sheet, chain),
                ],
            )
        )


def _top_row(sheet: WriteOnlyWorksheet, values: list[object]) -> list[Cell]:
    """A guarded row whose cells all start at the top, beside the wrapped reason."""
    cells = []
    for value in safe_row(sheet, values):
        cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value=value)
        if not cell.alignment.wrap_text:
            cell.alignment = TOP
        cells.append(cell)
    return cells


def _height(cells: Sequence[tuple[str, float]]) -> float:
    """Row height for wrapped texts (text, column width): a full-width character takes two units."""
    lines = 1
    for text, width in cells:
        units = sum(1 if ord(char) < 0x2E80 else 2 for char in text)
        per_line = max(int(width * 0.9) - 1, 1)  # padding, and proportional fonts run wide
        lines = max(lines, -(-units // per_line))
    return min(LINE_HEIGHT * lines, 409.0)  # Excel's largest row height


def _root_label(comparison: Comparison, diff: Difference) -> str:
    return comparison.root(diff.root).kind.label


def _chain(data: ReconcileInput, diff: Difference, children: tuple[str, ...]) -> str:
    others = [c for c in children if c != diff.child_id]
    shown = "、".join(data.label(c) for c in others[:CHAIN_NAMES_SHOWN])
    more = f" ほか {len(others) - CHAIN_NAMES_SHOWN} 人" if len(others) > CHAIN_NAMES_SHOWN else ""
    return shown + more


def _score_only(sheet: WriteOnlyWorksheet, data: ReconcileInput) -> None:
    _protect(sheet)
    for letter, width in zip("ABCDEFG", (15, 12, 11, 14, 12, 14, 28), strict=True):
        sheet.column_dimensions[letter].width = width
    labels = ["受付番号", "児童番号", "伏字", "氏名", "手作業の指数", "プログラムの指数", "結果 (両方同じ)"]
    sheet.append(header_row(sheet, labels))
    for entry in data.comparison.score_only:
        person = data.people.get(entry.child_id, Person())
        row: list[object] = [
            person.application_id,
            entry.child_id,
            data.masks.get(entry.child_id, ""),
            person.name,
            entry.manual_score,
            entry.program_score,
            _outcome(data.comparison, entry.outcome),
        ]
        sheet.append(safe_row(sheet, row))
