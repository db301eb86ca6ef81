"""Closing an approved round (一次 in the season flow, 二次 … in 二次調整): what the next round needs.

`round.json` names the round's files (relative to the season folder), its rules and that it was
approved; the responses workbook (回答記録) is what staff fill in for the next round.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from prefect import flow

from flows.artifacts import publish_markdown
from flows.audit_trail import record_export
from flows.paths import JST
from flows.round_params import CloseRoundOutcome, CloseRoundParams
from matching.round_files import RoundManifest, load_state, relative, save_manifest
from matching.rounds import holdings_after, waiting_after
from sheets.responses import write_round_responses

RESPONSES_FILE = Path("回答") / "回答記録.xlsx"


def now() -> dt.datetime:
    """Japan time, as the workbooks show it."""
    return dt.datetime.now(JST).replace(tzinfo=None, microsecond=0)


@flow(name="close-round", description="承認された選考回を記録し、回答記録を作ります", persist_result=True)
def close_round_flow(params: CloseRoundParams) -> CloseRoundOutcome:
    """round.json for the next round, and the responses workbook staff fill in (承諾 / 辞退 / 面接 / 取消)."""
    season = params.season_dir

    def name(path: Path | None) -> str | None:
        return relative(season, path) if path is not None else None

    manifest = RoundManifest(
        sequence=params.sequence,
        round_id=params.round_id,
        city=params.city,
        admission_year=params.admission_year,
        rules=str(params.rules.resolve()),
        applications=relative(season, params.applications),
        nurseries=relative(season, params.nurseries),
        instance=relative(season, params.instance),
        result=relative(season, params.result),
        holdings=name(params.holdings),
        exclusions=name(params.exclusions),
        responses=relative(season, params.folder / RESPONSES_FILE),
        approved=True,
    )
    state = load_state(season, manifest)
    responses = write_round_responses(params.folder / RESPONSES_FILE, state, now())
    saved = save_manifest(params.folder, manifest)
    held, waiting = len(holdings_after(state)), len(waiting_after(state))
    record_export(
        responses, f"{params.round_id} 回答記録 / responses workbook", f"内定 {held} 人, 保留 {waiting} 人"
    )
    publish_markdown(
        f"# 回答記録 / responses workbook ({params.round_id})\n\n- 内定・確保 / holding a seat: **{held}**\n"
        f"- 保留 / waiting: **{waiting}**\n- ファイル / file: `{responses}`\n\n"
        "承諾・辞退・面接結果・取消を記入し、「二次調整」を実行してください / fill in the answers, then start the "
        "next round",
        key="round-responses",
        description="次の回のための回答記録 / responses workbook for the next round",
    )
    return CloseRoundOutcome(manifest=saved, responses=responses, held=held, waiting=waiting)
