"""Read one field: both engines on the tight crop, normalise, validate, agree → confidence."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from ocr._exec import rapid, tesseract
from ocr.fields import field_crop, split_at_space
from ocr.marks import CIRCLED, CLEAR_CIRCLED, CLEAR_FILLED, FILLED, MarkEvidence, mark_evidence
from ocr.postprocess import problems, to_value
from ocr.readings import FieldReading
from ocr.template import FieldKind, FieldSpec

ACCEPT = 0.75  # confidence threshold: below it the field goes to the review queue

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


UNCLEAR_SPACE = "姓と名の間の空白の有無が不明瞭です / unclear whether family and given name are spaced"


def _pieces(spec: FieldSpec, tight: np.ndarray) -> tuple[list[np.ndarray], bool]:
    """A kana field split at the space between family and given name (the engines drop it or read it
    as ー), and whether that space is doubtful; every other field is one piece."""
    return split_at_space(tight) if spec.kind is FieldKind.KANA else ([tight], False)


def _joined_rapid(pieces: list[np.ndarray]) -> rapid.RapidResult:
    results = [rapid.recognise(piece) for piece in pieces]
    return rapid.RapidResult(" ".join(r.text for r in results), min(r.confidence for r in results))


def _joined_tesseract(results: list[tesseract.TesseractResult]) -> tesseract.TesseractResult:
    return tesseract.TesseractResult(" ".join(r.text for r in results), min(r.confidence for r in results))


def _empty_reading(spec: FieldSpec, image: np.ndarray, keep_crops: bool) -> FieldReading:
    """No ink: an empty field, which both engines would agree on."""
    issues = problems(spec, None)
    crop_jpeg = _jpeg(image) if keep_crops or issues else b""
    return FieldReading(
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


def read_text_fields(specs: list[FieldSpec], page: np.ndarray, keep_crops: bool) -> list[FieldReading]:
    """Read the text fields of one aligned page: RapidOCR per crop, Tesseract stacked per character set."""
    crops = [field_crop(page, spec.box) for spec in specs]
    results: list[FieldReading | None] = [None] * len(specs)
    groups: dict[str | None, list[int]] = {}
    pieces: dict[int, list[np.ndarray]] = {}
    doubtful_space: set[int] = set()
    rapid_results: dict[int, rapid.RapidResult] = {}
    for index, (spec, crop) in enumerate(zip(specs, crops, strict=True)):
        if crop.tight is None:
            results[index] = _empty_reading(spec, crop.image, keep_crops)
            continue
        pieces[index], unclear = _pieces(spec, crop.tight)
        if unclear:
            doubtful_space.add(index)
        rapid_results[index] = _joined_rapid(pieces[index])
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
        owners = [i for i in indices for _ in pieces[i]]
        lines = tesseract.recognise_lines([p for i in indices for p in pieces[i]], whitelist=whitelist)
        for i in indices:
            tess_results[i] = _joined_tesseract(
                [r for owner, r in zip(owners, lines, strict=True) if owner == i]
            )
    for index in rapid_results:
        reading = _decide(specs[index], rapid_results[index], tess_results[index], b"")
        if not reading.accepted and retries < MAX_RETRIES:
            # Stacked reading drops lone characters and loses some context; a disagreement earns
            # Tesseract one more look at the field on its own, with its kind's character set.
            retries += 1
            spec = specs[index]
            alone = []
            for piece in pieces[index]:
                psm = 8 if piece.shape[1] < 2 * piece.shape[0] else 7
                whitelist = spec.charset or _RETRY_CHARSET.get(spec.kind)
                alone.append(tesseract.recognise(piece, psm=psm, whitelist=whitelist))
            reading = _decide(spec, rapid_results[index], _joined_tesseract(alone), b"")
        if index in doubtful_space:
            reading = replace(
                reading,
                accepted=False,
                confidence=min(reading.confidence, 0.5),
                problems=(*reading.problems, UNCLEAR_SPACE),
            )
        if keep_crops or not reading.accepted:
            reading = replace(reading, crop_jpeg=_jpeg(crops[index].image))
        results[index] = reading
    return [r for r in results if r is not None]


def _mark_confidence(evidence: MarkEvidence) -> float:
    """1.0 for a clear mark or a clearly empty box; below ACCEPT in the doubtful band between them."""
    if evidence.certain:
        return 1.0
    fill_margin = abs(evidence.fill - FILLED) / (CLEAR_FILLED - FILLED)
    ring_margin = abs(evidence.ring - CIRCLED) / (CLEAR_CIRCLED - CIRCLED)
    return round(0.5 * min(1.0, min(fill_margin, ring_margin)), 4)


UNCLEAR_MARK = "チェックの有無が不明瞭です（薄い・欠けた・はみ出した印）/ unclear whether marked"


def read_mark_field(spec: FieldSpec, page: np.ndarray, blank: np.ndarray, keep_crop: bool) -> FieldReading:
    """A check box (bool) or a choice (the marked option's value). Doubtful marks wait for review."""
    crop_jpeg = b""
    if keep_crop:
        x, y, w, h = spec.mark_area or spec.box
        crop_jpeg = _jpeg(page[max(0, y - 30) : y + h + 30, max(0, x - 30) : x + w + 200])
    if spec.kind is FieldKind.CHECKBOX:
        evidence = mark_evidence(page, blank, spec.box, spec.mark_area)
        confidence = _mark_confidence(evidence)
        accepted = confidence >= ACCEPT
        return FieldReading(
            spec.name,
            spec.label,
            spec.kind.value,
            evidence.marked,
            confidence,
            accepted,
            () if accepted else (UNCLEAR_MARK,),
            (("mark", evidence.text()),),
            crop_jpeg,
        )
    found = [mark_evidence(page, blank, option.box, option.mark_area) for option in spec.options]
    marked = [option.value for option, e in zip(spec.options, found, strict=True) if e.marked]
    confidence = min(_mark_confidence(e) for e in found)
    value: str | None = marked[0] if len(marked) == 1 else None
    reasons = list(problems(spec, value)) if len(marked) <= 1 else []
    if confidence < ACCEPT:
        reasons.append(UNCLEAR_MARK)
    if len(marked) > 1:
        reasons.append("複数の選択肢に印があります / more than one option marked")
    if reasons:
        confidence = min(confidence, 0.5)
    candidates = tuple((option.value, e.text()) for option, e in zip(spec.options, found, strict=True))
    return FieldReading(
        spec.name,
        spec.label,
        spec.kind.value,
        value,
        round(confidence, 4),
        confidence >= ACCEPT and not reasons,
        tuple(reasons),
        candidates,
        crop_jpeg,
    )
