"""The three ledger styles of samples/ledgers/styles (written by their own generator, before the reader)
come through with every applicant row as a record, their fields right and their planted defects found."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from benchmarks.sheets import ROOT, formula_cells, meets_targets, score
from matching.profile import load_profile
from matching.records import Origin
from samples.ledgers.styles.make_styles import BUILDERS
from samples.ledgers.styles.make_styles import main as make_styles
from sheets.ledger import LedgerReading, read_ledger
from sheets.mapping import load_mapping
from sheets.outputs import issues_workbook_bytes

STYLES = ROOT / "samples" / "ledgers" / "styles"


def _read(name: str) -> tuple[LedgerReading, dict[str, object]]:
    expected = json.loads((STYLES / f"{name}.expected.json").read_text(encoding="utf-8"))
    profile = load_profile(ROOT / "cities" / expected["city"] / "city.toml")[0]
    return read_ledger(
        STYLES / f"{name}.xlsx", load_mapping(ROOT / expected["mapping"]), profile=profile
    ), expected


def test_committed_style_ledgers_are_what_the_generator_writes(tmp_path: Path) -> None:
    for path in make_styles(tmp_path):
        assert path.read_bytes() == (STYLES / path.name).read_bytes(), f"{path.name}: regenerate the styles"


@pytest.mark.parametrize("name", list(BUILDERS))
def test_style_meets_its_targets(name: str) -> None:
    reading, expected = _read(name)
    result = score(reading, expected)
    assert result["records"] == result["rows"] > 100
    assert result["field_accuracy"] >= 0.995 and result["defect_recall"] >= 0.95, result
    assert result["defect_precision"] >= 0.90 and result["formula_cells_written"] == 0, result
    assert meets_targets(result)


def test_kawabe_facts_sibling_words_and_weekly_hours() -> None:
    reading, _ = _read("kawabe_rows")
    apps = {a.id: a for a in reading.applications}
    first = apps["R9-0001"]  # two children on rows 5 and 6 of one 世帯番号, the second row in ditto marks
    assert (
        [c.id for c in first.children] == ["R9-0001", "R9-0002"]
        and first.origin
        and first.origin.rows == (5, 6)
    )
    assert (
        first.sibling_condition is not None and first.sibling_condition.value == "別保同時希"
    )  # 別園でも同時入所
    assert first.household.facts == {"grandparent_status": "なし"} and first.children[0].facts == {
        "ninkagai_months": 15
    }
    reason = first.household.guardians[0].reasons[0]
    assert (reason.hours_per_week, reason.hours_per_month) == (48, 206.4)  # 48 h a week x 4.3
    assert any(
        g.facts.get("nursery_teacher_in_town") for a in reading.applications for g in a.household.guardians
    )


def test_issue_workbook_separates_errors_warnings_and_notes_without_formulas() -> None:
    reading, _ = _read("kawabe_rows")
    data = issues_workbook_bytes(reading.issues)
    assert formula_cells(data) == 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        workbook = archive.read("xl/workbook.xml").decode("utf-8")
    assert workbook.index("エラー") < workbook.index("警告") < workbook.index("情報")
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    assert all(japanese.search(issue.message.split(" / ")[0]) for issue in reading.issues)  # Japanese first


@pytest.mark.parametrize("processes", [2, 3])
@pytest.mark.parametrize("name", list(BUILDERS))
def test_style_reads_the_same_on_several_cores(
    name: str, processes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held applications, duplicates, ditto marks, merged cells and every planted defect: the forked
    paths (rows decoded and records prepared by workers) give exactly the one-process reading."""
    import sheets.build_shares
    import sheets.forked
    import sheets.rows

    serial, _ = _read(name)
    monkeypatch.setattr(sheets.rows, "PARALLEL_MIN_ROWS", 1)
    monkeypatch.setattr(sheets.build_shares, "PARALLEL_MIN_DRAFTS", 1)
    monkeypatch.setattr(sheets.forked.os, "cpu_count", lambda: processes)
    parallel, _ = _read(name)
    assert parallel == serial
    assert serial.held and serial.issues  # the messy cases are there to be compared


@pytest.mark.parametrize("name", list(BUILDERS))
def test_origins_are_what_validation_gives(name: str) -> None:
    """Origins are built without validating their cells (sheets.build): they must equal validated ones."""
    reading, _ = _read(name)
    assert reading.applications
    for application in reading.applications:
        origin = application.origin
        assert origin is not None and origin.fields
        assert origin == Origin.model_validate(origin.model_dump())
        assert origin.model_fields_set == {"file", "sheet", "rows", "fields"}


def test_origin_names_are_stripped_as_validation_strips_them(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from samples.citygen.generate import generate_city
    from samples.citygen.ledger import write_ledger

    path = tmp_path / "ledger.xlsx"
    write_ledger(generate_city(30, seed=3), path)
    workbook = load_workbook(path)
    workbook["申込一覧"].title = " 申込一覧 "
    workbook.save(path)
    mapping = tmp_path / "auto.toml"
    mapping.write_text('[ledger]\nnurseries_by = "name"\nlist_separators = "、"\n', encoding="utf-8")
    reading = read_ledger(path, load_mapping(mapping))
    assert reading.applications
    for application in reading.applications:
        assert application.origin is not None and application.origin.sheet == "申込一覧"
        assert application.origin == Origin.model_validate(application.origin.model_dump())
