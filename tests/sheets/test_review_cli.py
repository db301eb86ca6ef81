"""The command-line chain IT staff use without Prefect: score → match → `bodx sheets review` → staff fill
調整 → match --adjustments review.xlsx respects it → the next workbook carries the entry over."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

import bodx.commands.match
import bodx.commands.review
import bodx.commands.scoring  # noqa: F401
from bodx.app import app
from matching.result import load_result
from samples import DEFAULT_RULES
from samples.citygen.write import write_city
from sheets.adjustments import ADJUSTMENT_KIND_HEADER, CHILD_ID_HEADER, RESULTS_SHEET

runner = CliRunner()
YEAR = 2027


def _run(*args: str) -> str:
    done = runner.invoke(app, list(args))
    assert done.exit_code == 0, done.output
    return done.output


def test_review_workbook_round_trip_through_the_cli(tmp_path: Path) -> None:
    _, files = write_city(tmp_path / "city", 80, seed=3, admission_year=YEAR)
    rules = str(DEFAULT_RULES)
    records = ["--applications", str(files.applications), "--nurseries", str(files.nurseries)]
    instance, result, workbook = tmp_path / "city.json", tmp_path / "result.json", tmp_path / "review.xlsx"
    _run("score", *records, "--rules", rules, "--year", str(YEAR), "--out", str(instance))
    _run("match", "--instance", str(instance), "--out", str(result))
    output = _run("sheets", "review", *records, "--rules", rules, "--year", str(YEAR),
                  "--result", str(result), "--out", str(workbook))  # fmt: skip
    first = load_result(result)
    placed = sorted(child for child, nursery in first.assignments.items() if nursery is not None)
    assert f"内定 {len(placed)}" in output
    book = load_workbook(workbook)
    assert {"結果一覧", "園別内定者", "保留一覧", "集計", "入力チェック"} <= set(book.sheetnames)
    sheet = book[RESULTS_SHEET]
    header = [cell.value for cell in sheet[1]]
    rows = {row[header.index(CHILD_ID_HEADER)].row: row for row in sheet.iter_rows(min_row=2)}
    assert len(rows) == len(first.assignments)
    # Staff exclude one placed child from its nursery (除外 with the nursery cell left empty: the
    # nursery it was placed at) and save the workbook.
    excluded = placed[0]
    target = next(r for r in rows.values() if r[header.index(CHILD_ID_HEADER)].value == excluded)
    target[header.index(ADJUSTMENT_KIND_HEADER)].value = "除外"
    book.save(workbook)
    again = tmp_path / "result2.json"
    _run("match", "--instance", str(instance), "--out", str(again), "--adjustments", str(workbook))
    assert load_result(again).assignments[excluded] != first.assignments[excluded]
    # The next workbook shows the entry in force, so a further re-run keeps it.
    second = tmp_path / "review2.xlsx"
    _run("sheets", "review", *records, "--rules", rules, "--year", str(YEAR), "--result", str(again),
         "--out", str(second), "--adjustments", str(workbook))  # fmt: skip
    sheet = load_workbook(second)[RESULTS_SHEET]
    kinds = {
        row[header.index(CHILD_ID_HEADER)].value: row[header.index(ADJUSTMENT_KIND_HEADER)].value
        for row in sheet.iter_rows(min_row=2)
    }
    assert kinds[excluded] == "除外" and sum(1 for v in kinds.values() if v) == 1


def test_review_refuses_a_result_of_other_applications(tmp_path: Path) -> None:
    _, files = write_city(tmp_path / "city", 20, seed=4, admission_year=YEAR)
    result = tmp_path / "result.json"
    result.write_text(json.dumps({"status": "optimal", "assignments": {"X-1": None}}), encoding="utf-8")
    done = runner.invoke(app, ["sheets", "review", "--applications", str(files.applications),
                               "--nurseries", str(files.nurseries), "--rules", str(DEFAULT_RULES),
                               "--year", str(YEAR), "--result", str(result), "--out", str(tmp_path / "r.xlsx")])  # fmt: skip
    assert done.exit_code == 2 and "bodx match" in done.output
    assert not (tmp_path / "r.xlsx").exists()
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    done = runner.invoke(app, ["sheets", "review", "--applications", str(files.applications),
                               "--nurseries", str(files.nurseries), "--rules", str(DEFAULT_RULES),
                               "--year", str(YEAR), "--result", str(broken), "--out", str(tmp_path / "r.xlsx")])  # fmt: skip
    assert done.exit_code == 2 and "broken.json" in done.output
