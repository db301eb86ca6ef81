"""Alignment under rotation, shift and scale (and upside down): boxes land within a few pixels."""

import random
from dataclasses import replace

import cv2
import numpy as np
import pytest

from ocr.align import WORK_SCALE, assess, fill_mask, find_alignment, template_features
from ocr.template import FormTemplate
from samples.forms.generate import other_document
from samples.forms.scan import ScanParams, degrade, fill
from samples.forms.values import household


def scanned(template: FormTemplate, params: ScanParams, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A filled, degraded page and the 3x3 matrix that maps template pixels to page pixels."""
    rng = random.Random(seed)
    values, _ = household(rng, 2027)
    page = degrade(fill(template, template.load_image(), values, rng), params, rng)
    width, height = template.size
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), params.angle, params.scale)
    matrix[:, 2] += np.array(params.shift)
    return page, np.vstack([matrix, [0, 0, 1]])


@pytest.mark.parametrize(
    ("angle", "shift", "scale"),
    [
        (3.0, (40.0, -30.0), 1.03),
        (-3.0, (-40.0, 35.0), 0.97),
        (0.0, (0.0, 0.0), 1.0),
        (1.2, (15.0, 5.0), 1.01),
    ],
)
def test_boxes_map_back_within_three_pixels(
    templates: tuple[FormTemplate, ...], angle: float, shift: tuple[float, float], scale: float
) -> None:
    template = templates[0]
    page, forward = scanned(template, ScanParams(angle, scale, shift, 0.8, 6.0, 80), seed=3)
    alignment = find_alignment(page, templates)
    assert alignment is not None and alignment.template_id == template.id and alignment.rotation == 0
    corners = np.array(
        [[f.box[0], f.box[1], 1.0] for f in template.fields]
        + [[f.box[0] + f.box[2], f.box[1] + f.box[3], 1.0] for f in template.fields]
    ).T
    on_page = forward @ corners
    back = alignment.homography @ on_page
    back = back[:2] / back[2]
    assert float(np.abs(back - corners[:2]).max()) < 3.0


def test_upside_down_page_is_turned_back(templates: tuple[FormTemplate, ...]) -> None:
    template = templates[1]
    page, _ = scanned(template, ScanParams(2.0, 1.0, (10.0, 10.0), 0.6, 5.0, 80), seed=4)
    alignment = find_alignment(cv2.rotate(page, cv2.ROTATE_180), templates)
    assert alignment is not None and alignment.template_id == template.id and alignment.rotation == 180


def test_another_document_matches_no_template(templates: tuple[FormTemplate, ...]) -> None:
    assert find_alignment(other_document(random.Random(1)), templates) is None


def test_each_form_matches_its_own_template(all_templates: tuple[FormTemplate, ...]) -> None:
    for template in all_templates:
        page, _ = scanned(template, ScanParams(-1.5, 1.0, (20.0, -20.0), 0.7, 6.0, 80), seed=5)
        alignment = find_alignment(page, all_templates)
        assert alignment is not None and alignment.template_id == template.id


def test_large_typed_text_does_not_reject_the_page(templates: tuple[FormTemplate, ...]) -> None:
    """Acceptance rests on the match's geometry: 68 px typing adds keypoints, not doubt."""
    template = templates[0]
    rng = random.Random(8)
    values, _ = household(rng, 2027)
    filled = fill(template, template.load_image(), values, rng, text_size=68)
    page = degrade(filled, ScanParams(-2.0, 1.02, (25.0, 10.0), 0.8, 6.0, 80), rng)
    decision = assess(page, templates)
    assert decision.alignment is not None and decision.alignment.template_id == template.id
    quality = decision.alignment.quality
    assert quality is not None and quality.coverage > 0.6 and quality.reprojection < 4.0


def test_two_equally_good_templates_are_not_guessed(templates: tuple[FormTemplate, ...]) -> None:
    twin = replace(templates[0], id="twin_of_application")
    page, _ = scanned(templates[0], ScanParams(1.0, 1.0, (5.0, 5.0), 0.7, 5.0, 80), seed=6)
    decision = assess(page, (templates[0], twin))
    assert decision.alignment is None and decision.reason == "ambiguous"
    assert all(c.geometric for c in decision.candidates)


def test_the_template_features_come_from_printed_matter_only(templates: tuple[FormTemplate, ...]) -> None:
    template = templates[0]
    features = template_features(template)
    mask = fill_mask(template, (round(template.size[1] * WORK_SCALE), round(template.size[0] * WORK_SCALE)))
    xs = np.clip(features.keypoints[:, 0].round().astype(int), 0, mask.shape[1] - 1)
    ys = np.clip(features.keypoints[:, 1].round().astype(int), 0, mask.shape[0] - 1)
    assert len(xs) > 500 and mask[ys, xs].min() == 255  # no keypoint inside a writing area
