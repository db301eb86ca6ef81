"""Preflight of a season: everything that can be checked before anything heavy and before approval.

A clerk must not approve a selection and then learn that the robot cannot log in: the city profile, the
inputs, the legacy system and the robot's credentials are checked first, and every problem is reported
at once in a message that says what to fix.
"""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from cityprofile import check_city
from flows.errors import StepInputError
from flows.params import SeasonParams
from robots.credentials import Credentials
from robots.errors import RobotsError


def season_problems(params: SeasonParams) -> list[str]:
    """Every reason the season cannot run to the end as started (empty: it can)."""
    problems: list[str] = []
    if params.scans_dir is None and not params.ledgers:
        problems.append(
            "スキャンフォルダか受付台帳を少なくとも1つ指定してください / give a scans folder or at least one ledger"
        )
    # An empty scans folder is no problem (the forms may all have come in on the ledger); a missing one is.
    if params.scans_dir is not None and not params.scans_dir.is_dir():
        problems.append(f"スキャンフォルダがありません / scans folder not found: {params.scans_dir}")
    for item in params.ledgers:
        if not item.ledger.is_file():
            problems.append(f"受付台帳がありません / ledger not found: {item.ledger}")
        if item.mapping is not None and not item.mapping.is_file():
            problems.append(f"列の対応表がありません / mapping not found: {item.mapping}")
    for label, path in (("施設一覧", params.nurseries), ("前回のワークブック", params.adjustments_from)):
        if path is not None and not path.is_file():
            problems.append(f"{label}がありません / file not found: {path}")
    report = check_city(params.city, base_url=params.legacy_url)
    problems += [f"[{f.stage}] {f.message}" for f in report.errors]
    try:
        Credentials.from_env(params.credentials_env_prefix)
    except RobotsError as exc:
        problems.append(f"既存システムへの入力に必要な認証情報がありません: {exc}")
    return problems


@task(name="preflight", persist_result=False, cache_policy=NO_CACHE)
def preflight(params: SeasonParams) -> None:
    """Refuse the run, before any work, with every problem found."""
    problems = season_problems(params)
    if problems:
        raise StepInputError(
            "開始前の確認で問題が見つかりました。直してから開始してください / the season cannot start:\n- "
            + "\n- ".join(problems)
        )
