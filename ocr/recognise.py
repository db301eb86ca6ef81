"""Read one field: both engines on the tight crop, normalise, validate, agree → confidence."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from ocr._exec import rapid, tesseract
from ocr.fields import field_crop, fill_ratio
from ocr.postprocess import problems, to_value
from ocr.readings import FieldReading
from ocr.template import FieldKind, FieldSpec

ACCEPT = 0.75  # confidence threshold: below it the field goes to the review queue
CHECKED = 0.10  # fill ratio above which a box counts as ticked
CLEAR_EMPTY, CLEAR_TICK = 0.04, 0.16  # ratios outside this band are unambiguous

# Tesseract's character set per kind. Fields whose sets are small (numbers) share one stacked Tesseract
# run with the union of their sets (the field's own pattern still rejects a stray character); Japanese
# text kinds share one run without a set, since a whitelist cannot hold the thousands of kanji.
NUMERIC = "0123456789"
MAX_RETRIES = 4  # single-field Tesseract runs per page (each costs a process start)
_TESS_CHARSET: dict[FieldKind, str] = {FieldKind.DIGITS: NUMERIC + ".", FieldKind.PHONE: NUMERIC + "-"}
# A field read again on its own (after a disagreement) gets its kind's full character set.
KATAKANA = "".join(chr(c) for c in range(ord("ァ"), ord("ヶ") + 1)) + "ー"
_RETRY_CHARSET: dict[FieldKind, str] = {
    **_TESS_CHARSET,
    FieldKind.KANA: KATAKANA,
    FieldKind.DATE: NUMERIC + "令和平成昭和大正明治元年月日",
}


def _jpeg(image: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
    return data.tobytes() if ok else b""


def _tesseract_group(spec: FieldSpec) -> str | None:
    """The whitelist group of a field: a character set string, or None for free Japanese text."""
    charset = spec.charset or _TESS_CHARSET.get(spec.kind)
    return "numeric" if charset else None


def _decide(
    spec: FieldSpec, rapid_result: rapid.RapidResult, tess_result: tesseract.TesseractResult, crop_jpeg: bytes
) -> FieldReading:
    rapid_value = to_value(spec, rapid_result.text)
    tess_value = to_value(spec, tess_result.text)
    rapid_issues = problems(spec, rapid_value)
    tess_issues = problems(spec, tess_value)
    # Prefer a reading that passes validation; between two valid (or two invalid) readings, RapidOCR's,
    # which reads Japanese text more accurately than Tesseract's fast `jpn` model.
    if rapid_issues and not tess_issues:
        value, issues = tess_value, tess_issues
    else:
        value, issues = rapid_value, rapid_issues
    agree = rapid_value == tess_value
    if agree and not issues:
        confidence = 0.5 + 0.5 * max(rapid_result.confidence, tess_result.confidence)
    else:
        confidence = 0.5 * rapid_result.confidence
    reasons = list(issues)
    if not agree:
        reasons.append("2つの読み取り結果が一致しません / the two recognisers disagree")
    candidates = (("rapidocr", rapid_value or ""), ("tesseract", tess_value or ""))
    accepted = confidence >= ACCEPT and not issues
    return FieldReading(
        spec.name,
        spec.label,
        spec.kind.value,
        value,
        round(confidence, 4),
        accepted,
        tuple(reasons),
        candidates,
        crop_jpeg,
    )


def read_text_fields(specs: list[FieldSpec], page: np.ndarray, keep_crops: bool) -> list[FieldReading]:
    """Read the text fields of one aligned page: RapidOCR per crop, Tesseract stacked per character set."""
    crops = [field_crop(page, spec.box) for spec in specs]
    results: list[FieldReading | None] = [None] * len(specs)
    groups: dict[str | None, list[int]] = {}
    rapid_results: dict[int, rapid.RapidResult] = {}
    for index, (spec, crop) in enumerate(zip(specs, crops, strict=True)):
        if crop.tight is None:  # no ink: an empty field, which both engines would agree on
            issues = problems(spec, None)
            crop_jpeg = _jpeg(crop.image) if keep_crops or issues else b""
            results[index] = FieldReading(
                spec.name,
                spec.label,
                spec.kind.value,
                None,
                0.0 if issues else 1.0,
                not issues,
                tuple(issues),
                (),
                crop_jpeg,
            )
            continue
        rapid_results[index] = rapid.recognise(crop.tight)
        groups.setdefault(_tesseract_group(spec), []).append(index)
    tess_results: dict[int, tesseract.TesseractResult] = {}
    retries = 0
    for group, indices in groups.items():
        whitelist = None
        if group is not None:
            whitelist = "".join(
                sorted(
                    set("".join(specs[i].charset or _TESS_CHARSET.get(specs[i].kind, "") for i in indices))
                )
            )
        images = [crops[i].tight for i in indices]
        for i, result in zip(
            indices,
            tesseract.recognise_lines([im for im in images if im is not None], whitelist=whitelist),
            strict=True,
        ):
            tess_results[i] = result
    for index in rapid_results:
        reading = _decide(specs[index], rapid_results[index], tess_results[index], b"")
        if not reading.accepted and retries < MAX_RETRIES:
            # Stacked reading drops lone characters and loses some context; a disagreement earns
            # Tesseract one more look at the field on its own, with its kind's character set.
            retries += 1
            spec, tight = specs[index], crops[index].tight
            assert tight is not None
            psm = 8 if tight.shape[1] < 2 * tight.shape[0] else 7
            alone = tesseract.recognise(
                tight, psm=psm, whitelist=spec.charset or _RETRY_CHARSET.get(spec.kind)
            )
            reading = _decide(spec, rapid_results[index], alone, b"")
        if keep_crops or not reading.accepted:
            reading = replace(reading, crop_jpeg=_jpeg(crops[index].image))
        results[index] = reading
    return [r for r in results if r is not None]


def _mark_confidence(ratio: float) -> float:
    if ratio <= CLEAR_EMPTY or ratio >= CLEAR_TICK:
        return 1.0
    return 0.5 * abs(ratio - CHECKED) / max(CHECKED - CLEAR_EMPTY, CLEAR_TICK - CHECKED)


def read_mark_field(spec: FieldSpec, page: np.ndarray, blank: np.ndarray, keep_crop: bool) -> FieldReading:
    crop_jpeg = b""
    if keep_crop:
        x, y, w, h = spec.box
        crop_jpeg = _jpeg(page[max(0, y - 30) : y + h + 30, max(0, x - 30) : x + w + 200])
    if spec.kind is FieldKind.CHECKBOX:
        ratio = fill_ratio(page, blank, spec.box)
        confidence = _mark_confidence(ratio)
        accepted = confidence >= ACCEPT
        reasons = () if accepted else ("チェックの有無が不明瞭です / unclear whether ticked",)
        return FieldReading(
            spec.name,
            spec.label,
            spec.kind.value,
            ratio >= CHECKED,
            round(confidence, 4),
            accepted,
            reasons,
            (("fill", f"{ratio:.3f}"),),
            crop_jpeg,
        )
    ratios = [fill_ratio(page, blank, option.box) for option in spec.options]
    ticked = [option.value for option, r in zip(spec.options, ratios, strict=True) if r >= CHECKED]
    confidence = min(_mark_confidence(r) for r in ratios)
    value: str | None = ticked[0] if len(ticked) == 1 else None
    choice_reasons = list(problems(spec, value)) if len(ticked) <= 1 else []
    if len(ticked) > 1:
        value = spec.options[int(np.argmax(ratios))].value
        choice_reasons.append("複数の選択肢にチェックがあります / more than one option ticked")
    if choice_reasons:
        confidence = min(confidence, 0.5)
    accepted = confidence >= ACCEPT and not choice_reasons
    candidates = tuple((option.value, f"{r:.3f}") for option, r in zip(spec.options, ratios, strict=True))
    return FieldReading(
        spec.name,
        spec.label,
        spec.kind.value,
        value,
        round(confidence, 4),
        accepted,
        tuple(choice_reasons),
        candidates,
        crop_jpeg,
    )
