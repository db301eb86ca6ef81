"""Shared factories for the scoring tests: a small hand-checkable rules file and household builders."""

from __future__ import annotations

import datetime as dt

from matching.records import (
    CONDITION_OF_ALLOW_SPLIT,
    AdjustmentFlag,
    Application,
    Child,
    Guardian,
    Household,
    Reason,
    ReasonKind,
    WorkStyle,
)
from matching.scoring import Rules, parse_rules

# Small numbers so every expected score below can be checked by hand. scale 10: 5.5 points -> 55.
TEST_RULES = """
[meta]
name = "test"
scale = 10

[guardians]
combine = "sum"
missing = "max"
counted = 2

[[work]]
styles = ["外勤", "自営"]
unit = "month"

[[work.bands]]
days_min = 5
hours_min = 160
points = 10

[[work.bands]]
days_max = 4
hours_min = 160
points = 9

[[work.bands]]
hours_min = 120
hours_below = 160
points = 8

[[work.bands]]
hours_min = 64
hours_below = 120
points = 5.5

[[work]]
styles = ["自営協力者"]

[[work.bands]]
hours_min = 64
points = 4

[[work]]
styles = ["内職"]
unit = "week"

[[work.bands]]
hours_min = 30
points = 6

[[work.bands]]
hours_min = 15
hours_below = 30
points = 3

[reasons."出産"]
points = 8

[reasons."疾病".levels]
"入院" = 10
"通院" = 5

[reasons."障害"]
points = 7

[reasons."障害".levels]
"身体1級" = 10

[reasons."介護".levels]
"常時介護" = 9

[reasons."就学"]
points = 7

[reasons."災害"]
points = 10

[reasons."求職"]
points = 3

[reasons."不存在"]
points = 10

[[adjustments]]
id = "ひとり親"
flag = "ひとり親"
points = 2

[[adjustments]]
id = "生活保護"
flag = "生活保護"
points = 1.5

[[adjustments]]
id = "育休復帰"
flag = "育休復帰"
points = 1

[[adjustments]]
id = "認可外"
flag = "認可外利用中"
points = 0.5

[[adjustments]]
id = "多胎児"
flag = "多胎児"
points = 1

[[adjustments]]
id = "祖父母同居"
flag = "祖父母同居"
points = -2

[[adjustments]]
id = "保育料滞納"
flag = "保育料滞納"
points = -3

[[adjustments]]
id = "兄弟在園"
sibling_enrolled = true
points = 1.5

[[adjustments]]
id = "同時申込"
siblings_applying = true
points = 0.5

[[adjustments]]
id = "転園"
transfer = true
points = -1

[[ranks]]
name = "福祉の事由"
flags_any = ["DV"]

[[ranks]]
name = "一般"

[[ranks]]
name = "求職中"
reasons_any = ["求職"]

[tiebreak]
order = ["基準指数", "ひとり親", "市民税所得割額", "申込順"]
"""

YEAR = 2027
FULL_TIME = Reason(kind=ReasonKind.WORK, work_style=WorkStyle.EMPLOYED, hours_per_month=170, days_per_week=5)


def rules(text: str = TEST_RULES) -> Rules:
    return parse_rules(text)


def work(hours: float, days: int, style: WorkStyle = WorkStyle.EMPLOYED) -> Reason:
    return Reason(kind=ReasonKind.WORK, work_style=style, hours_per_month=hours, days_per_week=days)


def reason(kind: ReasonKind, level: str | None = None) -> Reason:
    return Reason(kind=kind, level=level)


def guardian(relation: str, *reasons: Reason) -> Guardian:
    return Guardian(relation=relation, reasons=reasons or (FULL_TIME,))


def application(
    app_id: str = "R1",
    guardians: tuple[Guardian, ...] | None = None,
    flags: frozenset[AdjustmentFlag] = frozenset(),
    children: tuple[str, ...] = ("C1",),
    preferences: tuple[str, ...] = ("N1", "N2"),
    levy: int | None = 100_000,
    received: dt.date | None = dt.date(YEAR - 1, 10, 1),
    enrolled: tuple[str, ...] = (),
    current: str | None = None,
    allow_split: bool = False,
) -> Application:
    return Application(
        id=app_id,
        received_on=received,
        household=Household(
            guardians=guardians if guardians is not None else (guardian("母"), guardian("父")),
            flags=flags,
            income_levy_yen=levy,
            siblings_enrolled_at=enrolled,
        ),
        children=tuple(
            Child(id=cid, birth_date=dt.date(YEAR - 2, 6, 1), current_nursery=current) for cid in children
        ),
        preferences=preferences,
        sibling_condition=CONDITION_OF_ALLOW_SPLIT[allow_split] if len(children) > 1 else None,
        desired_start=dt.date(YEAR, 4, 1),
    )
