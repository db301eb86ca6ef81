"""職権調整 (staff points with a reason): read from the review workbook's 調整点 / 調整理由 columns, applied by
`bodx score --staff-points`, shown in the breakdown; a point without a reason or a non-number is refused."""

from __future__ import annotations

import importlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from bodx.app import app
from matching.adjustments import StaffPoints
from matching.priority import ChildPriority
from samples import DEFAULT_RULES
from samples.citygen.generate import generate_city
from sheets.adjustments import read_staff_points
from sheets.errors import AdjustmentsReadError

YEAR = 2027
HEADER = ["児童番号", "内定施設番号", "調整", "調整施設番号", "調整メモ", "調整点", "調整理由"]


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "結果一覧"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_staff_points_are_read_with_their_reason(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "review.xlsx",
        [
            ["C1", "N1", None, None, None, -3, "書類の不備"],
            ["C2", None, None, None, None, None, None],
            ["C3", "N2", None, None, None, "+1.5", "市長が認める事情"],
        ],
    )
    assert read_staff_points(path) == (
        StaffPoints(child_id="C1", points=Decimal(-3), reason="書類の不備"),
        StaffPoints(child_id="C3", points=Decimal("1.5"), reason="市長が認める事情"),
    )


def test_points_without_reason_or_not_a_number_are_all_listed(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "review.xlsx",
        [["C1", None, None, None, None, -3, None], ["C2", None, None, None, None, "たくさん", "x"]],
    )
    with pytest.raises(AdjustmentsReadError) as caught:
        read_staff_points(path)
    message = str(caught.value)
    assert "2行目" in message and "理由" in message
    assert "3行目" in message and "点数ではありません" in message


def test_bodx_score_applies_staff_points_in_the_breakdown(tmp_path: Path) -> None:
    city = generate_city(60, seed=3, admission_year=YEAR)
    apps, places = tmp_path / "applications.json", tmp_path / "nurseries.json"
    apps.write_text(json.dumps([a.model_dump(mode="json") for a in city.applications], ensure_ascii=False))
    places.write_text(json.dumps([n.model_dump(mode="json") for n in city.nurseries], ensure_ascii=False))
    child = city.applications[0].children[0].id
    staff = _workbook(tmp_path / "review.xlsx", [[child, None, None, None, None, -2, "保育料の滞納"]])
    importlib.import_module("bodx.commands.scoring")
    common = ["score", "--applications", str(apps), "--nurseries", str(places), "--rules", str(DEFAULT_RULES)]
    common += ["--year", str(YEAR), "--out", str(tmp_path / "city.json")]
    before = CliRunner().invoke(app, [*common, "--priorities", str(tmp_path / "p0.json")])
    after = CliRunner().invoke(
        app, [*common, "--priorities", str(tmp_path / "p1.json"), "--staff-points", str(staff)]
    )
    assert before.exit_code == 0 and after.exit_code == 0, after.output
    p0 = {
        p["child_id"]: ChildPriority.model_validate(p) for p in json.loads((tmp_path / "p0.json").read_text())
    }
    p1 = {
        p["child_id"]: ChildPriority.model_validate(p) for p in json.loads((tmp_path / "p1.json").read_text())
    }
    assert p1[child].score == p0[child].score - 20  # -2 points × scale 10
    assert any(i.label == "職権調整: 保育料の滞納 -2点" for i in p1[child].breakdown)
    assert all(p1[c].score == p0[c].score for c in p0 if c != child)


def test_review_workbook_breakdown_one_rule_per_line_with_points(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from matching.scoring import load_rules, score_applications
    from samples.ledgers.review_input import synthetic_review_input
    from sheets.review import write_review_workbook

    city = generate_city(80, seed=5, admission_year=YEAR)
    scored = score_applications(city.applications, load_rules(DEFAULT_RULES), YEAR)
    review = synthetic_review_input(city).model_copy(update={"priorities": scored})
    book = load_workbook(write_review_workbook(review, tmp_path / "review.xlsx"))
    sheet = book["結果一覧"]
    headers = [cell.value for cell in sheet[1]]
    assert {"調整点", "調整理由"} <= set(headers)  # found by header name (next to 調整 since issue 18)
    column = headers.index("指数内訳") + 1
    by_child = {p.child_id: p for p in scored}
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row=row, column=column)
        child = sheet.cell(row=row, column=headers.index("児童番号") + 1).value
        lines = str(cell.value).split("\n")
        assert lines == [
            item.label + (f"［{item.nursery}のみ］" if item.nursery else "")
            for item in by_child[child].breakdown
        ]
        assert all("点" in line or "順位区分" in line for line in lines)  # every rule shows its points
        assert cell.alignment.wrap_text
