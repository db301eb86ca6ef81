"""The Typer applications every command module registers on.

Command modules import heavy libraries inside their functions so that `bodx --help` stays fast.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="bodx",
    help="backoffice-dx: 保育所入所選考の事務を自動化するツール / nursery admission back-office toolkit. "
    "`--debug` (anywhere on the command line) shows the traceback of a failure.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
samples_app = typer.Typer(help="Synthetic sample data / 合成サンプルデータ", no_args_is_help=True)
bench_app = typer.Typer(help="Benchmarks (`--json` for machines) / 性能測定", no_args_is_help=True)
app.add_typer(samples_app, name="samples")
app.add_typer(bench_app, name="bench")
