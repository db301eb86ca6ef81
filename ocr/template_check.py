"""`bodx ocr template check`: a city's form templates checked before the season, and tried on samples.

Strict validation of every field map (unknown keys with line and "did you mean", wrong kinds, boxes
outside the image or overlapping), the standard fields a record needs, the boxes drawn on the blank
form and on every aligned sample (PNG, for the clerk who wrote the template), and per sample the
alignment quality and the fields that would go to review.

`check_forms_dir(folder)` is what `bodx city check` calls: a list of problem strings, empty when fine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from matching.config import did_you_mean
from ocr.align import assess, warp_to_template
from ocr.application_fields import APPLICATION_FIELDS, CERTIFICATE_HOURS, KNOWN_FIELDS, STANDARD_FIELDS
from ocr.errors import OcrError
from ocr.loading import load_pages
from ocr.pipeline import read_image
from ocr.template import FieldKind, FormTemplate
from ocr.template_parse import parse_template

TEXT_COLOUR, MARK_COLOUR, AREA_COLOUR = (0, 90, 220), (220, 30, 30), (240, 150, 0)
FACT_PREFIXES = ("household_fact_", "child_fact_", "guardian1_fact_", "guardian2_fact_")


def _record_problems(template: FormTemplate) -> list[str]:
    """What a record built from this form would lack (application or certificate forms only)."""
    names = {f.name for f in template.fields} | {n for n, _ in template.constants}
    defaults = dict(template.defaults)
    where = template.source.name
    problems = []
    if names & {"child_name", "guardian1_name"}:  # an application form
        for name in sorted(APPLICATION_FIELDS - names):
            problems.append(
                f"{where}: 申込書として記録を作るには項目 {name} が必要です / an application form needs the field {name}"
            )
        if "guardian1_reason" not in names and "guardian1_reason" not in defaults:
            problems.append(
                f"{where}: 保護者1の事由 (guardian1_reason) がありません。項目を作るか [defaults] に "
                'guardian1_reason = "@certificate" を書いてください / no guardian1_reason: add the field or '
                'a [defaults] entry "@certificate"'
            )
    if "worker_name" in names:  # a 就労証明書
        if not names & set(CERTIFICATE_HOURS) or "days_per_week" not in names:
            problems.append(
                f"{where}: 就労証明書には就労時間 (hours_per_month か hours_per_week) と days_per_week が必要です"
                " / a certificate needs hours_per_month or hours_per_week, and days_per_week"
            )
        if "receipt_no" not in names:
            problems.append(f"{where}: 就労証明書には receipt_no が必要です / a certificate needs receipt_no")
    return problems


def _notes(template: FormTemplate) -> list[str]:
    """Warnings: field names close to a standard one (a typo the converter would silently ignore)."""
    notes = []
    for spec in template.fields:
        if spec.name in KNOWN_FIELDS or spec.name.startswith(FACT_PREFIXES):
            continue
        guess = did_you_mean(spec.name, STANDARD_FIELDS)
        if guess:
            notes.append(
                f"{template.source.name}: 項目名 {spec.name} は「{guess}」の誤りではありませんか（標準名でないと"
                f"記録に入りません）/ field {spec.name}: did you mean {guess!r}? (only standard names reach records)"
            )
    names = {f.name for f in template.fields}
    if "child_name" in names and "desired_start" not in names | set(dict(template.defaults)):
        notes.append(
            f"{template.source.name}: 入所希望日がない様式です。募集回の初日が使われます（[defaults] "
            'desired_start = "@round_start" で明示できます）/ no desired_start: the round\'s first day applies'
        )
    return notes


@dataclass
class FolderCheck:
    templates: list[FormTemplate] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def check_folder(folder: Path) -> FolderCheck:
    """Every field map in `folder`: the templates that load, every problem and every note."""
    result = FolderCheck()
    paths = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    if not paths:
        result.problems.append(f"{folder}: 様式定義 (*.toml) がありません / no form template in the folder")
    for path in paths:
        try:
            template, problems = parse_template(path)
        except OcrError as exc:  # unreadable TOML: its syntax message says where
            result.problems.append(str(exc))
            continue
        result.problems.extend(problems)
        # Only a sound template is judged as a whole (a broken field is reported once, not again as
        # "missing"), drawn and tried on samples.
        if template is not None and not problems:
            result.problems.extend(_record_problems(template))
            result.notes.extend(_notes(template))
            result.templates.append(template)
    ids = [t.id for t in result.templates]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        result.problems.append(
            f"{folder}: テンプレート id {duplicate} が重複しています / two templates share id {duplicate}"
        )
    return result


def check_forms_dir(folder: Path | str) -> list[str]:
    """The problems of a city profile's forms folder (for `bodx city check`); empty when all is well."""
    return check_folder(Path(folder)).problems


def _font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A Japanese-capable font when the system has one (Debian fonts-noto-cjk), else Pillow's own."""
    try:
        return ImageFont.truetype("NotoSansCJK-Regular.ttc", 26)
    except OSError:
        return ImageFont.load_default(size=26)


def draw_boxes(template: FormTemplate, image: np.ndarray) -> Image.Image:
    """The template's boxes on `image` (the blank form or an aligned page), each with its field name."""
    canvas = Image.fromarray(image).convert("RGB")
    pen = ImageDraw.Draw(canvas)
    font = _font()
    for spec in template.fields:
        marks = [(o.box, o.mark_area, o.value) for o in spec.options]
        if spec.options:
            pen.text((spec.box[0], spec.box[1] - 30), spec.name, fill=MARK_COLOUR, font=font)
        if spec.kind is FieldKind.CHECKBOX:
            marks = [(spec.box, spec.mark_area, spec.name)]
        for box, area, name in marks:
            if area:
                pen.rectangle(
                    (area[0], area[1], area[0] + area[2], area[1] + area[3]), outline=AREA_COLOUR, width=2
                )
            pen.rectangle((box[0], box[1], box[0] + box[2], box[1] + box[3]), outline=MARK_COLOUR, width=4)
            pen.text((box[0], box[1] + box[3] + 2), name, fill=MARK_COLOUR, font=font)
        if not spec.kind.is_mark:
            x, y, w, h = spec.box
            pen.rectangle((x, y, x + w, y + h), outline=TEXT_COLOUR, width=4)
            pen.text((x + 6, y + 4), f"{spec.name} ({spec.kind.value})", fill=TEXT_COLOUR, font=font)
    return canvas


@dataclass(frozen=True)
class SampleResult:
    source: str
    status: str
    template_id: str | None
    inliers: int
    coverage: float
    reprojection_px: float
    review_fields: tuple[str, ...]
    message: str
    picture: Path | None


def try_samples(templates: Sequence[FormTemplate], scans: Sequence[Path], out: Path) -> list[SampleResult]:
    """Read each sample page; draw the template's boxes on the aligned page; report quality and review."""
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for scan in scans:
        try:
            pages = load_pages(scan)
        except OcrError as exc:
            results.append(SampleResult(scan.name, "file_error", None, 0, 0.0, 0.0, (), str(exc), None))
            continue
        for index, gray in enumerate(pages):
            decision = assess(gray, tuple(templates))
            reading = read_image(gray, templates, source=str(scan), page=index)
            picture = None
            best = decision.candidates[0] if decision.candidates else None
            if decision.alignment is not None:
                template = next(t for t in templates if t.id == decision.alignment.template_id)
                picture = out / f"{scan.stem}_p{index + 1}_{template.id}.png"
                aligned = warp_to_template(gray, decision.alignment, template.size)
                draw_boxes(template, aligned).reduce(2).save(picture)
            results.append(
                SampleResult(
                    f"{scan.name} p.{index + 1}",
                    reading.status.value,
                    reading.template_id,
                    best.inliers if best else 0,
                    best.coverage if best else 0.0,
                    best.reprojection if best else 0.0,
                    tuple(f"{f.label} ({f.name})" for f in reading.pending),
                    reading.message,
                    picture,
                )
            )
    return results


def draw_blanks(templates: Sequence[FormTemplate], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for template in templates:
        path = out / f"{template.id}_boxes.png"
        draw_boxes(template, template.load_image()).reduce(2).save(path)
        written.append(path)
    return written
