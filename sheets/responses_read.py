"""Reading the responses workbook (回答記録) back, strictly: see sheets.responses for its layout.

A value outside the drop-down, an unknown 児童番号 or a row given twice becomes an issue row naming the
cell, and that child is treated as not answered (its seat is kept, so nothing is given away by mistake);
a child whose row was deleted is reported too. A workbook of another round, or one whose headers were
changed, is refused as a whole.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from matching.rounds import Answer, Interview, StaffResponse
from sheets.errors import ResponsesReadError
from sheets.issues import LedgerIssue, Severity, raw_preview
from sheets.responses_layout import (
    ANSWER,
    CANCEL,
    CANCEL_MARK,
    CHILD,
    CHOICES,
    GUIDE_SHEET,
    INTERVIEW,
    READMIT,
    READMIT_MARK,
    RESPONSES_SHEET,
    ROUND_LABEL,
    WAITING_SHEET,
    WITHDRAW,
    WITHDRAW_MARK,
)
from sheets.safety import DEFAULT_LIMITS, WorkbookLimits, check_workbook
from sheets.values import header_key, normalise_text
from sheets.xlsx_stream import CellValue, XlsxBook, column_letters


@dataclass(frozen=True)
class ResponsesReading:
    responses: tuple[StaffResponse, ...]
    issues: tuple[LedgerIssue, ...]


def read_responses(
    path: Path,
    *,
    round_id: str,
    held: Iterable[str],
    waiting: Iterable[str],
    limits: WorkbookLimits = DEFAULT_LIMITS,
) -> ResponsesReading:
    """The staff's responses, and one issue row per unusable cell, unknown child, double or missing row."""
    check_workbook(path, limits)
    held_ids, waiting_ids = list(dict.fromkeys(held)), list(dict.fromkeys(waiting))
    issues: list[LedgerIssue] = []
    with XlsxBook(path) as book:
        missing = [s for s in (RESPONSES_SHEET, WAITING_SHEET, GUIDE_SHEET) if s not in book.sheet_names]
        if missing:
            raise ResponsesReadError(
                f"{path.name}: シート「{'」「'.join(missing)}」がありません。選考の後に作られた回答記録を指定してください / "
                "not a responses workbook"
            )
        written_for = _round_of(book)
        if written_for != round_id:
            raise ResponsesReadError(
                f"{path.name}: 選考回「{written_for}」の回答記録です (前回は「{round_id}」)。正しいファイルを指定してください / "
                f"written for round {written_for!r}, not {round_id!r}"
            )
        found = _read_sheet(
            path, book, RESPONSES_SHEET, (ANSWER, INTERVIEW, CANCEL, READMIT), set(held_ids), issues
        )
        found |= _read_sheet(path, book, WAITING_SHEET, (WITHDRAW,), set(waiting_ids), issues)
    for child_id in held_ids:
        if child_id not in found:
            issues.append(
                LedgerIssue(
                    file=path.name,
                    sheet=RESPONSES_SHEET,
                    raw=child_id,
                    severity=Severity.WARNING,
                    message=f"児童 {child_id} の行がありません: 回答待ちとして席を確保したままにします / row "
                    "missing: treated as not answered (the seat is kept)",
                )
            )
    responses = [r for r in found.values() if r is not None and _answered(r)]
    return ResponsesReading(tuple(responses), tuple(issues))


def _round_of(book: XlsxBook) -> str | None:
    for number, values in book.rows(GUIDE_SHEET):
        if number == 1 and values and normalise_text(values[0]) == ROUND_LABEL:
            return normalise_text(values[1]) if len(values) > 1 else None
    return None


def _read_sheet(
    path: Path,
    book: XlsxBook,
    sheet: str,
    inputs: Sequence[str],
    expected: set[str],
    issues: list[LedgerIssue],
) -> dict[str, StaffResponse | None]:
    """child id -> its response (None: the row could not be used and the child counts as not answered)."""
    rows = book.rows(sheet)
    header = next((values for number, values in rows if number == 1), None) or []
    columns = {header_key(v): i for i, v in enumerate(header) if v is not None}
    needed = (CHILD, *inputs)
    absent = [label for label in needed if header_key(label) not in columns]
    if absent:
        raise ResponsesReadError(
            f"{path.name} {sheet}: 1行目に列「{'」「'.join(absent)}」がありません。見出しを戻してください / "
            "header changed"
        )
    at = {label: columns[header_key(label)] for label in needed}
    found: dict[str, StaffResponse | None] = {}

    def issue(number: int, label: str, raw: CellValue, message: str) -> None:
        issues.append(
            LedgerIssue(
                file=path.name,
                sheet=sheet,
                row=number,
                column=column_letters(at[label]),
                header=label,
                raw=raw_preview(raw),
                message=message,
            )
        )

    for number, values in rows:
        if number == 1:
            continue
        raw_child = values[at[CHILD]] if at[CHILD] < len(values) else None
        child_id = normalise_text(raw_child)
        cells = {label: values[at[label]] if at[label] < len(values) else None for label in inputs}
        if child_id is None:
            if any(normalise_text(v) for v in cells.values()):
                issue(
                    number,
                    CHILD,
                    raw_child,
                    "児童番号がありません。この行は使いませんでした / no child id: row not used",
                )
            continue
        if child_id not in expected:
            issue(
                number, CHILD, raw_child,
                f"児童番号 {child_id} はこのシートの児童ではありません。この行は使いませんでした / unknown child: row not used",
            )  # fmt: skip
            continue
        response = _response(child_id, cells, functools.partial(issue, number))
        if child_id in found:
            if found[child_id] != response:
                issue(
                    number, CHILD, raw_child,
                    f"児童 {child_id} が2行あり内容が異なります。回答待ちとして扱います / the child appears twice "
                    "with different values: treated as not answered",
                )  # fmt: skip
                found[child_id] = None
            continue
        found[child_id] = response
    return found


def _response(
    child_id: str, cells: Mapping[str, CellValue], issue: Callable[[str, CellValue, str], None]
) -> StaffResponse | None:
    values: dict[str, str | None] = {}
    usable = True
    for label, raw in cells.items():
        text = normalise_text(raw)
        if text is not None and text not in CHOICES[label]:
            issue(
                label,
                raw,
                f"「{text}」は{label}欄に使えません ({'・'.join(CHOICES[label])} または空欄)。この児童は回答待ちとして"
                f"扱います / not a value of the drop-down: the child is treated as not answered",
            )
            usable = False
        values[label] = text
    if not usable:
        return None
    answer, interview = values.get(ANSWER), values.get(INTERVIEW)
    return StaffResponse(
        child_id=child_id,
        answer=Answer(answer) if answer else None,
        interview=Interview(interview) if interview else None,
        cancelled=values.get(CANCEL) == CANCEL_MARK,
        readmit=values.get(READMIT) == READMIT_MARK,
        withdrawn=values.get(WITHDRAW) == WITHDRAW_MARK,
    )


def _answered(response: StaffResponse) -> bool:
    return bool(
        response.answer or response.interview or response.cancelled or response.readmit or response.withdrawn
    )
