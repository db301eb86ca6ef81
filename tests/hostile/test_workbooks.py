"""Issue 17 (2, 5, 7): every workbook is opened through sheets.safety, which measures while inflating."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.hostile import make
from tests.hostile.bounded import ROOT, Outcome, bodx

MAPPING = ROOT / "cities/hinata/ledger/applications.toml"


def _ocr_folder(tmp_path: Path, review: Path | None) -> Path:
    folder = tmp_path / "ocr"
    folder.mkdir()
    (folder / "readings.json").write_text(json.dumps({"format": "bodx-ocr-readings/1", "pages": []}))
    if review is not None:
        review.rename(folder / "review.xlsx")
    return folder


def _compare(tmp_path: Path, manual: Path) -> Outcome:
    result = tmp_path / "result.json"
    result.write_text('{"assignments": {}}')
    return bodx("compare", "--manual", manual, "--result", result, cwd=tmp_path)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 300 MB sheet in a few hundred KB: over the 256 MB part limit."""
    return make.xlsx_bomb(tmp_path_factory.mktemp("bomb") / "bomb.xlsx", 300)


def test_compare_refuses_a_zip_bomb(tmp_path: Path, bomb: Path) -> None:
    manual = tmp_path / "manual.xlsx"
    manual.write_bytes(bomb.read_bytes())
    _compare(tmp_path, manual).assert_refused("manual.xlsx", "展開後")


def test_compare_refuses_a_bomb_whose_directory_lies_about_its_size(tmp_path: Path, bomb: Path) -> None:
    manual = tmp_path / "manual.xlsx"
    manual.write_bytes(bomb.read_bytes())
    make.fake_declared_sizes(manual, "xl/worksheets/sheet1.xml", 4_000)  # "4 KB", really 300 MB
    _compare(tmp_path, manual).assert_refused("manual.xlsx", "壊れて")


@pytest.mark.slow
def test_a_faked_size_cannot_pass_even_when_under_every_declared_limit(tmp_path: Path) -> None:
    # The honest directory (300 MB at ~1000:1) is refused at once; declaring 50 MB (ratio under 200, size
    # under the part limit) passes every declared check, and only the measured pass refuses it.
    path = make.xlsx_bomb(tmp_path / "m.xlsx", 300)
    make.fake_declared_sizes(path, "xl/worksheets/sheet1.xml", 50 * 1024**2)
    _compare(tmp_path, path).assert_refused("m.xlsx", "max_sheet_rows")  # counted while inflating


def test_apply_review_refuses_a_zip_bomb_review(tmp_path: Path, bomb: Path) -> None:
    review = tmp_path / "review.xlsx"
    review.write_bytes(bomb.read_bytes())
    folder = _ocr_folder(tmp_path, review)
    outcome = bodx("ocr", "apply-review", "--out", folder, cwd=tmp_path)
    outcome.assert_refused("review.xlsx", "展開後")
    assert not (folder / "applications.json").exists()  # nothing half-written


def test_apply_review_without_review_workbook_is_a_message(tmp_path: Path) -> None:
    folder = _ocr_folder(tmp_path, None)
    bodx("ocr", "apply-review", "--out", folder, cwd=tmp_path).assert_refused("review.xlsx")


def test_apply_review_with_a_corrupt_checksum_is_a_message(tmp_path: Path) -> None:
    review = make.corrupt_crc(
        make.xlsx(tmp_path / "review.xlsx", make.SHEET_HEAD + make.SHEET_TAIL), "xl/workbook.xml"
    )
    folder = _ocr_folder(tmp_path, review)
    bodx("ocr", "apply-review", "--out", folder, cwd=tmp_path).assert_refused("壊れて")


def test_apply_review_with_text_renamed_to_xlsx_is_a_message(tmp_path: Path) -> None:
    review = tmp_path / "review.xlsx"
    review.write_text("キー,ファイル\n", encoding="utf-8")
    folder = _ocr_folder(tmp_path, review)
    bodx("ocr", "apply-review", "--out", folder, cwd=tmp_path).assert_refused("review.xlsx")


@pytest.mark.slow
def test_a_million_formatted_empty_rows_are_refused_by_the_row_limit(tmp_path: Path) -> None:
    ledger = make.styled_empty_rows(tmp_path / "ledger.xlsx", 1_048_576)
    outcome = bodx(
        "sheets", "normalise", "--ledger", ledger, "--mapping", MAPPING, "--out", tmp_path / "o", cwd=tmp_path
    )
    outcome.assert_refused("ledger.xlsx", "max_sheet_rows")
    assert not (tmp_path / "o").exists()


def test_a_cell_reference_far_beyond_the_last_column_allocates_nothing(tmp_path: Path) -> None:
    cell = '<c r="ZZZZZZZ2" t="inlineStr"><is><t>x</t></is></c>'  # column 8 billion: a row list of 64 GB
    sheet = make.SHEET_HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>受付番号</t></is></c></row>'
    ledger = make.xlsx(tmp_path / "ledger.xlsx", sheet + f'<row r="2">{cell}</row>' + make.SHEET_TAIL)
    outcome = bodx(
        "sheets", "normalise", "--ledger", ledger, "--mapping", MAPPING, "--out", tmp_path / "o", cwd=tmp_path
    )
    assert outcome.code in (1, 2) and "Traceback" not in outcome.output and "メモリ" not in outcome.output, (
        outcome.output
    )
    outcome.assert_bounded()
