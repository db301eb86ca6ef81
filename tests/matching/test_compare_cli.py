"""`bodx compare` end to end: a clerk's workbook in three layouts, masked screen lines, JSON, the workbook."""

from __future__ import annotations

import importlib
import json
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from bodx.app import app
from matching.compare import Kind, SeasonMasks
from matching.deferred_acceptance import deferred_acceptance
from matching.instance import save_instance
from matching.result import MatchResult, save_result
from matching.scoring import build_instance, load_rules
from samples import DEFAULT_RULES
from samples.citygen.generate import generate_city
from samples.manual_selection import ChildInfo, PlantedSelection, plant_mistakes, write_manual_workbook
from samples.manual_selection.workbook import Layout

YEAR = 2027
LAYOUTS: tuple[Layout, ...] = ("single", "per_class", "per_nursery")


@dataclass(frozen=True)
class Files:
    folder: Path
    instance: Path
    result: Path
    planted: PlantedSelection
    ids: tuple[str, ...]

    def manual(self, layout: str) -> Path:
        return self.folder / f"manual_{layout}.xlsx"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    importlib.import_module("bodx.commands.scoring")
    folder = tmp_path_factory.mktemp("compare")
    city = generate_city(800, seed=2, admission_year=YEAR)
    instance = build_instance(city.applications, city.nurseries, load_rules(DEFAULT_RULES), YEAR)
    program = deferred_acceptance(instance)
    planted = plant_mistakes(instance, program, seed=1)
    info = {c.id: ChildInfo(a.id, c.name or "") for a in city.applications for c in a.children}
    for layout in LAYOUTS:
        write_manual_workbook(
            folder / f"manual_{layout}.xlsx", instance, planted.outcomes, planted.scores, info, layout
        )
    save_instance(instance, folder / "city.json")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "結果一覧"
    sheet.append(["児童番号", "受付番号", "氏名", "内定施設番号"])
    for child, nursery in sorted(program.items()):
        sheet.append([child, info[child].application_id, info[child].name, nursery])
    workbook.save(folder / "result.xlsx")
    save_result(MatchResult(status="optimal", assignments=program), folder / "result.json")
    ids = tuple(a.id for a in instance.applications)
    return Files(folder, folder / "city.json", folder / "result.xlsx", planted, ids)


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, ["compare", *args])


def _json(files: Files, manual: Path, result: Path | None = None) -> dict[str, Any]:
    run = _run(
        "--manual",
        str(manual),
        "--result",
        str(result or files.result),
        "--instance",
        str(files.instance),
        "--json",
    )
    assert run.exit_code == 0, run.output
    return json.loads(run.stdout)


def test_every_layout_of_the_manual_workbook_reaches_the_same_agreement(files: Files) -> None:
    results = {layout: _json(files, files.manual(layout)) for layout in LAYOUTS}
    single = results["single"]
    assert single["children"] == len(files.ids) and single["agreed"] < single["children"]
    for layout in ("per_class", "per_nursery"):
        other = results[layout]
        assert (other["agreed"], other["children"]) == (single["agreed"], single["children"]), layout
        assert other["differences"] == single["differences"], layout
    # The result JSON of `bodx match` reads the same as the review workbook's 結果一覧.
    assert (
        _json(files, files.manual("single"), files.folder / "result.json")["differences"]
        == single["differences"]
    )


def test_json_names_the_planted_mistakes_masked(files: Files) -> None:
    data = _json(files, files.manual("per_class"))
    masks = SeasonMasks(files.ids)
    kinds = {d["child"]: d["kind"] for d in data["differences"]}
    for child, kind in files.planted.planted.items():
        assert kinds[masks(child)] == kind
    assert len(set(kinds)) == len(data["differences"]), "one masked id per child"
    assert not any(child in json.dumps(data) for child in files.planted.planted)
    assert sum(v["children"] for v in data["counts_by_kind"].values()) == len(data["differences"])
    assert {r["category"] for r in data["root_causes"]} <= {"manual_error", "method"}


def test_screen_lines_are_grouped_and_masked_and_unmasked_on_request(files: Files) -> None:
    args = [
        "--manual",
        str(files.manual("per_class")),
        "--result",
        str(files.result),
        "--instance",
        str(files.instance),
    ]
    run = _run(*args)
    assert run.exit_code == 0, run.output
    lines = run.stdout.strip().splitlines()
    assert lines[-1].startswith("一致率 / agreement: ")
    masks = SeasonMasks(files.ids)
    shown = [line.split("\t")[0] for line in lines[:-1]]
    assert set(shown) >= {masks(child) for child in files.planted.planted}
    assert not any(child in run.stdout for child in files.ids)
    roots = [line.split("\t")[1] for line in lines[:-1]]
    assert roots == sorted(roots)
    assert "集計" in run.stderr and "メモ" in run.stderr  # the sheets it did not read are named
    unmasked = _run(*args, "--unmasked")
    assert {line.split("\t")[0] for line in unmasked.stdout.strip().splitlines()[:-1]} >= set(
        files.planted.planted
    )


def test_reconciliation_workbook_from_the_command(files: Files, tmp_path: Path) -> None:
    out = tmp_path / "照合.xlsx"
    args = [
        "--manual",
        str(files.manual("per_class")),
        "--result",
        str(files.result),
        "--instance",
        str(files.instance),
    ]
    run = _run(*args, "--out", str(out))
    assert run.exit_code == 0, run.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    sheet = load_workbook(out)["相違一覧"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert header[0] == "原因番号"
    by_child = {row["児童番号"]: row for row in body}
    for child, kind in files.planted.planted.items():
        assert by_child[child]["原因"] == Kind(kind).label and by_child[child]["氏名"]
    assert all(row["受付番号"] for row in body)
    again = _run(*args, "--out", str(out))
    assert again.exit_code == 2 and "既にファイルがあります" in again.output


def test_unreadable_inputs_are_clear_errors(files: Files, tmp_path: Path) -> None:
    other = tmp_path / "other.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["児童番号", "施設"])
    workbook.save(other)
    run = _run("--manual", str(other), "--result", str(files.result))
    assert run.exit_code == 2 and "内定施設番号" in run.output
    broken = tmp_path / "result.json"
    broken.write_text("{")
    run = _run("--manual", str(files.manual("single")), "--result", str(broken))
    assert run.exit_code == 2 and "プログラムの結果を読めません" in run.output
