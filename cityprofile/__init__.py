"""A city is a folder: find its files (`folder`) and check all of them before the season (`check`).

This package joins the library packages (it reads each file kind with its own package's validator) and
imports neither Prefect nor samples/: the CLI and the flows both use it.
"""

from cityprofile.check import CheckReport, Finding, check_city
from cityprofile.folder import BUNDLED_CITIES_DIR, CityFolder, open_city

__all__ = ["BUNDLED_CITIES_DIR", "CheckReport", "CityFolder", "Finding", "check_city", "open_city"]
