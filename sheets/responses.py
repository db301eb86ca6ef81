"""The responses workbook (回答記録): what families and nurseries answered after a round's 内定.

Written when a round is approved, one row per child holding a seat (this round's 内定 and the seats kept
from earlier rounds), filled in by staff over the following weeks, read back by the next round:

- sheet 回答記録: 児童番号, 受付番号, 氏名, クラス, 施設, 内定した回, 転園元, then the input columns
  回答 (承諾 / 辞退), 面接 (可 / 不可), 取消 (取消), 再選考 (する: a child who declined or was cancelled
  joins the next round again) and メモ (not read); an accepted seat from an earlier round comes pre-filled
  with 承諾 (a later 辞退 or 取消 still frees it);
- sheet 保留者: the children still waiting, with 取下げ (the application is withdrawn) and メモ;
- sheet 記入方法: the round it belongs to (checked when read back) and how to fill it in.

The sheets are protected with only the input cells unlocked, every input has a drop-down, and the file
is 0600. Reading is strict: a value outside the drop-down, an unknown 児童番号 or a row given twice
becomes an issue row naming the cell, and that child is treated as not answered (its seat is kept, so
nothing is given away by mistake); a child whose row was deleted is reported too.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from matching.files import write_atomically
from matching.records import AGE_CLASS_LABELS, Application, Nursery
from matching.rounds import (
    Answer,
    Holding,
    Interview,
    RoundState,
    StaffResponse,
    holdings_after,
    waiting_after,
)
from sheets.cells import header_row, safe_row
from sheets.deterministic import workbook_bytes
from sheets.errors import ResponsesReadError
from sheets.issues import LedgerIssue, Severity, raw_preview
from sheets.review_layout import INPUT_FILL, input_cells, prepare_sheet, protect_keeping_filters
from sheets.safety import DEFAULT_LIMITS, WorkbookLimits, check_workbook
from sheets.values import header_key, normalise_text
from sheets.xlsx_stream import CellValue, XlsxBook, column_letters

RESPONSES_SHEET, WAITING_SHEET, GUIDE_SHEET = "回答記録", "保留者", "記入方法"
CHILD, ANSWER, INTERVIEW, CANCEL, READMIT, WITHDRAW, NOTE = (
    "児童番号", "回答", "面接", "取消", "再選考", "取下げ", "メモ",
)  # fmt: skip
CANCEL_MARK, READMIT_MARK, WITHDRAW_MARK = "取消", "する", "取下げ"
ROUND_LABEL = "選考回"
HELD_COLUMNS: tuple[tuple[str, float], ...] = (
    (CHILD, 12), ("受付番号", 15), ("氏名", 14), ("年齢クラス", 9), ("施設番号", 10), ("施設名", 20),
    ("内定した回", 10), ("転園元", 10), (ANSWER, 8), (INTERVIEW, 8), (CANCEL, 8), (READMIT, 8), (NOTE, 28),
)  # fmt: skip
WAITING_COLUMNS: tuple[tuple[str, float], ...] = (
    (CHILD, 12), ("受付番号", 15), ("氏名", 14), ("年齢クラス", 9), ("第1希望", 20), (WITHDRAW, 8), (NOTE, 28),
)  # fmt: skip
_CHOICES = {
    ANSWER: tuple(a.value for a in Answer),
    INTERVIEW: tuple(i.value for i in Interview),
    CANCEL: (CANCEL_MARK,),
    READMIT: (READMIT_MARK,),
    WITHDRAW: (WITHDRAW_MARK,),
}
_PROMPTS = {
    ANSWER: "承諾: 保護者が内定を受けた / 辞退: 内定を辞退した",
    INTERVIEW: "面接・健康診断の結果 (不可: この園を除いて次の回で選考)",
    CANCEL: "取消: 市が内定を取り消した (席は次の回へ)",
    READMIT: "する: 辞退・取消の児童を次の回で選考する (辞退した園は除く)",
    WITHDRAW: "取下げ: 申込が取り下げられた (次の回で選考しない)",
}
GUIDE = (
    "黄色の欄だけ入力できます。選択肢はドロップダウンから選んでください。",
    "回答が空欄の児童は「回答待ち」として席を確保したまま次の回を行います (席は動かず、他の児童にも渡りません)。",
    "承諾の席は次の回でも動きません。転園の児童は承諾したときに元の園の席が空きます。",
    "辞退・取消の席は次の回の空きになります。辞退・取消の児童は「再選考」を「する」にしない限り選考しません。",
    "面接「不可」の児童は、その園を除いた希望で次の回に選考します。",
    "行を削除しないでください。同じ児童を2行にしないでください。",
)


@dataclass(frozen=True)
class ResponsesReading:
    responses: tuple[StaffResponse, ...]
    issues: tuple[LedgerIssue, ...]


def write_responses_workbook(
    path: Path,
    *,
    round_id: str,
    holdings: Sequence[Holding],
    waiting: Sequence[tuple[str, int]],
    applications: Sequence[Application],
    nurseries: Sequence[Nursery],
    stamp: dt.datetime,
) -> Path:
    """`waiting`: (child id, age class) of every child still waiting after the round."""
    children = {c.id: (a, c) for a in applications for c in a.children}
    names = {n.id: n.name for n in nurseries}
    book = Workbook(write_only=True)
    held_rows = [
        [
            h.child_id, h.application_id, children[h.child_id][1].name if h.child_id in children else None,
            AGE_CLASS_LABELS[h.age_class], h.nursery, names.get(h.nursery, h.nursery), h.placed_in,
            h.transfer_from, Answer.ACCEPT.value if h.accepted else None,
        ]
        for h in holdings
    ]  # fmt: skip
    waiting_rows = []
    for child_id, age in waiting:
        app, child = children[child_id]
        first = app.preferences[0]
        waiting_rows.append(
            [child_id, app.id, child.name, AGE_CLASS_LABELS[age], f"{first} {names.get(first, '')}"]
        )
    _input_sheet(
        book.create_sheet(RESPONSES_SHEET), HELD_COLUMNS, held_rows, (ANSWER, INTERVIEW, CANCEL, READMIT)
    )
    _input_sheet(book.create_sheet(WAITING_SHEET), WAITING_COLUMNS, waiting_rows, (WITHDRAW,))
    guide = book.create_sheet(GUIDE_SHEET)
    guide.column_dimensions["A"].width = 12
    guide.column_dimensions["B"].width = 100
    guide.protection.sheet = True
    for row in (
        [ROUND_LABEL, round_id],
        ["作成日時", stamp.isoformat(sep=" ")],
        *(["", line] for line in GUIDE),
    ):
        guide.append(row)
    return write_atomically(path, workbook_bytes(book, stamp))


def write_round_responses(path: Path, state: RoundState, stamp: dt.datetime) -> Path:
    """The responses workbook of a finished round: its held seats and its waiting children."""
    ages = {a.id: a.age_class for a in state.instance.applications}
    return write_responses_workbook(
        path,
        round_id=state.round_id,
        holdings=holdings_after(state),
        waiting=[(child_id, ages[child_id]) for child_id in waiting_after(state)],
        applications=state.applications,
        nurseries=state.nurseries,
        stamp=stamp,
    )


def _input_sheet(
    sheet: WriteOnlyWorksheet,
    columns: Sequence[tuple[str, float]],
    rows: Sequence[Sequence[object]],
    inputs: Sequence[str],
) -> None:
    labels = [label for label, _ in columns]
    prepare_sheet(sheet, columns, len(rows))
    for label in inputs:
        letter = column_letters(labels.index(label))
        rule = DataValidation(type="list", formula1=f'"{",".join(_CHOICES[label])}"', allow_blank=True)
        rule.error = f"{'・'.join(_CHOICES[label])} から選んでください / choose one of the list"
        rule.errorTitle = rule.promptTitle = label
        rule.prompt = _PROMPTS[label]
        rule.showErrorMessage = rule.showInputMessage = True
        rule.add(f"{letter}2:{letter}{max(len(rows), 1) + 1}")
        sheet.data_validations.append(rule)
    protect_keeping_filters(sheet)
    cell = input_cells(sheet)
    header = header_row(sheet, labels)
    for head in header:
        if head.value in (*inputs, NOTE):
            head.fill = INPUT_FILL
    sheet.append(header)
    first_input = labels.index(inputs[0])
    for row in rows:
        fixed = list(row[:first_input])
        given = list(row[first_input:])
        typed = [cell(given[i] if i < len(given) else None) for i in range(len(labels) - first_input)]
        sheet.append([*safe_row(sheet, fixed), *typed])


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
        if text is not None and text not in _CHOICES[label]:
            issue(
                label,
                raw,
                f"「{text}」は{label}欄に使えません ({'・'.join(_CHOICES[label])} または空欄)。この児童は回答待ちとして"
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
