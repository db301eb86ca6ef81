"""Files one step leaves for the next (steps may run days apart, in other processes).

They hold personal data and stay under the project's data directory. OCR readings go through
:mod:`ocr.store` (JSON, no crops: those live in the review workbook).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, TypeAdapter

from sheets.safety import write_atomically

ModelT = TypeVar("ModelT", bound=BaseModel)


def save_models(models: Sequence[BaseModel], path: Path) -> Path:
    payload = [m.model_dump(mode="json") for m in models]
    return write_atomically(path, (json.dumps(payload, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def load_models(model: type[ModelT], path: Path) -> tuple[ModelT, ...]:
    return tuple(TypeAdapter(list[model]).validate_json(path.read_bytes()))  # type: ignore[valid-type]
