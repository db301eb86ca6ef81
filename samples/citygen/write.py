"""Write a generated city: staff ledger, canonical records, and the instance `bodx match` reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter

from matching.instance import save_instance
from matching.records import Application, Nursery
from matching.scoring import build_instance, load_rules
from samples import DEFAULT_RULES
from samples.citygen.generate import SyntheticCity, generate_city
from samples.citygen.ledger import write_ledger

# Compiled serializers: the same bytes as the models' JSON, without the pure-Python indenting encoder.
_APPLICATIONS = TypeAdapter(tuple[Application, ...])
_NURSERIES = TypeAdapter(tuple[Nursery, ...])


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
    files.applications.write_bytes(_APPLICATIONS.dump_json(city.applications, indent=1) + b"\n")
    files.nurseries.write_bytes(_NURSERIES.dump_json(city.nurseries, indent=1) + b"\n")
    instance = build_instance(city.applications, city.nurseries, load_rules(rules), admission_year)
    save_instance(instance, files.instance)
    return city, files
