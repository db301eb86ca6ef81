"""The deployments `bodx serve` registers and serves: what staff see under Deployments in the UI.

The nightly OCR intake runs on a schedule (02:00 Asia/Tokyo); 入所選考 and the single steps are started
by staff from the UI form. The serving process also executes runs resumed after approval.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron
from prefect.utilities.callables import ParameterSchema

from flows.form import city_choices, clerk_schema, form_choices, season_form_defaults
from flows.params import IntakeParams
from flows.paths import JST
from flows.settings import FlowSettings

NIGHTLY_INTAKE_CRON = "0 2 * * *"
TIMEZONE = "Asia/Tokyo"
SEASON_DEPLOYMENT = "入所選考"
ROUND_DEPLOYMENT = "二次調整"  # any round after the first (二次, 三次 …) of a season
INTAKE_DEPLOYMENT = "nightly-intake"
SAMPLE_LEGACY_URL = "http://127.0.0.1:8765"  # `bodx samples legacy-app` default
REFRESH_SECONDS = 60.0  # a ledger put in the inbox shows in the start form within a minute

log = logging.getLogger(__name__)


def next_admission_year(today: dt.date | None = None) -> int:
    """The April the current application round admits for: next April once this one has begun."""
    today = today or dt.datetime.now(JST).date()
    return today.year + 1 if today.month >= 4 else today.year


def _deployment(flow: Any, name: str, **options: Any) -> RunnerDeployment:
    # Module entrypoints: the serving process imports the installed package, whatever its working folder.
    return cast(
        RunnerDeployment, flow.to_deployment(name=name, entrypoint_type=EntrypointType.MODULE_PATH, **options)
    )


def season_deployment(
    settings: FlowSettings,
    inbox: Path,
    legacy_url: str,
    cities: list[str],
    name: str = SEASON_DEPLOYMENT,
) -> RunnerDeployment:
    """入所選考 with the clerks' start form: drop-downs of what this server has (see flows.form)."""
    from flows.season import season_flow

    deployment = _deployment(
        season_flow,
        name,
        parameters={"params": season_form_defaults(legacy_url, cities)},
        description="入所選考を開始します。承認待ちで一時停止し、承認後に入力します / the admission season",
        tags=["season"],
    )
    refresh_season_form(deployment, settings, inbox, cities, apply=False)
    return deployment


def refresh_season_form(
    deployment: RunnerDeployment, settings: FlowSettings, inbox: Path, cities: list[str], apply: bool = True
) -> bool:
    """Put the server's current choices (a ledger dropped in the inbox since) into the start form;
    True when they changed (and, with `apply`, the server has the new form)."""
    from prefect.utilities.callables import parameter_schema

    from flows.season import season_flow

    schema = clerk_schema(
        parameter_schema(season_flow).model_dump(), form_choices(settings.data_dir, inbox, cities)
    )
    # Prefect keeps the schema it derived from the signature in a private attribute and sends it with
    # apply(); the flow itself still validates its parameters with SeasonParams.
    if schema == deployment._parameter_openapi_schema.model_dump():
        return False
    deployment._parameter_openapi_schema = ParameterSchema.model_validate(schema)
    if apply:
        deployment.apply()
    return True


def build_deployments(
    settings: FlowSettings,
    inbox: Path | None = None,
    legacy_url: str = SAMPLE_LEGACY_URL,
    city: str | None = None,
) -> list[RunnerDeployment]:
    from flows.admission import admission_flow
    from flows.approval import approval_flow
    from flows.entry import entry_flow
    from flows.intake import intake_flow
    from flows.normalise import normalise_flow
    from flows.rounds import next_round_flow

    inbox = inbox or settings.data_dir / "inbox"
    # The nightly intake reads this folder: it must exist from the first night (personal data: 0700).
    inbox.mkdir(mode=0o700, parents=True, exist_ok=True)
    intake_defaults = IntakeParams(scans_dir=inbox)
    return [
        _deployment(
            intake_flow,
            INTAKE_DEPLOYMENT,
            schedules=[Cron(NIGHTLY_INTAKE_CRON, timezone=TIMEZONE)],
            parameters={"params": intake_defaults.model_dump(mode="json")},
            description="毎晩 2:00 (日本時間) に受付スキャンを OCR で読み取ります / nightly OCR intake",
            tags=["ocr", "nightly"],
        ),
        season_deployment(settings, inbox, legacy_url, city_choices(city=city)),
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


def serve_deployments(
    deployments: list[RunnerDeployment], refresh: Callable[[], object] | None = None
) -> None:
    """Register the deployments and execute their runs until stopped (Ctrl-C pauses the schedules);
    `refresh` (the start form's choices) is called every REFRESH_SECONDS meanwhile."""
    from prefect import serve

    if refresh is not None:
        threading.Thread(
            target=_every, args=(REFRESH_SECONDS, refresh), name="form-refresh", daemon=True
        ).start()
    serve(*deployments, print_starting_message=True)


def _every(seconds: float, job: Callable[[], object]) -> None:
    while True:
        time.sleep(seconds)
        try:
            job()
        except Exception:  # a server hiccup: the form keeps its last choices until the next try
            log.warning(
                "開始フォームの選択肢を更新できませんでした / could not refresh the start form", exc_info=True
            )
