"""Files one step leaves for the next (steps may run days apart, in other processes).

They hold personal data and stay under the project's data directory. OCR readings are pickled: they are
our own frozen dataclasses (with the scanned field crops), written and read only by these flows.
"""

from __future__ import annotations

import json
import os
import pickle
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, TypeAdapter

from ocr.readings import PageReading

ModelT = TypeVar("ModelT", bound=BaseModel)


def write_atomically(path: Path, payload: bytes) -> Path:
    """A crash mid-write leaves the previous file, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def save_readings(readings: Sequence[PageReading], path: Path) -> Path:
    return write_atomically(path, pickle.dumps(list(readings), protocol=pickle.HIGHEST_PROTOCOL))


def load_readings(path: Path) -> list[PageReading]:
    loaded = pickle.loads(path.read_bytes())  # our own file in the data directory
    if not isinstance(loaded, list) or not all(isinstance(r, PageReading) for r in loaded):
        raise ValueError(f"{path} は読み取り結果のファイルではありません / not a readings file")
    return loaded


def save_models(models: Sequence[BaseModel], path: Path) -> Path:
    payload = [m.model_dump(mode="json") for m in models]
    return write_atomically(path, (json.dumps(payload, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def load_models(model: type[ModelT], path: Path) -> tuple[ModelT, ...]:
    return tuple(TypeAdapter(list[model]).validate_json(path.read_bytes()))  # type: ignore[valid-type]
