"""A small season folder with a log written the way the flows write it (synthetic ids, no names)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from audit import Adjustment, Approval, AuditEvent, FileRef, RobotOutcome, SeasonLog


@dataclass(frozen=True)
class Season:
    root: Path
    rules: Path
    profile: Path
    log: SeasonLog


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def build_season(tmp_path: Path) -> Season:
    profile = tmp_path / "cities" / "testcity"
    rules = _write(profile / "rules.toml", "[meta]\nname = 'test'\n")
    _write(profile / "city.toml", "[city]\nname = 'テスト市'\n")
    root = tmp_path / "season"
    apps = _write(root / "records" / "applications.json", json.dumps([{"id": "A0001"}]))
    result = _write(root / "admission" / "result.json", json.dumps({"C0001": "N001", "C0002": None}))
    workbook = _write(root / "admission" / "review.xlsx", "workbook bytes")
    log = SeasonLog.create(root)
    log.append(AuditEvent(action="season-start", actor="clerk@pc", profile=profile))
    log.append(
        AuditEvent(
            action="admission",
            actor="clerk@pc",
            files=(
                FileRef(path=apps, role="input"),
                FileRef(path=result, role="output"),
                FileRef(path=workbook, role="output"),
            ),
            rules=rules,
            profile=profile,
            adjustments=(Adjustment(child_id="C0002", kind="除外", nursery="N001", reason="転居予定"),),
            children={"C0001": "内定 N001 (第1希望)", "C0002": "保留"},
        )
    )
    log.append(
        AuditEvent(
            action="export",
            actor="clerk@pc",
            files=(FileRef(path=workbook, role="access"),),
            season_wide=True,
            summary="審査用ワークブック 2 人",
        )
    )
    log.append(
        AuditEvent(
            action="approval",
            actor="課長 山田",
            approval=Approval(approved=True, approver="課長 山田", comment="確認済み"),
            season_wide=True,
        )
    )
    log.append(
        AuditEvent(
            action="robot",
            actor="robot@pc",
            robot=(
                RobotOutcome(child_id="C0001", reference="A0001/C0001", decision="内定", state="登録済"),
                RobotOutcome(
                    child_id="C0002",
                    reference="A0001/C0002",
                    decision="保留",
                    state="要確認",
                    message="施設不一致",
                ),
            ),
        )
    )
    return Season(root, rules, profile, log)


@pytest.fixture
def season(tmp_path: Path) -> Season:
    return build_season(tmp_path)
