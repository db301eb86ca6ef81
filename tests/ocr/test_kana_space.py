"""The family/given space of a kana name: cut where it is clear, review where it may be letter spacing."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr.fields import split_at_space
from samples.forms import SANS, SERIF


def _typed(text: str, font_path: object, size: int = 46) -> np.ndarray:
    image = Image.new("L", (1400, 120), 255)
    ImageDraw.Draw(image).text((10, 20), text, font=ImageFont.truetype(str(font_path), size, index=0), fill=0)
    ink = np.nonzero((np.asarray(image) < 128).any(axis=0))[0]
    rows = np.nonzero((np.asarray(image) < 128).any(axis=1))[0]
    return np.asarray(image)[rows[0] : rows[-1] + 1, ink[0] : ink[-1] + 1]


def test_a_full_width_space_is_cut_with_confidence() -> None:
    pieces, doubtful = split_at_space(_typed("サトウ　ハルト", SANS))
    assert len(pieces) == 2 and not doubtful


def test_letter_spacing_is_not_a_space() -> None:
    pieces, doubtful = split_at_space(_typed("ヤマダハナコ", SANS))
    assert len(pieces) == 1 and not doubtful


def test_a_gap_that_may_be_either_goes_to_review() -> None:
    # 明朝's ト leaves a gap as wide as a half-width space would be: not guessed
    _, doubtful = split_at_space(_typed("イトウユウト", SERIF))
    assert doubtful
