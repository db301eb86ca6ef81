"""How applicants mark a check box or an option on paper, drawn with a pen's irregularity.

What people do on real 申込書 (and what counters at city halls see every day):
- ✓ tick: two strokes, the long one often running out of the box to the upper right;
- × cross: two diagonals, sometimes past the corners;
- ■ filled square: the box blacked in with a marker;
- 塗りつぶし: the box scribbled over with zig-zag strokes, rarely staying exactly inside;
- ○ around the box: a loose, not quite closed ellipse around the printed box;
- ○ around the word: the printed option (男 / 女, 有 / 無) circled instead of the box being ticked.
One person keeps to one or two styles on a form; the pen is 4–9 px wide at 300 dpi.
"""

from __future__ import annotations

import math
import random

from PIL import ImageDraw

Box = tuple[int, int, int, int]
STYLES = ("tick", "cross", "filled", "scribble", "circle_box", "circle_label")
CIRCLE_WORD = "circle_word"  # the only way to mark an option printed as a word without a box


def _jitter(rng: random.Random, points: list[tuple[float, float]], amount: float) -> list[tuple[int, int]]:
    return [
        (round(x + rng.uniform(-amount, amount)), round(y + rng.uniform(-amount, amount))) for x, y in points
    ]


def _ellipse(pen: ImageDraw.ImageDraw, area: Box, rng: random.Random, width: int) -> None:
    """A hand-drawn loop: a slightly wobbly ellipse whose ends overlap or leave a small gap."""
    x, y, w, h = area
    cx, cy, rx, ry = x + w / 2, y + h / 2, w / 2, h / 2
    start = rng.uniform(0, 2 * math.pi)
    sweep = 2 * math.pi * rng.uniform(0.94, 1.08)
    steps = 48
    points = []
    for i in range(steps + 1):
        angle = start + sweep * i / steps
        wobble = 1 + 0.04 * math.sin(3 * angle + start)
        points.append((cx + rx * wobble * math.cos(angle), cy + ry * wobble * math.sin(angle)))
    pen.line(_jitter(rng, points, 1.5), fill=0, width=width, joint="curve")


def draw_mark(
    pen: ImageDraw.ImageDraw, box: Box, label_area: Box | None, style: str, rng: random.Random
) -> None:
    """Mark the box `box` (its printed label, box included, spans `label_area`) in `style`."""
    x, y, w, h = box
    width = rng.randint(4, 9)
    if style == "tick":
        over = rng.uniform(0.0, 0.25)
        points = [
            (x + w * 0.15, y + h * 0.5),
            (x + w * 0.42, y + h * 0.85),
            (x + w * (0.95 + over), y - h * over),
        ]
        pen.line(_jitter(rng, points, 3), fill=0, width=width)
    elif style == "cross":
        past = rng.uniform(-0.05, 0.15) * w
        pen.line(
            _jitter(rng, [(x + 6 - past, y + 6 - past), (x + w - 6 + past, y + h - 6 + past)], 2),
            fill=0,
            width=width,
        )
        pen.line(
            _jitter(rng, [(x + w - 6 + past, y + 6 - past), (x + 6 - past, y + h - 6 + past)], 2),
            fill=0,
            width=width,
        )
    elif style == "filled":
        pen.rectangle((x + 3, y + 3, x + w - 3, y + h - 3), fill=0)
    elif style == "scribble":
        rows = max(4, h // 7)
        points = []
        for i in range(rows + 1):
            yy = y + 4 + (h - 8) * i / rows
            points.append((x + rng.uniform(0, 6), yy))
            points.append((x + w - rng.uniform(0, 6), yy + (h - 8) / rows / 2))
        pen.line(_jitter(rng, points, 3), fill=0, width=width + 2)
    elif style == "circle_box":
        grow = rng.uniform(0.25, 0.4) * max(w, h)
        _ellipse(
            pen, (round(x - grow), round(y - grow), round(w + 2 * grow), round(h + 2 * grow)), rng, width
        )
    elif style == CIRCLE_WORD:  # a loop around the printed word itself
        grow = rng.uniform(8, 18)
        _ellipse(
            pen,
            (round(x - grow), round(y - grow * 0.7), round(w + 2 * grow), round(h + 1.4 * grow)),
            rng,
            width,
        )
    elif style == "circle_label" and label_area is None:  # no word known: loop around the box
        draw_mark(pen, box, None, "circle_box", rng)
    elif style == "circle_label":
        ax, ay, aw, ah = label_area or box
        # around the printed word, the part of the mark area right of the box, staying inside the area
        left = x + w + 2 if ax < x + w < ax + aw - 20 else ax + 8
        _ellipse(pen, (left, ay + 8, ax + aw - left - 8, ah - 16), rng, width)
    else:
        raise ValueError(style)


def pick_styles(rng: random.Random, allowed: tuple[str, ...] = STYLES) -> tuple[str, ...]:
    """The one or two styles a person uses throughout a form."""
    first = rng.choice(allowed)
    return (first,) if rng.random() < 0.6 else (first, rng.choice(allowed))
