"""Pages copied out of a printed PDF: each alone, or many as one; other shapes are refused, not guessed."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from notices.pdf_pages import PdfBuilder, PrintedPdf, UnsupportedPdf
from notices.printing import _households


def _pdf(objects: dict[int, bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF with a classic cross-reference table, as chromium writes it (objects in number order)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    table = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<</Size %d /Root %d 0 R%s>>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        root,
        trailer_extra,
        table,
    )
    return bytes(out)


def _content(text: bytes) -> bytes:
    stream = b"BT /F1 24 Tf 72 720 Td (%s) Tj ET" % text
    return b"<</Length %d>>\nstream\n%s\nendstream" % (len(stream), stream)


def _two_pages(page_extra: bytes = b"", pages_extra: bytes = b"") -> bytes:
    font = b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Note (see 9 0 R)>>"
    page = b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources <</Font <</F1 5 0 R>>>> /Contents %d 0 R%s>>"
    return _pdf(
        {
            1: b"<</Type /Catalog /Pages 2 0 R>>",
            2: b"<</Type /Pages /Kids [3 0 R 4 0 R] /Count 2%s>>" % pages_extra,
            3: page % (6, page_extra),
            4: page % (7, b""),
            5: font,
            6: _content(b"first household"),
            7: _content(b"second household"),
        }
    )


def _texts(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def test_each_page_alone_with_only_its_objects() -> None:
    source = PrintedPdf(_two_pages())
    assert source.pages == [3, 4]
    assert source.objects_of(3) == [3, 5, 6]  # its font and content, not its parent nor the other page
    parts = []
    for page in source.pages:
        builder = PdfBuilder()
        builder.add(source, page)
        parts.append(builder.finish())
    assert [_texts(part) for part in parts] == [["first household"], ["second household"]]
    assert b"second" not in parts[0] and b"first" not in parts[1]
    assert b"(see 9 0 R)" in parts[0]  # a string is text, not a reference to renumber


def test_many_pages_as_one_share_their_fonts() -> None:
    first, second = PrintedPdf(_two_pages()), PrintedPdf(_two_pages())
    builder = PdfBuilder()
    for source in (first, second):
        for page in source.pages:
            builder.add(source, page)
    combined = builder.finish()
    assert _texts(combined) == ["first household", "second household"] * 2
    assert combined.count(b"/BaseFont /Helvetica") == 2  # once per source, not once per page


@pytest.mark.parametrize(
    ("pdf", "why"),
    [
        (_two_pages(page_extra=b" /Annots [<</Subtype /Link /Dest [4 0 R /Fit]>>]"), "another page"),
        (_two_pages(pages_extra=b" /Rotate 90"), "inherit"),
        (_two_pages().replace(b"/Root 1 0 R", b"/Root 1 0 R /Prev 9"), "incremental"),
    ],
)
def test_other_shapes_are_refused(pdf: bytes, why: str) -> None:
    with pytest.raises(UnsupportedPdf, match=why):
        source = PrintedPdf(pdf)
        source.objects_of(source.pages[0])


def test_a_cross_reference_stream_is_refused() -> None:
    pdf = _two_pages()
    table = pdf.rindex(b"xref\n0 ")
    with pytest.raises(UnsupportedPdf, match="stream"):
        PrintedPdf(pdf[:table] + b"9 0 obj\n<</Type /XRef>>\nendobj\n" + pdf[pdf.index(b"startxref") :])


def test_a_refused_shape_is_split_by_pypdfium2_instead() -> None:
    pdf = _two_pages(page_extra=b" /Annots [<</Subtype /Link /Rect [0 0 10 10] /Dest [4 0 R /Fit]>>]")
    parts = _households(pdf, 2)
    assert [_texts(part) for part in parts] == [["first household"], ["second household"]]
