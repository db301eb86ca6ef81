"""The deployments `bodx serve` registers and serves: what staff see under Deployments in the UI.

The nightly OCR intake runs on a schedule (02:00 Asia/Tokyo); 入所選考 and the single steps are started
by staff from the UI form. The serving process also executes runs resumed after approval.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, cast

from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron

from flows.params import IntakeParams, SeasonParams
from flows.paths import JST
from flows.settings import FlowSettings

NIGHTLY_INTAKE_CRON = "0 2 * * *"
TIMEZONE = "Asia/Tokyo"
SEASON_DEPLOYMENT = "入所選考"
ROUND_DEPLOYMENT = "二次調整"  # any round after the first (二次, 三次 …) of a season
INTAKE_DEPLOYMENT = "nightly-intake"
SAMPLE_LEGACY_URL = "http://127.0.0.1:8765"  # `bodx samples legacy-app` default


def next_admission_year(today: dt.date | None = None) -> int:
    """The April the current application round admits for: next April once this one has begun."""
    today = today or dt.datetime.now(JST).date()
    return today.year + 1 if today.month >= 4 else today.year


def _deployment(flow: Any, name: str, **options: Any) -> RunnerDeployment:
    # Module entrypoints: the serving process imports the installed package, whatever its working folder.
    return cast(
        RunnerDeployment, flow.to_deployment(name=name, entrypoint_type=EntrypointType.MODULE_PATH, **options)
    )


def build_deployments(
    settings: FlowSettings, inbox: Path | None = None, legacy_url: str = SAMPLE_LEGACY_URL
) -> list[RunnerDeployment]:
    from flows.admission import admission_flow
    from flows.approval import approval_flow
    from flows.entry import entry_flow
    from flows.intake import intake_flow
    from flows.normalise import normalise_flow
    from flows.rounds import next_round_flow
    from flows.season import season_flow

    inbox = inbox or settings.data_dir / "inbox"
    # The nightly intake reads this folder: it must exist from the first night (personal data: 0700).
    inbox.mkdir(mode=0o700, parents=True, exist_ok=True)
    intake_defaults = IntakeParams(scans_dir=inbox)
    season_defaults = SeasonParams(legacy_url=legacy_url)
    return [
        _deployment(
            intake_flow,
            INTAKE_DEPLOYMENT,
            schedules=[Cron(NIGHTLY_INTAKE_CRON, timezone=TIMEZONE)],
            parameters={"params": intake_defaults.model_dump(mode="json")},
            description="毎晩 2:00 (日本時間) に受付スキャンを OCR で読み取ります / nightly OCR intake",
            tags=["ocr", "nightly"],
        ),
        _deployment(
            season_flow,
            SEASON_DEPLOYMENT,
            parameters={"params": season_defaults.model_dump(mode="json")},
            description="入所選考を開始します。承認待ちで一時停止し、承認後に入力します / the admission season",
            tags=["season"],
        ),
        _deployment(
            next_round_flow,
            ROUND_DEPLOYMENT,
            # The season folder is the staff's to give; the legacy system is the same as for 入所選考.
            parameters={"params": {"legacy_url": legacy_url}},
            description="二次調整 (三次以降も): 承諾した内定を固定し、辞退・取消で空いた席を選考します。"
            "入所選考の作業フォルダを指定してください / the next round of a season",
            tags=["season", "round"],
        ),
        _deployment(normalise_flow, "normalise", tags=["step"]),
        _deployment(admission_flow, "admission", tags=["step"]),
        _deployment(approval_flow, "approval", tags=["step"]),
        _deployment(entry_flow, "entry", tags=["step"]),
    ]


def serve_deployments(deployments: list[RunnerDeployment]) -> None:
    """Register the deployments and execute their runs until stopped (Ctrl-C pauses the schedules)."""
    from prefect import serve

    serve(*deployments, print_starting_message=True)
