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
from samples.forms import SANS, SERIF
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
    return str(value)


def _check_mark(pen: ImageDraw.ImageDraw, box: tuple[int, int, int, int], rng: random.Random) -> None:
    x, y, w, h = box
    width = rng.randint(5, 8)
    if rng.random() < 0.7:  # ✓ drawn as two strokes, a little beyond the box as people do
        points = [(x + w * 0.15, y + h * 0.5), (x + w * 0.42, y + h * 0.85), (x + w * 1.05, y - h * 0.1)]
        pen.line(
            [(round(px + rng.uniform(-3, 3)), round(py + rng.uniform(-3, 3))) for px, py in points],
            fill=0,
            width=width,
        )
    else:  # ×
        pen.line((x + 6, y + 6, x + w - 6, y + h - 6), fill=0, width=width)
        pen.line((x + w - 6, y + 6, x + 6, y + h - 6), fill=0, width=width)


def fill(template: FormTemplate, blank: np.ndarray, values: dict[str, Any], rng: random.Random) -> np.ndarray:
    image = Image.fromarray(blank).convert("L")
    pen = ImageDraw.Draw(image)
    font_path = SANS if rng.random() < 0.6 else SERIF
    size = rng.randint(40, 46)
    font = ImageFont.truetype(str(font_path), size, index=0)
    for spec in template.fields:
        value = values.get(spec.name)
        if spec.kind is FieldKind.CHECKBOX:
            if value:
                _check_mark(pen, spec.box, rng)
            continue
        if spec.kind is FieldKind.CHOICE:
            for option in spec.options:
                if option.value == value:
                    _check_mark(pen, option.box, rng)
            continue
        if value is None or value == "":
            continue
        text = display_text(spec, value, rng)
        x, y, w, h = spec.box
        left, top, right, bottom = pen.textbbox((0, 0), text, font=font)
        fitted = font
        if right - left > w - 40:  # long addresses: shrink to fit the box as a typist would
            fitted = ImageFont.truetype(
                str(font_path), max(24, int(size * (w - 40) // (right - left))), index=0
            )
            left, top, right, bottom = pen.textbbox((0, 0), text, font=fitted)
        tx = x + rng.randint(12, max(13, min(60, int(w - (right - left) - 12))))
        ty = y + (h - (bottom - top)) // 2 - top + rng.randint(-4, 4)
        pen.text((tx, ty), text, font=fitted, fill=rng.randint(0, 40))
    return np.asarray(image)


def degrade(page: np.ndarray, params: ScanParams, rng: random.Random) -> np.ndarray:
    height, width = page.shape
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
