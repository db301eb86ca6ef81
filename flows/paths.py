"""Default folders: everything a run writes lives under the project's data directory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from flows.settings import FlowSettings
from samples import DEFAULT_RULES as DEFAULT_RULES  # the demo city's rules, re-exported for the flows
from samples.forms import TEMPLATES_DIR

JST = ZoneInfo("Asia/Tokyo")

DEFAULT_TEMPLATES = TEMPLATES_DIR


def data_dir() -> Path:
    return FlowSettings.from_env().data_dir


def intake_dir(now: dt.datetime | None = None) -> Path:
    stamp = (now or dt.datetime.now(JST)).astimezone(JST).strftime("%Y%m%d-%H%M%S")
    return data_dir() / "intake" / stamp


def season_dir(admission_year: int, run_name: str) -> Path:
    return data_dir() / "seasons" / str(admission_year) / run_name


def in_data_dir(path: Path) -> Path:
    """A path from a start form: a relative one is inside the data folder (the form's choices are)."""
    return path if path.is_absolute() else data_dir() / path
