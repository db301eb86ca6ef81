"""Entry point of the `bodx` console script."""

from __future__ import annotations

import importlib

from bodx.app import app

# Each package's commands live in their own module; importing one registers its commands.
COMMAND_MODULES: tuple[str, ...] = (
    "bodx.commands.samples",
    "bodx.commands.demo",
    "bodx.commands.ocr",
    "bodx.commands.robots",
    "bodx.commands.scoring",
    "bodx.commands.match",
    "bodx.commands.sheets",
    "bodx.commands.review",
    "bodx.commands.bench_all",
    "bodx.commands.flows",
    "bodx.commands.city",
)


def main() -> None:
    for module in COMMAND_MODULES:
        importlib.import_module(module)
    app()


if __name__ == "__main__":
    main()
