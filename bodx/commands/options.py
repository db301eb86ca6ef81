"""Options that several commands share, spelled once so their names and help stay the same."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ApplicationsFile = Annotated[Path, typer.Option(help="applications.json (list of Application records)")]
NurseriesFile = Annotated[Path, typer.Option(help="nurseries.json (list of Nursery records)")]
RulesFile = Annotated[Path, typer.Option(help="利用調整基準の規則ファイル (TOML)")]
AdmissionYear = Annotated[int, typer.Option(help="入所年度 / admission year (April)")]
