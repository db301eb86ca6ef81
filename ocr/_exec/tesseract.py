"""Tesseract (`jpn`) through pytesseract: the only module that imports pytesseract.

Starting `tesseract` and loading the `jpn` model costs about a quarter of a second, far more than reading
one field, so the crops of a page that share a character set are stacked into one image (one field per
line, wide white gaps) and read in a single call; words are assigned back to fields by their position.
OpenMP is limited to one thread so that a process pool over pages uses the cores instead.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ocr.errors import EngineError

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
GAP = 48  # white pixels between stacked fields: Tesseract never joins lines this far apart


@dataclass(frozen=True)
class TesseractResult:
    text: str
    confidence: float  # 0..1, the lowest word confidence (one doubtful character is enough to doubt)


def _config(psm: int, whitelist: str | None) -> str:
    config = f"--psm {psm} --oem 1 -c preserve_interword_spaces=1"
    if whitelist:
        config += f" -c tessedit_char_whitelist={whitelist}"
    return config


def _data(image: np.ndarray, config: str, lang: str) -> dict[str, list[object]]:
    import pytesseract

    try:
        data: dict[str, list[object]] = pytesseract.image_to_data(
            image, lang=lang, config=config, output_type=pytesseract.Output.DICT
        )
        return data
    except pytesseract.TesseractNotFoundError as exc:
        raise EngineError(
            "Tesseract が見つかりません。`make setup` で tesseract-ocr と tesseract-ocr-jpn を入れてください / "
            "tesseract is not installed (run `make setup`)"
        ) from exc
    except pytesseract.TesseractError as exc:
        raise EngineError(f"Tesseract の実行に失敗しました / tesseract failed: {exc}") from exc


def _result(words: list[tuple[int, str, float]]) -> TesseractResult:
    if not words:
        return TesseractResult("", 0.0)
    words.sort()
    return TesseractResult("".join(w for _, w, _ in words), max(0.0, min(c for _, _, c in words)) / 100.0)


def recognise(
    image: np.ndarray, *, psm: int = 7, whitelist: str | None = None, lang: str = "jpn"
) -> TesseractResult:
    """Read one line of text from a grayscale crop."""
    data = _data(image, _config(psm, whitelist), lang)
    words = [
        (int(str(left)), str(text), float(str(conf)))
        for text, conf, left in zip(data["text"], data["conf"], data["left"], strict=True)
        if str(text).strip()
    ]
    return _result(words)


def recognise_lines(
    images: Sequence[np.ndarray], *, whitelist: str | None = None, lang: str = "jpn"
) -> list[TesseractResult]:
    """Read several one-line crops in one Tesseract run (stacked vertically); one result per crop."""
    if not images:
        return []
    width = max(image.shape[1] for image in images)
    rows: list[np.ndarray] = []
    spans: list[tuple[int, int]] = []
    top = GAP
    rows.append(np.full((GAP, width + 2 * GAP), 255, np.uint8))
    for image in images:
        row = np.full((image.shape[0], width + 2 * GAP), 255, np.uint8)
        row[:, GAP : GAP + image.shape[1]] = image
        rows.extend((row, np.full((GAP, width + 2 * GAP), 255, np.uint8)))
        spans.append((top, top + image.shape[0]))
        top += image.shape[0] + GAP
    data = _data(np.vstack(rows), _config(6, whitelist), lang)
    words: list[list[tuple[int, str, float]]] = [[] for _ in images]
    for text, conf, left, word_top, height in zip(
        data["text"], data["conf"], data["left"], data["top"], data["height"], strict=True
    ):
        if not str(text).strip():
            continue
        middle = int(str(word_top)) + int(str(height)) / 2
        for index, (start, end) in enumerate(spans):
            if start - GAP / 2 <= middle < end + GAP / 2:
                words[index].append((int(str(left)), str(text), float(str(conf))))
                break
    return [_result(w) for w in words]


def available_languages() -> list[str]:
    import pytesseract

    return list(pytesseract.get_languages(config=""))
