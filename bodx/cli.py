"""Entry point of the `bodx` console script."""

from __future__ import annotations

import importlib

from bodx.app import app
from bodx.boundary import run_with_boundary

# Each package's commands live in their own module; importing one registers its commands.
COMMAND_MODULES: tuple[str, ...] = (
    "bodx.commands.samples",
    "bodx.commands.demo",
    "bodx.commands.ocr",
    "bodx.commands.robots",
    "bodx.commands.scoring",
    "bodx.commands.match",
    "bodx.commands.bench_chilmai",
    "bodx.commands.sheets",
    "bodx.commands.review",
    "bodx.commands.bench_all",
    "bodx.commands.flows",
    "bodx.commands.city",
    "bodx.commands.audit",
    "bodx.commands.notices",
    "bodx.commands.rounds",
)


def main() -> None:
    for module in COMMAND_MODULES:
        importlib.import_module(module)
    run_with_boundary(app)  # every expected failure: a message and exit 2, never a traceback


if __name__ == "__main__":
    main()
