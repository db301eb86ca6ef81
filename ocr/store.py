"""Readings to and from JSON, so that reading, review and conversion can run as separate steps.

Crops are left out (they live in the review workbook); the file holds personal data like the scans do,
so it belongs in the same protected folder, never in logs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ocr.errors import OcrError
from ocr.readings import FieldReading, PageReading, PageStatus
from sheets.safety import write_atomically

FORMAT = "bodx-ocr-readings/1"


def _page(data: dict[str, Any]) -> PageReading:
    fields = tuple(
        FieldReading(
            **{**f, "problems": tuple(f["problems"]), "candidates": tuple(tuple(c) for c in f["candidates"])}
        )
        for f in data.pop("fields")
    )
    return PageReading(**{**data, "status": PageStatus(data["status"]), "fields": fields})


def save_readings(readings: Sequence[PageReading], path: Path | str) -> Path:
    """Write atomically: a crash mid-write leaves the previous file, never half of one."""
    pages = []
    for reading in readings:
        page = asdict(reading)
        for field in page["fields"]:
            field["crop_jpeg"] = b""
            del field["crop_jpeg"]
        page["status"] = reading.status.value
        del page["thumbnail_jpeg"]  # pictures live in the review workbook only
        pages.append(page)
    payload = json.dumps({"format": FORMAT, "pages": pages}, ensure_ascii=False, indent=1).encode("utf-8")
    return write_atomically(Path(path), payload)


def load_readings(path: Path | str) -> list[PageReading]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"format is {data.get('format')!r}")
        return [_page(page) for page in data["pages"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise OcrError(
            f"読み取り結果ファイルを読めません / cannot read the readings file {Path(path).name}: {exc}"
        ) from exc
