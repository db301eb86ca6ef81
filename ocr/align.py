"""Which template is this page, which way up, and the homography that maps it onto the template.

ORB features on a reduced image (fast, and scanner noise matters less), ratio-tested matches, RANSAC
similarity refined to a homography. Rotation and shift of the scan are absorbed by the homography; ORB
descriptors are rotation invariant, so a page fed upside down or sideways matches directly.

A page is accepted on the geometry of the match alone — enough inliers, spread over the form, small
reprojection error — never on a share of the page's keypoints: typed text adds keypoints that match
nothing, and a page typed in a larger size must not look less like its form. The template's features
come from its printed lines and labels only (the writing areas of its fields are masked out). Form
identity is decided between the templates with a margin: a page that matches two of them about equally
well is not guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.template import FormTemplate

WORK_SCALE = 0.35
RATIO = 0.8
# Geometry of an accepted match (template pixels at WORK_SCALE).
MIN_INLIERS = 40
MIN_COVERAGE = 0.45  # share of the template's feature-bearing grid cells that hold an inlier
MAX_REPROJECTION = 1.6  # median distance (px at WORK_SCALE, ~4.5 px at 300 dpi) of the inliers
GRID = (6, 8)  # columns, rows of the coverage grid over the form
# The runner-up template must score clearly lower, or the page is not assigned to either.
IDENTITY_MARGIN = 1.5
PAGE_FEATURES = 6000  # generous: typed text must not crowd the printed form out of the page's keypoints
TEMPLATE_FEATURES = 3000
MASK_INSET = 6  # full-size pixels kept inside a field box: its printed lines stay features


@dataclass(frozen=True)
class TemplateFeatures:
    template_id: str
    keypoints: np.ndarray  # (n, 2) float32 coordinates at WORK_SCALE
    descriptors: np.ndarray
    cells: frozenset[int]  # grid cells (see GRID) that hold template features at all
    size: tuple[int, int]  # (width, height) at WORK_SCALE


@dataclass(frozen=True)
class MatchQuality:
    """How well a page matched one template: what `bodx ocr template check` reports per sample."""

    template_id: str
    inliers: int
    coverage: float  # 0..1 of the template's feature cells
    reprojection: float  # median inlier error, px at 300 dpi
    score: float  # inliers x coverage; 0 when the geometry fails

    @property
    def geometric(self) -> bool:
        return self.score > 0


@dataclass(frozen=True)
class Alignment:
    template_id: str
    rotation: int  # 0, 90, 180 or 270: how the page was fed (the homography turns it back)
    homography: np.ndarray  # full-resolution page -> template pixels
    inliers: int
    quality: MatchQuality | None = None


@dataclass(frozen=True)
class Assessment:
    """Every template's match quality and the decision: an alignment, or why there is none."""

    alignment: Alignment | None
    candidates: tuple[MatchQuality, ...]
    reason: str  # "" when aligned; "no_match" or "ambiguous"


_ORBS: dict[int, cv2.ORB] = {}


def _orb(features: int) -> cv2.ORB:
    if features not in _ORBS:
        _ORBS[features] = cv2.ORB_create(  # type: ignore[attr-defined]
            nfeatures=features, scaleFactor=1.2, nlevels=6, fastThreshold=12
        )
    return _ORBS[features]


def _small(gray: np.ndarray) -> np.ndarray:
    return cv2.resize(gray, None, fx=WORK_SCALE, fy=WORK_SCALE, interpolation=cv2.INTER_AREA)


def _features(
    gray_small: np.ndarray, features: int, mask: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray | None]:
    keypoints, descriptors = _orb(features).detectAndCompute(gray_small, mask)
    points = np.array([kp.pt for kp in keypoints], dtype=np.float32).reshape(-1, 2)
    return points, descriptors


def fill_mask(template: FormTemplate, shape: tuple[int, int]) -> np.ndarray:
    """255 where the blank form is printed matter, 0 inside the writing areas (at WORK_SCALE)."""
    mask = np.full(shape, 255, np.uint8)
    for spec in template.fields:
        boxes = [o.box for o in spec.options] if spec.options else [spec.box]
        for x, y, w, h in boxes:
            x0, y0 = round((x + MASK_INSET) * WORK_SCALE), round((y + MASK_INSET) * WORK_SCALE)
            x1, y1 = round((x + w - MASK_INSET) * WORK_SCALE), round((y + h - MASK_INSET) * WORK_SCALE)
            if x1 > x0 and y1 > y0:
                mask[y0:y1, x0:x1] = 0
    return mask


def _cells(points: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    columns, rows = GRID
    cx = np.clip((points[:, 0] * columns / max(1, size[0])).astype(int), 0, columns - 1)
    cy = np.clip((points[:, 1] * rows / max(1, size[1])).astype(int), 0, rows - 1)
    return np.asarray(cy * columns + cx)


_CACHE: dict[tuple[str, str], TemplateFeatures] = {}


def template_features(template: FormTemplate) -> TemplateFeatures:
    """Features of the blank form's printed matter, computed once per process (a batch shares them)."""
    key = (template.id, str(template.image_path))
    if key not in _CACHE:
        small = _small(template.load_image())
        points, descriptors = _features(small, TEMPLATE_FEATURES, fill_mask(template, small.shape[:2]))
        size = (small.shape[1], small.shape[0])
        _CACHE[key] = TemplateFeatures(
            template.id,
            points,
            descriptors if descriptors is not None else np.empty((0, 32), np.uint8),
            frozenset(int(c) for c in _cells(points, size)),
            size,
        )
    return _CACHE[key]


def _failed(template_id: str, inliers: int = 0) -> tuple[np.ndarray | None, MatchQuality]:
    return None, MatchQuality(template_id, inliers, 0.0, 0.0, 0.0)


def _match(
    page_points: np.ndarray, page_desc: np.ndarray, feats: TemplateFeatures
) -> tuple[np.ndarray | None, MatchQuality]:
    if len(page_desc) < 10 or len(feats.descriptors) < 10:
        return _failed(feats.template_id)
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    pairs = matcher.knnMatch(feats.descriptors, page_desc, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < RATIO * p[1].distance]
    if len(good) < 12:
        return _failed(feats.template_id)
    src = page_points[[m.trainIdx for m in good]]
    dst = feats.keypoints[[m.queryIdx for m in good]]
    # RANSAC on a 4-parameter similarity (2-point samples: few iterations even with most matches wrong)
    # finds the inliers; a least-squares homography over all of them then also absorbs the scanner's
    # slight perspective. (A second RANSAC on the inliers fits 4 points and came out less precise.)
    similarity, mask = cv2.estimateAffinePartial2D(
        src, dst, method=cv2.RANSAC, ransacReprojThreshold=3.0, maxIters=2000, confidence=0.995
    )
    if similarity is None or mask is None:
        return _failed(feats.template_id)
    keep = mask.ravel().astype(bool)
    inliers = int(keep.sum())
    if inliers < 12:
        return _failed(feats.template_id, inliers)
    homography, _ = cv2.findHomography(src[keep], dst[keep], 0)
    if homography is None or not _plausible(homography):
        return _failed(feats.template_id, inliers)
    projected = cv2.perspectiveTransform(src[keep].reshape(-1, 1, 2), homography).reshape(-1, 2)
    error = float(np.median(np.linalg.norm(projected - dst[keep], axis=1)))
    covered = set(int(c) for c in _cells(dst[keep], feats.size)) & feats.cells
    coverage = len(covered) / max(1, len(feats.cells))
    ok = inliers >= MIN_INLIERS and coverage >= MIN_COVERAGE and error <= MAX_REPROJECTION
    quality = MatchQuality(
        feats.template_id,
        inliers,
        round(coverage, 3),
        round(error / WORK_SCALE, 2),
        round(inliers * coverage, 1) if ok else 0.0,
    )
    return (homography if ok else None), quality


def _plausible(homography: np.ndarray) -> bool:
    """A scan is a near-similarity of the form: reject wild homographies from chance matches."""
    h = homography / homography[2, 2]
    scale = np.sqrt(abs(np.linalg.det(h[:2, :2])))
    return bool(0.75 < scale < 1.33 and abs(h[2, 0]) < 1e-3 and abs(h[2, 1]) < 1e-3)


def _to_full(homography: np.ndarray) -> np.ndarray:
    scale = np.diag([WORK_SCALE, WORK_SCALE, 1.0])
    return np.linalg.inv(scale) @ homography @ scale


def _rotation(full: np.ndarray) -> int:
    angle = float(np.degrees(np.arctan2(full[1, 0], full[0, 0])))
    return round(angle / 90.0) % 4 * 90


def assess(gray: np.ndarray, templates: tuple[FormTemplate, ...]) -> Assessment:
    """Match the page against every template and decide which form it is (or why none)."""
    points, desc = _features(_small(gray), PAGE_FEATURES)
    if desc is None or len(points) < 50:
        return Assessment(None, (), "no_match")
    found: list[tuple[MatchQuality, np.ndarray | None]] = []
    for template in templates:
        homography, quality = _match(points, desc, template_features(template))
        found.append((quality, homography))
    found.sort(key=lambda item: -item[0].score)
    candidates = tuple(q for q, _ in found)
    best, homography = found[0] if found else (None, None)
    if best is None or homography is None:
        return Assessment(None, candidates, "no_match")
    # (two copies of one template, e.g. bundled and a city's, are one form: only other ids compete)
    runner_up = max((q.score for q, _ in found if q.template_id != best.template_id), default=0.0)
    if runner_up > 0 and best.score < IDENTITY_MARGIN * runner_up:
        return Assessment(None, candidates, "ambiguous")
    full = _to_full(homography)
    return Assessment(Alignment(best.template_id, _rotation(full), full, best.inliers, best), candidates, "")


def find_alignment(gray: np.ndarray, templates: tuple[FormTemplate, ...]) -> Alignment | None:
    """Best (template, homography), or None when no template matches clearly."""
    return assess(gray, templates).alignment


def warp_to_template(gray: np.ndarray, alignment: Alignment, size: tuple[int, int]) -> np.ndarray:
    return cv2.warpPerspective(gray, alignment.homography, size, flags=cv2.INTER_LINEAR, borderValue=255)


def skew_degrees(alignment: Alignment) -> float:
    """The scan's residual rotation relative to the form after its quarter turns (for reports)."""
    h = alignment.homography
    angle = float(np.degrees(np.arctan2(h[1, 0], h[0, 0])))
    return round((angle + 45) % 90 - 45, 2)
