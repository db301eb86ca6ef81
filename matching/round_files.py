"""Where a finished round keeps what the next one needs: `round.json` and the files it names.

One season folder holds every round of the admission year, so one audit log chains them all:

    <season>/round.json                 一次 (the season flow writes it after approval)
    <season>/rounds/<id>/round.json     二次, 三次 … (the 二次調整 flow)

A manifest names its files relative to the season folder (the folder may move). Only an approved round
is followed: `latest_round` refuses a season whose last round was sent back or never approved.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from matching.adjustments import StaffAdjustment
from matching.errors import RoundError
from matching.files import write_text_atomically
from matching.instance import load_instance
from matching.records import Application, Nursery
from matching.result import load_result
from matching.rounds import Holding, RoundState

MANIFEST = "round.json"
ROUNDS_DIR = "rounds"
_APPLICATIONS = TypeAdapter(tuple[Application, ...])
_NURSERIES = TypeAdapter(tuple[Nursery, ...])
_HOLDINGS = TypeAdapter(tuple[Holding, ...])
_EXCLUSIONS = TypeAdapter(tuple[StaffAdjustment, ...])


class RoundManifest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    sequence: int = Field(ge=1, description="1 for the first round, 2 for the next …")
    round_id: str = Field(min_length=1)
    city: str = Field(min_length=1, description="the city profile the season ran with (name or folder)")
    admission_year: int
    rules: str = Field(description="the rules file the round was scored with: later rounds use the same")
    applications: str  # every application the round knew
    nurseries: str  # the season's 募集人数 (the base capacity)
    instance: str
    result: str
    holdings: str | None = None  # seats kept from earlier rounds (fixed in this one)
    exclusions: str | None = None  # 除外 carried (面接不可, a re-admitted 辞退)
    responses: str | None = None  # the responses workbook staff fill in for the next round
    approved: bool = False


def round_folder(season: Path, round_id: str) -> Path:
    return season / ROUNDS_DIR / round_id


def save_manifest(folder: Path, manifest: RoundManifest) -> Path:
    path = folder / MANIFEST
    write_text_atomically(path, manifest.model_dump_json(indent=1) + "\n")
    return path


def relative(season: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(season.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())


def manifests(season: Path) -> list[tuple[Path, RoundManifest]]:
    """Every round of the season folder, in order."""
    found = []
    candidates = [season / MANIFEST, *sorted((season / ROUNDS_DIR).glob(f"*/{MANIFEST}"))]
    for path in candidates:
        if not path.is_file():
            continue
        try:
            found.append((path.parent, RoundManifest.model_validate_json(path.read_bytes())))
        except (OSError, ValidationError) as exc:
            raise RoundError(
                f"{path}: 選考回の記録を読めません / cannot read the round record: {exc}"
            ) from exc
    return sorted(found, key=lambda item: item[1].sequence)


def latest_round(season: Path) -> tuple[Path, RoundManifest]:
    """The last approved round of the season: the one the next round follows."""
    rounds = manifests(season)
    if not rounds:
        raise RoundError(
            f"{season}: 選考回の記録 ({MANIFEST}) がありません。承認まで終えた入所選考の作業フォルダを指定して"
            "ください / no round record: give the folder of a season that was approved"
        )
    folder, last = rounds[-1]
    if not last.approved:
        raise RoundError(
            f"{season}: 最後の選考回「{last.round_id}」は承認されていません。承認してから次の回を始めてください / "
            f"the last round {last.round_id!r} was not approved"
        )
    return folder, last


def load_state(season: Path, manifest: RoundManifest) -> RoundState:
    def path(name: str) -> Path:
        found = Path(name) if Path(name).is_absolute() else season / name
        if not found.is_file():
            raise RoundError(
                f"{found}: 選考回「{manifest.round_id}」のファイルがありません / a file of the round is missing"
            )
        return found

    try:
        return RoundState(
            round_id=manifest.round_id,
            applications=_APPLICATIONS.validate_json(path(manifest.applications).read_bytes()),
            nurseries=_NURSERIES.validate_json(path(manifest.nurseries).read_bytes()),
            instance=load_instance(path(manifest.instance)),
            result=load_result(path(manifest.result)),
            holdings=load_holdings(path(manifest.holdings)) if manifest.holdings else (),
            exclusions=_EXCLUSIONS.validate_json(path(manifest.exclusions).read_bytes())
            if manifest.exclusions
            else (),
        )
    except ValidationError as exc:
        raise RoundError(
            f"選考回「{manifest.round_id}」のファイルが不正です / a file of the round is invalid: {exc}"
        ) from exc


def save_holdings(path: Path, holdings: tuple[Holding, ...]) -> Path:
    write_text_atomically(path, _HOLDINGS.dump_json(holdings, indent=1).decode("utf-8") + "\n")
    return path


def load_holdings(path: Path) -> tuple[Holding, ...]:
    return _HOLDINGS.validate_json(path.read_bytes())


def save_exclusions(path: Path, exclusions: tuple[StaffAdjustment, ...]) -> Path:
    write_text_atomically(path, _EXCLUSIONS.dump_json(exclusions, indent=1).decode("utf-8") + "\n")
    return path
