"""Decode scanned files into grayscale pages: PNG, JPEG, multi-page TIFF, PDF (rendered at 300 dpi).

Pages are rendered one at a time: :func:`load_pages` checks every page's size from the file's own
header (PDF page box, image header) against :class:`matching.limits.Limits` before any pixel is
decoded, then returns a lazy sequence that renders a page only when it is asked for. A 500-page PDF
therefore holds one page in memory, and a tiny PDF declaring a 5-metre page is refused, not rendered.
"""

from __future__ import annotations

import struct
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, overload

import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

from matching.limits import DEFAULT_LIMITS, Limits, too_large
from ocr.errors import PageLoadError

PDF_DPI = 300
# What load_pages decodes: PDF through pdfium, everything else through Pillow.
SCAN_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".pdf", ".bmp"})
# Scanners write at most A3 at 600 dpi; anything much larger is not a page but a decompression bomb.
MAX_PIXELS = DEFAULT_LIMITS.max_page_pixels
# Pillow's decoders raise many types for a damaged file (OSError, SyntaxError, but also TypeError,
# KeyError, IndexError, struct.error … from a mangled TIFF directory): any of them means "cannot decode".
_IMAGE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    ArithmeticError,
    struct.error,
    EOFError,
    Image.DecompressionBombError,
)


class Pages(Sequence[np.ndarray]):
    """The pages of one file, each decoded when indexed or iterated (sizes already checked)."""

    def __init__(self, path: Path, count: int, render: Any, close: Any = None) -> None:
        self.path, self._count, self._render, self._close = path, count, render, close
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> np.ndarray: ...
    @overload
    def __getitem__(self, index: slice) -> list[np.ndarray]: ...
    def __getitem__(self, index: int | slice) -> np.ndarray | list[np.ndarray]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        with self._lock:  # pdfium is not thread-safe
            return self._render(index)

    def __iter__(self) -> Iterator[np.ndarray]:
        for index in range(self._count):
            yield self[index]

    def close(self) -> None:
        if self._close is not None:
            self._close()
            self._close = None

    def __del__(self) -> None:
        self.close()


def _pdf_pages(path: Path, limits: Limits) -> Pages:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise PageLoadError(
            f"{path.name}: PDF を開けません（破損・途中で切れたファイル）/ cannot open PDF: {exc}"
        ) from exc
    try:
        count = len(document)
        if count > limits.max_pdf_pages:
            raise PageLoadError(
                f"{path.name}: "
                + too_large("PDF のページ数", "page count", count, "max_pdf_pages", limits.max_pdf_pages)
            )
        scale = PDF_DPI / 72
        for index in range(count):
            width, height = document.get_page_size(index)
            longest = max(width, height)
            pixels = int(width * scale) * int(height * scale)
            if longest > limits.max_pdf_page_points or not width > 0 < height:
                raise PageLoadError(
                    f"{path.name} p.{index + 1}: "
                    + too_large(
                        "ページの大きさ",
                        "page size",
                        f"{longest:.0f} pt",
                        "max_pdf_page_points",
                        limits.max_pdf_page_points,
                    )
                )
            if pixels > limits.max_page_pixels:
                raise PageLoadError(
                    f"{path.name} p.{index + 1}: "
                    + too_large(
                        "ページの画素数",
                        "page pixels",
                        f"{pixels:,}",
                        "max_page_pixels",
                        limits.max_page_pixels,
                    )
                )
    except pdfium.PdfiumError as exc:  # a damaged page tree: refused before anything is rendered
        document.close()
        raise PageLoadError(
            f"{path.name}: PDF のページを読めません（破損したファイル）/ cannot read the PDF's pages: {exc}"
        ) from exc
    except BaseException:
        document.close()
        raise

    def render(index: int) -> np.ndarray:
        try:
            page = document[index]
            try:
                bitmap = page.render(scale=scale, grayscale=True)
                return np.asarray(bitmap.to_pil().convert("L")).copy()
            finally:
                page.close()
        except pdfium.PdfiumError as exc:
            raise PageLoadError(
                f"{path.name} p.{index + 1}: PDF を描画できません / cannot render: {exc}"
            ) from exc

    return Pages(path, count, render, document.close)


def _image_pages(path: Path, limits: Limits) -> Pages:
    # Pillow only warns between 1x and 2x its limit; the real check is the explicit one below.
    Image.MAX_IMAGE_PIXELS = limits.max_page_pixels
    first = np.zeros((0, 0), np.uint8)
    try:
        with Image.open(path) as image:  # reads the header only: no pixel is decoded yet
            count = 0
            for frame in ImageSequence.Iterator(image):
                count += 1
                width, height = frame.size
                if width * height > limits.max_page_pixels:
                    raise PageLoadError(
                        f"{path.name} p.{count}: "
                        + too_large(
                            "画像の画素数",
                            "image pixels",
                            f"{width}x{height}",
                            "max_page_pixels",
                            limits.max_page_pixels,
                        )
                    )
                if count > limits.max_pdf_pages:
                    raise PageLoadError(
                        f"{path.name}: "
                        + too_large(
                            "画像のページ数",
                            "page count",
                            f"> {count - 1}",
                            "max_pdf_pages",
                            limits.max_pdf_pages,
                        )
                    )
                # Decode now (size checked): a truncated file fails here, not half-way through a batch.
                # Only the first page is kept; a multi-page TIFF's others are decoded again when used.
                gray = np.asarray(frame.convert("L")).copy()
                if count == 1:
                    first = gray
    except _IMAGE_ERRORS as exc:
        raise PageLoadError(
            f"{path.name}: 画像を読めません（破損・途中で切れたファイル・未対応の形式）/ cannot decode image: {exc}"
        ) from exc

    def render(index: int) -> np.ndarray:
        if index == 0:
            return first
        try:
            with Image.open(path) as image:
                image.seek(index)
                image.load()  # decode now: a truncated file fails here, not later
                return np.asarray(image.convert("L")).copy()
        except _IMAGE_ERRORS as exc:
            raise PageLoadError(
                f"{path.name}: 画像を読めません（破損・途中で切れたファイル・未対応の形式）/ cannot decode image: {exc}"
            ) from exc

    return Pages(path, count, render)


def load_pages(path: Path | str, limits: Limits = DEFAULT_LIMITS) -> Pages:
    """All pages of a file as grayscale uint8 arrays, each rendered when used. Raises :class:`PageLoadError`
    for a missing, corrupt or oversized file before any page is decoded."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(5)
    except OSError as exc:
        raise PageLoadError(f"ファイルがありません / file not found: {path.name}") from exc
    if size > limits.max_scan_file_bytes:
        raise PageLoadError(
            f"{path.name}: "
            + too_large(
                "ファイルの大きさ",
                "file size",
                f"{size:,} bytes",
                "max_scan_file_bytes",
                limits.max_scan_file_bytes,
            )
        )
    pages = _pdf_pages(path, limits) if head == b"%PDF-" else _image_pages(path, limits)
    if not len(pages):
        pages.close()
        raise PageLoadError(f"{path.name}: ページがありません / no page in file")
    return pages


def scan_files(paths: Iterable[Path]) -> list[Path]:
    """The scan files among `paths`, a folder standing for the scans directly in it (sorted by name)."""
    found: list[Path] = []
    for path in paths:
        candidates = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        found.extend(p for p in candidates if p.suffix.lower() in SCAN_SUFFIXES)
    return found
