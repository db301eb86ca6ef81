"""`bodx samples forms`: filled, scan-degraded sample forms with their ground truth beside each page.

Pages come in households: an application (保育所入所申込書) followed by one 就労証明書 per working guardian,
all carrying the same 受付番号. With `bad=True` six bad pages are added (blank, another form, upside
down, unreadable, too dark, truncated file) so that readers can be tested on them. How each form is
typed and scanned (fonts, sizes, marks, colour / grey / bilevel) is described in `papers.py`.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr.template import FieldKind, FieldSpec, FormTemplate, load_template
from samples.citygen.names import ADULT_GIVEN, SURNAMES
from samples.forms import SANS, TEMPLATES_DIR
from samples.forms.papers import paper_for
from samples.forms.scan import bilevel_bytes, degrade, fill, jpeg_bytes, random_scan
from samples.forms.values import address, company, household, person, phone

STANDARD = ("hoiku_moushikomi", "shuro_shomeisho")
CERTIFICATES = ("shuro_shomeisho", "kawabe_shuro")
BAD_KINDS = ("blank", "unknown_form", "upside_down", "unreadable", "too_dark", "file_error")


@dataclass(frozen=True)
class GeneratedPage:
    image: Path
    truth: Path
    template_id: str | None
    expected_status: str  # "read" for a good page (ok or review), else the bad-page status


def _generic_value(spec: FieldSpec, rng: random.Random) -> Any:
    """A plausible value for a field the household scenario does not know (a city's own extra field)."""
    kind = spec.kind
    if kind is FieldKind.CHECKBOX:
        return rng.random() < 0.3
    if kind is FieldKind.CHOICE:
        return rng.choice(spec.options).value
    if kind is FieldKind.NAME:
        return person(rng, ADULT_GIVEN, rng.choice(SURNAMES))[0]
    if kind is FieldKind.KANA:
        return person(rng, ADULT_GIVEN, rng.choice(SURNAMES))[1]
    if kind is FieldKind.ADDRESS:
        return address(rng)
    if kind is FieldKind.PHONE:
        return phone(rng)
    if kind is FieldKind.DATE:
        low, high = spec.value_range or (2020, 2026)
        return f"{rng.randint(int(low), int(high))}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if kind is FieldKind.DIGITS:
        low, high = spec.value_range or (0, 99999)
        return str(rng.randint(int(low), int(high)))
    return company(rng) if spec.required else None


def values_for(template: FormTemplate, scenario: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in template.fields:
        if spec.name in scenario and not (
            spec.kind is FieldKind.CHOICE
            and scenario[spec.name] is not None
            and scenario[spec.name] not in {o.value for o in spec.options}
        ):  # (a scenario's value this form's choice does not offer is drawn from the form's options)
            value = scenario[spec.name]
        elif spec.name.startswith(("guardian2", "preference_", "flag_")) or spec.name in ("allow_split",):
            value = None  # a known optional field the scenario left empty
        else:
            value = _generic_value(spec, rng)
        if spec.kind is FieldKind.CHECKBOX:
            value = bool(value)
        values[spec.name] = value
    return values


def other_document(rng: random.Random) -> np.ndarray:
    """A page that is not one of our forms: a letter with a table, as mis-fed scans often are."""
    image = Image.new("L", (2480, 3508), 255)
    pen = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(SANS), 40, index=0)
    pen.text((700, 200), "住民異動届出書（写）", font=ImageFont.truetype(str(SANS), 72, index=0), fill=0)
    for row in range(24):
        y = 500 + row * 110
        pen.text(
            (260 + rng.randint(0, 200), y),
            "お知らせ 第" + str(rng.randint(1, 99)) + "号 記載事項の確認",
            font=font,
            fill=0,
        )
        pen.line((200, y + 80, 2280, y + 80), fill=0, width=2)
    return np.asarray(image)


def _write(out: Path, stem: str, page_bytes: bytes, suffix: str, truth: dict[str, Any]) -> GeneratedPage:
    image_path = out / f"{stem}{suffix}"
    image_path.write_bytes(page_bytes)
    truth_path = out / f"{stem}.json"
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return GeneratedPage(image_path, truth_path, truth.get("template"), truth["expected_status"])


def _blank_for(template: FormTemplate, mode: str) -> np.ndarray:
    """The printed form the applicant wrote on: in its colours for a colour scan, else grey."""
    if mode == "colour":
        with Image.open(template.image_path) as printed:
            return np.asarray(printed.convert("RGB"))
    return template.load_image()


def _good_page(
    template: FormTemplate, blank: np.ndarray, values: dict[str, Any], rng: random.Random
) -> tuple[bytes, str, dict[str, Any]]:
    paper = paper_for(template.id)
    mode = rng.choice(paper.scan_modes)
    params = replace(random_scan(rng), quality=rng.randint(*paper.quality))
    printed = blank if mode == "grey" else _blank_for(template, mode)
    page = degrade(fill(template, printed, values, rng, paper=paper), params, rng)
    truth = {
        "template": template.id,
        "expected_status": "read",
        "fields": values,
        "scan": {
            "angle": round(params.angle, 2),
            "scale": round(params.scale, 3),
            "quality": params.quality,
            "mode": mode,
        },
    }
    if mode == "bilevel":
        data, suffix = bilevel_bytes(page, tiff=rng.random() < 0.5)
        return data, suffix, truth
    return jpeg_bytes(page, params.quality), ".jpg", truth


def generate_forms(
    out: Path,
    count: int,
    seed: int,
    templates: Sequence[str] = STANDARD,
    bad: bool = False,
    year: int = 2027,
    templates_dir: Path = TEMPLATES_DIR,
    nurseries: Sequence[str] = (),
) -> list[GeneratedPage]:
    """Write `count` good pages (plus the five bad ones when `bad`) into `out`; same seed, same pages.

    `nurseries`: the city's nursery ids that applicants may ask for (default N001..N119).
    """
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    loaded = {tid: load_template(templates_dir / f"{tid}.toml") for tid in templates}
    blanks = {tid: t.load_image() for tid, t in loaded.items()}
    applications = [tid for tid in templates if tid not in CERTIFICATES]
    certificate = next((tid for tid in templates if tid in CERTIFICATES), None)
    pages: list[GeneratedPage] = []
    while len(pages) < count:
        app_values, certificates = household(rng, year, nurseries)
        batch: list[tuple[str, dict[str, Any]]] = []
        if applications:
            batch.append((rng.choice(applications), app_values))
        if certificate is not None:
            batch.extend((certificate, cert) for cert in certificates)
        for tid, scenario in batch:
            if len(pages) >= count:
                break
            template = loaded[tid]
            page_bytes, suffix, truth = _good_page(
                template, blanks[tid], values_for(template, scenario, rng), rng
            )
            pages.append(_write(out, f"page_{len(pages) + 1:04d}", page_bytes, suffix, truth))
    if bad:
        pages.extend(_bad_pages(out, rng, loaded, blanks, year))
    return pages


def _bad_pages(
    out: Path, rng: random.Random, loaded: dict[str, FormTemplate], blanks: dict[str, np.ndarray], year: int
) -> list[GeneratedPage]:
    tid = next(iter(loaded))
    template = loaded[tid]
    app_values, _ = household(rng, year)
    pages = []
    blank_page = np.clip(np.random.default_rng(seed=rng.getrandbits(32)).normal(240, 4, (3508, 2480)), 0, 255)
    pages.append(
        _write(
            out,
            "bad_blank",
            jpeg_bytes(blank_page.astype(np.uint8), 80),
            ".jpg",
            {"expected_status": "blank"},
        )
    )
    pages.append(
        _write(
            out,
            "bad_other_form",
            jpeg_bytes(other_document(rng), 80),
            ".jpg",
            {"expected_status": "unknown_form"},
        )
    )
    good_bytes, _, truth = _good_page(template, blanks[tid], values_for(template, app_values, rng), rng)
    decoded = np.asarray(Image.open(io.BytesIO(good_bytes)).convert("L"))
    flipped = cv2.rotate(decoded, cv2.ROTATE_180)
    pages.append(_write(out, "bad_upside_down", jpeg_bytes(flipped, 85), ".jpg", {**truth, "rotation": 180}))
    ruined = cv2.GaussianBlur(decoded, (0, 0), 14)
    pages.append(
        _write(out, "bad_unreadable", jpeg_bytes(ruined, 60), ".jpg", {"expected_status": "unreadable"})
    )
    dark = (decoded.astype(np.float32) * 0.3).astype(np.uint8)  # scanner darkness turned all the way up
    pages.append(_write(out, "bad_too_dark", jpeg_bytes(dark, 70), ".jpg", {"expected_status": "too_dark"}))
    pages.append(
        _write(
            out,
            "bad_truncated",
            good_bytes[: len(good_bytes) * 2 // 5],
            ".jpg",
            {"expected_status": "file_error"},
        )
    )
    return pages
