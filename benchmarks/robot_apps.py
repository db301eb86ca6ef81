"""The two sample screens the robot bench drives: which recipe, which decisions, what must be stored.

`classic` is the sample app's classic layout (frameset, Shift_JIS, codes typed in); `kawabe` is the かわべ町
screen (iframe in a frame, EUC-JP, facility by displayed name among look-alikes, 入所予定日 on 保留,
備考, 保育必要量, all red messages, a 登録済み guard). Each gets 1 % decisions its screen must refuse,
with the screen's own error codes expected in the staff's message.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matching.result import MatchResult
from robots.decisions import Decision, Outcome, decisions_from_result

if TYPE_CHECKING:
    from samples.legacy_app import Entry, SeedChild

BUSINESS_ERROR_EVERY = 100  # one decision in 100 carries data the screen must reject
REMARKS = ("兄と同じ園を希望", "第２希望も可", "育休明け 6月復職予定", "アレルギー（卵）あり")


@dataclass(frozen=True)
class BenchCase:
    decisions: list[Decision]
    nurseries: dict[str, str]
    expected_codes: dict[
        str, tuple[str, ...]
    ]  # invalid reference -> screen error codes its message must carry
    children: list[SeedChild]


def classic_case(items: int, seed: int) -> BenchCase:
    """Codes typed in; 1 % with a nursery code the system does not know (E102) or a date before birth (E104)."""
    decisions, names, children = _base(items, seed)
    births = {c.child_id: c.birth_date for c in children}
    expected: dict[str, tuple[str, ...]] = {}
    for index in range(BUSINESS_ERROR_EVERY // 2, len(decisions), BUSINESS_ERROR_EVERY):
        d = decisions[index]
        if (index // BUSINESS_ERROR_EVERY) % 2 == 0:
            bad = d.model_copy(
                update={"outcome": Outcome.OFFER, "nursery_id": "N999", "start_date": dt.date(2027, 4, 1)}
            )
            expected[d.reference] = ("E102",)
        else:
            before_birth = (births[d.child_id] or dt.date(2025, 1, 1)) - dt.timedelta(days=31)
            bad = d.model_copy(
                update={"outcome": Outcome.OFFER, "nursery_id": next(iter(names)), "start_date": before_birth}
            )
            expected[d.reference] = ("E104",)
        decisions[index] = Decision.model_validate(bad.model_dump())
    return BenchCase(decisions, names, expected, children)


def kawabe_case(items: int, seed: int) -> BenchCase:
    """Remarks on a third, 保育必要量 on offers, dates on 保留 too; 1 % with two or three screen errors."""
    decisions, names, children = _base(items, seed)
    births = {c.child_id: c.birth_date for c in children}
    for index, d in enumerate(decisions):
        update: dict[str, object] = {}
        if index % 3 == 0:
            update["remarks"] = REMARKS[index % len(REMARKS)]
        if d.outcome is Outcome.OFFER:
            update["extra"] = {"保育必要量": "短時間" if index % 5 == 0 else "標準"}
        decisions[index] = d.model_copy(update=update)
    expected: dict[str, tuple[str, ...]] = {}
    for index in range(BUSINESS_ERROR_EVERY // 2, len(decisions), BUSINESS_ERROR_EVERY):
        d = decisions[index]
        if (index // BUSINESS_ERROR_EVERY) % 2 == 0:  # an offer without facility nor 保育必要量, long remarks
            update = {"outcome": Outcome.OFFER, "nursery_id": None, "nursery_name": None, "extra": {}}
            update["remarks"] = "要確認" * 40
            expected[d.reference] = ("E202", "E205", "E207")
        else:  # a wait-list date before birth
            before_birth = (births[d.child_id] or dt.date(2025, 1, 1)) - dt.timedelta(days=31)
            update = {
                "outcome": Outcome.WAIT,
                "nursery_id": None,
                "nursery_name": None,
                "start_date": before_birth,
            }
            expected[d.reference] = ("E204",)
        decisions[index] = d.model_copy(update=update)
    return BenchCase(decisions, names, expected, children)


def _base(items: int, seed: int) -> tuple[list[Decision], dict[str, str], list[SeedChild]]:
    from samples.citygen.generate import generate_city
    from samples.legacy_app import SeedChild

    city = generate_city(items, seed)
    names = {n.id: n.name for n in city.nurseries}
    children = [(app, child) for app in city.applications for child in app.children][:items]
    kept = {child.id for _, child in children}
    apps = {app.id: app for app, _ in children}
    trimmed = [
        app.model_copy(update={"children": tuple(c for c in app.children if c.id in kept)})
        for app in apps.values()
    ]
    # A stand-in result: three in four children get their first choice, the rest wait (保留).
    assignments: dict[str, str | None] = {
        child.id: (app.preferences[0] if index % 4 != 3 else None)
        for index, (app, child) in enumerate(children)
    }
    decisions = decisions_from_result(MatchResult(status="feasible", assignments=assignments), trimmed, names)
    seeds = [SeedChild(app.id, child.id, child.name or child.id, child.birth_date) for app, child in children]
    return decisions, names, seeds


def stored_right(app: str, decision: Decision | None, entry: Entry) -> bool:
    """The app holds exactly what the decision says, as that screen stores it."""
    if decision is None:
        return False  # an invalid decision was stored, or something nobody asked for
    offer = decision.outcome is Outcome.OFFER
    same = (
        entry.outcome == decision.outcome.value
        and entry.nursery_code == (decision.nursery_id if offer else None)
        and "".join(entry.name.split()) == "".join(decision.child_name.split())
    )
    if app == "classic":  # 保留 carries no date on that screen
        return same and entry.start_date == (decision.start_date if offer else None)
    need = json.loads(entry.extra or "{}").get("保育必要量")
    return (
        same
        and entry.start_date == decision.start_date
        and (entry.remarks or None) == (decision.remarks or None)
        and need == (decision.extra.get("保育必要量") if offer else None)
    )
