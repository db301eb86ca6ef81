"""Regenerate the hand-made sample ledgers and their expected output: `python -m samples.ledgers.make_ledgers`.

Same code, same bytes (fixed workbook timestamps), so the committed .xlsx files can be checked by
regenerating them (tests/sheets/test_sample_ledgers.py does).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from samples.ledgers import city_minato, city_sakura, city_yamabiko
from samples.ledgers.writing import HERE, LedgerSample, write_sample

BUILDERS: tuple[Callable[[], LedgerSample], ...] = (city_minato.build, city_yamabiko.build, city_sakura.build)


def main(directory: Path = HERE) -> list[Path]:
    written: list[Path] = []
    for build in BUILDERS:
        written.extend(write_sample(build(), directory))
    return written


if __name__ == "__main__":
    for path in main():
        print(path)
