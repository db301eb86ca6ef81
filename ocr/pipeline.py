"""Read scanned pages against the form templates.

`read_page` (one page, picklable: what a process pool or a Dask bag maps), `read_file` (all pages of a
file) and `read_batch` (many files over a process pool, one worker per core). A bad page never stops a
batch: it comes back with its status (blank, unknown_form, unreadable, file_error) and a message.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

from ocr._exec import rapid
from ocr.align import assess, skew_degrees, warp_to_template
from ocr.errors import PageLoadError
from ocr.loading import load_pages
from ocr.readings import AMBIGUOUS_FORM, STATUS_MESSAGES, FieldReading, PageReading, PageStatus
from ocr.recognise import read_mark_field, read_text_fields
from ocr.template import FormTemplate

# Blank: (almost) no dark pixel and no large-scale variation either (a blurred page has the latter).
BLANK_INK_SHARE = 0.0005
BLANK_SPREAD = 4.0
# Sharpness (variance of the Laplacian at the alignment scale): good scans measure in the thousands.
MIN_SHARPNESS = 150.0
# Too dark: the paper itself (90th percentile of the page) is darker than this; good scans are 200+.
DARK_PAPER = 110
THUMBNAIL_WIDTH = 600


@dataclass(frozen=True)
class ReadSettings:
    keep_crops: str = "all"  # "all" | "review": keep the scanned crop of every field or only doubtful ones


_BLANKS: dict[str, np.ndarray] = {}


def _blank(template: FormTemplate) -> np.ndarray:
    if template.id not in _BLANKS:
        _BLANKS[template.id] = template.load_image()
    return _BLANKS[template.id]


def thumbnail(gray: np.ndarray) -> bytes:
    """A small JPEG of the whole page, for the review row of a page that was not read."""
    scale = THUMBNAIL_WIDTH / max(1, gray.shape[1])
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 70])
    return data.tobytes() if ok else b""


def _bad(
    source: str,
    page: int,
    status: PageStatus,
    started: float,
    gray: np.ndarray | None = None,
    message: str = "",
    **extra: float,
) -> PageReading:
    return PageReading(
        source,
        page,
        status,
        message=message or STATUS_MESSAGES[status],
        seconds=time.perf_counter() - started,
        extra=dict(extra),
        thumbnail_jpeg=thumbnail(gray) if gray is not None else b"",
    )


def read_image(
    gray: np.ndarray,
    templates: Sequence[FormTemplate],
    settings: ReadSettings = ReadSettings(),
    source: str = "",
    page: int = 0,
) -> PageReading:
    """Read one decoded page (grayscale uint8)."""
    started = time.perf_counter()
    small = cv2.resize(gray, None, fx=0.35, fy=0.35, interpolation=cv2.INTER_AREA)
    paper = float(np.percentile(small, 90))
    if paper < DARK_PAPER:
        return _bad(source, page, PageStatus.TOO_DARK, started, gray, paper=paper)
    ink_share = float((small < paper - 70).mean())
    spread = float(cv2.GaussianBlur(small, (0, 0), 3).std())
    if ink_share < BLANK_INK_SHARE and spread < BLANK_SPREAD:
        return _bad(source, page, PageStatus.BLANK, started, gray, ink_share=ink_share)
    sharpness = float(cv2.Laplacian(small, cv2.CV_64F).var())
    if sharpness < MIN_SHARPNESS:
        return _bad(source, page, PageStatus.UNREADABLE, started, gray, sharpness=sharpness)
    decision = assess(gray, tuple(templates))
    alignment = decision.alignment
    if alignment is None:
        message = AMBIGUOUS_FORM if decision.reason == "ambiguous" else ""
        best = decision.candidates[0].inliers if decision.candidates else 0
        return _bad(source, page, PageStatus.UNKNOWN_FORM, started, gray, message, inliers=float(best))
    template = next(t for t in templates if t.id == alignment.template_id)
    aligned = warp_to_template(gray, alignment, template.size)
    keep_all = settings.keep_crops == "all"
    text_specs = [spec for spec in template.fields if not spec.kind.is_mark]
    by_name: dict[str, FieldReading] = {r.name: r for r in read_text_fields(text_specs, aligned, keep_all)}
    for spec in template.fields:
        if spec.kind.is_mark:
            by_name[spec.name] = read_mark_field(spec, aligned, _blank(template), keep_all)
    fields = [by_name[spec.name] for spec in template.fields]
    quality = alignment.quality
    result = PageReading(
        source,
        page,
        PageStatus.OK,
        template.id,
        rotation=alignment.rotation,
        skew_degrees=skew_degrees(alignment),
        extra={
            "inliers": float(alignment.inliers),
            "coverage": quality.coverage if quality else 0.0,
            "reprojection_px": quality.reprojection if quality else 0.0,
            "sharpness": sharpness,
        },
        thumbnail_jpeg=thumbnail(gray) if alignment.rotation else b"",
    ).with_fields(tuple(fields))
    return replace(result, seconds=time.perf_counter() - started)


def read_page(
    source: str | Path,
    page: int = 0,
    templates: Sequence[FormTemplate] = (),
    settings: ReadSettings = ReadSettings(),
) -> PageReading:
    """Read page `page` (0-based) of a file. Never raises for a bad file: it returns status file_error."""
    started = time.perf_counter()
    try:
        pages = load_pages(source)
    except PageLoadError as exc:
        return PageReading(
            str(source),
            page,
            PageStatus.FILE_ERROR,
            message=f"{STATUS_MESSAGES[PageStatus.FILE_ERROR]}: {exc}",
            seconds=time.perf_counter() - started,
        )
    if page >= len(pages):
        return _bad(str(source), page, PageStatus.FILE_ERROR, started)
    try:
        gray = pages[page]
    except PageLoadError as exc:
        return PageReading(
            str(source),
            page,
            PageStatus.FILE_ERROR,
            message=f"{STATUS_MESSAGES[PageStatus.FILE_ERROR]}: {exc}",
        )
    return read_image(gray, templates, settings, str(source), page)


def read_file(
    source: str | Path, templates: Sequence[FormTemplate], settings: ReadSettings = ReadSettings()
) -> list[PageReading]:
    """Every page of a file (a multi-page TIFF or PDF gives several readings)."""
    started = time.perf_counter()
    try:
        pages = load_pages(source)
    except PageLoadError as exc:
        return [
            PageReading(
                str(source),
                0,
                PageStatus.FILE_ERROR,
                message=f"{STATUS_MESSAGES[PageStatus.FILE_ERROR]}: {exc}",
                seconds=time.perf_counter() - started,
            )
        ]
    readings = []
    for index in range(len(pages)):  # pages are rendered one at a time (ocr.loading): memory stays flat
        try:
            gray = pages[index]
        except PageLoadError as exc:  # one page that will not render is a row to review, not a lost file
            readings.append(
                PageReading(
                    str(source),
                    index,
                    PageStatus.FILE_ERROR,
                    message=f"{STATUS_MESSAGES[PageStatus.FILE_ERROR]}: {exc}",
                )
            )
            continue
        readings.append(read_image(gray, templates, settings, str(source), index))
    return readings


def _read_file_task(args: tuple[str, tuple[FormTemplate, ...], ReadSettings]) -> list[PageReading]:
    return read_file(*args)


def read_batch(
    sources: Iterable[str | Path],
    templates: Sequence[FormTemplate],
    settings: ReadSettings = ReadSettings(),
    workers: int | None = None,
    on_file: Callable[[int, int], None] | None = None,
) -> list[PageReading]:
    """Read many files on a process pool (default: one worker per core), in input order.

    `on_file(done, total)` is called as files finish (in input order), e.g. for a progress bar."""
    files = [str(s) for s in sources]
    workers = workers or os.cpu_count() or 1
    jobs = [(f, tuple(templates), settings) for f in files]
    readings: list[PageReading] = []

    def collect(done: int, pages: list[PageReading]) -> None:
        readings.extend(pages)
        if on_file is not None:
            on_file(done, len(files))

    if workers <= 1 or len(files) <= 1:
        for done, job in enumerate(jobs, start=1):
            collect(done, _read_file_task(job))
        return readings
    # Fork is cheapest and works from any script; but a parent that already holds an ONNX Runtime session
    # (it read pages itself before) must not be forked, so then the workers come from a fork server.
    method = "forkserver" if rapid.engine_loaded() else "fork"
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
        for done, pages in enumerate(pool.map(_read_file_task, jobs, chunksize=1), start=1):
            collect(done, pages)
    return readings
