"""`bodx score`: applications.json + nurseries.json + rules -> city.json (and priorities with breakdowns)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from typer.testing import CliRunner

from bodx.app import app
from matching.instance import load_instance
from matching.priority import ChildPriority
from matching.scoring import build_instance, load_rules
from samples import DEFAULT_RULES, RULES_DIR
from samples.citygen.generate import generate_city

YEAR = 2027


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    city = generate_city(150, seed=4, admission_year=YEAR)
    apps, places = tmp_path / "applications.json", tmp_path / "nurseries.json"
    apps.write_text(json.dumps([a.model_dump(mode="json") for a in city.applications], ensure_ascii=False))
    places.write_text(json.dumps([n.model_dump(mode="json") for n in city.nurseries], ensure_ascii=False))
    return apps, places


def _score(apps: Path, places: Path, rules: Path, out: Path, *extra: str) -> tuple[int, str]:
    importlib.import_module("bodx.commands.scoring")
    args = ["score", "--applications", str(apps), "--nurseries", str(places), "--rules", str(rules)]
    run = CliRunner().invoke(app, [*args, "--year", str(YEAR), "--out", str(out), *extra])
    return run.exit_code, run.output


def test_score_writes_the_same_instance_as_build_instance(tmp_path: Path) -> None:
    apps, places = _inputs(tmp_path)
    rules = RULES_DIR / "monthly_hours_8.toml"
    code, output = _score(
        apps, places, rules, tmp_path / "city.json", "--priorities", str(tmp_path / "p.json")
    )
    assert code == 0, output
    city = generate_city(150, seed=4, admission_year=YEAR)
    expected = build_instance(city.applications, city.nurseries, load_rules(rules), YEAR)
    assert load_instance(tmp_path / "city.json") == expected
    priorities = [ChildPriority.model_validate(p) for p in json.loads((tmp_path / "p.json").read_text())]
    assert [p.child_id for p in priorities] == [a.id for a in expected.applications]
    assert all(p.breakdown for p in priorities)


def test_score_reports_a_malformed_rules_file_by_line_without_traceback(tmp_path: Path) -> None:
    apps, places = _inputs(tmp_path)
    broken = tmp_path / "broken.toml"
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    broken.write_text(text.replace('[reasons."求職"]', '[reasons."休職"]'), encoding="utf-8")
    code, output = _score(apps, places, broken, tmp_path / "city.json")
    line = next(n for n, row in enumerate(broken.read_text().splitlines(), start=1) if "休職" in row)
    assert code == 2
    assert f"broken.toml:{line}:" in output and "事由「休職」はありません" in output
    assert "Traceback" not in output
    assert not (tmp_path / "city.json").exists()


def test_score_reports_an_unreadable_applications_file(tmp_path: Path) -> None:
    _, places = _inputs(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, output = _score(bad, places, DEFAULT_RULES, tmp_path / "city.json")
    assert code == 2 and "読めません" in output
