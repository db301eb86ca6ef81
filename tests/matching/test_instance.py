"""The instance file `bodx match` reads: consistency checks with readable errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from matching.errors import InstanceError
from matching.instance import load_instance


def _instance(**app_overrides: Any) -> dict[str, Any]:
    app = {
        "id": "A000001",
        "age_class": 1,
        "preferences": ["N001"],
        "score": 200,
        "tiebreak": 1,
        "bonus": {},
        "sibling_group": None,
        "allow_split": False,
        "current_nursery": None,
    }
    app.update(app_overrides)
    return {
        "admission_year": 2027,
        "nurseries": [
            {"id": "N001", "name": "さくら保育園", "capacity": {"0": 3, "1": 2}},
            {"id": "N002", "name": "ひまわり保育園", "capacity": {"1": 1}},
        ],
        "applications": [app],
    }


def _write(tmp_path: Path, payload: dict[str, Any]) -> Path:
    path = tmp_path / "city.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return path


def test_roundtrip(tmp_path: Path) -> None:
    instance = load_instance(_write(tmp_path, _instance()))
    assert instance.nurseries[0].capacity == {0: 3, 1: 2}
    again = load_instance(_write(tmp_path, json.loads(instance.to_json())))
    assert again == instance


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"preferences": ["N404"]}, "unknown nursery N404"),
        ({"preferences": []}, "preferences"),
        ({"preferences": ["N001", "N001"]}, "twice"),
        ({"age_class": 6}, "age_class"),
        ({"current_nursery": "N001"}, "current nursery is also a preference"),
        ({"bonus": {"N404": 5}}, "bonus for unknown nursery"),
    ],
)
def test_inconsistent_instance_is_refused(tmp_path: Path, overrides: dict[str, Any], words: str) -> None:
    with pytest.raises(InstanceError, match=words):
        load_instance(_write(tmp_path, _instance(**overrides)))


def test_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "city.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InstanceError, match="invalid instance"):
        load_instance(path)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InstanceError, match="cannot read"):
        load_instance(tmp_path / "missing.json")
