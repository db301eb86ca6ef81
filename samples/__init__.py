"""Synthetic material: city generator, scanned-form generator, legacy-screen app, and the data files.

Everything here is invented; no real person, household or nursery is described.
"""

from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent
RULES_DIR = SAMPLES_DIR / "rules"
LEDGERS_DIR = SAMPLES_DIR / "ledgers"
FORMS_DIR = SAMPLES_DIR / "forms"
# The bundled city profiles sit beside samples/: the demo city is ひなた市 (cities/hinata).
CITIES_DIR = SAMPLES_DIR.parent / "cities"
DEMO_CITY_DIR = CITIES_DIR / "hinata"
DEFAULT_RULES = DEMO_CITY_DIR / "rules.toml"
DEMO_LEDGER_MAPPING = DEMO_CITY_DIR / "ledger" / "applications.toml"
