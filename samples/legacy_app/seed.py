"""What the sample legacy system knows before the robot starts: children to decide and nursery codes.

Accepted inputs: the canonical `applications.json` / `nurseries.json` written by `bodx samples city`, or a
plain JSON list of {"受付番号", "児童番号", "氏名", "生年月日"?} objects. Without input, a small synthetic
city is generated (same seed, same children).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from samples.legacy_app.store import SeedChild


class SeedError(ValueError):
    """A seed file cannot be read; the message names the file and the entry."""


def children_from_json(path: Path) -> list[SeedChild]:
    data = _read(path)
    if not isinstance(data, list):
        raise SeedError(f"{path}: JSON の配列が必要です / expected a JSON list")
    children: list[SeedChild] = []
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise SeedError(f"{path}[{index}]: オブジェクトが必要です / expected an object")
        if "children" in item:  # canonical Application record
            for child in item["children"]:
                children.append(
                    _child(path, index, item.get("id"), child.get("id"), child.get("name"), child)
                )
        else:
            children.append(
                _child(path, index, item.get("受付番号"), item.get("児童番号"), item.get("氏名"), item)
            )
    return children


def nurseries_from_json(path: Path) -> dict[str, str]:
    data = _read(path)
    if isinstance(data, dict):
        return {str(k): str(v) for k, v in data.items()}
    if isinstance(data, list):
        try:
            return {str(n["id"]): str(n["name"]) for n in data}
        except (KeyError, TypeError) as exc:
            raise SeedError(
                f"{path}: 各施設に id と name が必要です / every nursery needs id and name"
            ) from exc
    raise SeedError(f"{path}: 施設一覧が読めません / expected a list or an object of nurseries")


def synthetic_seed(applicants: int, seed: int) -> tuple[list[SeedChild], dict[str, str]]:
    """Children and nurseries of a generated city (the generator is deterministic per seed)."""
    from samples.citygen.generate import generate_city

    city = generate_city(applicants, seed)
    children = [
        SeedChild(app.id, child.id, child.name or child.id, child.birth_date)
        for app in city.applications
        for child in app.children
    ]
    return children, {n.id: n.name for n in city.nurseries}


def _child(path: Path, index: int, uketsuke: Any, child_id: Any, name: Any, raw: dict[str, Any]) -> SeedChild:
    if not uketsuke or not child_id or not name:
        raise SeedError(
            f"{path}[{index}]: 受付番号・児童番号・氏名が必要です / 受付番号, 児童番号 and 氏名 are required"
        )
    birth = raw.get("birth_date") or raw.get("生年月日")
    try:
        birth_date = dt.date.fromisoformat(birth) if birth else None
    except ValueError as exc:
        raise SeedError(f"{path}[{index}]: 生年月日が不正です / bad birth date {birth!r}") from exc
    return SeedChild(str(uketsuke), str(child_id), str(name), birth_date)


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SeedError(f"{path}: 読めません / cannot read: {exc}") from exc
