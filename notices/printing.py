"""Print the batches of letters and file every household's page: the pipeline behind write_notices.

One chromium prints batch after batch in `workers` tabs at once, while this thread splits each printed
batch into households (copying each page's objects, :mod:`notices.pdf_pages`), appends it to the
combined PDF and hands the pages to writer threads: each file is fsynced before its rename, and those
waits overlap instead of adding up. At most two batches of pages wait for their writers (memory stays
flat for any number of letters).
"""

from __future__ import annotations

import queue
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from matching.files import write_atomically
from notices._exec.chromium import PdfPrinter
from notices._exec.pdf import PdfJoiner, page_count, split_pages
from notices.errors import RenderError
from notices.pdf_pages import PdfBuilder, PrintedPdf, UnsupportedPdf

WRITERS = 8  # threads that write (and fsync) the households' PDFs
IN_FLIGHT = 2  # batches of pages written at the same time


@dataclass(frozen=True)
class Batch:
    html: Path  # one HTML document: the letters of `households`, one A4 page each, in order
    households: tuple[str, ...]  # 受付番号 of each page


def print_batches(batches: Sequence[Batch], letters_dir: Path, workers: int) -> tuple[bytes, dict[str, Path]]:
    """Every batch printed and split: (the combined PDF's bytes, 受付番号 → that household's PDF)."""
    combined = PdfJoiner()
    files: dict[str, Path] = {}
    with PdfPrinter(tabs=workers) as printer, ThreadPoolExecutor(printer.tabs) as printing:
        tabs: queue.SimpleQueue[int] = queue.SimpleQueue()
        for tab in range(printer.tabs):
            tabs.put(tab)

        def print_in_a_free_tab(batch: Batch) -> bytes:
            tab = tabs.get()
            try:
                return printer.print(tab, batch.html)
            finally:
                tabs.put(tab)

        # Consumed in order, each let go once split (its PDF is then held by the combined one only).
        printed = deque(printing.submit(print_in_a_free_tab, batch) for batch in batches)
        try:
            with ThreadPoolExecutor(WRITERS) as writing:
                waiting: deque[list[tuple[str, Future[Path]]]] = deque()
                for batch in batches:
                    pdf = printed.popleft().result()
                    pages = _households(pdf, len(batch.households))
                    combined.add(pdf)
                    while len(waiting) >= IN_FLIGHT:
                        files.update((household, w.result()) for household, w in waiting.popleft())
                    waiting.append(
                        [
                            (
                                household,
                                writing.submit(write_atomically, letters_dir / f"{household}.pdf", page),
                            )
                            for household, page in zip(batch.households, pages, strict=True)
                        ]
                    )
                while waiting:
                    files.update((household, w.result()) for household, w in waiting.popleft())
        except BaseException:
            for future in printed:
                future.cancel()  # batches not started yet are not printed for nothing
            raise
    return combined.finish(), files


def _households(pdf: bytes, letters: int) -> list[bytes]:
    """The batch's pages, each as a PDF of its own; RenderError when a letter took more than one page."""
    try:
        source = PrintedPdf(pdf)
        pages = len(source.pages)
    except UnsupportedPdf:
        source, pages = None, page_count(pdf)
    if pages != letters:
        raise RenderError(
            "通知書が1枚に収まりません。様式 (letter.html / style.css) の文字の量を減らしてください / "
            "a letter does not fit on one A4 page: shorten the template"
        )
    if source is not None:
        try:
            return [_one_page(source, page) for page in source.pages]
        except UnsupportedPdf:
            pass  # a page of another shape (a link to another page …): pypdfium2 copies any PDF
    return split_pages(pdf)


def _one_page(source: PrintedPdf, page: int) -> bytes:
    builder = PdfBuilder()
    builder.add(source, page)
    return builder.finish()
