"""Strict reading of the TOML files a city profile is made of (rules, mappings, templates, recipes, city).

One mechanism for every package: each problem names the file and line, says what to fix in Japanese and
English, and an unknown key suggests the nearest allowed one ("did you mean"). All problems of a file are
collected and reported together, so staff fix them in one pass.
"""

from matching.config.problems import (
    ConfigProblems,
    did_you_mean,
    read_toml_text,
    toml_syntax_message,
    unknown_keys,
)
from matching.config.toml_lines import KeyPath, LineIndex

__all__ = [
    "ConfigProblems",
    "KeyPath",
    "LineIndex",
    "did_you_mean",
    "read_toml_text",
    "toml_syntax_message",
    "unknown_keys",
]
