"""Issue 17 (build 1): the limits are one settings module, and a city raises or lowers them in city.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from matching.errors import ProfileError
from matching.limits import DEFAULT_LIMITS, Limits
from matching.profile import load_profile
from ocr.errors import PageLoadError
from ocr.loading import load_pages
from sheets.errors import WorkbookRefusedError
from sheets.ledger import read_ledger
from sheets.mapping import load_mapping
from tests.hostile import make
from tests.hostile.bounded import ROOT


def _city(tmp_path: Path, limits: str) -> Path:
    folder = tmp_path / "city"
    folder.mkdir()
    shutil.copy(ROOT / "cities/hinata/city.toml", folder / "city.toml")
    with (folder / "city.toml").open("a", encoding="utf-8") as stream:
        stream.write("\n[limits]\n" + limits)
    return folder / "city.toml"


def test_a_city_lowers_the_row_limit_of_its_ledgers(tmp_path: Path) -> None:
    profile, _ = load_profile(_city(tmp_path, "max_sheet_rows = 20\nmax_pdf_pages = 3\n"))
    assert (
        profile.limits.max_sheet_rows == 20
        and profile.limits.max_page_pixels == DEFAULT_LIMITS.max_page_pixels
    )
    ledger = make.styled_empty_rows(tmp_path / "ledger.xlsx", 40)
    mapping = load_mapping(ROOT / "samples/ledgers/minato.mapping.toml")
    with pytest.raises(WorkbookRefusedError, match="max_sheet_rows = 20"):
        read_ledger(ledger, mapping, profile=profile)
    with pytest.raises(PageLoadError, match="max_pdf_pages = 3"):
        load_pages(make.pdf(tmp_path / "four.pdf", 300, 400, pages=4), profile.limits)


def test_limits_table_is_strict(tmp_path: Path) -> None:
    with pytest.raises(ProfileError) as found:
        load_profile(_city(tmp_path, "max_pdf_page = 3\nmax_sheet_rows = -1\n"))
    text = str(found.value)
    assert "max_pdf_pages" in text  # did you mean
    assert "max_sheet_rows" in text and "正の整数" in text


def test_every_limit_is_a_positive_integer() -> None:
    with pytest.raises(ValueError, match="max_children"):
        Limits(max_children=0)
