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
is 0600. Reading it back is strict (sheets.responses_read, re-exported here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

from matching.files import write_atomically
from matching.records import AGE_CLASS_LABELS, Application, Nursery
from matching.rounds import Answer, Holding, RoundState, holdings_after, waiting_after
from sheets.cells import header_row, safe_row
from sheets.deterministic import workbook_bytes
from sheets.responses_layout import (
    ANSWER,
    CANCEL,
    CHOICES,
    GUIDE,
    GUIDE_SHEET,
    HELD_COLUMNS,
    INTERVIEW,
    NOTE,
    PROMPTS,
    READMIT,
    RESPONSES_SHEET,
    ROUND_LABEL,
    WAITING_COLUMNS,
    WAITING_SHEET,
    WITHDRAW,
)
from sheets.responses_read import ResponsesReading, read_responses
from sheets.review_layout import INPUT_FILL, input_cells, prepare_sheet, protect_keeping_filters
from sheets.xlsx_stream import column_letters

__all__ = ["ResponsesReading", "read_responses", "write_responses_workbook", "write_round_responses"]


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
        rule = DataValidation(type="list", formula1=f'"{",".join(CHOICES[label])}"', allow_blank=True)
        rule.error = f"{'・'.join(CHOICES[label])} から選んでください / choose one of the list"
        rule.errorTitle = rule.promptTitle = label
        rule.prompt = PROMPTS[label]
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
        # StyledCells make values for a RowWriter; this sheet is appended by openpyxl, so each becomes its Cell.
        typed = [
            cell(given[i] if i < len(given) else None).cell(sheet) for i in range(len(labels) - first_input)
        ]
        sheet.append([*safe_row(sheet, fixed), *typed])
