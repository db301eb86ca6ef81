"""Ties at every level of the tie-break list, and the recorded keys."""

from __future__ import annotations

import datetime as dt
import random

from matching.records import AdjustmentFlag
from matching.scoring import score_applications
from matching.scoring.tiebreak import UNKNOWN_LEVY, lottery_draw
from tests.matching.test_scoring_support import TEST_RULES, YEAR, application, guardian, rules, work

RULES = rules()
DAY = dt.date(YEAR - 1, 10, 1)


def _ranks(apps: list, text: str = TEST_RULES) -> dict[str, int]:  # type: ignore[type-arg]
    return {p.child_id: p.tiebreak for p in score_applications(apps, rules(text), YEAR)}


def test_higher_base_points_first_when_scores_tie() -> None:
    # A: 基準 8 + 10 = 18, 祖父母同居 -2 -> 16; B: 基準 5.5 + 10 = 15.5, 認可外 +0.5 -> 16.
    a = application(
        "R1",
        guardians=(guardian("母", work(130, 5)), guardian("父")),
        children=("A",),
        flags=frozenset({AdjustmentFlag.GRANDPARENT_AT_HOME}),
        levy=900_000,
    )
    b = application(
        "R2",
        guardians=(guardian("母", work(100, 5)), guardian("父")),
        children=("B",),
        flags=frozenset({AdjustmentFlag.UNLICENSED_CARE}),
        levy=0,
    )
    pa, pb = score_applications([a, b], RULES, YEAR)
    assert pa.score == pb.score
    assert pa.tiebreak_keys[0] == -180 and pb.tiebreak_keys[0] == -155
    assert (pa.tiebreak, pb.tiebreak) == (1, 2)  # despite B's lower levy and earlier receipt


def test_single_parent_first_when_base_points_tie() -> None:
    text = TEST_RULES.replace('order = ["基準指数", ', "order = [")
    # Same guardians; the single-parent flag without its +2 to keep the scores equal.
    text = text.replace(
        'id = "ひとり親"\nflag = "ひとり親"\npoints = 2', 'id = "ひとり親"\nflag = "ひとり親"\npoints = 0'
    )
    a = application("R1", children=("A",), levy=0)
    b = application("R2", children=("B",), flags=frozenset({AdjustmentFlag.SINGLE_PARENT}), levy=900_000)
    assert _ranks([a, b], text) == {"B": 1, "A": 2}


def test_lower_income_levy_first_and_unknown_levy_last() -> None:
    apps = [
        application("R1", children=("A",), levy=None),
        application("R2", children=("B",), levy=300_000),
        application("R3", children=("C",), levy=120_000),
    ]
    priorities = score_applications(apps, RULES, YEAR)
    assert {p.child_id: p.tiebreak for p in priorities} == {"C": 1, "B": 2, "A": 3}
    assert priorities[0].tiebreak_keys[2] == UNKNOWN_LEVY


def test_receipt_order_date_then_application_id_then_child_order() -> None:
    apps = [
        application("R9", children=("A",), received=DAY + dt.timedelta(days=1)),
        application("R5", children=("B2", "B1")),  # same day as R7: R5 first; B2 listed first
        application("R7", children=("C",)),
        application("R1", children=("D",), received=None),  # no receipt date: last
    ]
    ranks = _ranks(apps)
    assert ranks == {"B2": 1, "B1": 2, "C": 3, "A": 4, "D": 5}


def test_seeded_lottery_is_recorded_and_reproducible() -> None:
    text = TEST_RULES.replace(
        'order = ["基準指数", "ひとり親", "市民税所得割額", "申込順"]', 'order = ["抽選"]\nlottery_seed = 42'
    )
    apps = [application(f"R{i}", children=(f"K{i:02d}",)) for i in range(20)]
    priorities = score_applications(apps, rules(text), YEAR)
    for p in priorities:
        assert p.tiebreak_keys == (42, lottery_draw(42, p.child_id))
    by_draw = sorted(priorities, key=lambda p: p.tiebreak_keys[1])
    assert [p.tiebreak for p in by_draw] == list(range(1, 21))
    shuffled = apps[:]
    random.Random(3).shuffle(shuffled)
    again = {p.child_id: p.tiebreak for p in score_applications(shuffled, rules(text), YEAR)}
    assert again == {p.child_id: p.tiebreak for p in priorities}  # input order does not matter
    other_seed = {
        p.child_id: p.tiebreak for p in score_applications(apps, rules(text.replace("= 42", "= 43")), YEAR)
    }
    assert other_seed != again


def test_tiebreak_is_a_unique_rank_per_child() -> None:
    apps = [application(f"R{i:02d}", children=(f"A{i}", f"B{i}")) for i in range(15)]
    ranks = sorted(_ranks(apps).values())
    assert ranks == list(range(1, 31))
