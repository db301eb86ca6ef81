"""Issue 17 (3, 5): numbers out of exact integer ranges and oversized lists are refused at loading, with
the field and the limit named, and never reach the solver to come back as a false "infeasible"."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.hostile.bounded import ROOT, Outcome, bodx

CITY = ROOT / "cities/hinata"


def _instance(
    tmp_path: Path, *, score: int = 10, capacity: int = 1, preferences: int = 2, name: str = "ひなた保育園"
) -> Path:
    nurseries = [
        {"id": f"N{i}", "name": name if i == 1 else f"園{i}", "capacity": {"1": capacity}}
        for i in range(1, 3)
    ]
    children = [
        {"id": f"C{i}", "age_class": 1, "preferences": ["N1", "N2"], "score": score * (i + 1), "tiebreak": i}
        for i in range(4)
    ]
    children[0]["preferences"] = [f"N{i}" for i in range(1, preferences + 1)]
    path = tmp_path / "city.json"
    path.write_text(
        json.dumps({"admission_year": 2027, "nurseries": nurseries, "applications": children}),
        encoding="utf-8",
    )
    return path


def _match(tmp_path: Path, instance: Path) -> Outcome:
    outcome = bodx("match", "--instance", instance, "--out", tmp_path / "result.json", cwd=tmp_path)
    assert "infeasible" not in outcome.output and "きょうだい" not in outcome.output, outcome.output
    assert not (tmp_path / "result.json").exists()
    return outcome


def test_scores_beyond_exact_integers_are_refused_not_infeasible(tmp_path: Path) -> None:
    _match(tmp_path, _instance(tmp_path, score=10**13)).assert_refused("score", "1000000000")


def test_capacity_of_ten_to_the_thirty_is_a_message_not_a_type_error(tmp_path: Path) -> None:
    _match(tmp_path, _instance(tmp_path, capacity=10**30)).assert_refused("max_capacity")


def test_two_hundred_thousand_preferences_are_refused_at_once(tmp_path: Path) -> None:
    outcome = _match(tmp_path, _instance(tmp_path, preferences=200_000))
    outcome.assert_refused("preferences", "100")
    assert outcome.cpu_seconds < 10


def test_a_three_megabyte_name_is_refused(tmp_path: Path) -> None:
    outcome = _match(tmp_path, _instance(tmp_path, name="保" * 3_000_000))
    outcome.assert_refused("name", "2000")
    assert len(outcome.output) < 10_000  # the message does not quote the name


def _rules(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "city"
    shutil.copytree(CITY, folder, ignore=shutil.ignore_patterns("ledger", "forms", "*.png"))
    rules = folder / "rules.toml"
    text = rules.read_text(encoding="utf-8")
    assert old in text
    rules.write_text(text.replace(old, new, 1), encoding="utf-8")
    return rules


def _score(tmp_path: Path, rules: Path) -> Outcome:
    apps, places = tmp_path / "applications.json", tmp_path / "nurseries.json"
    apps.write_text("[]")
    places.write_text("[]")
    out = tmp_path / "out.json"
    outcome = bodx(
        "score",
        "--applications",
        apps,
        "--nurseries",
        places,
        "--rules",
        rules,
        "--year",
        "2027",
        "--out",
        out,
        cwd=tmp_path,
    )
    assert not out.exists(), outcome.output
    return outcome


def test_rules_scale_of_ten_to_the_ten_is_refused_at_loading(tmp_path: Path) -> None:
    rules = _rules(tmp_path, "scale = 10 ", "scale = 10000000000 ")
    _score(tmp_path, rules).assert_refused("rules.toml:", "max_rules_scale")


def test_points_of_infinity_are_refused_with_the_line(tmp_path: Path) -> None:
    rules = _rules(tmp_path, "points = 10 ", "points = inf ")
    _score(tmp_path, rules).assert_refused("rules.toml:28", "max_abs_points")


def test_a_three_megabyte_name_in_the_applications_is_refused_naming_the_line(tmp_path: Path) -> None:
    apps = tmp_path / "applications.json"
    apps.write_text(
        '[\n{"id": "A1",\n "children": [{"name": "' + "保" * 3_000_000 + '"}]}\n]', encoding="utf-8"
    )
    places = tmp_path / "nurseries.json"
    places.write_text("[]")
    outcome = bodx(
        "score",
        "--applications",
        apps,
        "--nurseries",
        places,
        "--rules",
        CITY / "rules.toml",
        "--year",
        "2027",
        "--out",
        tmp_path / "c.json",
        cwd=tmp_path,
    )
    outcome.assert_refused("applications.json:3", "max_text_chars")
    assert len(outcome.output) < 10_000


def test_two_hundred_thousand_preferences_in_the_applications_stay_bounded(tmp_path: Path) -> None:
    from samples.citygen.generate import generate_city

    city = generate_city(5, seed=2)
    records = [a.model_dump(mode="json") for a in city.applications]
    records[0]["preferences"] = [f"N{i:06d}" for i in range(200_000)]
    apps, places = tmp_path / "applications.json", tmp_path / "nurseries.json"
    apps.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    places.write_text(json.dumps([n.model_dump(mode="json") for n in city.nurseries], ensure_ascii=False))
    outcome = bodx(
        "score",
        "--applications",
        apps,
        "--nurseries",
        places,
        "--rules",
        CITY / "rules.toml",
        "--year",
        "2027",
        "--out",
        tmp_path / "c.json",
        cwd=tmp_path,
    )
    outcome.assert_refused("preferences")
    assert not (tmp_path / "c.json").exists()
