"""Decode scanned files into grayscale pages: PNG, JPEG, multi-page TIFF, PDF (rendered at 300 dpi)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

from ocr.errors import PageLoadError

PDF_DPI = 300
# What load_pages decodes: PDF through pdfium, everything else through Pillow.
SCAN_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".pdf", ".bmp"})
# Scanners write at most A3 at 600 dpi; anything much larger is not a page but a decompression bomb.
MAX_PIXELS = 80_000_000


def _pdf_pages(path: Path) -> list[np.ndarray]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise PageLoadError(
            f"{path.name}: PDF を開けません（破損・途中で切れたファイル）/ cannot open PDF: {exc}"
        ) from exc
    try:
        pages = []
        for index in range(len(document)):
            bitmap = document[index].render(scale=PDF_DPI / 72, grayscale=True)
            pages.append(np.asarray(bitmap.to_pil().convert("L")).copy())
        return pages
    finally:
        document.close()


def _image_pages(path: Path) -> list[np.ndarray]:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as image:
            pages = []
            for frame in ImageSequence.Iterator(image):
                frame.load()  # decode now: a truncated file fails here, not later
                pages.append(np.asarray(frame.convert("L")).copy())
            return pages
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise PageLoadError(
            f"{path.name}: 画像を読めません（破損・途中で切れたファイル・未対応の形式）/ cannot decode image: {exc}"
        ) from exc


def load_pages(path: Path | str) -> list[np.ndarray]:
    """All pages of a file as grayscale uint8 arrays. Raises :class:`PageLoadError`."""
    path = Path(path)
    if not path.exists():
        raise PageLoadError(f"ファイルがありません / file not found: {path.name}")
    with path.open("rb") as handle:
        head = handle.read(5)
    pages = _pdf_pages(path) if head == b"%PDF-" else _image_pages(path)
    if not pages:
        raise PageLoadError(f"{path.name}: ページがありません / no page in file")
    return pages


def scan_files(paths: Iterable[Path]) -> list[Path]:
    """The scan files among `paths`, a folder standing for the scans directly in it (sorted by name)."""
    found: list[Path] = []
    for path in paths:
        candidates = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        found.extend(p for p in candidates if p.suffix.lower() in SCAN_SUFFIXES)
    return found
