"""Print the letters: the city's HTML template → PDF (chromium), one per household, one combined, a CSV.

Letters are rendered in batches, each batch one HTML document printed by one chromium that serves the
whole run (two tabs at a time on two cores, :mod:`notices.printing`): loading a document per letter
would cost a third of a second each. Every letter is exactly one A4 page (the template fixes the page
height), so each printed batch splits back into households by page, and the combined PDF is the batches
one after another, not printed again. Everything written is personal data: 0600 files in 0700 folders,
written atomically.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from matching.files import private_directory, write_atomically
from matching.profile import CityProfile
from notices.errors import RenderError, TemplateFileError
from notices.letters import Letter
from notices.printing import Batch, print_batches
from sheets.wareki import format_wareki

BUNDLED_TEMPLATES = Path(__file__).resolve().parent / "templates"
LETTER_TEMPLATE, STYLE = "letter.html", "style.css"
# Letters per HTML document: each document costs chromium about 0.3 s of its own (fonts, the PDF), and
# one of a thousand pages lays out slower per page than four of 250.
BATCH = 250
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
        batches, start = [], 0
        for n, (html, size) in enumerate(pages):
            path = Path(scratch) / f"batch{n:04d}.html"
            path.write_text(html, encoding="utf-8")
            households = tuple(letter.application_id for letter in letters[start : start + size])
            batches.append(Batch(html=path, households=households))
            start += size
        whole, printed = print_batches(batches, out_dir / "letters", workers)
    combined = write_atomically(out_dir / COMBINED, whole)
    files = {letter.application_id: printed[letter.application_id] for letter in letters}
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
