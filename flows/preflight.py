"""Preflight of a season: everything that can be checked before anything heavy and before approval.

A clerk must not approve a selection and then learn that the robot cannot log in: the city profile, the
inputs, the legacy system and the robot's credentials are checked first, and every problem is reported
at once in a message that says what to fix.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from cityprofile import check_city, open_city
from cityprofile.check import legacy_login_problem
from flows.credentials import credentials_problem
from flows.errors import StepInputError
from flows.params import ApprovalParams, EntryParams, SeasonParams
from matching.errors import MatchingError
from robots.errors import RobotsError
from robots.recipe import load_recipe


def _unreadable(label: str, path: Path | None, folder: bool = False) -> list[str]:
    """A missing or unreadable input, in words a clerk can act on (empty: the input is fine)."""
    if path is None:
        return []
    exists = path.is_dir() if folder else path.is_file()
    if not exists:
        return [f"{label}がありません / {'folder' if folder else 'file'} not found: {path}"]
    if not os.access(path, os.R_OK | (os.X_OK if folder else 0)):
        return [f"{label}を読む権限がありません / not readable by the server: {path}"]
    return []


def _files(items: Iterable[tuple[str, Path | None]]) -> list[str]:
    return [problem for label, path in items for problem in _unreadable(label, path)]


def _round_problem(city: str, round_id: str) -> list[str]:
    try:
        profile = open_city(city).profile
    except MatchingError:
        return []  # the profile check has said what is wrong with it
    try:
        profile.round(round_id)
    except MatchingError as exc:
        return [str(exc)]
    return []


def season_problems(params: SeasonParams) -> list[str]:
    """Every reason the season cannot run to the end as started (empty: it can). Paths as given: the
    season resolves relative ones inside the data folder before calling this."""
    advanced = params.advanced
    problems = _unreadable("スキャンフォルダ", params.scans_dir, folder=True)
    problems += _files(("受付台帳", ledger) for ledger in params.ledgers)
    for item in advanced.ledgers_with_mapping:
        problems += _files((("受付台帳", item.ledger), ("列の対応表", item.mapping)))
    problems += _files(
        (
            ("施設一覧", advanced.nurseries),
            ("前回のワークブック", params.adjustments_from),
            ("手作業の選考結果", params.manual_result),
            ("利用調整基準", advanced.rules),
        )
    )
    problems += _unreadable("様式テンプレートのフォルダ", advanced.templates_dir, folder=True)
    if advanced.legacy_url is None:
        problems.append(
            "既存システムの URL がありません (詳細設定か bodx serve --legacy-url) / no legacy system URL"
        )
    report = check_city(params.city, base_url=advanced.legacy_url)
    problems += [f"[{f.stage}] {f.message}" for f in report.errors]
    if params.round is not None:
        problems += _round_problem(params.city, params.round)
    problem = credentials_problem(advanced.credentials_env_prefix)
    if problem:
        problems.append(problem)
    return problems


def entry_problems(params: EntryParams) -> list[str]:
    """What the robot needs, checked before an approval pause: inputs, the screen, the login."""
    problems = _files(
        (
            ("申込データ", params.applications),
            ("施設データ", params.nurseries),
            ("選考結果", params.result),
        )
    )
    try:
        recipe = load_recipe(params.recipe)
    except RobotsError as exc:
        problems.append(f"入力レシピ / recipe: {exc}")
    else:
        problem = legacy_login_problem(params.legacy_url.rstrip("/") + recipe.login.url)
        if problem:
            problems.append(problem)
    problem = credentials_problem(params.credentials_env_prefix)
    if problem:
        problems.append(problem)
    return problems


def _refuse(problems: list[str]) -> None:
    if problems:
        raise StepInputError(
            "開始前の確認で問題が見つかりました。直してから開始してください / the run cannot start:\n- "
            + "\n- ".join(problems)
        )


@task(name="preflight", persist_result=False, cache_policy=NO_CACHE)
def preflight(params: SeasonParams) -> None:
    """Refuse the run, before any work, with every problem found."""
    _refuse(season_problems(params))


@task(name="preflight-approval", persist_result=False, cache_policy=NO_CACHE)
def preflight_approval(params: ApprovalParams) -> None:
    """Before an approval made outside a season waits: the files it approves and what entry needs."""
    _refuse(
        _files((("インスタンス", params.instance), ("審査用ワークブック", params.workbook)))
        + entry_problems(params.entry)
    )
