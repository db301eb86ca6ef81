"""Write a generated city: staff ledger, canonical records, and the instance `bodx match` reads."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from matching.scoring import build_instance, load_rules

from matching.instance import save_instance
from samples import RULES_DIR
from samples.citygen.generate import SyntheticCity, generate_city
from samples.citygen.ledger import write_ledger

DEFAULT_RULES = RULES_DIR / "default.toml"


@dataclass(frozen=True)
class CityFiles:
    ledger: Path
    applications: Path
    nurseries: Path
    instance: Path


def write_city(
    out: Path, applicants: int, seed: int, admission_year: int = 2027, rules: Path = DEFAULT_RULES
) -> tuple[SyntheticCity, CityFiles]:
    """Generate and write a city into `out` (created if missing). Same arguments, same bytes."""
    out.mkdir(parents=True, exist_ok=True)
    city = generate_city(applicants, seed, admission_year)
    files = CityFiles(
        ledger=out / "ledger.xlsx",
        applications=out / "applications.json",
        nurseries=out / "nurseries.json",
        instance=out / "city.json",
    )
    write_ledger(city, files.ledger)
    _write_json(files.applications, [a.model_dump(mode="json") for a in city.applications])
    _write_json(files.nurseries, [n.model_dump(mode="json") for n in city.nurseries])
    instance = build_instance(city.applications, city.nurseries, load_rules(rules), admission_year)
    save_instance(instance, files.instance)
    return city, files


def _write_json(path: Path, payload: object) -> None:
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
