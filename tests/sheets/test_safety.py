"""Refusals: encrypted, corrupt, oversized, zip bombs, non-xlsx; macros never kept; outputs never replace inputs."""

from __future__ import annotations

import random
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from sheets.errors import LedgerFormatError, MappingFileError, OutputExistsError, WorkbookRefusedError
from sheets.ledger import read_ledger
from sheets.mapping import load_mapping
from sheets.safety import (
    _ROW_TAG,
    CFB_MAGIC,
    WorkbookLimits,
    check_workbook,
    ensure_writable_output,
    row_tags,
)

LEDGERS = Path(__file__).resolve().parents[2] / "samples" / "ledgers"
MAPPING = LEDGERS / "minato.mapping.toml"


def test_encrypted_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"
    path.write_bytes(CFB_MAGIC + b"\0" * 2048)  # what Excel writes for a password-protected .xlsx
    with pytest.raises(WorkbookRefusedError, match="パスワード"):
        read_ledger(path, load_mapping(MAPPING))


def test_legacy_xls_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(CFB_MAGIC + b"\0" * 512)
    with pytest.raises(WorkbookRefusedError, match=r"\.xlsx"):
        check_workbook(path)


@pytest.mark.parametrize("content", [b"", b"not a workbook at all", b"PK\x03\x04 truncated"])
def test_corrupt_files_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookRefusedError):
        check_workbook(path)


def test_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(WorkbookRefusedError, match="Excelブック"):
        check_workbook(path)


def test_zip_bomb_is_refused_from_the_central_directory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024**2))  # deflates about 1000:1
    with pytest.raises(WorkbookRefusedError, match="zip"):
        check_workbook(path)


def test_oversized_inflation_and_file_are_refused(tmp_path: Path) -> None:
    sample = LEDGERS / "minato.xlsx"
    with pytest.raises(WorkbookRefusedError, match="大きすぎ"):
        check_workbook(sample, WorkbookLimits(max_file_bytes=1000))
    with pytest.raises(WorkbookRefusedError, match="展開後"):
        check_workbook(sample, WorkbookLimits(max_entry_bytes=1000))


def test_macro_workbook_is_read_for_values_only(tmp_path: Path) -> None:
    macro = tmp_path / "ledger.xlsm"
    shutil.copy(LEDGERS / "minato.xlsx", macro)
    with zipfile.ZipFile(macro, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b'Attribute VB_Name = "Evil"\nShell "calc"')
    reading = read_ledger(macro, load_mapping(MAPPING))
    assert len(reading.applications) == 6  # minato.expected.json: 6 applications (2 held)
    with pytest.raises(OutputExistsError, match="マクロ"):
        ensure_writable_output(tmp_path / "out.xlsm")


def test_outputs_never_replace_inputs(tmp_path: Path) -> None:
    source = tmp_path / "input.xlsx"
    source.write_bytes(b"x")
    with pytest.raises(OutputExistsError, match="入力ファイル"):
        ensure_writable_output(tmp_path / "." / "input.xlsx", [source], overwrite=True)
    with pytest.raises(OutputExistsError, match="既に"):
        ensure_writable_output(source)
    ensure_writable_output(source, overwrite=True)
    ensure_writable_output(tmp_path / "new.xlsx", [source])
    assert source.read_bytes() == b"x"


def test_ledger_without_required_columns_is_a_format_error(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "申込受付"
    sheet.append(["申込番号", "お子様の氏名"])
    sheet.append(["M-1", "港 はると"])
    workbook.create_sheet("施設").append(["園番号", "園名", "0歳児"])
    path = tmp_path / "thin.xlsx"
    workbook.save(path)
    with pytest.raises(LedgerFormatError, match="生年月日"):
        read_ledger(path, load_mapping(MAPPING))


def test_mapping_file_errors_name_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[columns]\nchild_nmae = ['氏名']\n", encoding="utf-8")
    with pytest.raises(MappingFileError, match="child_nmae"):
        load_mapping(bad)
    bad.write_text("[ledger\n", encoding="utf-8")
    with pytest.raises(MappingFileError, match="TOML"):
        load_mapping(bad)


def test_sample_ledgers_are_plain_openpyxl_workbooks() -> None:
    # The samples must open in Excel-compatible tools too (not only in the fast reader).
    for name in ("minato", "yamabiko", "sakura"):
        assert load_workbook(LEDGERS / f"{name}.xlsx", read_only=True).sheetnames


def test_row_tags_counts_what_the_row_pattern_finds() -> None:
    pieces = [b"<row", b"<row ", b"<row>", b"<row/", b"</row>", b"<x:row ", b"<x:row>", b"</x:row>", b":row", b"<rows",
              b"<rowBreaks", b"<:row ", b"<a_1:row\t", b"<<row\n", b"row", b"<", b":", b" ", b"x", b"\r", b"/", b">"]  # fmt: skip
    generator = random.Random(7)
    for _ in range(3000):
        chunk = b"".join(generator.choice(pieces) for _ in range(generator.randint(0, 40)))
        assert row_tags(chunk) == len(_ROW_TAG.findall(chunk)), chunk
