"""Print the letters: the city's HTML template → PDF (chromium), one per household, one combined, a CSV.

Letters are rendered in batches, each batch one HTML page printed by one chromium process (two at a
time on two cores): starting a browser per letter would cost a second each. Every letter is exactly one
A4 page (the template fixes the page height), so the combined PDF splits back into households by page.
Everything written is personal data: 0600 files in 0700 folders, written atomically.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from matching.files import private_directory, write_atomically
from matching.profile import CityProfile
from notices._exec.chromium import print_to_pdf
from notices._exec.pdf import join, page_count, split_pages
from notices.errors import RenderError, TemplateFileError
from notices.letters import Letter
from sheets.wareki import format_wareki

BUNDLED_TEMPLATES = Path(__file__).resolve().parent / "templates"
LETTER_TEMPLATE, STYLE = "letter.html", "style.css"
BATCH = 250  # letters per chromium process: big enough to spread start-up, small enough to retry
COMBINED, MAIL_MERGE = "通知書_一括.pdf", "差込データ.csv"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class NoticeFiles:
    combined: Path
    letters: dict[str, Path]  # 受付番号 → that household's PDF
    mail_merge: Path
    count: int


def write_notices(
    letters: Sequence[Letter],
    profile: CityProfile,
    out_dir: Path,
    *,
    issued_on: dt.date,
    template_dir: Path | None = None,
    workers: int = 2,
) -> NoticeFiles:
    """Render `letters` (already in print order) into `out_dir`; RenderError/TemplateFileError on failure."""
    if not letters:
        raise RenderError("通知する世帯がありません / no household to notify")
    private_directory(out_dir / "letters")
    pages = _html_batches(letters, profile, issued_on, template_dir)
    with tempfile.TemporaryDirectory(prefix="bodx-notices-") as scratch:
        work = Path(scratch)
        jobs = [
            (work / f"batch{n:04d}.html", work / f"batch{n:04d}.pdf", html, size)
            for n, (html, size) in enumerate(pages)
        ]
        for html_path, _, html, _ in jobs:
            html_path.write_text(html, encoding="utf-8")
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            list(pool.map(lambda job: print_to_pdf(job[0], job[1]), jobs))
        for _, pdf, _, size in jobs:
            if page_count(pdf) != size:
                raise RenderError(
                    "通知書が1枚に収まりません。様式 (letter.html / style.css) の文字の量を減らしてください / "
                    "a letter does not fit on one A4 page: shorten the template"
                )
        whole = join([pdf for _, pdf, _, _ in jobs])
    combined = write_atomically(out_dir / COMBINED, whole)
    files = {
        letter.application_id: write_atomically(out_dir / "letters" / f"{letter.application_id}.pdf", page)
        for letter, page in zip(letters, split_pages(whole), strict=True)
    }
    mail_merge = write_atomically(out_dir / MAIL_MERGE, _mail_merge_csv(letters))
    return NoticeFiles(combined=combined, letters=files, mail_merge=mail_merge, count=len(letters))


def _environment(template_dir: Path | None) -> SandboxedEnvironment:
    # Sandboxed and escaping: a city edits the template, and names in the records are data, never markup.
    folders = [str(p) for p in (template_dir, BUNDLED_TEMPLATES) if p is not None and p.is_dir()]
    return SandboxedEnvironment(loader=FileSystemLoader(folders), autoescape=True, undefined=StrictUndefined)


def _html_batches(
    letters: Sequence[Letter], profile: CityProfile, issued_on: dt.date, template_dir: Path | None
) -> list[tuple[str, int]]:
    environment = _environment(template_dir)
    try:
        template = environment.get_template(LETTER_TEMPLATE)
        style = environment.loader.get_source(environment, STYLE)[0]  # type: ignore[union-attr]
    except (TemplateError, OSError) as exc:
        raise TemplateFileError(f"通知書の様式を読めません / cannot read the letter template: {exc}") from exc
    issued = format_wareki(issued_on, gannen=True)
    city = {"name": profile.name, "section": profile.section}
    head = f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>{style}</style></head><body>'
    batches = []
    for start in range(0, len(letters), BATCH):
        chunk = letters[start : start + BATCH]
        try:
            body = "".join(
                template.render(
                    city=city, letter=_view(letter), issued=issued, page=start + i + 1, pages=len(letters)
                )
                for i, letter in enumerate(chunk)
            )
        except TemplateError as exc:
            raise TemplateFileError(
                f"通知書の様式に誤りがあります / the letter template fails: {exc}"
            ) from exc
        batches.append((head + body + "</body></html>", len(chunk)))
    return batches


def _view(letter: Letter) -> dict[str, object]:
    view = asdict(letter)
    view["kind"], view["title"] = letter.kind, letter.title
    for child, notice in zip(view["children"], letter.children, strict=True):
        child["start_date_text"] = format_wareki(notice.start_date, gannen=True)
    return view


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # Excel opens the CSV: a value that starts like a formula is written as text.
    return "'" + text if text.startswith(_FORMULA_START) else text


def _mail_merge_csv(letters: Sequence[Letter]) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(
        [
            "文書番号",
            "受付番号",
            "郵便番号",
            "住所",
            "宛名",
            "区分",
            "児童氏名",
            "クラス",
            "結果",
            "施設",
            "利用開始日",
        ]
    )
    for letter in letters:
        for child in letter.children:
            writer.writerow(
                _cell(v)
                for v in (
                    letter.document_number, letter.application_id, letter.postal_code, letter.address,
                    f"{letter.addressee} 様", letter.kind, child.name, child.age_class, child.outcome,
                    child.nursery, format_wareki(child.start_date, gannen=True),
                )
            )  # fmt: skip
    return ("\ufeff" + stream.getvalue()).encode("utf-8")  # BOM: Excel reads the CSV as UTF-8
