"""Shared fixtures: the sample templates and one small generated batch, read once per session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ocr.pipeline import read_batch
from ocr.readings import PageReading
from ocr.template import FormTemplate, load_template
from samples.forms import TEMPLATES_DIR
from samples.forms.generate import GeneratedPage, generate_forms

STANDARD_IDS = ("hoiku_moushikomi", "shuro_shomeisho")


@pytest.fixture(scope="session")
def templates() -> tuple[FormTemplate, ...]:
    return tuple(load_template(TEMPLATES_DIR / f"{tid}.toml") for tid in STANDARD_IDS)


@pytest.fixture(scope="session")
def all_templates() -> tuple[FormTemplate, ...]:
    return tuple(load_template(p) for p in sorted(TEMPLATES_DIR.glob("*.toml")))


@pytest.fixture(scope="session")
def batch(tmp_path_factory: pytest.TempPathFactory) -> list[GeneratedPage]:
    """Six good pages (applications and certificates of the same households) and the five bad ones."""
    return generate_forms(tmp_path_factory.mktemp("forms"), 6, seed=11, bad=True)


@pytest.fixture(scope="session")
def readings(batch: list[GeneratedPage], templates: tuple[FormTemplate, ...]) -> dict[str, PageReading]:
    pages = read_batch([p.image for p in batch], templates, workers=2)
    return {Path(r.source).stem: r for r in pages}


def truth(page: PageReading) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(page.source).with_suffix(".json").read_text(encoding="utf-8"))
    return data
