"""A small local web application that behaves like an old 子ども・子育て支援 system (for robots)."""

from samples.legacy_app.app import LegacyApp, LegacyAppConfig, running_legacy_app
from samples.legacy_app.store import Entry, LegacyStore, SeedChild, read_entries

__all__ = [
    "Entry",
    "LegacyApp",
    "LegacyAppConfig",
    "LegacyStore",
    "SeedChild",
    "read_entries",
    "running_legacy_app",
]
