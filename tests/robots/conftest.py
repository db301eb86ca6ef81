"""Fixtures: the sample legacy app in a thread on a free port, seeded children, decisions, a robot run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from robots.credentials import Credentials
from robots.decisions import Decision, Outcome, RejectedDecision
from robots.recipe import load_recipe
from robots.report import RunReport
from robots.runner import RobotSettings, run_robot
from samples.legacy_app import LegacyApp, LegacyAppConfig, SeedChild, running_legacy_app

USER, PASSWORD = "clerk-test", "pw-Secret-42"
NURSERIES = {"N001": "さくら保育園", "N002": "ひまわり保育園"}
# Names that only survive a correct Shift_JIS (cp932) round trip: IBM/NEC extension kanji (髙, 﨑, 德),
# NEC special characters (①, ㈱ are not names but test the same table), half-width katakana, 々 and ヶ.
NAMES = ("髙橋 﨑子", "德永 ①子", "ｻﾄｳ ﾊﾙﾄ", "佐々木 ヶ丘", "渡邉 はるか", "山本 蓮", "斎藤 結衣", "中村 湊")


def seed_children(count: int, start: int = 1) -> tuple[SeedChild, ...]:
    return tuple(
        SeedChild(f"R2027-{i:06d}", f"A{i:06d}", NAMES[(i - start) % len(NAMES)], dt.date(2025, 6, 15))
        for i in range(start, start + count)
    )


def decision_for(child: SeedChild, offer: bool = True, **changes: Any) -> Decision:
    fields: dict[str, Any] = {
        "application_id": child.uketsuke,
        "child_id": child.child_id,
        "child_name": child.name,
        "outcome": Outcome.OFFER if offer else Outcome.WAIT,
        "nursery_id": "N001" if offer else None,
        "nursery_name": NURSERIES["N001"] if offer else None,
        "start_date": dt.date(2027, 4, 1) if offer else None,
    }
    return Decision.model_validate(fields | changes)


AppFactory = Callable[..., AbstractContextManager[LegacyApp]]


@pytest.fixture
def legacy_app(tmp_path: Path) -> AppFactory:
    """`with legacy_app(children, **config) as app:` starts the app on a free port in a thread."""

    def start(children: tuple[SeedChild, ...], **config: Any) -> AbstractContextManager[LegacyApp]:
        settings = {"processing_delay_ms": 50, "hang_seconds": 4.0, "nurseries": NURSERIES} | config
        return running_legacy_app(
            LegacyAppConfig(
                db_path=tmp_path / "legacy.db", user=USER, password=PASSWORD, children=children, **settings
            )
        )

    return start


@pytest.fixture
def robot(tmp_path: Path) -> Iterator[Callable[..., RunReport]]:
    """`robot(app, decisions, recipe="legacy-classic", **settings)` runs the robot with test credentials."""

    def run(
        app: LegacyApp,
        decisions: list[Decision],
        recipe: str = "legacy-classic",
        rejected: tuple[RejectedDecision, ...] = (),
        **settings: Any,
    ) -> RunReport:
        return run_robot(
            load_recipe(recipe),
            Credentials.of(USER, PASSWORD),
            base_url=app.base_url,
            queue_path=tmp_path / "queue.db",
            artifacts_dir=tmp_path / "artifacts",
            decisions=decisions,
            rejected=rejected,
            settings=RobotSettings(**({"retry_pause_s": 0.0, "unanswered_save_wait_s": 1.0} | settings)),
        )

    yield run
