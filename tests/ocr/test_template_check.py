"""`bodx ocr template check`: strict messages, boxes drawn, samples tried; the city-check function."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

import bodx.commands.ocr  # noqa: F401  (registers the commands)
from bodx.app import app
from ocr.template_check import check_forms_dir
from samples.forms import TEMPLATES_DIR
from samples.forms.generate import generate_forms


def _copy(folder: Path, *ids: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for tid in ids:
        for suffix in (".toml", ".png"):
            shutil.copy(TEMPLATES_DIR / f"{tid}{suffix}", folder / f"{tid}{suffix}")
    return folder


def test_messages_name_the_line_and_the_fix(tmp_path: Path) -> None:
    folder = _copy(tmp_path / "forms", "kawabe_shuro")
    path = folder / "kawabe_shuro.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('kind = "kana"', 'kind = "katakana"', 1).replace(
        "required = true", "requird = true", 1
    )
    text = text.replace('name = "worker_name"', 'name = "workr_name"')
    path.write_text(text, encoding="utf-8")
    problems = check_forms_dir(folder)
    joined = "\n".join(problems)
    line = text.splitlines().index("requird = true") + 1
    assert f"kawabe_shuro.toml:{line}:" in joined and "did you mean 'required'" in joined
    assert "kind must be one of" in joined
    result = CliRunner().invoke(
        app, ["ocr", "template", "check", str(folder), "--out", str(tmp_path / "png")]
    )
    assert result.exit_code == 2 and "requird" in result.output


def test_missing_standard_fields_and_overlaps_are_errors(tmp_path: Path) -> None:
    folder = _copy(tmp_path / "forms", "minato_moushikomi")
    path = folder / "minato_moushikomi.toml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace('name = "child_birth"', 'name = "birthday"'), encoding="utf-8")
    assert any("needs the field child_birth" in p for p in check_forms_dir(folder))
    text = original
    # the phone box pushed onto the postal code's box
    lines = text.splitlines()
    at = lines.index('name = "phone"')
    box = next(i for i in range(at, at + 8) if lines[i].startswith("box = "))
    postal = next(
        i for i in range(lines.index('name = "postal_code"'), len(lines)) if lines[i].startswith("box = ")
    )
    lines[box] = lines[postal]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    joined = "\n".join(check_forms_dir(folder))
    assert "overlaps postal_code" in joined


def test_boxes_drawn_and_a_sample_tried(tmp_path: Path) -> None:
    folder = _copy(tmp_path / "forms", "kawabe_moushikomi", "kawabe_shuro")
    assert check_forms_dir(folder) == []
    (sample,) = generate_forms(tmp_path / "scans", 1, seed=4, templates=("kawabe_moushikomi",))
    out = tmp_path / "png"
    result = CliRunner().invoke(
        app, ["ocr", "template", "check", str(folder), str(sample.image), "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["problems"] == [] and len(payload["pictures"]) == 2
    (tried,) = payload["samples"]
    assert tried["template"] == "kawabe_moushikomi" and tried["coverage"] > 0.5 and tried["inliers"] > 100
    assert isinstance(tried["review_fields"], list) and Path(tried["picture"]).exists()
