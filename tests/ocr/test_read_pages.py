"""Reading generated scans: every field kind, every bad-page status, multi-page files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from ocr.errors import PageLoadError
from ocr.loading import load_pages
from ocr.pipeline import read_batch, read_file, read_page
from ocr.postprocess import same_value
from ocr.readings import PageReading, PageStatus
from ocr.template import FieldKind, FormTemplate
from tests.ocr.conftest import truth

EXACT_KINDS = {FieldKind.DIGITS, FieldKind.PHONE, FieldKind.DATE, FieldKind.CHECKBOX, FieldKind.CHOICE}


def score(page: PageReading, templates: tuple[FormTemplate, ...]) -> tuple[Counter[str], Counter[str], int]:
    """(correct per kind, total per kind, accepted-but-wrong count) against the ground truth."""
    expected = truth(page)
    template = next(t for t in templates if t.id == expected["template"])
    assert page.template_id == template.id
    correct: Counter[str] = Counter()
    total: Counter[str] = Counter()
    silent = 0
    for spec in template.fields:
        reading = page.field(spec.name)
        ok = same_value(spec, expected["fields"].get(spec.name), reading.value)
        correct[spec.kind.value] += ok
        total[spec.kind.value] += 1
        silent += reading.accepted and not ok
    return correct, total, silent


def test_every_field_kind_is_read(
    readings: dict[str, PageReading], templates: tuple[FormTemplate, ...]
) -> None:
    correct: Counter[str] = Counter()
    total: Counter[str] = Counter()
    silent = 0
    good = [r for name, r in readings.items() if name.startswith("page_")]
    assert len(good) == 6 and all(r.status.was_read for r in good)
    for page in good:
        c, t, s = score(page, templates)
        correct.update(c)
        total.update(t)
        silent += s
    assert set(total) == {k.value for k in FieldKind}  # the batch exercises every kind
    assert silent == 0  # nothing wrong slips through unreviewed
    for kind in FieldKind:
        rate = correct[kind.value] / total[kind.value]
        assert rate == 1.0 if kind in EXACT_KINDS else rate >= 0.9, (kind, rate)


def test_confidence_and_crops_come_with_every_field(readings: dict[str, PageReading]) -> None:
    page = readings["page_0001"]
    assert all(0.0 <= f.confidence <= 1.0 for f in page.fields)
    assert all(f.crop_jpeg.startswith(b"\xff\xd8") for f in page.fields)  # JPEG crops for the review sheet
    text = [f for f in page.fields if f.value and f.kind not in ("checkbox", "choice")]
    assert text and all(dict(f.candidates).keys() == {"rapidocr", "tesseract"} for f in text)


@pytest.mark.parametrize(
    ("stem", "status"),
    [
        ("bad_blank", PageStatus.BLANK),
        ("bad_other_form", PageStatus.UNKNOWN_FORM),
        ("bad_unreadable", PageStatus.UNREADABLE),
        ("bad_too_dark", PageStatus.TOO_DARK),
        ("bad_truncated", PageStatus.FILE_ERROR),
    ],
)
def test_bad_pages_get_a_clear_status(
    readings: dict[str, PageReading], stem: str, status: PageStatus
) -> None:
    page = readings[stem]
    assert page.status is status
    assert page.fields == ()
    assert " / " in page.message  # Japanese and English
    if status is not PageStatus.FILE_ERROR:  # a decoded page shows itself in the review sheet
        assert page.thumbnail_jpeg.startswith(b"\xff\xd8") and page.needs_page_review


def test_each_bad_page_status_has_its_own_message(readings: dict[str, PageReading]) -> None:
    stems = ("bad_blank", "bad_other_form", "bad_unreadable", "bad_too_dark", "bad_truncated")
    messages = [readings[stem].message.split(":")[0] for stem in stems]
    assert len(set(messages)) == len(stems)
    assert "暗すぎ" in readings["bad_too_dark"].message and "白紙" not in readings["bad_too_dark"].message


def test_upside_down_page_is_read_and_flagged(
    readings: dict[str, PageReading], templates: tuple[FormTemplate, ...]
) -> None:
    page = readings["bad_upside_down"]
    assert page.status.was_read and page.rotation == 180
    assert "180" in page.message and page.needs_page_review and page.thumbnail_jpeg  # its own review row
    correct, total, silent = score(page, templates)
    assert silent == 0 and sum(correct.values()) >= sum(total.values()) - 1


def test_the_batch_goes_on_past_bad_pages(readings: dict[str, PageReading]) -> None:
    assert len(readings) == 12  # 6 good + 6 bad, none lost


def test_missing_file_and_page_out_of_range(tmp_path: Path, templates: tuple[FormTemplate, ...]) -> None:
    assert read_page(tmp_path / "nope.jpg", 0, templates).status is PageStatus.FILE_ERROR
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.4 truncated")
    assert read_file(tmp_path / "junk.pdf", templates)[0].status is PageStatus.FILE_ERROR
    with pytest.raises(PageLoadError):
        load_pages(tmp_path / "junk.pdf")


@pytest.mark.slow
def test_multi_page_tiff_and_pdf(tmp_path: Path, batch: list, templates: tuple[FormTemplate, ...]) -> None:  # type: ignore[type-arg]
    first, second = (Image.open(p.image) for p in batch[:2])
    tiff, pdf = tmp_path / "two.tif", tmp_path / "two.pdf"
    first.save(tiff, save_all=True, append_images=[second], compression="tiff_deflate")
    first.save(pdf, save_all=True, append_images=[second], resolution=300)
    rendered = load_pages(pdf)  # pypdfium2 renders at 300 dpi: the page size within a pixel of rounding
    assert len(rendered) == 2 and all(
        abs(p.shape[0] - 3508) <= 1 and abs(p.shape[1] - 2480) <= 1 for p in rendered
    )
    pages = read_batch([tiff], templates, workers=1)
    assert [p.template_id for p in pages] == [batch[0].template_id, batch[1].template_id]
    assert [p.page for p in pages] == [0, 1]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_batch_reports_each_file_as_it_finishes(
    tmp_path: Path, templates: tuple[FormTemplate, ...], workers: int
) -> None:
    # Damaged files come back as file_error readings at once: the callback is what is tested here.
    files = []
    for n in range(3):
        broken = tmp_path / f"broken{n}.png"
        broken.write_bytes(b"not a png")
        files.append(broken)
    seen: list[tuple[int, int]] = []
    pages = read_batch(
        files, templates, workers=workers, on_file=lambda done, total: seen.append((done, total))
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert [Path(p.source).name for p in pages] == ["broken0.png", "broken1.png", "broken2.png"]
