"""Fill a blank template with values (typed, Noto CJK) and make it look scanned.

Scanning is simulated the way office scanners spoil pages: a small rotation (±3°), shift and scale,
blur, sensor noise, uneven paper white and JPEG artefacts, all at 300 dpi.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr.template import FieldKind, FieldSpec, FormTemplate
from samples.forms.marks import CIRCLE_WORD, draw_mark, pick_styles
from samples.forms.papers import STANDARD, TYPING_FONTS, Paper
from sheets.wareki import format_wareki


@dataclass(frozen=True)
class ScanParams:
    angle: float
    scale: float
    shift: tuple[float, float]
    blur: float
    noise: float
    quality: int


def random_scan(rng: random.Random, max_angle: float = 3.0) -> ScanParams:
    return ScanParams(
        angle=rng.uniform(-max_angle, max_angle),
        scale=rng.uniform(0.97, 1.03),
        shift=(rng.uniform(-40, 40), rng.uniform(-40, 40)),
        blur=rng.uniform(0.3, 1.0),
        noise=rng.uniform(3, 10),
        quality=rng.randint(60, 90),
    )


def display_text(spec: FieldSpec, value: Any, rng: random.Random) -> str:
    """How a value is typed on the form: dates in 和暦 mostly, sometimes 西暦."""
    if spec.kind is FieldKind.DATE:
        date = dt.date.fromisoformat(str(value))
        if rng.random() < 0.15:
            return f"{date.year}年{date.month}月{date.day}日"
        return format_wareki(date)
    if spec.kind is FieldKind.KANA:  # typed with a full-width space between family and given name
        return str(value).replace(" ", "　" if rng.random() < 0.8 else "  ")
    return str(value)


def fill(
    template: FormTemplate,
    blank: np.ndarray,
    values: dict[str, Any],
    rng: random.Random,
    mark_styles: tuple[str, ...] | None = None,
    text_size: int | None = None,
    paper: Paper = STANDARD,
) -> np.ndarray:
    """Type the values onto the blank form (grey, or RGB for a colour form) and mark its boxes."""
    image = Image.fromarray(blank)
    pen = ImageDraw.Draw(image)
    colour = image.mode == "RGB"
    font_path, face = TYPING_FONTS[rng.choice(paper.fonts)]
    size = text_size or rng.randint(*paper.text_sizes)
    font = ImageFont.truetype(str(font_path), size, index=face)
    styles = mark_styles or pick_styles(rng, paper.box_styles)
    for spec in template.fields:
        value = values.get(spec.name)
        if spec.kind is FieldKind.CHECKBOX:
            if value:
                draw_mark(pen, spec.box, spec.mark_area, rng.choice(styles), rng)
            continue
        if spec.kind is FieldKind.CHOICE:
            style = CIRCLE_WORD if spec.name in paper.word_choices else rng.choice(styles)
            for option in spec.options:
                if option.value == value:
                    draw_mark(pen, option.box, option.mark_area, style, rng)
            continue
        if value is None or value == "":
            continue
        text = display_text(spec, value, rng)
        x, y, w, h = spec.box
        left, top, right, bottom = pen.textbbox((0, 0), text, font=font)
        fitted = font
        if right - left > w - 40 or bottom - top > h - 16:  # shrink to fit the box as a typist would
            shrink = min((w - 40) / (right - left), (h - 16) / (bottom - top))
            fitted = ImageFont.truetype(str(font_path), max(24, int(size * shrink)), index=face)
            left, top, right, bottom = pen.textbbox((0, 0), text, font=fitted)
        tx = x + rng.randint(12, max(13, min(60, int(w - (right - left) - 12))))
        ty = y + (h - (bottom - top)) // 2 - top + rng.randint(-4, 4)
        shade = rng.randint(0, 40)
        pen.text((tx, ty), text, font=fitted, fill=(shade, shade, shade) if colour else shade)
    return np.asarray(image)


def degrade(page: np.ndarray, params: ScanParams, rng: random.Random) -> np.ndarray:
    height, width = page.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), params.angle, params.scale)
    matrix[:, 2] += np.array(params.shift)
    paper = rng.randint(225, 250)
    scanned = cv2.warpAffine(page, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
    scanned = cv2.GaussianBlur(scanned, (0, 0), params.blur)
    noise_rng = np.random.default_rng(rng.getrandbits(32))
    out = scanned.astype(np.float32) * (paper / 255.0)
    out += noise_rng.normal(0, params.noise, out.shape).astype(np.float32)
    return np.clip(out, 0, 255).astype(np.uint8)


def jpeg_bytes(page: np.ndarray, quality: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(page).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def bilevel_bytes(page: np.ndarray, tiff: bool) -> tuple[bytes, str]:
    """A "白黒" scan: one bit per pixel at the scanner's fixed threshold, as PNG or TIFF G4."""
    grey = page if page.ndim == 2 else cv2.cvtColor(page, cv2.COLOR_RGB2GRAY)
    image = Image.fromarray(((grey > 150) * 255).astype(np.uint8)).convert("1")
    buffer = io.BytesIO()
    if tiff:
        image.save(buffer, format="TIFF", compression="group4", dpi=(300, 300))
        return buffer.getvalue(), ".tif"
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue(), ".png"
