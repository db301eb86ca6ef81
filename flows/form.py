"""The start form of 入所選考 as clerks see it in the Prefect UI.

Prefect draws the form from the flow's parameter schema (pydantic): titles, descriptions, required
fields, enums as drop-downs, nested models as sections. This module adjusts that schema where the
server knows better than a free text box: the city profiles it has, the ledgers and scan folders in its
inbox, the review workbooks of earlier seasons. The choices are computed when `bodx serve` builds the
deployments (and refreshed while it serves), and the flow still validates what it gets with the same
pydantic model, so a value typed through the API is checked as strictly.

Paths are offered relative to the data folder (shorter, and the same on every PC that sees the share);
the season resolves them there (`flows.paths.in_data_dir`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cityprofile import BUNDLED_CITIES_DIR, open_city
from matching.errors import MatchingError
from ocr.loading import SCAN_SUFFIXES

MOST_CHOICES = 300  # a drop-down longer than this is no help; the newest come first
FOLDER_DEPTH = 2  # inbox/2027一次/追加分: deep enough for batches, shallow enough to list quickly
REQUIRED_MARK = "（必須）"


@dataclass(frozen=True)
class FormChoices:
    """What the server offers in the start form's drop-downs (values as the flow receives them)."""

    cities: tuple[tuple[str, str], ...]  # (profile, city name)
    rounds: tuple[tuple[str, str, str], ...]  # (profile, round id, round label)
    scan_folders: tuple[str, ...]
    workbooks: tuple[str, ...]  # Excel files in the inbox: ledgers, the clerks' own manual result
    earlier_workbooks: tuple[str, ...]  # review workbooks of earlier seasons (for their 調整)


def _shown(path: Path, data_dir: Path) -> str:
    resolved = path.resolve()
    return resolved.relative_to(data_dir).as_posix() if resolved.is_relative_to(data_dir) else str(resolved)


def _folders(root: Path, depth: int) -> Iterator[Path]:
    yield root
    if depth == 0:
        return
    try:
        children = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return
    for child in children:
        yield from _folders(child, depth - 1)


def _newest_first(paths: Iterable[Path]) -> list[Path]:
    def modified(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    return sorted(paths, key=lambda p: (-modified(p), str(p)))[:MOST_CHOICES]


def city_choices(cities_dir: Path = BUNDLED_CITIES_DIR, city: str | None = None) -> list[str]:
    """`city` alone when the server was started for one city; else every profile that can run a season
    (it opens and has a ledger mapping)."""
    if city is not None:
        return [city]
    usable = []
    for toml in sorted(cities_dir.glob("*/city.toml")):
        try:
            folder = open_city(toml.parent)
        except MatchingError:
            continue
        if folder.ledger_mappings:
            usable.append(toml.parent.name if cities_dir == BUNDLED_CITIES_DIR else str(toml.parent))
    return usable


def form_choices(data_dir: Path, inbox: Path, cities: Iterable[str]) -> FormChoices:
    data_dir = data_dir.resolve()
    named, rounds = [], []
    for ref in cities:
        try:
            profile = open_city(ref).profile
        except MatchingError:
            continue
        named.append((ref, profile.name))
        rounds += [(ref, r.id, r.label) for r in profile.rounds]
    folders = [f for f in _folders(inbox, FOLDER_DEPTH) if f == inbox or any(_is_scan(p) for p in _files(f))]
    workbooks = [
        p
        for f in _folders(inbox, FOLDER_DEPTH)
        for p in _files(f)
        if p.suffix.lower() == ".xlsx" and not p.name.startswith("~$")  # ~$: Excel's lock file
    ]
    earlier = (data_dir / "seasons").glob("*/*/admission/review.xlsx")
    return FormChoices(
        cities=tuple(named),
        rounds=tuple(rounds),
        scan_folders=tuple(_shown(f, data_dir) for f in folders),
        workbooks=tuple(_shown(p, data_dir) for p in _newest_first(workbooks)),
        earlier_workbooks=tuple(_shown(p, data_dir) for p in _newest_first(earlier)),
    )


def _files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_file())
    except OSError:
        return []


def _is_scan(path: Path) -> bool:
    return path.suffix.lower() in SCAN_SUFFIXES


# --- the schema ------------------------------------------------------------------------------------------


def _without_null(prop: dict[str, Any]) -> dict[str, Any]:
    """`X | None` drawn as X: Prefect draws a type switch (str / None) for a nullable field, which means
    nothing to a clerk. Left empty, the field is simply not sent and the model's None applies."""
    options = prop.get("anyOf")
    if not isinstance(options, list):
        return prop
    kept = [o for o in options if o.get("type") != "null"]
    if len(kept) != 1 or len(kept) == len(options):
        return prop
    outer = {k: v for k, v in prop.items() if k != "anyOf" and not (k == "default" and v is None)}
    return {**kept[0], **outer}


def _choose(prop: dict[str, Any], values: Iterable[str], note: str | None = None) -> None:
    values = list(values)
    target = prop["items"] if prop.get("type") == "array" else prop
    if values:
        target["enum"] = values
    elif note:  # nothing to choose from: the free text box stays, and the description says why
        prop["description"] = f"{prop.get('description', '')} {note}".strip()


def clerk_schema(schema: dict[str, Any], choices: FormChoices) -> dict[str, Any]:
    """The season's parameter schema with drop-downs, required marks and no nullable type switches."""
    schema = copy.deepcopy(schema)
    definitions = schema.get("definitions", {})
    for model in definitions.values():
        properties = model.get("properties", {})
        for name in list(properties):
            properties[name] = _without_null(properties[name])
        for name in model.get("required", []):
            title = properties[name].get("title", name)
            if not title.endswith(REQUIRED_MARK):
                properties[name]["title"] = title + REQUIRED_MARK
    season = definitions["SeasonParams"]["properties"]
    _choose(season["city"], (ref for ref, _ in choices.cities))
    if choices.cities:
        season["city"]["description"] = "このサーバーの市: " + "、".join(
            f"{ref} = {name}" for ref, name in choices.cities
        )
    _choose(
        season["ledgers"],
        choices.workbooks,
        "受付フォルダに Excel の台帳がありません。台帳を置いてから bodx serve を開き直すか、パスを入力してください",
    )
    _choose(season["scans_dir"], choices.scan_folders)
    _choose(season["round"], dict.fromkeys(round_id for _, round_id, _ in choices.rounds))
    if choices.rounds:
        season["round"]["description"] = "空欄: 最初の回。" + "、".join(
            f"{round_id} = {label}" + (f" ({ref})" if len(choices.cities) > 1 else "")
            for ref, round_id, label in choices.rounds
        )
    _choose(season["adjustments_from"], choices.earlier_workbooks)
    _choose(season["manual_result"], choices.workbooks)
    params = schema["properties"]["params"]
    params["title"] = "入所選考の設定"
    params["description"] = (
        "必須の項目だけ選べば始められます。ほかは空欄のままで市のプロファイルの値になります。"
        "始める前に、入力ファイル・既存システム・ロボットの認証情報を確認します。"
    )
    return schema


def season_form_defaults(legacy_url: str, cities: list[str]) -> dict[str, Any]:
    """What the form shows filled in: the server's legacy system, and the city when there is one."""
    defaults: dict[str, Any] = {"advanced": {"legacy_url": legacy_url}}
    if len(cities) == 1:
        defaults["city"] = cities[0]
    return defaults
