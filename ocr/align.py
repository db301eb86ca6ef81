"""Which template is this page, which way up, and the homography that maps it onto the template.

ORB features on a reduced image (fast, and scanner noise matters less), ratio-tested matches, RANSAC
homography. Rotation and shift of the scan (deskew) are absorbed by the homography; upside-down pages are
found by also trying the page turned 180°. The template with the most inliers wins.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.template import FormTemplate

WORK_SCALE = 0.35
MIN_INLIERS = 60
# A page of the right form matches about a third of its keypoints; another form sharing a few printed
# labels (氏名, 生年月日 …) matches well under a tenth. Below this share the page is not ours.
MIN_INLIER_FRACTION = 0.15
RATIO = 0.8


@dataclass(frozen=True)
class TemplateFeatures:
    template_id: str
    keypoints: np.ndarray  # (n, 2) float32 coordinates at WORK_SCALE
    descriptors: np.ndarray


@dataclass(frozen=True)
class Alignment:
    template_id: str
    rotation: int  # 180 when the page was fed upside down (the homography turns it back)
    homography: np.ndarray  # full-resolution page -> template pixels
    inliers: int


_ORB = None


def _orb() -> cv2.ORB:
    global _ORB
    if _ORB is None:
        _ORB = cv2.ORB_create(nfeatures=2500, scaleFactor=1.2, nlevels=6, fastThreshold=12)  # type: ignore[attr-defined]
    return _ORB


def _small(gray: np.ndarray) -> np.ndarray:
    return cv2.resize(gray, None, fx=WORK_SCALE, fy=WORK_SCALE, interpolation=cv2.INTER_AREA)


def _features(gray_small: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    keypoints, descriptors = _orb().detectAndCompute(gray_small, None)
    points = np.array([kp.pt for kp in keypoints], dtype=np.float32).reshape(-1, 2)
    return points, descriptors


_CACHE: dict[tuple[str, str], TemplateFeatures] = {}


def template_features(template: FormTemplate) -> TemplateFeatures:
    """Features of the blank form, computed once per process (pages of a batch share them)."""
    key = (template.id, str(template.image_path))
    if key not in _CACHE:
        points, descriptors = _features(_small(template.load_image()))
        _CACHE[key] = TemplateFeatures(
            template.id, points, descriptors if descriptors is not None else np.empty((0, 32), np.uint8)
        )
    return _CACHE[key]


def _match(
    page_points: np.ndarray, page_desc: np.ndarray, feats: TemplateFeatures
) -> tuple[np.ndarray | None, int]:
    if len(page_desc) < 10 or len(feats.descriptors) < 10:
        return None, 0
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    pairs = matcher.knnMatch(page_desc, feats.descriptors, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < RATIO * p[1].distance]
    if len(good) < 12:
        return None, 0
    src = page_points[[m.queryIdx for m in good]]
    dst = feats.keypoints[[m.trainIdx for m in good]]
    # RANSAC on a 4-parameter similarity (2-point samples: few iterations even with most matches wrong)
    # finds the inliers; a least-squares homography over all of them then also absorbs the scanner's slight
    # perspective. (A second RANSAC on the inliers fits 4 points and came out less precise: ~6 px vs <3 px.)
    similarity, mask = cv2.estimateAffinePartial2D(
        src, dst, method=cv2.RANSAC, ransacReprojThreshold=3.0, maxIters=2000, confidence=0.995
    )
    if similarity is None or mask is None:
        return None, 0
    keep = mask.ravel().astype(bool)
    if keep.sum() < 12:
        return None, 0
    homography, _ = cv2.findHomography(src[keep], dst[keep], 0)
    if homography is None or not _plausible(homography):
        return None, 0
    return homography, int(keep.sum())


def _plausible(homography: np.ndarray) -> bool:
    """A scan is a near-similarity of the form: reject wild homographies from chance matches."""
    h = homography / homography[2, 2]
    scale = np.sqrt(abs(np.linalg.det(h[:2, :2])))
    return bool(0.75 < scale < 1.33 and abs(h[2, 0]) < 1e-3 and abs(h[2, 1]) < 1e-3)


def _to_full(homography: np.ndarray) -> np.ndarray:
    scale = np.diag([WORK_SCALE, WORK_SCALE, 1.0])
    return np.linalg.inv(scale) @ homography @ scale


def find_alignment(gray: np.ndarray, templates: tuple[FormTemplate, ...]) -> Alignment | None:
    """Best (template, homography), or None when no template matches well enough.

    ORB descriptors are rotation invariant, so an upside-down page matches directly: its homography
    simply contains the half turn, reported as `rotation=180`.
    """
    points, desc = _features(_small(gray))
    if desc is None or len(points) < 50:
        return None
    needed = max(MIN_INLIERS, int(MIN_INLIER_FRACTION * len(points)))
    best: Alignment | None = None
    for template in templates:
        homography, inliers = _match(points, desc, template_features(template))
        if homography is not None and inliers >= needed and (best is None or inliers > best.inliers):
            full = _to_full(homography)
            angle = float(np.degrees(np.arctan2(full[1, 0], full[0, 0])))
            best = Alignment(template.id, 180 if abs(angle) > 90 else 0, full, inliers)
    return best


def warp_to_template(gray: np.ndarray, alignment: Alignment, size: tuple[int, int]) -> np.ndarray:
    return cv2.warpPerspective(gray, alignment.homography, size, flags=cv2.INTER_LINEAR, borderValue=255)


def skew_degrees(alignment: Alignment) -> float:
    """The scan's rotation relative to the form, as corrected by the homography (for reports)."""
    h = alignment.homography
    return float(np.degrees(np.arctan2(h[1, 0], h[0, 0])))
