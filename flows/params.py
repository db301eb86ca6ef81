"""Typed flow parameters and step outcomes.

Parameters are pydantic models so the Prefect UI draws a proper form (Japanese titles, English
descriptions). Outcomes carry only paths and counts: they are the persisted results of the flows (needed
to resume a suspended season without redoing the earlier steps) and must never hold personal data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Params(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ScaleOut(_Params):
    """OCR をどう並列に読むか: 同じ処理を1台のPCでも Dask クラスターでも動かせます。"""

    runner: Literal["auto", "dask", "threads"] = Field(
        "auto",
        title="実行方式",
        description="auto: 40 ファイル未満はこのPCのスレッド、それ以上は Dask / dask: Dask (LocalCluster か下のスケジューラ) / "
        "threads: 1プロセス",
    )
    dask_address: str | None = Field(
        None,
        title="Dask スケジューラ",
        description="既存のクラスター (例 tcp://10.0.0.5:8786)。空欄: このPCに LocalCluster を立てます",
    )
    workers: int | None = Field(
        None,
        ge=1,
        le=256,
        title="ワーカー数",
        description="LocalCluster のプロセス数 (threads ではスレッド数)。空欄: 自動",
    )


class IntakeParams(_Params):
    scans_dir: Path = Field(
        title="スキャンフォルダ", description="folder of scanned forms (jpg, png, tif, pdf)"
    )
    templates_dir: Path | None = Field(
        None, title="様式テンプレート", description="folder of field maps (*.toml); empty: the bundled forms"
    )
    out_dir: Path | None = Field(
        None, title="出力フォルダ", description="empty: data/intake/<date> under the project's data directory"
    )
    scale: ScaleOut = Field(default_factory=ScaleOut, title="並列実行 / scale-out")


class LedgerSource(_Params):
    ledger: Path = Field(title="受付台帳 (.xlsx)")
    mapping: Path = Field(title="列の対応表 (TOML)", description="column mapping file of this ledger")


class SeasonLedger(_Params):
    ledger: Path = Field(title="受付台帳 (.xlsx)")
    mapping: Path | None = Field(
        None,
        title="列の対応表 (TOML)",
        description="空欄: 市のプロファイルの対応表 / empty: the city profile's mapping",
    )


class NormaliseParams(_Params):
    ledgers: tuple[LedgerSource, ...] = Field(
        (), title="受付台帳", description="Excel ledgers with their mappings"
    )
    readings: Path | None = Field(
        None, title="OCR 読み取り結果", description="readings.json written by intake"
    )
    review_queue: Path | None = Field(
        None, title="OCR 確認シート", description="the intake's review workbook, with staff corrections"
    )
    templates_dir: Path | None = Field(None, title="様式テンプレート", description="empty: the bundled forms")
    nurseries: Path | None = Field(
        None, title="施設一覧 (nurseries.json)", description="when no ledger has a 施設一覧 sheet"
    )
    city: str | None = Field(
        None,
        title="市のプロファイル",
        description="台帳の既定値 (入所日・事由)、宣言された事実、きょうだいの言葉",
    )
    round: str | None = Field(None, title="選考回")
    out_dir: Path = Field(title="出力フォルダ")


class AdmissionParams(_Params):
    city: str | None = Field(None, title="市のプロファイル", description="事実・きょうだい条件の扱い")
    applications: Path = Field(title="申込 (applications.json)")
    nurseries: Path = Field(title="施設 (nurseries.json)")
    issues: Path | None = Field(None, title="入力チェック (issues.json)")
    rules: Path | None = Field(
        None, title="利用調整基準 (TOML)", description="empty: cities/hinata/rules.toml"
    )
    admission_year: int = Field(ge=2000, le=2100, title="入所年度")
    adjustments_from: Path | None = Field(
        None,
        title="前回のワークブック",
        description="review workbook whose 調整 (固定/除外) this run respects",
    )
    time_limit: float = Field(60.0, gt=0, le=3600, title="最適化の制限時間 (秒)")
    out_dir: Path = Field(title="出力フォルダ")


class EntryParams(_Params):
    applications: Path = Field(title="申込 (applications.json)")
    nurseries: Path = Field(title="施設 (nurseries.json)")
    result: Path = Field(title="選考結果 (result.json)")
    legacy_url: str = Field(title="既存システムの URL", description="e.g. http://127.0.0.1:8765")
    recipe: str = Field(
        "legacy-classic", title="入力レシピ", description="legacy-classic, legacy-modern or a TOML file"
    )
    credentials_env_prefix: str = Field(
        "BODX_ROBOT_",
        title="ロボットの認証情報",
        description="Secret ブロック bodx-robot-user / bodx-robot-password、なければ環境変数 "
        "BODX_ROBOT_USER / BODX_ROBOT_PASSWORD",
    )
    out_dir: Path = Field(title="出力フォルダ", description="decisions, work queue, robot report")
    entered_before: tuple[Path, ...] = Field(
        (),
        title="前の回の決定 (二次調整)",
        description="earlier rounds' decisions.json, oldest first: a record still showing one is changed",
    )


class ApprovalParams(_Params):
    """Approve an admission run made earlier (e.g. after staff re-ran it with adjustments), then enter it."""

    instance: Path = Field(title="インスタンス (instance.json)")
    workbook: Path = Field(title="審査用ワークブック")
    entry: EntryParams = Field(title="入力の設定 / entry settings")


class SeasonAdvanced(_Params):
    """詳細設定: ふだんは変更しません。空欄はどれも市のプロファイルかサーバーの既定値になります。"""

    legacy_url: str | None = Field(
        None,
        title="既存システムの URL",
        description="空欄: サーバーの既定値 (bodx serve --legacy-url)。例 http://10.0.0.8:8765",
    )
    recipe: str | None = Field(
        None, title="入力レシピ", description="空欄: プロファイルの robot.toml / empty: the profile's recipe"
    )
    credentials_env_prefix: str = Field(
        "BODX_ROBOT_",
        title="ロボットの認証情報",
        description="Prefect の Secret ブロック bodx-robot-user / bodx-robot-password、なければ環境変数 "
        "BODX_ROBOT_USER / BODX_ROBOT_PASSWORD (名前の頭をここで変えられます)",
    )
    ledgers_with_mapping: tuple[SeasonLedger, ...] = Field(
        (),
        title="対応表を指定する台帳",
        description="プロファイルの列の対応表と違う並びの台帳だけ、ここに対応表と一緒に入れます",
    )
    nurseries: Path | None = Field(
        None, title="施設一覧 (nurseries.json)", description="台帳に施設一覧シートがないときだけ"
    )
    templates_dir: Path | None = Field(
        None, title="様式テンプレート", description="空欄: プロファイルの forms/ / empty: the profile's forms"
    )
    rules: Path | None = Field(
        None,
        title="利用調整基準 (TOML)",
        description="空欄: プロファイルの rules.toml / empty: the profile's rules",
    )
    time_limit: float = Field(60.0, gt=0, le=3600, title="最適化の制限時間 (秒)")
    work_dir: Path | None = Field(
        None,
        title="作業フォルダ",
        description="空欄: データフォルダの seasons/年度/実行ID / empty: a folder per run under the data folder",
    )
    scale: ScaleOut = Field(default_factory=ScaleOut, title="並列実行 / scale-out")
    notice_previews: Path | None = Field(
        None,
        title="通知書の見本画像 (デモ用)",
        description="合成データのデモだけ: 内定・保留の通知書を1通ずつ PNG でこのフォルダに。実データでは空欄 / demo only",
    )


class SeasonParams(_Params):
    """入所選考: 台帳とスキャンから内定を決め、承認されたら既存システムに入力します。

    Relative paths are inside the data folder (BODX_DATA_DIR): the form's choices are written that way.
    """

    city: str = Field(
        title="市のプロファイル",
        description="cities/ の名前 (hinata …) または city.toml のあるフォルダ。規則・対応表・様式・レシピの既定値になります",
    )
    ledgers: tuple[Path, ...] = Field(
        min_length=1,
        title="受付台帳",
        description="受付フォルダ (データフォルダの inbox) の Excel 台帳。列はプロファイルの対応表で読みます",
    )
    scans_dir: Path | None = Field(
        None,
        title="スキャンフォルダ",
        description="紙の申込書のスキャン (jpg, png, tif, pdf) があるフォルダ。空欄: スキャンなし",
    )
    round: str | None = Field(
        None, title="選考回", description="city.toml の [[rounds]] の id (一次、二次 …)。空欄: 最初の回"
    )
    admission_year: int | None = Field(
        None,
        ge=2000,
        le=2100,
        title="入所年度",
        description="空欄: プロファイルの年度 / empty: the profile's year",
    )
    adjustments_from: Path | None = Field(
        None,
        title="前回の審査用ワークブック (調整)",
        description="前の実行のワークブックに書いた調整 (固定・除外) をこの実行でも守ります。空欄: 調整なし",
    )
    manual_result: Path | None = Field(
        None,
        title="手作業の選考結果 (並行稼働)",
        description="空欄: 照合しない / the clerks' own selection (.xlsx) to compare with, child by child",
    )
    advanced: SeasonAdvanced = Field(default_factory=SeasonAdvanced, title="詳細設定 (ふだんは変更しません)")


# --- outcomes (persisted; paths and counts only) ---


class IntakeOutcome(_Params):
    readings: Path  # OCR readings (personal data: stays in the data directory)
    review_queue: Path
    pages: int
    fields_to_review: int
    pages_by_status: dict[str, int]


class NormaliseOutcome(_Params):
    applications: Path
    nurseries: Path
    issues: Path
    applications_count: int
    issues_count: int


class AdmissionOutcome(_Params):
    instance: Path
    result: Path
    workbook: Path
    summary_markdown: str  # counts only: shown above the approval form
    placed: int
    waitlisted: int


class EntryOutcome(_Params):
    decisions: int
    entered: int
    already_entered: int
    failed: int
    report: Path


class NoticesParams(_Params):
    city: str = Field(title="市のプロファイル")
    applications: Path = Field(title="申込 (applications.json)")
    nurseries: Path = Field(title="施設 (nurseries.json)")
    instance: Path = Field(title="インスタンス (instance.json)")
    result: Path = Field(title="承認された選考結果 (result.json)")
    round: str | None = Field(None, title="選考回")
    round_letters: Path | None = Field(
        None,
        title="二次以降: 決定通知・通知しない児童",
        description="letters.json written by the 二次調整 flow",
    )
    issued_on: dt.date | None = Field(None, title="通知日", description="空欄: 今日")
    out_dir: Path = Field(title="出力フォルダ")
    previews_dir: Path | None = Field(
        None,
        title="見本画像の出力先 (デモ用)",
        description="合成データのデモだけ: 内定・保留の通知書を1通ずつ PNG に。実データでは空欄 / demo only",
    )


class NoticesOutcome(_Params):
    letters: int
    combined: Path
    mail_merge: Path


class SeasonOutcome(_Params):
    approved: bool
    work_dir: Path
    workbook: Path
    placed: int
    waitlisted: int
    entry: EntryOutcome | None  # None: rejected, nothing entered
    notices: NoticesOutcome | None = None  # None: rejected, no letters
