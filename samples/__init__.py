"""Synthetic material: city generator, scanned-form generator, legacy-screen app, and the data files.

Everything here is invented; no real person, household or nursery is described.
"""

from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent
RULES_DIR = SAMPLES_DIR / "rules"
LEDGERS_DIR = SAMPLES_DIR / "ledgers"
FORMS_DIR = SAMPLES_DIR / "forms"
