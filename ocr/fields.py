"""Field crops from an aligned page: box lines removed, cropped tight to the ink (marks: `ocr.marks`)."""

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


# A blank column run (x the line's ink height) at least this wide is a typed space; below the lower
# bound it is letter spacing. Between them either is possible (a half-width space in a proportional
# font is as narrow as the gap after ト or イ in 明朝), so the field goes to review, never guessed.
SPACE_GAP, LETTER_GAP = 0.8, 0.45


def split_at_space(tight: np.ndarray) -> tuple[list[np.ndarray], bool]:
    """The tight crop cut at its widest blank column run when that run may be a typed space (the
    family/given space of a kana name), and whether that is doubtful; else the crop alone."""
    ink = tight < 128
    columns = np.nonzero(ink.any(axis=0))[0]
    rows = np.nonzero(ink.any(axis=1))[0]
    if len(columns) < 2:
        return [tight], False
    gaps = np.diff(columns)
    widest = int(np.argmax(gaps))
    ratio = (gaps[widest] - 1) / (rows[-1] - rows[0] + 1)
    if ratio < LETTER_GAP:
        return [tight], False
    cut_left, cut_right = columns[widest] + 1, columns[widest + 1]
    pad = np.full((tight.shape[0], PAD), 255, np.uint8)
    left = np.hstack([tight[:, :cut_left], pad])
    right = np.hstack([pad, tight[:, cut_right:]])
    return [left, right], bool(ratio < SPACE_GAP)
