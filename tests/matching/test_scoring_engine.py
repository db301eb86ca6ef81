"""Each rule kind on hand-checked households (TEST_RULES in test_scoring_support, scale 10)."""

from __future__ import annotations

import pytest

from matching.errors import InvalidRecordError, RulesError
from matching.priority import ChildPriority
from matching.records import AdjustmentFlag, ReasonKind, WorkStyle
from matching.scoring import score_applications
from tests.matching.test_scoring_support import (
    TEST_RULES,
    YEAR,
    application,
    guardian,
    reason,
    rules,
    work,
)

RULES = rules()
M = RULES.rank_multiplier
GENERAL = 1 * M  # 一般 is the middle of three classes: value 1


def _one(app_kwargs: dict[str, object] | None = None, text: str = TEST_RULES) -> ChildPriority:
    (priority,) = score_applications([application(**(app_kwargs or {}))], rules(text), YEAR)
    return priority


def test_rank_multiplier_exceeds_every_points_total() -> None:
    # max 基準指数 10 x 2 guardians + |adjustments| 13.5 = 33.5 points = 335 scaled; 2 x 335 < 1000.
    assert M == 1000


@pytest.mark.parametrize(
    ("mother_reason", "points", "rule_id"),
    [
        (work(170, 5), 100, "work.外勤.1"),
        (work(160, 5), 100, "work.外勤.1"),  # lower bound inclusive
        (work(170, 4), 90, "work.外勤.2"),  # days decide between band 1 and 2
        (work(159.5, 5), 80, "work.外勤.3"),
        (work(120, 3, WorkStyle.SELF_EMPLOYED), 80, "work.自営.3"),
        (work(119.5, 5), 55, "work.外勤.4"),  # 5.5 points: decimal exact
        (work(64, 2), 55, "work.外勤.4"),
        (work(63, 5), 0, "work.外勤.none"),  # below every band: 0 and said so
        (work(100, 5, WorkStyle.FAMILY_HELPER), 40, "work.自営協力者.1"),
        (work(130, 5, WorkStyle.HOME_PIECEWORK), 60, "work.内職.1"),  # 130 x 12/52 = 30.0 h/week
        (work(129, 5, WorkStyle.HOME_PIECEWORK), 30, "work.内職.2"),  # 29.8 h/week
        (reason(ReasonKind.PREGNANCY, "出産前後"), 80, "reason.出産"),  # no levels: one figure
        (reason(ReasonKind.ILLNESS, "入院"), 100, "reason.疾病.入院"),
        (reason(ReasonKind.ILLNESS, "通院"), 50, "reason.疾病.通院"),
        (reason(ReasonKind.DISABILITY, "身体1級"), 100, "reason.障害.身体1級"),
        (reason(ReasonKind.DISABILITY, "精神2級"), 70, "reason.障害"),  # unlisted level: points
        (reason(ReasonKind.CARE, "常時介護"), 90, "reason.介護.常時介護"),
        (reason(ReasonKind.STUDY, "昼間就学"), 70, "reason.就学"),
        (reason(ReasonKind.DISASTER, "災害復旧"), 100, "reason.災害"),
        (reason(ReasonKind.ABSENT), 100, "reason.不存在"),
    ],
)
def test_each_reason_with_both_guardians(mother_reason: object, points: int, rule_id: str) -> None:
    priority = _one({"guardians": (guardian("母", mother_reason), guardian("父"))})  # type: ignore[arg-type]
    # 一般 class + mother + father's full-time work (10 points = 100).
    assert priority.score == GENERAL + points + 100
    mother = priority.breakdown[1]
    assert (mother.rule_id, mother.points) == (rule_id, points)
    assert mother.label.startswith("母: ")


def test_job_search_is_scored_and_drops_to_the_lowest_class() -> None:
    priority = _one({"guardians": (guardian("母", reason(ReasonKind.JOB_SEARCH)), guardian("父"))})
    assert priority.score == 0 * M + 30 + 100
    assert priority.breakdown[0].rule_id == "rank.求職中"


def test_missing_level_or_reason_is_a_clear_error() -> None:
    with pytest.raises(RulesError, match="程度「1ヶ月以上の療養」"):
        _one({"guardians": (guardian("母", reason(ReasonKind.ILLNESS, "1ヶ月以上の療養")),)})
    with pytest.raises(RulesError, match=r"\[reasons.その他\]"):
        _one({"guardians": (guardian("母", reason(ReasonKind.OTHER)),)})


def test_highest_reason_of_a_guardian_counts() -> None:
    mother = guardian("母", reason(ReasonKind.JOB_SEARCH), work(130, 5))
    priority = _one({"guardians": (mother, guardian("父"))})
    assert priority.score == GENERAL + 80 + 100  # 就労 8 beats 求職 3, and the class is not 求職中


def test_one_guardian_counts_the_missing_one_as_maximum() -> None:
    priority = _one({"guardians": (guardian("母", work(100, 5)),)})
    assert priority.score == GENERAL + 55 + 100
    assert priority.breakdown[2].rule_id == "guardian.missing"


def test_missing_guardian_as_a_fixed_number_and_lower_combination() -> None:
    fixed = TEST_RULES.replace('missing = "max"', "missing = 6")
    assert _one({"guardians": (guardian("母", work(100, 5)),)}, fixed).score == GENERAL + 55 + 60
    lower = TEST_RULES.replace('combine = "sum"', 'combine = "lower"')
    both = _one({"guardians": (guardian("母", work(100, 5)), guardian("父"))}, lower)
    assert both.score == GENERAL + 55  # the lower of 5.5 and 10
    assert [item.points for item in both.breakdown[1:3]] == [55, 0]
    assert "不算入" in both.breakdown[2].label
    single = _one({"guardians": (guardian("母", work(100, 5)),)}, lower)
    assert single.score == GENERAL + 55  # missing = max: the present guardian is the lower one


def test_guardians_beyond_counted_are_listed_with_zero() -> None:
    three = (guardian("母", work(100, 5)), guardian("父"), guardian("祖母", work(64, 5)))
    priority = _one({"guardians": three})
    assert priority.score == GENERAL + 55 + 100
    assert priority.breakdown[-1].rule_id == "guardian.not_counted"
    assert priority.breakdown[-1].points == 0


@pytest.mark.parametrize(
    ("flag", "points"),
    [
        (AdjustmentFlag.SINGLE_PARENT, 20),
        (AdjustmentFlag.WELFARE, 15),
        (AdjustmentFlag.PARENTAL_LEAVE_RETURN, 10),
        (AdjustmentFlag.UNLICENSED_CARE, 5),
        (AdjustmentFlag.MULTIPLE_BIRTH, 10),
        (AdjustmentFlag.GRANDPARENT_AT_HOME, -20),
        (AdjustmentFlag.FEE_ARREARS, -30),
        (AdjustmentFlag.FOSTER, 0),  # no rule for it in TEST_RULES: no effect
    ],
)
def test_each_flag_adjustment(flag: AdjustmentFlag, points: int) -> None:
    priority = _one({"flags": frozenset({flag})})
    assert priority.score == GENERAL + 200 + points
    adjustments = [item for item in priority.breakdown if item.rule_id.startswith("adj.")]
    assert [item.points for item in adjustments] == ([points] if points else [])


def test_sibling_enrolled_is_a_bonus_only_at_that_preferred_nursery() -> None:
    priority = _one({"enrolled": ("N2", "N9"), "preferences": ("N1", "N2")})
    assert priority.score == GENERAL + 200
    assert priority.bonus == {"N2": 15}  # N9 is not a preference: no bonus there
    (item,) = [item for item in priority.breakdown if item.nursery is not None]
    assert (item.rule_id, item.nursery, item.points) == ("adj.兄弟在園", "N2", 15)


def test_siblings_applying_and_transfer() -> None:
    twins = score_applications([application(children=("C1", "C2"))], RULES, YEAR)
    assert [p.score for p in twins] == [GENERAL + 200 + 5, GENERAL + 200 + 5]
    transfer = _one({"current": "N7"})
    assert transfer.score == GENERAL + 200 - 10


def test_rank_class_dominates_points() -> None:
    weak_but_welfare = application(
        "R1", guardians=(guardian("母", work(64, 3)),), flags=frozenset({AdjustmentFlag.DV}), children=("C1",)
    )
    strong = application("R2", flags=frozenset({AdjustmentFlag.SINGLE_PARENT}), children=("C2",))
    first, second = score_applications([weak_but_welfare, strong], RULES, YEAR)
    assert first.score == 2 * M + 55 + 100
    assert second.score == GENERAL + 200 + 20
    assert first.score > second.score
    assert first.breakdown[0].points == 2 * M
    assert "福祉の事由" in first.breakdown[0].label


def test_breakdown_adds_up_to_score_and_bonus() -> None:
    app = application(
        guardians=(guardian("母", work(100, 4)),),
        flags=frozenset({AdjustmentFlag.SINGLE_PARENT, AdjustmentFlag.GRANDPARENT_AT_HOME}),
        enrolled=("N1",),
        children=("C1", "C2"),
    )
    for priority in score_applications([app], RULES, YEAR):
        assert sum(i.points for i in priority.breakdown if i.nursery is None) == priority.score
        assert sum(i.points for i in priority.breakdown if i.nursery == "N1") == priority.bonus["N1"]


def test_duplicate_child_ids_are_refused() -> None:
    with pytest.raises(InvalidRecordError, match="C1"):
        score_applications([application("R1"), application("R2")], RULES, YEAR)
