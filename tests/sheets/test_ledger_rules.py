"""The ledger rules of issue #12, each on a small workbook written here: defaults from the city profile,
hours as cities write them, ditto marks, furigana, nursery names, rows and columns that are not data,
errors per field, siblings only as stated, formulas without cached values, strict mappings."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import Workbook

from matching.profile import CityProfile, load_profile
from sheets.converters import UNCOMPUTED_MESSAGE
from sheets.errors import MappingFileError
from sheets.hours import parse_hours
from sheets.issues import Severity
from sheets.ledger import LedgerReading, read_ledger
from sheets.mapping import load_mapping
from sheets.mapping_check import check_mapping
from sheets.values import CellValueError

ROOT = Path(__file__).resolve().parents[2]
NURSERY_SHEET = [["施設番号", "施設名", "0歳児", "1歳児", "2歳児"], ["N1", "みどり保育園", 3, 3, 3],
                 ["N2", "ひかり保育園", 3, 3, 3]]  # fmt: skip
HEADER = ["受付番号", "児童氏名", "ふりがな", "生年月日", "第1希望", "第2希望", "保護者1続柄", "保護者1氏名",
          "保護者1事由", "保護者1就労時間", "保護者1就労日数"]  # fmt: skip


def profile(city: str) -> CityProfile:
    return load_profile(ROOT / "cities" / city / "city.toml")[0]


def ledger(
    tmp_path: Path, header: list[str], rows: Sequence[Sequence[object]], mapping: str = "", **kw: object
) -> LedgerReading:
    wb = Workbook()
    ws = wb.active
    ws.title = "申込"
    ws.append(header)
    for values in rows:
        ws.append(list(values))
    hidden = kw.pop("hide", None)
    if hidden:
        ws.column_dimensions[str(hidden)].hidden = True
    nurseries = wb.create_sheet("施設")
    for nursery in NURSERY_SHEET:
        nurseries.append(nursery)
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    # No 児童番号 column: children are numbered per application, except where each row's 受付番号 is the
    # child's own (a household column groups them).
    ids = "" if 'siblings_by = "household"' in mapping else "derive_child_id = true\n"
    base = '[ledger]\napplication_sheets = ["申込"]\nnursery_sheet = "施設"\n' + ids
    (tmp_path / "m.toml").write_text(base + mapping, encoding="utf-8")
    return read_ledger(path, load_mapping(tmp_path / "m.toml"), **kw)  # type: ignore[arg-type]


def at(reading: LedgerReading, row: int, column: str) -> list[str]:
    return [
        i.message
        for i in reading.issues
        if (i.row, i.column) == (row, column) and i.severity is not Severity.INFO
    ]


START = '[defaults]\ndesired_start = "2027-04-01"\n'
GOOD = [
    "A-1",
    "青木 そら",
    "あおき そら",
    "2024/5/3",
    "みどり保育園",
    None,
    "母",
    "青木 花",
    "就労",
    "160時間",
    "5日",
]


def test_no_start_column_takes_the_rounds_first_day_and_is_never_refused(tmp_path: Path) -> None:
    with_city = ledger(
        tmp_path, HEADER, [GOOD], '[defaults]\ndesired_start = "round"\n', profile=profile("hinata")
    )
    assert [a.desired_start for a in with_city.applications] == [dt.date(2027, 4, 1)]
    without = ledger(tmp_path, HEADER, [GOOD])  # no profile, no default: held and said, the ledger is read
    assert without.applications == () and [h.id for h in without.held] == ["A-1"]
    assert any("入所希望月" in i.message for i in without.issues if i.severity is Severity.ERROR)


@pytest.mark.parametrize(
    ("written", "month", "week", "days"),
    [(160, 160, None, None), ("160時間", 160, None, None), ("１６０ｈ", 160, None, None), ("月160時間", 160, None, None),
     (160.0, 160, None, None), ("160.0", 160, None, None), ("週5日8時間", None, 40, 5), ("週5日・1日8時間", None, 40, 5),
     ("週40時間", None, 40, None), ("160時間(予定)", 160, None, None)],
)  # fmt: skip
def test_hours_in_the_forms_cities_write(
    written: object, month: float | None, week: float | None, days: int | None
) -> None:
    hours = parse_hours(written, weekly=False, max_month=744, max_week=168)  # type: ignore[arg-type]
    assert (hours.per_month, hours.per_week, hours.days) == (month, week, days)


@pytest.mark.parametrize("written", ["-160", "たくさん", "約160時間", "週8日5時間", "800"])
def test_impossible_hours_are_refused(written: str) -> None:
    with pytest.raises(CellValueError):
        parse_hours(written, weekly=False, max_month=744, max_week=168)


def test_weekly_hours_use_the_citys_factor_and_a_default_reason(tmp_path: Path) -> None:
    header = ["受付番号", "児童氏名", "生年月日", "第1希望", "母勤務時間", "母勤務日数"]
    mapping = 'relation_from_slot = true\n[guardians]\nslots = ["父", "母"]\n[defaults]\ndesired_start = "round"\nreason = "就労"\n'
    row = ["A-1", "川 そら", "2024/5/3", "みどり保育園", "週5日・1日8時間", None]
    reading = ledger(tmp_path, header, [row], mapping, profile=profile("kawabe"))
    reason = reading.applications[0].household.guardians[0].reasons[0]
    assert (reason.kind.value, reason.hours_per_week, reason.days_per_week) == ("就労", 40, 5)
    assert reason.hours_per_month == round(float(40 * Fraction(43, 10)), 2) == 172.0


def test_ditto_marks_carry_within_one_household_only(tmp_path: Path) -> None:
    header = ["世帯番号", *HEADER]
    rows: list[list[object]] = [["H1", *GOOD], ["H1", "A-2", "青木 うみ", "あおき うみ", "2025/6/1", "〃", None, "同上", "同上", "同", "〃", "同上"],
            ["H2", "A-3", "森 れん", "もり れん", "2023/1/9", "みどり保育園", "同上", "母", "森 光", "就労", "120", "4"]]  # fmt: skip
    reading = ledger(tmp_path, header, rows, 'siblings_by = "household"\n' + START)
    first, second = reading.applications
    assert [c.id for c in first.children] == ["A-1", "A-2"] and first.household.guardians[0].name == "青木 花"
    assert first.household.guardians[0].reasons[0].hours_per_month == 160
    assert second.id == "A-3" and second.preferences == ("N1",)
    assert at(reading, 4, "G")  # 同上 on a new household's first row: nothing above to carry
    assert second.children[0].name == "森 れん"


def test_furigana_becomes_full_width_katakana_and_nursery_names_match_loosely(tmp_path: Path) -> None:
    rows = [["A-1", "青木 そら", "ｱｵｷ ｿﾗ", "2024/5/3", "ﾐﾄﾞﾘ 保育園", "ひかり　保育園", "母", "青木 花", "就労", "160", "5"],
            ["A-2", "森 れん", "もり れん", "2024/5/3", "ひまわり保育園", "ミドリ", "母", "森 光", "就労", "160", "5"]]  # fmt: skip
    reading = ledger(tmp_path, HEADER, rows, START + '[nursery_aliases]\nN1 = ["ミドリ"]\n')
    one, two = reading.applications
    assert (one.children[0].kana, two.children[0].kana) == ("アオキ ソラ", "モリ レン")
    assert one.preferences == ("N1", "N2")
    assert two.preferences == ("N1",)  # the unknown first choice leaves an empty slot, the alias stays
    assert any("ひまわり" in m for m in at(reading, 3, "E"))


def test_rows_and_columns_that_are_not_data_are_never_read(tmp_path: Path) -> None:
    header = ["受付番号", "児童氏名", "生年月日", "第1希望", "第1希望園", "保護者1事由", "保護者1続柄"]
    rows = [["A-1", "青木 そら", "2024/5/3", "古い園", "みどり保育園", "求職", "母"], ["――――"],
            ["A-2", "森 れん", "2023/5/3", "古い園", "ひかり保育園", "求職", "母"],
            ["合計", "=COUNTA(B2:B4)"], ["※ 担当: 保育課"]]  # fmt: skip
    reading = ledger(tmp_path, header, rows, START, hide="D")
    assert [a.preferences for a in reading.applications] == [("N1",), ("N2",)]  # hidden stale D never bound
    assert [i.severity for i in reading.issues if i.row in (3, 5, 6)] == [Severity.INFO] * 3
    assert not [i for i in reading.issues if i.severity is not Severity.INFO]


def test_a_formula_without_a_cached_value_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    header = [*HEADER, "所得割額"]
    reading = ledger(tmp_path, header, [[*GOOD, "=1000*12"]], START)
    assert len(reading.applications) == 1 and reading.applications[0].household.income_levy_yen is None
    assert at(reading, 2, "L") == [UNCOMPUTED_MESSAGE + "（この値は空欄として扱いました / value left out）"]


def test_errors_per_field_keep_the_application(tmp_path: Path) -> None:
    header = [*HEADER, "受付日", "郵便番号", "所得割額", "備考"]
    rows = [[*GOOD, "2026/2/30", "12-345", "-500", "@SUM(A1)"],
            [None, None, None, None, None, None, None, None, None, None, "4日"],
            ["A-3", None, "もり", "2024/5/3", "みどり保育園", None, "母", None, "就労", "160", "5"]]  # fmt: skip
    reading = ledger(tmp_path, header, rows, START)
    first, third = reading.applications
    assert (first.received_on, first.household.postal_code, first.household.income_levy_yen) == (
        None,
        None,
        None,
    )
    assert first.remarks == "@SUM(A1)"  # kept as text, reported
    for column in ("L", "M", "N", "O"):
        assert at(reading, 2, column), column
    assert any(
        "識別" in m or "読み込めません" in m for m in at(reading, 3, "A")
    )  # no identity: dropped, said
    assert third.children[0].name is None and at(reading, 4, "B") and at(reading, 4, "H")


def test_age_outside_the_round_and_an_impossible_birth_date_hold_the_application(tmp_path: Path) -> None:
    rows = [[*GOOD[:3], "2019/6/1", *GOOD[4:]], ["A-2", *GOOD[1:3], "令和6年13月1日", *GOOD[4:]]]
    reading = ledger(tmp_path, HEADER, rows, START)
    assert reading.applications == () and [h.id for h in reading.held] == ["A-1", "A-2"]
    assert any("範囲外" in m for m in at(reading, 2, "D")) and at(reading, 3, "D")


@pytest.mark.parametrize("convention", ["consecutive_id", "household"])
def test_a_repeated_application_id_is_never_merged_into_another_household(
    tmp_path: Path, convention: str
) -> None:
    header = ["世帯番号", *HEADER]
    rows = [["H1", *GOOD], ["H2", "A-2", *GOOD[1:]], ["H3", *GOOD]]
    reading = ledger(tmp_path, header, rows, f'siblings_by = "{convention}"\n' + START)
    assert [a.id for a in reading.applications] == ["A-1", "A-2", "A-1-R4"]
    assert all(len(a.children) == 1 for a in reading.applications)
    assert any("A-1-R4" in m for m in at(reading, 4, "B"))


def test_mapping_files_are_strict_with_lines_and_did_you_mean(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(
        '[ledger]\nsiblngs_by = "household"\n\n[columns]\nchild_nme = ["名前"]\n', encoding="utf-8"
    )
    with pytest.raises(MappingFileError) as caught:
        load_mapping(path)
    message = str(caught.value)
    assert f"{path}:2:" in message and "siblings_by" in message
    assert f"{path}:5:" in message and "child_name" in message
    path.write_text(
        '[fact_columns]\nninkagai_month = ["認可外利用月数"]\nnursery_teacher_in_town = ["町内保育士"]\n',
        encoding="utf-8",
    )
    problems = check_mapping(path, profile("kawabe"))
    assert len(problems) == 2 and "ninkagai_months" in problems[0] and "{g}" in problems[1]
    assert check_mapping(ROOT / "cities/kawabe/ledger/applications.toml", profile("kawabe")) == []
    assert check_mapping(ROOT / "cities/hinata/ledger/applications.toml", profile("hinata")) == []


def test_inspect_writes_a_draft_that_loads(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    import bodx.commands.sheets  # noqa: F401 - registers the commands
    from bodx.app import app

    out = tmp_path / "draft.toml"
    result = CliRunner().invoke(app, ["sheets", "inspect", "--ledger", str(ROOT / "samples/ledgers/styles/kawabe_rows.xlsx"),
                                      "--city", str(ROOT / "cities/kawabe"), "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "所得割額（世帯）" in result.output  # printed: not placed
    draft = tomllib.loads(out.read_text(encoding="utf-8"))
    assert draft["ledger"]["application_sheets"] == ["申込台帳"] and draft["guardians"]["slots"] == [
        "父",
        "母",
    ]
    assert check_mapping(out, profile("kawabe")) == []
