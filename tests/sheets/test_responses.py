"""回答記録 (responses workbook): written after a round, filled in by staff, read back strictly; and the
change report workbook of the next round."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook

from matching.round_plan import plan_round
from matching.round_report import change_report
from matching.round_solve import solve_round, state_after
from matching.rounds import (
    Answer,
    Interview,
    RoundState,
    SeatState,
    StaffResponse,
    holdings_after,
    waiting_after,
)
from sheets.errors import ResponsesReadError
from sheets.responses import read_responses, write_round_responses
from sheets.round_report import write_change_report
from tests.matching.round_support import first_round, nursery, person
from tests.matching.test_scoring_support import rules

STAMP = dt.datetime(2027, 2, 5, 9, 0)


@pytest.fixture
def state() -> RoundState:
    """Four placed (one a transfer), two waiting."""
    apps = [
        person("R1", "C1", ("A",), high=True),
        person("R2", "C2", ("A", "B"), high=True),
        person("R3", "C3", ("B",), high=True, current="A"),
        person("R4", "C4", ("B", "A"), high=True),
        person("R5", "C5", ("A", "B")),
        person("R6", "C6", ("B",)),
    ]
    state = first_round(apps, [nursery("A", 1), nursery("B", 2)])  # A: 1 + the seat C3 leaves
    assert len(holdings_after(state)) == 4 and waiting_after(state) == ("C5", "C6")
    return state


def _fill(path: Path, sheet: str, values: dict[str, dict[str, object]]) -> None:
    """What staff do in Excel: type into the input cells of the children's rows."""
    book = load_workbook(path)
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        child = row[header.index("児童番号")].value
        for label, value in values.get(str(child), {}).items():
            row[header.index(label)].value = value
    book.save(path)


def _read(path: Path, state: RoundState):  # type: ignore[no-untyped-def]
    return read_responses(
        path,
        round_id=state.round_id,
        held=[h.child_id for h in holdings_after(state)],
        waiting=waiting_after(state),
    )


def test_the_workbook_round_trip(state: RoundState, tmp_path: Path) -> None:
    path = write_round_responses(tmp_path / "回答記録.xlsx", state, STAMP)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    book = load_workbook(path)
    assert book.sheetnames == ["回答記録", "保留者", "記入方法"]
    sheet = book["回答記録"]
    header = [c.value for c in sheet[1]]
    assert header[:9] == [
        "児童番号",
        "受付番号",
        "氏名",
        "年齢クラス",
        "施設番号",
        "施設名",
        "内定した回",
        "転園元",
        "回答",
    ]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    assert set(rows) == {"C1", "C2", "C3", "C4"} and rows["C3"][header.index("転園元")].value == "A"
    # A protected sheet with the input cells unlocked and drop-downs on them.
    assert sheet.protection.sheet is True
    assert rows["C1"][header.index("回答")].protection.locked is False
    assert rows["C1"][header.index("児童番号")].protection.locked is not False
    lists = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert {'"承諾,辞退"', '"可,不可"', '"取消"', '"する"'} <= lists
    assert {dv.formula1 for dv in book["保留者"].data_validations.dataValidation} == {'"取下げ"'}
    assert book["記入方法"]["B1"].value == "一次"

    _fill(
        path,
        "回答記録",
        {
            "C1": {"回答": "承諾", "面接": "可"},
            "C2": {"回答": "辞退", "再選考": "する", "メモ": "電話で連絡あり"},
            "C3": {"回答": "承諾", "面接": "不可"},
            "C4": {"取消": "取消"},
        },
    )
    _fill(path, "保留者", {"C6": {"取下げ": "取下げ"}})
    reading = _read(path, state)
    assert reading.issues == ()
    assert {r.child_id: r for r in reading.responses} == {
        "C1": StaffResponse(child_id="C1", answer=Answer.ACCEPT, interview=Interview.PASSED),
        "C2": StaffResponse(child_id="C2", answer=Answer.DECLINE, readmit=True),
        "C3": StaffResponse(child_id="C3", answer=Answer.ACCEPT, interview=Interview.FAILED),
        "C4": StaffResponse(child_id="C4", cancelled=True),
        "C6": StaffResponse(child_id="C6", withdrawn=True),
    }
    plan = plan_round(state, reading.responses, (), round_id="二次")
    assert {r.holding.child_id: r.state for r in plan.released} == {
        "C2": SeatState.DECLINED,
        "C3": SeatState.INTERVIEW_FAILED,
        "C4": SeatState.CANCELLED,
    }
    assert [h.child_id for h in plan.holdings] == ["C1"] and plan.withdrawn == ("C6",)


def test_an_accepted_seat_is_prefilled_in_the_next_workbook(state: RoundState, tmp_path: Path) -> None:
    accepted = [StaffResponse(child_id=h.child_id, answer=Answer.ACCEPT) for h in holdings_after(state)][:2]
    plan = plan_round(state, accepted, (), round_id="二次")
    second = state_after(plan, solve_round(plan, rules(), time_limit=10))
    path = write_round_responses(tmp_path / "二次.xlsx", second, STAMP)
    sheet = load_workbook(path)["回答記録"]
    header = [c.value for c in sheet[1]]
    shown = {
        r[0]: (r[header.index("回答")], r[header.index("内定した回")])
        for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert shown["C1"] == ("承諾", "一次") and shown["C2"] == ("承諾", "一次")
    assert shown["C3"][0] is None  # not answered in round 1: still open
    # Read back untouched: the accepted stay accepted, the others stay pending; nothing is released.
    reading = read_responses(
        path,
        round_id="二次",
        held=[h.child_id for h in holdings_after(second)],
        waiting=waiting_after(second),
    )
    third = plan_round(second, reading.responses, (), round_id="三次")
    assert third.released == () and {h.child_id for h in third.holdings if h.accepted} == {"C1", "C2"}


def test_unusable_cells_become_issue_rows_and_the_seat_is_kept(state: RoundState, tmp_path: Path) -> None:
    path = write_round_responses(tmp_path / "回答記録.xlsx", state, STAMP)
    _fill(
        path, "回答記録", {"C1": {"回答": "承認"}, "C2": {"面接": "OK", "回答": "辞退"}, "C4": {"取消": "○"}}
    )
    book = load_workbook(path)
    sheet = book["回答記録"]
    sheet.append(["C9", None, None, None, None, None, None, None, "承諾"])  # a child of no round
    book.save(path)
    reading = _read(path, state)
    cells = {(i.sheet, i.column, i.raw): i for i in reading.issues}
    assert (
        ("回答記録", "I", "承認") in cells
        and ("回答記録", "J", "OK") in cells
        and ("回答記録", "K", "○") in cells
    )
    assert cells[("回答記録", "I", "承認")].row == 2  # C1's row: the cell is named
    assert any(i.raw == "C9" and "このシートの児童ではありません" in i.message for i in reading.issues)
    # The bad rows count as not answered: their seats are kept, nothing is given away by mistake.
    answered = {r.child_id for r in reading.responses}
    assert "C1" not in answered and "C2" not in answered and "C4" not in answered
    plan = plan_round(state, reading.responses, (), round_id="二次")
    assert {"C1", "C2", "C4"} <= {h.child_id for h in plan.holdings}


def test_a_child_twice_or_missing_is_reported(state: RoundState, tmp_path: Path) -> None:
    path = write_round_responses(tmp_path / "回答記録.xlsx", state, STAMP)
    book = load_workbook(path)
    sheet = book["回答記録"]
    header = [c.value for c in sheet[1]]
    rows = {r[0].value: r[0].row for r in sheet.iter_rows(min_row=2)}
    sheet.cell(rows["C1"], header.index("回答") + 1).value = "承諾"
    sheet.append(["C1", None, None, None, None, None, None, None, "辞退"])
    sheet.delete_rows(rows["C4"])
    book.save(path)
    reading = _read(path, state)
    assert any(i.raw == "C1" and "2行" in i.message for i in reading.issues)
    assert any(
        i.raw == "C4" and i.severity == "warning" and "行がありません" in i.message for i in reading.issues
    )
    assert "C1" not in {r.child_id for r in reading.responses}


def test_another_round_or_another_workbook_is_refused(state: RoundState, tmp_path: Path) -> None:
    path = write_round_responses(tmp_path / "回答記録.xlsx", state, STAMP)
    with pytest.raises(ResponsesReadError, match="選考回「一次」の回答記録です"):
        read_responses(path, round_id="二次", held=(), waiting=())
    book = load_workbook(path)
    book["回答記録"]["I1"].value = "答え"
    book.save(path)
    with pytest.raises(ResponsesReadError, match="見出し"):
        _read(path, state)
    del book["保留者"]
    book.save(path)
    with pytest.raises(ResponsesReadError, match="保留者"):
        _read(path, state)


def test_the_change_report_workbook(state: RoundState, tmp_path: Path) -> None:
    responses = [
        StaffResponse(child_id="C1", answer=Answer.ACCEPT),
        StaffResponse(child_id="C2", answer=Answer.DECLINE),
    ]
    late = person("R7", "C7", ("A",), high=True)
    plan = plan_round(state, responses, [late], round_id="二次")
    solution = solve_round(plan, rules(), time_limit=10)
    report = change_report(state, plan, solution)
    first = write_change_report(report, tmp_path / "a.xlsx", applications=plan.applications, stamp=STAMP)
    again = write_change_report(report, tmp_path / "b.xlsx", applications=plan.applications, stamp=STAMP)
    assert first.read_bytes() == again.read_bytes() and stat.S_IMODE(first.stat().st_mode) == 0o600
    book = load_workbook(first)
    assert book.sheetnames == ["変更一覧", "園別", "固定に対する阻止連合", "要確認", "集計"]
    assert all(book[name].protection.sheet for name in book.sheetnames)
    changes = list(book["変更一覧"].iter_rows(min_row=2, values_only=True))
    changed = [row[0] for row in changes if row[6] == "○"]
    assert set(changed) == {r.child_id for r in report.children if r.changed} and "C2" in changed
    assert changes[: len(changed)] == [row for row in changes if row[6] == "○"]  # changed rows first
    assert "個人情報取扱注意" in book["変更一覧"].oddFooter.left.text
    summary = {row[0]: row[1] for row in book["集計"].iter_rows(values_only=True)}
    assert summary["検証 (確定した席を固定して)"] == "問題なし / ok"


def test_a_hostile_workbook_is_refused_before_reading(state: RoundState, tmp_path: Path) -> None:
    from sheets.errors import WorkbookRefusedError
    from tests.hostile import make

    bomb = make.xlsx_bomb(tmp_path / "回答記録.xlsx", 300)  # 300 MB of sheet in a few hundred KB
    with pytest.raises(WorkbookRefusedError):
        _read(bomb, state)
    fake = tmp_path / "回答記録.xls"
    fake.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # an old .xls / encrypted file
    with pytest.raises(WorkbookRefusedError):
        _read(fake, state)
