"""Issue 17 (1): scans are size-checked from their headers before any pixel is decoded, PDFs stream."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile import make
from tests.hostile.bounded import bodx, python


def test_tiny_pdf_declaring_a_huge_page_is_refused_unrendered(tmp_path: Path) -> None:
    scan = make.pdf(tmp_path / "huge.pdf", 14_400, 14_400)  # 200 inches square: 3.6 gigapixels at 300 dpi
    assert scan.stat().st_size < 2_000
    outcome = bodx("ocr", "read", scan, "--out", tmp_path / "out", "--workers", "1", cwd=tmp_path)
    assert outcome.code == 0, outcome.output  # one bad page is a row in the review, not a failed run
    assert "file_error" in outcome.output and "max_pdf_page_points" in outcome.output
    outcome.assert_bounded()


def test_png_promising_159_megapixels_is_refused_before_decoding(tmp_path: Path) -> None:
    scan = make.png_bomb(tmp_path / "bomb.png", 12_600, 12_600)  # 158.8 MP, just under Pillow's own 2x error
    outcome = python(
        "from ocr.loading import load_pages\n"
        "from ocr.errors import PageLoadError\n"
        f"try:\n    load_pages({str(scan)!r})\nexcept PageLoadError as exc:\n    print('refused', exc)\n",
        cwd=tmp_path,
    )
    assert outcome.code == 0 and "refused" in outcome.stdout and "max_page_pixels" in outcome.stdout, (
        outcome.output
    )
    outcome.assert_bounded()
    assert outcome.peak_rss_mb < 400  # decoding it would take 159 MB for the pixels alone, twice


@pytest.mark.slow
def test_a_500_page_pdf_is_rendered_one_page_at_a_time(tmp_path: Path) -> None:
    scan = make.pdf(tmp_path / "season.pdf", 420, 595, pages=500)  # A5 pages: 1,750 x 2,480 px each
    outcome = python(
        "from ocr.loading import load_pages\n"
        f"pages = load_pages({str(scan)!r})\n"
        "shapes = {page.shape for page in pages}\n"
        "print(len(pages), len(shapes), max(max(s) for s in shapes))\n",
        cwd=tmp_path,
    )
    assert outcome.code == 0 and outcome.stdout.split() == ["500", "1", "2480"], outcome.output
    # Holding every page would be 500 x 4.3 MB = 2.2 GB; one at a time stays near the interpreter's size.
    assert outcome.peak_rss_mb < 400, outcome.peak_rss_mb
    outcome.assert_bounded()


def test_pdf_with_more_pages_than_the_limit_is_refused_before_rendering(tmp_path: Path) -> None:
    scan = make.pdf(tmp_path / "long.pdf", 420, 595, pages=30)
    outcome = python(
        "from ocr.loading import load_pages\n"
        "from ocr.errors import PageLoadError\n"
        "from matching.limits import Limits\n"
        f"try:\n    load_pages({str(scan)!r}, Limits(max_pdf_pages=20))\n"
        "except PageLoadError as exc:\n    print('refused', exc)\n",
        cwd=tmp_path,
    )
    assert "refused" in outcome.stdout and "max_pdf_pages = 20" in outcome.stdout, outcome.output
    outcome.assert_bounded()
