"""Check boxes and choices: is there a mark, of any style people use, where the template says one may be.

Styles: ✓ tick and × cross (strokes inside the box, a tick often running out of it), ■ a filled square,
塗りつぶし (the box scribbled over), and ○ a circle drawn around the box or around the option's printed
label. Only ink the blank form does not have counts ("new ink"), inside the option's `mark_area`.

Two measures per option: the share of the box interior covered by new ink (tick, cross, fill) and how
far around the box / mark area new ink runs outside the box (a circle). Values between "clearly empty"
and "clearly marked" go to the review queue: a doubtful mark is never a silent value.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.template import Box

INK_DROP = 70  # a pixel is ink when this much darker than the paper around it
FILLED, CLEAR_EMPTY, CLEAR_FILLED = 0.10, 0.04, 0.16  # box interior share of new ink
CIRCLED, CLEAR_OPEN, CLEAR_CIRCLED = 0.70, 0.40, 0.80  # share of the sectors around a centre holding ink
SECTORS = 24
SEARCH = 14  # px: the printed box is looked for this far around its expected place


@dataclass(frozen=True)
class MarkEvidence:
    fill: float  # share of the box interior covered by new ink
    ring: float  # how far around the box (or mark area) new ink runs outside the box: 1 - largest gap

    @property
    def marked(self) -> bool:
        return self.fill >= FILLED or self.ring >= CIRCLED

    @property
    def certain(self) -> bool:
        """Clearly marked by one measure, or clearly empty by both."""
        if self.fill >= CLEAR_FILLED or self.ring >= CLEAR_CIRCLED:
            return True
        return self.fill <= CLEAR_EMPTY and self.ring <= CLEAR_OPEN

    def text(self) -> str:
        return f"fill {self.fill:.3f} ring {self.ring:.2f}"


def default_mark_area(box: Box) -> Box:
    """Without a `mark_area` in the template: the box and a margin where a circle around it would run."""
    x, y, w, h = box
    grow = round(0.8 * max(w, h))
    return (max(0, x - grow), max(0, y - grow), w + 2 * grow, h + 2 * grow)


def _clip(area: Box, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    x, y, w, h = area
    height, width = shape[:2]
    x0, y0 = max(0, x), max(0, y)
    return x0, y0, max(0, min(width, x + w) - x0), max(0, min(height, y + h) - y0)


def _crop(image: np.ndarray, area: tuple[int, int, int, int]) -> np.ndarray:
    x, y, w, h = area
    return image[y : y + h, x : x + w]


def _shift(page: np.ndarray, blank: np.ndarray, box: Box) -> tuple[int, int]:
    """Where the printed box really is on the aligned page (alignment is good to a few pixels)."""
    x, y, w, h = box
    pattern = _crop(blank, _clip((x - 4, y - 4, w + 8, h + 8), blank.shape))
    area = _crop(
        page, _clip((x - 4 - SEARCH, y - 4 - SEARCH, w + 8 + 2 * SEARCH, h + 8 + 2 * SEARCH), page.shape)
    )
    if area.shape[0] < pattern.shape[0] or area.shape[1] < pattern.shape[1] or pattern.std() < 1:
        return 0, 0
    scores = cv2.matchTemplate(area, pattern, cv2.TM_CCOEFF_NORMED)
    _, best, _, (dx, dy) = cv2.minMaxLoc(scores)
    if best < 0.3:
        return 0, 0
    return dx - SEARCH, dy - SEARCH


def _new_ink(page: np.ndarray, blank: np.ndarray, area: Box, shift: tuple[int, int]) -> np.ndarray:
    """Ink on the page in `area` that the blank form does not have there (bool array over `area`)."""
    dx, dy = shift
    x, y, w, h = area
    page_area = _clip((x + dx, y + dy, w, h), page.shape)
    region = _crop(page, page_area)
    blank_region = _crop(blank, (page_area[0] - dx, page_area[1] - dy, page_area[2], page_area[3]))
    if region.size == 0 or blank_region.shape != region.shape:
        return np.zeros((0, 0), bool)
    paper = float(np.percentile(region, 90))
    ink = region < paper - INK_DROP
    printed = cv2.dilate((blank_region < 255 - INK_DROP).astype(np.uint8), np.ones((7, 7), np.uint8))
    new: np.ndarray = ink & ~printed.astype(bool)
    # specks of scanner noise are not marks
    opened = cv2.morphologyEx(new.astype(np.uint8), cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    return opened.astype(bool)


def _outside(new: np.ndarray, inner: Box) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates of the new ink outside the rectangle `inner` (the box and its printed line)."""
    ys, xs = np.nonzero(new)
    x0, y0, w, h = inner
    keep = (xs < x0) | (xs >= x0 + w) | (ys < y0) | (ys >= y0 + h)
    return xs[keep], ys[keep]


def _ring(xs: np.ndarray, ys: np.ndarray, centre: tuple[float, float]) -> float:
    """Share of the sectors around `centre` holding some of the ink at (xs, ys)."""
    if len(xs) == 0:
        return 0.0
    angles = np.arctan2(ys - centre[1], xs - centre[0])
    sectors = ((angles + np.pi) / (2 * np.pi) * SECTORS).astype(int) % SECTORS
    filled = np.bincount(sectors, minlength=SECTORS) >= 3
    if filled.all():
        return 1.0
    # the longest run of empty sectors, around the circle: a loop leaves at most a small gap, an arc
    # or a stroke running out of the box a wide one
    run = longest = 0
    for full in np.concatenate([filled, filled]):
        run = 0 if full else run + 1
        longest = max(longest, run)
    return 1.0 - min(longest, SECTORS) / SECTORS


def mark_evidence(page: np.ndarray, blank: np.ndarray, box: Box, mark_area: Box | None) -> MarkEvidence:
    """Fill and ring measures of one check box (or one option of a choice) on an aligned page."""
    area = mark_area or default_mark_area(box)
    area = _clip(area, blank.shape)
    shift = _shift(page, blank, box)
    new = _new_ink(page, blank, area, shift)
    if new.size == 0:
        return MarkEvidence(0.0, 0.0)
    bx, by, bw, bh = box[0] - area[0], box[1] - area[1], box[2], box[3]
    inset = max(4, min(bw, bh) // 6)
    interior = new[by + inset : by + bh - inset, bx + inset : bx + bw - inset]
    fill = float(interior.mean()) if interior.size else 0.0
    box_centre = (bx + bw / 2, by + bh / 2)
    area_centre = (area[2] / 2, area[3] / 2)
    xs, ys = _outside(new, (bx - 3, by - 3, bw + 6, bh + 6))
    # A loop drawn around the box, the whole option or only its printed word: its centre is one of the
    # box centre, the mark area's centre or the centre of the loop's own ink.
    centres = [box_centre, area_centre]
    if len(xs):
        own = (float(xs.mean()), float(ys.mean()))
        # only a loop centred well inside this option's area: a neighbour's loop reaching in is not ours
        if abs(own[0] - area_centre[0]) < 0.3 * area[2] and abs(own[1] - area_centre[1]) < 0.3 * area[3]:
            centres.append(own)
    ring = max(_ring(xs, ys, centre) for centre in centres)
    return MarkEvidence(round(fill, 4), round(ring, 3))
