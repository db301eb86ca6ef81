"""Rewrite the style ledgers and their expected files: `python -m samples.ledgers.styles.make_styles`.

Same code, same bytes (fixed timestamps and seeds); tests check the committed files are what this writes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from samples.ledgers.styles import export, kawabe, takane
from samples.ledgers.styles.sample import HERE, StyleSample

BUILDERS: dict[str, Callable[[], StyleSample]] = {
    "takane_merged": takane.build,
    "kawabe_rows": kawabe.build,
    "export_text": export.build,
}


def main(directory: Path = HERE) -> list[Path]:
    written: list[Path] = []
    for build in BUILDERS.values():
        written.extend(build().write(directory))
    return written


if __name__ == "__main__":
    for path in main():
        print(path)
