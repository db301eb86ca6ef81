import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import bodx.commands.ocr  # noqa: F401  (registers the commands)
from bodx.app import app

KEYS = [
    "pages",
    "field_accuracy",
    "accuracy_by_kind",
    "checkbox_accuracy",
    "straight_through_rate",
    "silent_error_rate",
    "pages_per_minute",
]


def test_samples_forms_writes_pages_and_truth(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["samples", "forms", "--count", "2", "--seed", "3", "--out", str(tmp_path), "--bad"]
    )
    assert result.exit_code == 0, result.output
    assert (
        len(list(tmp_path.glob("*.jpg"))) == 8 and len(list(tmp_path.glob("*.json"))) == 8
    )  # 2 good + 6 bad


@pytest.mark.slow
def test_bench_ocr_json_has_exactly_the_issue_keys() -> None:
    result = CliRunner().invoke(app, ["bench", "ocr", "--pages", "3", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output.strip().splitlines()[-1])
    assert list(payload) == KEYS
    assert payload["pages"] == 3 and payload["pages_per_minute"] > 0
