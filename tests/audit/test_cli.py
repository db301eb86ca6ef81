"""`bodx audit verify` / `bodx audit show`, and `bodx match` appending to a season's log."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from typer.testing import CliRunner

from audit import SeasonLog, verify_season
from bodx.app import app
from bodx.cli import COMMAND_MODULES
from matching.instance import save_instance
from matching.optimizer.testing import random_instance
from tests.audit.conftest import Season

for _module in COMMAND_MODULES:
    importlib.import_module(_module)

runner = CliRunner()


def test_verify_exit_codes_and_named_file(season: Season) -> None:
    ok = runner.invoke(app, ["audit", "verify", str(season.root)])
    assert ok.exit_code == 0, ok.output
    assert "改ざんは見つかりませんでした / no tampering found" in ok.output
    workbook = season.root / "admission" / "review.xlsx"
    workbook.write_bytes(workbook.read_bytes() + b"!")
    bad = runner.invoke(app, ["audit", "verify", str(season.root)])
    assert bad.exit_code == 2
    assert "admission/review.xlsx" in bad.output and "changed after entry #3 (export" in bad.output
    as_json = json.loads(runner.invoke(app, ["audit", "verify", str(season.root), "--json"]).stdout)
    assert as_json["ok"] is False and as_json["findings"][0]["kind"] == "file-changed"


def test_verify_with_the_servers_head(season: Season) -> None:
    head = verify_season(season.root).head
    lines = season.log.path.read_text(encoding="utf-8").splitlines(keepends=True)
    season.log.path.write_text("".join(lines[:-1]), encoding="utf-8")
    run = runner.invoke(app, ["audit", "verify", str(season.root), "--head", str(head)])
    assert run.exit_code == 2 and "head-mismatch" in run.output


def test_verify_outside_a_season_is_a_clear_error(tmp_path: Path) -> None:
    run = runner.invoke(app, ["audit", "verify", str(tmp_path)])
    assert run.exit_code == 2 and "監査ログ" in run.output and "no audit log" in run.output


def test_show_lists_a_childs_history(season: Season) -> None:
    run = runner.invoke(app, ["audit", "show", str(season.root), "--child", "C0002"])
    assert run.exit_code == 0, run.output
    lines = run.output.splitlines()
    assert "C0002" in lines[0] and len(lines) == 5
    assert "保留" in lines[1] and "転居予定" in lines[1]
    assert "承認者 課長 山田" in lines[3] and "要確認: 施設不一致" in lines[4]
    masked = runner.invoke(app, ["audit", "show", str(season.root), "--child", "C0002", "--masked"])
    assert masked.exit_code == 0 and "C0002" not in masked.output
    unknown = runner.invoke(app, ["audit", "show", str(season.root), "--child", "C9999"])
    assert unknown.exit_code == 1 and "not in this season's log" in unknown.output
    (season.root / "admission" / "result.json").write_text("{}", encoding="utf-8")
    doubtful = runner.invoke(app, ["audit", "show", str(season.root), "--child", "C0002"])
    assert doubtful.exit_code == 2 and "run `bodx audit verify`" in doubtful.output


def test_match_appends_to_the_season_holding_its_output(season: Season) -> None:
    instance = random_instance(5, children=12, nurseries=3, max_preferences=2)
    city = season.root / "records" / "city.json"
    save_instance(instance, city)
    out = season.root / "admission" / "result.json"
    run = runner.invoke(app, ["match", "--instance", str(city), "--out", str(out), "--time-limit", "10"])
    assert run.exit_code == 0, run.output
    assert "監査ログ / audit log: #6 match" in run.output
    last = json.loads(season.log.read_lines()[0][-1])
    child = instance.applications[0].id
    assert last["action"] == "match" and child in last["children"]
    assert {f["path"] for f in last["files"]} == {"records/city.json", "admission/result.json"}
    assert verify_season(season.root).ok  # result.json rewritten, and recorded: not tampering
    history = runner.invoke(app, ["audit", "show", str(season.root), "--child", child])
    assert "match" in history.output


def test_match_with_an_explicit_log_creates_it(tmp_path: Path) -> None:
    city = tmp_path / "city.json"
    save_instance(random_instance(6, children=8, nurseries=2, max_preferences=2), city)
    out = tmp_path / "out" / "result.json"
    season = tmp_path / "season"
    args = ["match", "--instance", str(city), "--out", str(out), "--audit-log", str(season)]
    assert runner.invoke(app, args).exit_code == 0
    assert verify_season(season).entries == 1
    unrecorded = tmp_path / "elsewhere" / "result.json"
    run = runner.invoke(app, ["match", "--instance", str(city), "--out", str(unrecorded)])
    assert run.exit_code == 0 and "監査ログ" not in run.output
    assert len(SeasonLog(season).read_lines()[0]) == 1


def test_cli_chain_records_export_adjustment_and_rerun(tmp_path: Path) -> None:
    """score → match → sheets review (an access) → staff 除外 in the workbook → match --adjustments."""
    from openpyxl import load_workbook

    from samples import DEFAULT_RULES
    from samples.citygen.write import write_city
    from sheets.adjustments import ADJUSTMENT_KIND_HEADER, CHILD_ID_HEADER, RESULTS_SHEET

    _, files = write_city(tmp_path / "city", 30, seed=3, admission_year=2027)
    season = tmp_path / "season"
    SeasonLog.create(season)
    records = ["--applications", str(files.applications), "--nurseries", str(files.nurseries)]
    instance, result, workbook = season / "city.json", season / "result.json", season / "review.xlsx"
    year = ["--rules", str(DEFAULT_RULES), "--year", "2027"]
    assert runner.invoke(app, ["score", *records, *year, "--out", str(instance)]).exit_code == 0
    assert runner.invoke(app, ["match", "--instance", str(instance), "--out", str(result)]).exit_code == 0
    review = ["sheets", "review", *records, *year, "--result", str(result), "--out", str(workbook)]
    assert runner.invoke(app, review).exit_code == 0
    book = load_workbook(workbook)
    sheet = book[RESULTS_SHEET]
    header = [cell.value for cell in sheet[1]]
    placed = next(
        child
        for child, nursery in json.loads(result.read_text(encoding="utf-8"))["assignments"].items()
        if nursery
    )
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index(CHILD_ID_HEADER)].value == placed)
    row[header.index(ADJUSTMENT_KIND_HEADER)].value = "除外"
    book.save(workbook)
    # Staff edited the exported workbook: a change nobody recorded yet ...
    assert [f.subject for f in verify_season(season).findings] == ["review.xlsx"]
    rerun = ["match", "--instance", str(instance), "--out", str(result), "--adjustments", str(workbook)]
    assert runner.invoke(app, rerun).exit_code == 0
    # ... until the re-run that used it recorded it as an input.
    assert verify_season(season).ok
    entries = [json.loads(line) for line in SeasonLog(season).read_lines()[0]]
    assert [e["action"] for e in entries] == ["match", "export", "match"]
    assert [f["role"] for f in entries[1]["files"] if f["path"] == "review.xlsx"] == ["access"]
    assert (
        entries[2]["adjustments"][0]["child_id"] == placed and entries[2]["adjustments"][0]["kind"] == "除外"
    )
    history = runner.invoke(app, ["audit", "show", str(season), "--child", placed]).output
    assert "調整 除外" in history and "export" in history
    # Both runs come out again byte for byte from their recorded inputs (the re-run with the workbook's 除外).
    again = runner.invoke(app, ["audit", "replay", str(season)])
    assert (
        again.exit_code == 0 and "#3 (match)" in again.output and "reproduced byte for byte" in again.output
    )
    assert runner.invoke(app, ["audit", "replay", str(season), "--seq", "1"]).exit_code == 0
    # An input changed since: the replay would prove nothing and says so.
    instance.write_text(instance.read_text(encoding="utf-8") + " ", encoding="utf-8")
    refused = runner.invoke(app, ["audit", "replay", str(season)])
    assert refused.exit_code == 2 and "city.json" in refused.output and "cannot replay" in refused.output


def test_robot_run_records_each_childs_queue_state(season: Season) -> None:
    """What `bodx robot run` appends after a run (the browser part is the robots tests' business)."""
    from bodx.commands.audit import record_robot
    from robots.decisions import Decision, Outcome, save_decisions
    from robots.queue import WorkQueue

    decisions = [
        Decision(application_id="A0001", child_id="C0001", child_name="合成 一郎", outcome=Outcome.OFFER,
                 nursery_id="N001"),
        Decision(application_id="A0001", child_id="C0002", child_name="合成 二郎", outcome=Outcome.WAIT),
    ]  # fmt: skip
    entry = season.root / "entry"
    entry.mkdir()
    save_decisions(decisions, entry / "decisions.json")
    with WorkQueue(entry / "queue.sqlite") as queue:
        queue.add(decisions)
    (entry / "robot").mkdir()
    (entry / "robot" / "report.json").write_text("{}", encoding="utf-8")
    record_robot(None, entry / "decisions.json", entry / "queue.sqlite", entry / "robot", "processed 0")
    last = json.loads(season.log.read_lines()[0][-1])
    assert last["action"] == "robot"
    assert [(r["child_id"], r["decision"], r["state"]) for r in last["robot"]] == [
        ("C0001", "内定", "未処理"),
        ("C0002", "保留", "未処理"),
    ]
    assert "合成" not in season.log.path.read_text(encoding="utf-8")  # names stay in the decisions file
    assert verify_season(season.root).ok
