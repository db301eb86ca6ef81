"""RapidOCR's PP-OCR recogniser (ONNX Runtime): the only module that imports rapidocr.

Only the recogniser runs: the pipeline already crops each field tightly, which is what the text detector
would do, at a fraction of the cost. The model files come from the rapidocr wheel itself and are named
explicitly, so nothing is downloaded at run time; a missing file is an error, not a download.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ocr.errors import EngineError

REC_MODEL = "PP-OCRv6_rec_small.onnx"


@dataclass(frozen=True)
class RapidResult:
    text: str
    confidence: float  # 0..1, the recogniser's mean character probability


_ENGINE: Any = None


def _model_dir() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).resolve().parent / "models"


def _engine() -> Any:
    """One recogniser per process (ONNX sessions are not shared across a process pool)."""
    global _ENGINE
    if _ENGINE is None:
        from rapidocr import RapidOCR

        model = _model_dir() / REC_MODEL
        if not model.exists():
            raise EngineError(
                f"RapidOCR の認識モデル {REC_MODEL} が rapidocr パッケージ内にありません。requirements.lock の版を"
                f"入れ直してください / recognition model missing from the rapidocr wheel: {model}"
            )
        _ENGINE = RapidOCR(
            params={
                "Global.log_level": "error",
                "Global.use_det": False,
                "Global.use_cls": False,
                "Global.model_root_dir": str(_model_dir()),
                "Rec.model_path": str(model),
                # One thread per process: the page pool already uses every core.
                "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )
    return _ENGINE


def engine_loaded() -> bool:
    """True once this process holds an ONNX Runtime session (it must not be forked from then on)."""
    return _ENGINE is not None


def recognise(image: np.ndarray) -> RapidResult:
    """Read one line of text from a grayscale or BGR crop."""
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    output = _engine()(image, use_det=False, use_cls=False, use_rec=True)
    texts = getattr(output, "txts", None) or ()
    scores = getattr(output, "scores", None) or ()
    if not texts:
        return RapidResult("", 0.0)
    return RapidResult("".join(texts), float(min(scores)) if scores else 0.0)
