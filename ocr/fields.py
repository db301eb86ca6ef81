"""Field crops from an aligned page: box lines removed, cropped tight to the ink; check box fill ratios."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.template import Box

MARGIN = 12  # read a little beyond the box: typed text may overrun it after a slightly imperfect alignment
PAD = 10  # white border around a tight crop (recognisers read glyphs touching the edge badly)
MIN_COMPONENT = 10  # pixels: smaller blobs are scanner noise
INK_DROP = 70  # a pixel is ink when it is this much darker than the paper around it


@dataclass(frozen=True)
class Crop:
    image: np.ndarray  # the field area as scanned (for the review queue)
    tight: np.ndarray | None  # lines removed, cropped to the ink, padded; None when the field is empty


def _region(page: np.ndarray, box: Box, margin: int) -> np.ndarray:
    x, y, w, h = box
    height, width = page.shape
    return page[
        max(0, y - margin) : min(height, y + h + margin), max(0, x - margin) : min(width, x + w + margin)
    ]


def _ink(gray: np.ndarray) -> tuple[np.ndarray, int]:
    paper = int(np.percentile(gray, 90))
    return (gray < paper - INK_DROP).astype(np.uint8), paper


def _lines(ink: np.ndarray) -> np.ndarray:
    """Long straight strokes: the printed box lines (text strokes are much shorter than the box)."""
    height, width = ink.shape
    horizontal = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(60, width // 3), 1))
    )
    vertical = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(40, int(height * 0.7))))
    )
    return cv2.dilate(np.maximum(horizontal, vertical), np.ones((5, 5), np.uint8))


def field_crop(page: np.ndarray, box: Box) -> Crop:
    region = _region(page, box, MARGIN)
    ink, paper = _ink(region)
    lines = _lines(ink)
    text_ink = ink & (1 - lines)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(text_ink, connectivity=8)
    keep = np.zeros(count, dtype=bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= MIN_COMPONENT
    mask = keep[labels]
    if not mask.any():
        return Crop(region, None)
    ys, xs = np.nonzero(mask)
    top, bottom, left, right = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    # Keep the gray levels (recognisers like anti-aliased strokes), paper and removed lines made white.
    cleaned: np.ndarray = np.clip(region.astype(np.float32) - (paper - 255), 0, 255)
    cleaned[lines.astype(bool)] = 255
    near = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    cleaned[~near] = 255
    tight: np.ndarray = cleaned[top:bottom, left:right].astype(np.uint8)
    padded: np.ndarray = cv2.copyMakeBorder(tight, PAD, PAD, PAD, PAD, cv2.BORDER_CONSTANT, value=255)
    return Crop(region, padded)


def _locate(page: np.ndarray, blank: np.ndarray, box: Box, search: int = 14) -> Box:
    """Find the printed check box near its expected place (alignment is good to a few pixels)."""
    x, y, w, h = box
    pattern = _region(blank, box, 4)
    area = _region(page, box, 4 + search)
    if area.shape[0] < pattern.shape[0] or area.shape[1] < pattern.shape[1]:
        return box
    scores = cv2.matchTemplate(area, pattern, cv2.TM_CCOEFF_NORMED)
    _, best, _, (dx, dy) = cv2.minMaxLoc(scores)
    if best < 0.3:
        return box
    return (x + dx - search, y + dy - search, w, h)


def fill_ratio(page: np.ndarray, blank: np.ndarray, box: Box) -> float:
    """Share of the box interior that is ink beyond what the blank form has there."""
    x, y, w, h = _locate(page, blank, box)
    inset = max(6, min(w, h) // 5)
    inner = (x + inset, y + inset, w - 2 * inset, h - 2 * inset)
    region = _region(page, inner, 0)
    empty = _region(blank, (box[0] + inset, box[1] + inset, w - 2 * inset, h - 2 * inset), 0)
    paper = int(np.percentile(_region(page, box, 10), 90))
    ink = float((region < paper - INK_DROP).mean()) if region.size else 0.0
    printed = float((empty < 255 - INK_DROP).mean()) if empty.size else 0.0
    return max(0.0, ink - printed)
