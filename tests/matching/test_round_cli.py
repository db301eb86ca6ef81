"""`bodx round status / responses / next` on a season folder (round 1 as the season flow leaves it)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from openpyxl import load_workbook
from pydantic import TypeAdapter
from typer.testing import CliRunner

import bodx.commands.rounds  # noqa: F401 - registers the commands
from audit import SeasonLog, verify_season
from bodx.app import app
from matching.files import write_text_atomically
from matching.records import Application, Nursery
from matching.round_files import RoundManifest, load_state, save_manifest
from matching.rounds import holdings_after
from samples import DEFAULT_RULES
from samples.citygen.generate import generate_city
from samples.rounds import new_applicants
from sheets.responses import write_round_responses
from tests.matching.round_support import first_round

runner = CliRunner()


def _season(tmp_path: Path) -> Path:
    """What the season flow leaves after approval: records, instance, result, round.json, 回答記録."""
    from matching.scoring import load_rules

    season = tmp_path / "season"
    SeasonLog.create(season)
    city = generate_city(80, 21, 2027)
    state = first_round(city.applications, city.nurseries, load_rules(DEFAULT_RULES))
    apps, nurseries = TypeAdapter(tuple[Application, ...]), TypeAdapter(tuple)
    write_text_atomically(
        season / "records" / "applications.json", apps.dump_json(state.applications).decode()
    )
    write_text_atomically(
        season / "records" / "nurseries.json", nurseries.dump_json(state.nurseries).decode()
    )
    write_text_atomically(season / "admission" / "instance.json", state.instance.to_json())
    write_text_atomically(season / "admission" / "result.json", state.result.to_json())
    write_round_responses(season / "回答" / "回答記録.xlsx", state, dt.datetime(2027, 2, 5))
    save_manifest(
        season,
        RoundManifest(
            sequence=1, round_id="一次", city="hinata", admission_year=2027, rules=str(DEFAULT_RULES),
            applications="records/applications.json", nurseries="records/nurseries.json",
            instance="admission/instance.json", result="admission/result.json",
            responses="回答/回答記録.xlsx", approved=True,
        ),
    )  # fmt: skip
    return season


def test_status_responses_and_a_preview_of_the_next_round(tmp_path: Path) -> None:
    season = _season(tmp_path)
    shown = runner.invoke(app, ["round", "status", str(season), "--json"])
    assert shown.exit_code == 0, shown.output
    [one] = json.loads(shown.output)["rounds"]
    assert one["round"] == "一次" and one["approved"] and one["pending"] > 0 and one["accepted"] == 0

    again = runner.invoke(app, ["round", "responses", str(season)])
    assert again.exit_code == 2 and "--overwrite" in again.output  # answers already typed are never lost

    book = load_workbook(season / "回答" / "回答記録.xlsx")
    sheet = book["回答記録"]
    header = [c.value for c in sheet[1]]
    for i, row in enumerate(sheet.iter_rows(min_row=2)):
        row[header.index("回答")].value = "辞退" if i % 3 == 0 else "承諾"
    sheet.cell(2, header.index("面接") + 1).value = "だめ"  # not a value of the drop-down
    book.save(season / "回答" / "回答記録.xlsx")
    nurseries = TypeAdapter(tuple[Nursery, ...]).validate_json(
        (season / "records" / "nurseries.json").read_bytes()
    )
    joining = new_applicants(10, 5, 2027, nurseries)
    new_file = write_text_atomically(
        tmp_path / "new.json", TypeAdapter(tuple[Application, ...]).dump_json(joining).decode()
    )
    out = season / "preview"
    run = runner.invoke(
        app,
        [
            "round",
            "next",
            str(season),
            "--out",
            str(out),
            "--applications",
            str(new_file),
            "--time-limit",
            "20",
        ],
    )
    # One unusable cell: everything is written, the cell is listed, and the exit code says "look first".
    assert run.exit_code == 1, run.output
    assert "一次 → 二次: optimal" in run.output and "check: ok" in run.output
    report = json.loads((out / "変更報告.json").read_text(encoding="utf-8"))
    assert report["checker_ok"] and report["counts"]["新規申込 / new applications"] == len(joining)
    assert (out / "admission" / "review.xlsx").is_file() and (out / "変更報告.xlsx").is_file()
    issues = load_workbook(out / "変更報告.xlsx", read_only=True)["要確認"]
    assert any(row[4] == "だめ" for row in issues.iter_rows(min_row=2, values_only=True))
    # The preview lies in the season folder: recorded as an access to personal data; nothing changed.
    entries = [json.loads(line) for line in SeasonLog(season).read_lines()[0]]
    assert entries[-1]["action"] == "round next"
    assert verify_season(season).ok
    manifest = RoundManifest.model_validate_json((season / "round.json").read_bytes())
    held = holdings_after(load_state(season, manifest))
    assert {h.child_id for h in held} <= {c["child_id"] for c in report["children"]}
