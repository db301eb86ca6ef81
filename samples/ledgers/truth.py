"""Small builders for the canonical records the hand-made ledgers are rendered from (the ground truth).

The expected output of each sample ledger is written from these records, not from the reader, so the
tests compare the reader against an independent statement of what the ledger says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from matching.records import (
    CONDITION_OF_ALLOW_SPLIT,
    AdjustmentFlag,
    Application,
    Child,
    Guardian,
    Household,
    Nursery,
    Reason,
    ReasonKind,
    WorkStyle,
)

APRIL = dt.date(2027, 4, 1)


def work(
    relation: str,
    hours: float,
    days: int,
    style: WorkStyle | None = WorkStyle.EMPLOYED,
    name: str | None = None,
) -> Guardian:
    reason = Reason(kind=ReasonKind.WORK, work_style=style, hours_per_month=hours, days_per_week=days)
    return Guardian(relation=relation, name=name, reasons=(reason,))


def other(relation: str, kind: ReasonKind, level: str | None = None, name: str | None = None) -> Guardian:
    return Guardian(relation=relation, name=name, reasons=(Reason(kind=kind, level=level),))


def child(
    child_id: str, name: str | None, kana: str | None, born: dt.date, current: str | None = None
) -> Child:
    return Child(id=child_id, name=name, kana=kana, birth_date=born, current_nursery=current)


def application(
    app_id: str,
    children: Sequence[Child],
    preferences: Sequence[str],
    guardians: Sequence[Guardian],
    *,
    received: dt.date | None = None,
    start: dt.date = APRIL,
    flags: Sequence[AdjustmentFlag] = (),
    levy: int | None = None,
    split: bool = False,
    siblings_at: Sequence[str] = (),
    postal: str | None = None,
    phones: Sequence[str] = (),
    remarks: str | None = None,
) -> Application:
    return Application(
        id=app_id,
        received_on=received,
        household=Household(
            guardians=tuple(guardians),
            flags=frozenset(flags),
            income_levy_yen=levy,
            siblings_enrolled_at=tuple(siblings_at),
            postal_code=postal,
            phones=tuple(phones),
        ),
        remarks=remarks,
        children=tuple(children),
        preferences=tuple(preferences),
        sibling_condition=CONDITION_OF_ALLOW_SPLIT[split] if len(children) > 1 else None,
        desired_start=start,
    )


def nursery(
    nursery_id: str, name: str, seats: dict[int, int], kind: str = "認可保育所", district: str | None = None
) -> Nursery:
    return Nursery(id=nursery_id, name=name, kind=kind, district=district, capacity=seats)
