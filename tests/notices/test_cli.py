"""`bodx notices` from the command line: letters, mail merge and per-nursery lists; bad input exits 2."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bodx.app import app
from bodx.cli import COMMAND_MODULES
from matching.instance import save_instance
from matching.result import save_result
from tests.notices.test_letters import season  # noqa: F401 - the same small season as the letters

for _module in COMMAND_MODULES:
    importlib.import_module(_module)


def _files(season: tuple, folder: Path) -> list[str]:  # type: ignore[type-arg]  # noqa: F811
    applications, nurseries, instance, result = season
    (folder / "applications.json").write_text(
        json.dumps([a.model_dump(mode="json") for a in applications], ensure_ascii=False), encoding="utf-8"
    )
    (folder / "nurseries.json").write_text(
        json.dumps([n.model_dump(mode="json") for n in nurseries]), encoding="utf-8"
    )
    save_instance(instance, folder / "instance.json")
    save_result(result, folder / "result.json")
    return [
        "notices", "--city", "hinata", "--applications", str(folder / "applications.json"),
        "--nurseries", str(folder / "nurseries.json"), "--instance", str(folder / "instance.json"),
        "--result", str(folder / "result.json"), "--issued", "2027-02-05",
    ]  # fmt: skip


@pytest.mark.slow
def test_notices_command(season: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]  # noqa: F811
    out = tmp_path / "out"
    done = CliRunner().invoke(app, [*_files(season, tmp_path), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "通知書 3 世帯" in done.output and "内定 1" in done.output and "保留 2" in done.output
    assert len(list((out / "letters").glob("*.pdf"))) == 3 and (out / "差込データ.csv").exists()
    assert (out / "園別名簿" / "全園.xlsx").exists()


def test_bad_input_exits_2_with_a_message(season: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]  # noqa: F811
    args = _files(season, tmp_path)
    (tmp_path / "result.json").write_text("{not json", encoding="utf-8")
    done = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "out")])
    assert done.exit_code == 2 and "通知書を作れません" in done.output
    assert not (tmp_path / "out" / "通知書_一括.pdf").exists()
