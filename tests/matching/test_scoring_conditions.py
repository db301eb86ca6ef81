"""The condition language and what it drives: adjustments over facts, groups, counts, reason tables,
per-nursery tie order, staff points. Every expected figure is worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from matching.adjustments import StaffPoints
from matching.errors import RulesError
from matching.priority import ChildPriority
from matching.profile import CityProfile, FactDeclaration, FactLevel, FactType, Round
from matching.records import Application, Child, Guardian, Household, Nursery, Reason, ReasonKind, WorkStyle
from matching.scoring import Rules, build_instance, parse_rules, score_applications
from matching.scoring.expr_compile import compile_condition
from matching.scoring.expr_names import builtin_names
from matching.scoring.expr_parse import ExprError

YEAR = 2027
START = dt.date(YEAR, 4, 1)

PROFILE = CityProfile(
    slug="test",
    name="テスト市",
    section="保育課",
    admission_year=YEAR,
    rounds=(Round(id="r1", label="一次", first_day=START),),
    weeks_per_month=Fraction(4),
    facts=(
        FactDeclaration(name="on_leave", label="育休中", type=FactType.BOOL, level=FactLevel.GUARDIAN),
        FactDeclaration(
            name="relatives", label="同居親族の人数", type=FactType.INT, level=FactLevel.HOUSEHOLD
        ),
        FactDeclaration(
            name="grandparents",
            label="同居の祖父母",
            type=FactType.CHOICE,
            level=FactLevel.HOUSEHOLD,
            choices=("なし", "保育可能", "要介護"),
        ),
        FactDeclaration(name="medical_care", label="医療的ケア", type=FactType.BOOL, level=FactLevel.CHILD),
    ),
)

RULES = """
[meta]
name = "条件のテスト"
scale = 10

[guardians]
combine = "sum"
missing = 10
reasons = "sum"

[[work]]
styles = ["外勤", "自営", "自営協力者", "内職"]
unit = "week"
[[work.bands]]
hours_min = 40
points = 10
[[work.bands]]
hours_min = 20
hours_below = 40
points = 6

[reasons."出産"]
points = 8
roles = ["母"]

[reasons."介護"]
unit = "month"
[[reasons."介護".bands]]
hours_min = 120
points = 7
[[reasons."介護".bands]]
hours_min = 64
hours_below = 120
points = 4

[reasons."就学"]
points = 2

[reasons."求職"]
points = 1
[[reasons."求職".cases]]
when = "main_earner"
points = 3
label = "生計中心者の求職"

[groups."きょうだい"]
pick = "max"

[groups."福祉"]
pick = "sum"
cap = 2

[[adjustments]]
id = "認可外"
label = "認可外に預けて就労"
when = "認可外利用中 and not any_guardian(on_leave or \\"求職\\" in reasons)"
points = 2

[[adjustments]]
id = "育休明け"
when = "育休復帰 and age_months >= 12"
points = 1

[[adjustments]]
id = "祖父母"
when = "grandparents == 「保育可能」"
points = -2

[[adjustments]]
id = "親族"
label = "同居親族"
when = "relatives > 0"
times = "relatives"
times_max = 5
points = -0.5

[[adjustments]]
id = "在園この園"
label = "きょうだい在園 (この園)"
when = "sibling_here"
points = 3
group = "きょうだい"

[[adjustments]]
id = "在園どこか"
label = "きょうだい在園 (他園)"
when = "siblings_enrolled_any"
points = 1
group = "きょうだい"

[[adjustments]]
id = "医ケア"
when = "medical_care"
points = 1.5
group = "福祉"

[[adjustments]]
id = "障害"
when = "児童障害"
points = 1.5
group = "福祉"

[[ranks]]
name = "一般"

[tiebreak]
order = [{ reasons = ["介護", "外勤", "求職"] }, "希望順位", "申込順"]
"""


def _rules(text: str = RULES) -> Rules:
    return parse_rules(text, profile=PROFILE)


def _error(text: str) -> str:
    with pytest.raises(RulesError) as caught:
        _rules(text)
    return str(caught.value)


def _work(week_hours: float) -> Reason:
    return Reason(
        kind=ReasonKind.WORK, work_style=WorkStyle.EMPLOYED, hours_per_week=week_hours, days_per_week=5
    )


def _app(
    app_id: str,
    guardians: tuple[Guardian, ...],
    *,
    flags: tuple[str, ...] = (),
    facts: dict[str, object] | None = None,
    child_facts: dict[str, object] | None = None,
    birth: dt.date = dt.date(YEAR - 2, 6, 1),
    enrolled: tuple[str, ...] = (),
    preferences: tuple[str, ...] = ("N1", "N2"),
    received: dt.date = dt.date(YEAR - 1, 10, 1),
) -> Application:
    return Application.model_validate(
        {
            "id": app_id,
            "received_on": received,
            "household": Household.model_validate(
                {
                    "guardians": guardians,
                    "flags": flags,
                    "facts": facts or {},
                    "siblings_enrolled_at": enrolled,
                }
            ),
            "children": (Child(id=f"{app_id}-1", birth_date=birth, facts=child_facts or {}),),
            "preferences": preferences,
            "desired_start": START,
        }
    )


def _score(*apps: Application, staff: tuple[StaffPoints, ...] = ()) -> dict[str, ChildPriority]:
    return {p.child_id: p for p in score_applications(apps, _rules(), YEAR, staff)}


MOTHER = Guardian(relation="母", reasons=(_work(40),))
FATHER = Guardian(relation="父", reasons=(_work(40),))


def test_and_not_over_guardian_facts() -> None:
    # Both work 40h/week: 10 + 10 = 20 points = 200 scaled. 認可外 +2 only when no guardian is on leave
    # and none is seeking work.
    plain = _app("A", (MOTHER, FATHER), flags=("認可外利用中",))
    leave = _app(
        "B",
        (Guardian(relation="母", reasons=(_work(40),), facts={"on_leave": True}), FATHER),
        flags=("認可外利用中",),
    )
    scores = _score(plain, leave)
    assert scores["A-1"].score == 200 + 20
    assert scores["B-1"].score == 200


def test_age_in_months_on_the_start_date() -> None:
    # Born 2026-04-02: 11 completed months on 2027-04-01 (no 育休明け point); born 2026-04-01: 12 months.
    eleven = _app("A", (MOTHER, FATHER), flags=("育休復帰",), birth=dt.date(YEAR - 1, 4, 2))
    twelve = _app("B", (MOTHER, FATHER), flags=("育休復帰",), birth=dt.date(YEAR - 1, 4, 1))
    scores = _score(eleven, twelve)
    assert scores["A-1"].score == 200
    assert scores["B-1"].score == 200 + 10


def test_choice_fact_and_points_times_count() -> None:
    # 祖父母 保育可能 -2, three co-resident relatives: -0.5 × 3 = -1.5 → 200 - 20 - 15 = 165.
    app = _app("A", (MOTHER, FATHER), facts={"grandparents": "保育可能", "relatives": 3})
    priority = _score(app)["A-1"]
    assert priority.score == 165
    labels = [item.label for item in priority.breakdown]
    assert "同居親族 -0.5点 × 3" in labels


def test_sibling_here_and_anywhere_are_one_group() -> None:
    # Sibling at N2 only: anywhere +1 (10) is in the score; at N2 the group's best is +3, so N2 gets +2 more.
    app = _app("A", (MOTHER, FATHER), enrolled=("N2",))
    priority = _score(app)["A-1"]
    assert priority.score == 200 + 10
    assert priority.bonus == {"N2": 20}
    assert sum(i.points for i in priority.breakdown if i.nursery is None) == priority.score
    assert sum(i.points for i in priority.breakdown if i.nursery == "N2") == 20


def test_group_sum_is_capped() -> None:
    # 医ケア 1.5 + 障害 1.5 = 3, capped at 2 → 200 + 20.
    app = _app("A", (MOTHER, FATHER), flags=("児童障害",), child_facts={"medical_care": True})
    assert _score(app)["A-1"].score == 220


def test_reasons_by_role_bands_main_earner_and_sum() -> None:
    # 出産 counts for the mother only: a father's 出産 gives 0. 介護 100h/month → 4 (band 64–120).
    # The main earner (highest levy) seeking work gets 3, the other 1. The mother's 就学 2 + 介護 4 = 6
    # (reasons = "sum").
    mother = Guardian(relation="母", income_levy_yen=10, reasons=(Reason(kind=ReasonKind.PREGNANCY),))
    father = Guardian(relation="父", income_levy_yen=20, reasons=(Reason(kind=ReasonKind.PREGNANCY),))
    a = _app("A", (mother, father))  # 8 + 0 = 8 → 80
    seek_m = Guardian(relation="母", income_levy_yen=10, reasons=(Reason(kind=ReasonKind.JOB_SEARCH),))
    seek_f = Guardian(relation="父", income_levy_yen=20, reasons=(Reason(kind=ReasonKind.JOB_SEARCH),))
    b = _app("B", (seek_m, seek_f))  # 1 + 3 = 4 → 40
    care = Reason(kind=ReasonKind.CARE, hours_per_month=100, days_per_week=5)
    study = Reason(kind=ReasonKind.STUDY)
    c = _app("C", (Guardian(relation="母", reasons=(care, study)), FATHER))  # 6 + 10 = 16 → 160
    scores = _score(a, b, c)
    assert (scores["A-1"].score, scores["B-1"].score, scores["C-1"].score) == (80, 40, 160)
    father_line = next(i for i in scores["A-1"].breakdown if i.label.startswith("父"))
    assert father_line.points == 0 and "母のみ" in father_line.label


def test_weekly_hours_use_the_citys_weeks_per_month() -> None:
    # 介護 is a monthly table; 30 h/week × 4 (the profile's weeks_per_month) = 120 h → 7, not 4.
    care = Reason(kind=ReasonKind.CARE, hours_per_week=30, days_per_week=5)
    app = _app("A", (Guardian(relation="母", reasons=(care,)), FATHER))
    assert _score(app)["A-1"].score == 70 + 100


def test_tie_order_by_reason_category_then_per_nursery_choice() -> None:
    # All tie on 20 points... A: 介護 households first (介護 is first in the list).
    # B and C both 外勤; at N1, B lists N1 first and C second, so B before C; at N2 the reverse.
    care = Reason(kind=ReasonKind.CARE, hours_per_month=200, days_per_week=5)
    a = _app("A", (Guardian(relation="母", reasons=(care,)), Guardian(relation="父", reasons=(_work(20),))))
    b = _app("B", (MOTHER, FATHER), preferences=("N1", "N2"), received=dt.date(YEAR - 1, 10, 3))
    c = _app("C", (MOTHER, FATHER), preferences=("N2", "N1"), received=dt.date(YEAR - 1, 10, 2))
    scores = _score(a, b, c)
    # A: 7 + 6 = 13 → 130; B, C: 200. The tie order at N1: B (1st choice) before C (2nd choice).
    assert scores["B-1"].tiebreak_at["N1"] < scores["C-1"].tiebreak_at["N1"]
    assert scores["C-1"].tiebreak_at["N2"] < scores["B-1"].tiebreak_at["N2"]
    # Globally (each at its own first choice, both rank 1 there), receipt decides: C received earlier.
    assert scores["C-1"].tiebreak < scores["B-1"].tiebreak
    nurseries = [Nursery(id=n, name=n, capacity={1: 1}) for n in ("N1", "N2")]
    instance = build_instance([a, b, c], nurseries, _rules(), YEAR)
    entry = {e.id: e for e in instance.applications}
    assert entry["B-1"].priority_key("N1") < entry["C-1"].priority_key("N1")
    assert entry["C-1"].priority_key("N2") < entry["B-1"].priority_key("N2")


def test_staff_points_with_reason_in_breakdown() -> None:
    app = _app("A", (MOTHER, FATHER))
    priority = _score(app, staff=(StaffPoints(child_id="A-1", points=Decimal(-3), reason="虚偽申告の疑い"),))[
        "A-1"
    ]
    assert priority.score == 200 - 30
    assert any(i.label == "職権調整: 虚偽申告の疑い -3点" and i.points == -30 for i in priority.breakdown)
    with pytest.raises(RulesError, match="上限"):
        _score(app, staff=(StaffPoints(child_id="A-1", points=Decimal(11), reason="x"),))


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("ひとり親 and and 生活保護", 10, "値か項目名"),
        ("(ひとり親 or 生活保護", 14, "「)」"),
        ("age_month >= 12", 1, "「age_months」の誤り"),
        ("role == 「母」", 1, "保護者ごとの項目"),
        ("any_guardian(role == 「その它」)", 19, "「その他」の誤り"),
        ("age_months >= 「12」", 12, "比べられません"),
        ("any_guardan(main_earner)", 1, "any_guardian"),
        ("ひとり親 # 生活保護", 6, "使えません"),
    ],
)
def test_condition_errors_point_at_the_character(text: str, column: int, fragment: str) -> None:
    with pytest.raises(ExprError) as caught:
        compile_condition(text, builtin_names())
    assert caught.value.column == column
    assert fragment in caught.value.ja


def test_unknown_fact_in_rules_says_did_you_mean_with_line() -> None:
    message = _error(RULES.replace('when = "medical_care"', 'when = "medical_cares"'))
    assert message.count("\n") == 1  # one problem, one line
    assert "「medical_care」の誤り" in message
    line = (
        RULES.replace('when = "medical_care"', 'when = "medical_cares"')
        .splitlines()
        .index('when = "medical_cares"')
        + 1
    )
    assert f":{line}:" in message


def test_misspelt_band_key_gives_one_message_not_overlaps() -> None:
    message = _error(RULES.replace("hours_below = 40", "hours_bellow = 40"))
    assert message.count("\n") == 1
    assert "hours_below" in message and "重なって" not in message


def test_misspelt_group_and_tiebreak_key_are_caught() -> None:
    message = _error(RULES.replace('group = "福祉"', 'group = "福祉群"', 1).replace('"希望順位"', '"希望順"'))
    assert "「福祉」の誤り" in message
    assert "「希望順位」の誤り" in message


@pytest.mark.parametrize(
    ("old", "new", "guess"),
    [
        ('when = "medical_care"', 'wen = "medical_care"', "when"),
        ('[reasons."就学"]\npoints = 2', '[reasons."就学"]\npoint = 2', "points"),
        (
            'styles = ["外勤", "自営", "自営協力者", "内職"]',
            'style = ["外勤", "自営", "自営協力者", "内職"]',
            "styles",
        ),
        ("order = [", "oder = [", "order"),
        ('pick = "max"', 'pik = "max"', "pick"),
    ],
)
def test_one_typo_one_message(old: str, new: str, guess: str) -> None:
    assert old in RULES
    message = _error(RULES.replace(old, new, 1))
    assert message.count("\n") == 1, message
    assert f"「{guess}」の誤り" in message
