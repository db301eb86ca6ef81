"""A city's own layout (image + field map only, no code) reads at the same accuracy."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.ocr import evaluate
from ocr.pipeline import read_batch
from ocr.template import FormTemplate, load_template
from samples.forms import TEMPLATES_DIR
from samples.forms.generate import generate_forms


@pytest.mark.slow
def test_city_b_layout_reads_like_the_standard_one(
    tmp_path: Path, all_templates: tuple[FormTemplate, ...]
) -> None:
    # The layout is only a PNG and a TOML file: copy both elsewhere to show nothing else is needed.
    for suffix in (".png", ".toml"):
        (tmp_path / f"cityb_moushikomi{suffix}").write_bytes(
            (TEMPLATES_DIR / f"cityb_moushikomi{suffix}").read_bytes()
        )
    city_b = load_template(tmp_path / "cityb_moushikomi.toml")
    pages = generate_forms(
        tmp_path / "scans", 4, seed=5, templates=("cityb_moushikomi",), templates_dir=tmp_path
    )
    readings = read_batch([p.image for p in pages], (*all_templates[:2], city_b), workers=2)
    assert {r.template_id for r in readings} == {"cityb_moushikomi"}
    figures = evaluate(readings, [city_b])
    payload = figures.payload()
    assert figures.wrong_status == []
    assert payload["silent_error_rate"] == 0.0
    assert payload["checkbox_accuracy"] == 1.0
    for kind in ("digits", "date", "phone"):
        assert payload["accuracy_by_kind"][kind] == 1.0
    assert payload["field_accuracy"] >= 0.97
    assert payload["straight_through_rate"] >= 0.9
