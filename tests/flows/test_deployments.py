"""`bodx serve`'s deployments: the nightly intake at 02:00 Asia/Tokyo, 入所選考 with a form, the steps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flows.deployments import (
    INTAKE_DEPLOYMENT,
    ROUND_DEPLOYMENT,
    SEASON_DEPLOYMENT,
    build_deployments,
    next_admission_year,
)
from flows.settings import FlowSettings


def test_next_admission_year() -> None:
    assert next_admission_year(dt.date(2026, 11, 23)) == 2027
    assert next_admission_year(dt.date(2027, 2, 1)) == 2027
    assert next_admission_year(dt.date(2027, 4, 1)) == 2028


def test_deployments_register_with_schedule_and_forms(prefect_harness: None, tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client

    settings = FlowSettings(
        project_dir=tmp_path, data_dir=tmp_path / "data", prefect_home=tmp_path, api_url="x"
    )
    inbox = tmp_path / "data" / "inbox"
    (inbox / "2027一次").mkdir(parents=True)
    (inbox / "2027一次" / "page_0001.jpg").write_bytes(b"")
    (inbox / "受付台帳.xlsx").write_bytes(b"")
    (inbox / "~$受付台帳.xlsx").write_bytes(b"")  # Excel's lock file is no ledger
    deployments = build_deployments(settings, legacy_url="http://127.0.0.1:9")
    for deployment in deployments:
        deployment.apply()
    with get_client(sync_client=True) as client:
        intake = client.read_deployment_by_name(f"intake/{INTAKE_DEPLOYMENT}")
        season = client.read_deployment_by_name(f"season/{SEASON_DEPLOYMENT}")
        rounds = client.read_deployment_by_name(f"next-round/{ROUND_DEPLOYMENT}")
        steps = [
            client.read_deployment_by_name(f"{name}/{name}")
            for name in ("normalise", "admission", "approval", "entry")
        ]
    assert all(step.entrypoint and step.entrypoint.startswith("flows.") for step in steps)
    schedule = intake.schedules[0].schedule
    assert getattr(schedule, "cron", None) == "0 2 * * *"
    assert getattr(schedule, "timezone", None) == "Asia/Tokyo"
    assert intake.parameters["params"]["scans_dir"] == str(tmp_path / "data" / "inbox")
    assert intake.entrypoint == "flows.intake.intake_flow"
    # The UI draws the season form from this schema: Japanese titles, required fields marked, the
    # server's own choices as drop-downs, internal settings in a section of their own.
    schema = season.parameter_openapi_schema
    assert schema is not None
    definitions = schema.get("definitions") or schema.get("$defs") or {}
    season_fields = definitions["SeasonParams"]["properties"]
    assert definitions["SeasonParams"]["required"] == ["city", "ledgers"]
    assert season_fields["city"]["title"] == "市のプロファイル（必須）"
    assert {"hinata", "kawabe"} <= set(season_fields["city"]["enum"])
    assert season_fields["ledgers"]["items"]["enum"] == ["inbox/受付台帳.xlsx"]
    assert season_fields["scans_dir"]["enum"] == ["inbox", "inbox/2027一次"]
    assert "anyOf" not in season_fields["scans_dir"]  # no str / None switch for a clerk
    assert season_fields["admission_year"]["title"] == "入所年度"
    assert "一次" in season_fields["round"]["enum"]
    advanced = definitions["SeasonAdvanced"]["properties"]
    assert advanced["legacy_url"]["title"] == "既存システムの URL"
    assert season.parameters["params"] == {"advanced": {"legacy_url": "http://127.0.0.1:9"}}
    assert not season.schedules
    # 二次調整: the season folder is the one field staff must give; the legacy system comes pre-filled.
    assert rounds.entrypoint == "flows.rounds.next_round_flow" and not rounds.schedules
    round_schema = rounds.parameter_openapi_schema or {}
    round_fields = (round_schema.get("definitions") or round_schema.get("$defs") or {})["NextRoundParams"]
    assert round_fields["properties"]["season_dir"]["title"] == "入所選考の作業フォルダ"
    assert round_fields["required"] == ["season_dir", "legacy_url"]
    assert rounds.parameters["params"] == {"legacy_url": "http://127.0.0.1:9"}
