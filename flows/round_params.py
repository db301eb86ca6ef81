"""Parameters and outcomes of 二次調整 (any round after the first): the form staff fill in, and what the
steps persist (paths and counts only, as every flow outcome)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from flows.params import EntryOutcome, NoticesOutcome, ScaleOut, SeasonLedger


class _Params(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NextRoundParams(_Params):
    """二次調整: the next round of a season, with every accepted placement of the earlier rounds fixed."""

    season_dir: Path = Field(
        title="入所選考の作業フォルダ",
        description="一次選考 (入所選考) の作業フォルダ。三次以降も同じフォルダを指定します / the season's folder",
    )
    responses: Path | None = Field(
        None,
        title="回答記録 (.xlsx)",
        description="承諾・辞退・面接・取消を記入した回答記録。空欄: 前の回が作ったもの (回答/回答記録.xlsx)",
    )
    round: str | None = Field(
        None,
        title="選考回",
        description="city.toml の [[rounds]] の id。空欄: 前の回の次 / empty: the next one",
    )
    ledgers: tuple[SeasonLedger, ...] = Field(
        (),
        title="新規・変更の申込 (受付台帳)",
        description="この回に加わる申込と、変更のあった申込 (同じ受付番号)",
    )
    scans_dir: Path | None = Field(None, title="新規・変更の申込 (スキャン)", description="empty: no forms")
    nurseries: Path | None = Field(
        None,
        title="施設一覧 (募集人数の変更)",
        description="募集人数が変わったときの nurseries.json (年度全体の募集人数)。空欄: 前の回と同じ",
    )
    adjustments_from: Path | None = Field(
        None,
        title="この回のワークブック (調整)",
        description="この回を調整して再実行するときの審査用ワークブック",
    )
    time_limit: float = Field(60.0, gt=0, le=3600, title="最適化の制限時間 (秒)")
    legacy_url: str = Field(title="既存システムの URL")
    recipe: str | None = Field(
        None, title="入力レシピ", description="空欄: プロファイルの robot.toml / empty: the profile's recipe"
    )
    credentials_env_prefix: str = Field("BODX_ROBOT_", title="認証情報の環境変数")
    scale: ScaleOut = Field(default_factory=lambda: ScaleOut(runner="threads"), title="並列実行 / scale-out")


class CloseRoundParams(_Params):
    """A round just approved: what the next round will need (round.json, the responses workbook)."""

    season_dir: Path
    folder: Path
    sequence: int = Field(ge=1)
    round_id: str
    city: str
    admission_year: int
    rules: Path
    applications: Path
    nurseries: Path
    instance: Path
    result: Path
    holdings: Path | None = None
    exclusions: Path | None = None


class CloseRoundOutcome(_Params):
    manifest: Path
    responses: Path
    held: int
    waiting: int


class RoundAdmissionParams(_Params):
    season_dir: Path
    previous_round: str
    city: str
    rules: Path
    plan: Path
    responses_issues: Path
    ledger_issues: Path | None = None
    adjustments_from: Path | None = None
    time_limit: float = Field(60.0, gt=0, le=3600)
    out_dir: Path


class RoundPlanOutcome(_Params):
    round_id: str
    previous_round: str
    sequence: int
    city: str
    admission_year: int
    work_dir: Path
    plan: Path
    rules: Path
    responses: Path
    responses_issues: Path
    ledger_issues: Path | None
    applications: Path  # every application the round knows
    nurseries: Path  # the season's 募集人数
    holdings: Path  # the seats kept (fixed in the round)
    exclusions: Path
    issues: int  # the round's and the responses workbook's
    kept: int
    released: int
    competing: int


class RoundAdmissionOutcome(_Params):
    instance: Path
    result: Path
    applications: Path  # the competing children's applications (what the robot enters)
    combined: Path  # the season as it stands: kept placements pinned (checked, for letters and lists)
    combined_result: Path
    letters: Path
    workbook: Path
    report: Path
    report_json: Path
    summary_markdown: str
    placed: int
    waitlisted: int
    changed: int
    checker_ok: bool


class RoundOutcome(_Params):
    round_id: str
    approved: bool
    work_dir: Path
    workbook: Path
    report: Path
    placed: int
    waitlisted: int
    changed: int
    responses_next: Path | None = None  # the responses workbook for the round after this one
    entry: EntryOutcome | None = None
    notices: NoticesOutcome | None = None
