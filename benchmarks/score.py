"""The scoring benchmark (`bodx bench score`): `bodx score` on a generated city, in fresh processes.

The city is samples/citygen's (about 10 % of children in sibling groups), generated once into the cache.
When the rules file's city profile declares facts (cities/kawabe: 認可外の利用月数, 町内の保育士 …), the
households get seeded values for them, so the conditions over facts really fire instead of reading
"unknown". Each run is `python -m bodx.cli score …` end to end: reading 60,000 applications, loading the
rules, scoring, the tie order, writing city.json; the figures are medians.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from matching.profile import CityProfile, FactDeclaration, FactType, load_profile
from matching.records import Application


def _fact_value(rng: random.Random, fact: FactDeclaration) -> Any:
    if fact.type is FactType.BOOL:
        return rng.random() < 0.1
    if fact.type is FactType.INT:
        low, high = fact.minimum or 0, fact.maximum if fact.maximum is not None else 12
        return rng.randint(low, min(high, low + 12))
    if fact.type is FactType.CHOICE:
        return rng.choice(fact.choices)
    if fact.type is FactType.DATE:
        return f"2027-0{rng.randint(1, 6)}-01"
    return "記載あり"


def with_facts(apps: list[dict[str, Any]], profile: CityProfile, seed: int) -> list[dict[str, Any]]:
    """The applications with seeded values for the profile's declared facts (a third of households)."""
    rng = random.Random(seed)
    for app in apps:
        if rng.random() > 1 / 3:
            continue
        household = app["household"]
        for fact in profile.facts:
            if fact.level.value == "household":
                household.setdefault("facts", {})[fact.name] = _fact_value(rng, fact)
            elif fact.level.value == "guardian":
                for guardian in household["guardians"]:
                    guardian.setdefault("facts", {})[fact.name] = _fact_value(rng, fact)
            else:
                for child in app["children"]:
                    child.setdefault("facts", {})[fact.name] = _fact_value(rng, fact)
    return apps


def city_files(size: int, seed: int, cache: Path, rules: Path) -> tuple[Path, Path, int]:
    """(applications.json, nurseries.json, admission year) of a generated city, written once into `cache`."""
    beside = rules.parent / "city.toml"
    profile = load_profile(beside)[0] if beside.is_file() else None
    tag = profile.slug if profile is not None and profile.facts else "plain"
    folder = cache / f"score-{size}-seed{seed}-{tag}"
    apps_path, nurseries_path = folder / "applications.json", folder / "nurseries.json"
    if not apps_path.exists():
        from samples.citygen.generate import generate_city

        city = generate_city(size, seed)
        apps = [app.model_dump(mode="json") for app in city.applications]
        if profile is not None and profile.facts:
            apps = with_facts(apps, profile, seed)
        folder.mkdir(parents=True, exist_ok=True)
        nurseries = [n.model_dump(mode="json") for n in city.nurseries]
        nurseries_path.write_text(json.dumps(nurseries, ensure_ascii=False), encoding="utf-8")
        apps_path.write_text(json.dumps(apps, ensure_ascii=False), encoding="utf-8")
        (folder / "year").write_text(str(city.admission_year), encoding="utf-8")
    return apps_path, nurseries_path, int((folder / "year").read_text(encoding="utf-8"))


def run_score(apps: Path, nurseries: Path, rules: Path, year: int, out: Path) -> dict[str, Any]:
    """One `bodx score` in a fresh interpreter: wall and CPU seconds and its in-process phases.

    CPU seconds (user + system of the child) are what the run costs: on a machine shared with other
    work, wall time also counts the waiting; on an idle machine the two are about equal.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bodx.cli", "score", "--applications", str(apps), "--nurseries", str(nurseries),
         "--rules", str(rules), "--year", str(year), "--out", str(out), "--timings"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise RuntimeError(f"bodx score failed (exit {done.returncode}): {done.stderr.strip()[-800:]}")
    phases = json.loads(done.stdout.strip().splitlines()[-1])
    return {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3), **phases}


def count_children(apps: list[Application]) -> int:
    return sum(len(app.children) for app in apps)
