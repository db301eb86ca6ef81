"""Every mark style reads right on every check box and choice; a doubtful mark goes to review."""

from __future__ import annotations

import random

import numpy as np
import pytest
from PIL import Image, ImageDraw

from ocr.marks import mark_evidence
from ocr.recognise import read_mark_field
from ocr.template import FieldKind, FormTemplate
from samples.forms.generate import values_for
from samples.forms.marks import STYLES
from samples.forms.scan import ScanParams, degrade, fill
from samples.forms.values import household

# no rotation: the page stands for one already aligned, off by a few pixels as alignment leaves it
NEAR_ALIGNED = ScanParams(angle=0.0, scale=1.0, shift=(3.0, -2.0), blur=0.8, noise=7.0, quality=70)


def _read_all(template: FormTemplate, page: np.ndarray) -> dict[str, tuple[object, bool]]:
    blank = template.load_image()
    readings: dict[str, tuple[object, bool]] = {}
    for spec in template.fields:
        if spec.kind.is_mark:
            reading = read_mark_field(spec, page, blank, keep_crop=False)
            readings[spec.name] = (reading.value, reading.accepted)
    return readings


@pytest.mark.parametrize("style", STYLES)
def test_each_mark_style_is_read_on_every_box(templates: tuple[FormTemplate, ...], style: str) -> None:
    template = templates[0]  # the application: check boxes and choices, options wrapped on lines
    rng = random.Random(STYLES.index(style))
    values = values_for(template, household(rng, 2027)[0], rng)
    for spec in template.fields:  # tick about half the boxes so that empty neighbours are tested too
        if spec.kind is FieldKind.CHECKBOX:
            values[spec.name] = rng.random() < 0.5
    page = degrade(fill(template, template.load_image(), values, rng, (style,)), NEAR_ALIGNED, rng)
    got = _read_all(template, page)
    expected = {name: (values[name], True) for name in got}
    assert got == expected


def test_a_doubtful_mark_goes_to_review(templates: tuple[FormTemplate, ...]) -> None:
    template = templates[0]
    spec = template.field("allow_split")
    blank = template.load_image()
    image = Image.fromarray(blank.copy())
    pen = ImageDraw.Draw(image)
    x, y = spec.box[:2]
    # a short stroke in the box: more than a speck, less than a tick
    pen.line((x + 14, y + 22, x + 26, y + 26), fill=0, width=5)
    evidence = mark_evidence(np.asarray(image), blank, spec.box, spec.mark_area)
    assert 0.04 < evidence.fill < 0.16
    reading = read_mark_field(spec, np.asarray(image), blank, keep_crop=False)
    assert not reading.accepted and "unclear" in reading.problems[0]


def test_a_half_drawn_loop_around_an_option_goes_to_review(templates: tuple[FormTemplate, ...]) -> None:
    template = templates[0]
    spec = template.field("child_sex")
    blank = template.load_image()
    image = Image.fromarray(blank.copy())
    pen = ImageDraw.Draw(image)
    x, y, w, h = spec.options[1].box
    pen.arc((x - 16, y - 16, x + w + 16, y + h + 16), start=200, end=360, fill=0, width=6)
    reading = read_mark_field(spec, np.asarray(image), blank, keep_crop=False)
    assert not reading.accepted  # shown to staff with the likelier option, never taken as read


def test_two_marked_options_are_not_guessed(templates: tuple[FormTemplate, ...]) -> None:
    template = templates[0]
    spec = template.field("child_sex")
    blank = template.load_image()
    image = Image.fromarray(blank.copy())
    pen = ImageDraw.Draw(image)
    for option in spec.options:
        x, y, w, h = option.box
        pen.rectangle((x + 3, y + 3, x + w - 3, y + h - 3), fill=0)
    reading = read_mark_field(spec, np.asarray(image), blank, keep_crop=False)
    assert not reading.accepted and any("more than one" in p for p in reading.problems)
