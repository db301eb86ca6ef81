"""Side by side with ChilmAI (issue 23): the converter to ChilmAI's input format on a tiny hand-made city
(always), and the whole harness on a small pattern city when a ChilmAI checkout is given
(BODX_CHILMAI_CHECKOUT, optionally BODX_CHILMAI_PYTHON; skipped otherwise)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.chilmai import Settings, chilmai_python, compare, judge, run_chilmai
from benchmarks.chilmai_format import (
    PATTERN_OF,
    ConversionError,
    assignments_from_chilmai,
    read_csv,
    to_chilmai,
)
from matching.instance import Instance
from matching.records import SiblingCondition as C


def _app(cid: str, prefs: list[str], score: int, tiebreak: int, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "age_class": 1, "preferences": prefs, "score": score, "tiebreak": tiebreak, **extra}


def _tiny(**combinations: Any) -> Instance:
    """Two nurseries; a single child, a 別保同時同 pair with a transfer elder, and ties broken three ways
    (a bonus, a per-nursery tie rank, the child id)."""
    return Instance.model_validate(
        {
            "admission_year": 2027,
            "nurseries": [
                {"id": "N1", "name": "一園", "capacity": {"1": 1, "3": 2}},
                {"id": "N2", "name": "二園", "capacity": {"1": 2}},
            ],
            "applications": [
                _app("A", ["N1", "N2"], 10, 5, bonus={"N2": 1}, tiebreak_at={"N1": 9, "N2": 1}),
                _app(
                    "B",
                    ["N2", "N1"],
                    10,
                    5,
                    tiebreak_at={"N1": 2, "N2": 2},
                    sibling_group="G1",
                    sibling_condition="別保同時同",
                ),
                _app(
                    "E",
                    ["N2"],
                    10,
                    5,
                    tiebreak_at={"N2": 3},
                    sibling_group="G1",
                    sibling_condition="別保同時同",
                    age_class=3,
                    current_nursery="N1",
                ),
                _app("D", ["N1"], 12, 7, tiebreak_at={"N1": 4}),
            ],
            "sibling_combinations": combinations,
        }
    )


def test_every_condition_has_its_own_chilmai_pattern_number() -> None:
    assert sorted(PATTERN_OF.values()) == list(range(1, 8))
    assert set(PATTERN_OF) == set(C)
    assert PATTERN_OF[C.SAME_SEQUENTIAL_ELDEST] == 2 and PATTERN_OF[C.SPLIT_SEQUENTIAL_OWN_FIRST] == 7


def test_children_rows_carry_ids_households_patterns_transfers_in_instance_order() -> None:
    files = to_chilmai(_tiny())
    rows = read_csv(files.children_csv)
    assert list(rows[0]) == [
        "申請者番号", "世帯番号", "年齢", "希望保育園ID_1", "点数1", "希望保育園ID_2", "点数2", "在籍保育所ID", "きょうだいパターン"
    ]  # fmt: skip
    assert [r["申請者番号"] for r in rows] == ["A", "B", "E", "D"]
    assert [r["世帯番号"] for r in rows] == ["C:A", "G:G1", "G:G1", "C:D"]
    assert [r["きょうだいパターン"] for r in rows] == ["", "4", "4", ""]
    assert [r["在籍保育所ID"] for r in rows] == ["", "", "N1", ""]
    assert [r["年齢"] for r in rows] == ["1", "1", "3", "1"]
    assert rows[3]["希望保育園ID_2"] == "" and rows[3]["点数2"] == ""
    assert (files.households, files.sibling_households, files.combination_csv) == (3, 1, None)


def _scores(rows: list[dict[str, str]]) -> dict[tuple[str, str], int]:
    """(child, nursery) → the 点数 written next to that preference."""
    found = {}
    for r in rows:
        for n in range(1, 3):
            if r.get(f"希望保育園ID_{n}"):
                found[(r["申請者番号"], r[f"希望保育園ID_{n}"])] = int(r[f"点数{n}"])
    return found


def test_scores_order_every_nursery_exactly_as_our_priority() -> None:
    instance = _tiny()
    scores = _scores(read_csv(to_chilmai(instance).children_csv))
    for nursery in ("N1", "N2"):
        listing = [a for a in instance.applications if nursery in a.preferences]
        ours = [a.id for a in sorted(listing, key=lambda a: a.priority_key(nursery))]
        theirs = sorted((a.id for a in listing), key=lambda cid: -scores[(cid, nursery)])
        assert theirs == ours
        assert len({scores[(a.id, nursery)] for a in listing}) == len(listing)  # no ties left to break
    # N1: D has more points; A and B tie on points, B's tie rank there is lower. N2: A's bonus wins.
    assert [scores[(c, "N1")] for c in ("D", "B", "A")] == [3, 2, 1]
    assert [scores[(c, "N2")] for c in ("A", "B", "E")] == [3, 2, 1]


def test_daycares_rows_carry_capacity_per_age_class() -> None:
    rows = read_csv(to_chilmai(_tiny()).daycares_csv)
    assert rows[0] == {
        "保育所ID": "N1", "保育所名": "一園", "0歳募集人数": "0", "1歳募集人数": "1", "2歳募集人数": "0",
        "3歳募集人数": "2", "4歳募集人数": "0", "5歳募集人数": "0",
    }  # fmt: skip
    assert rows[1]["1歳募集人数"] == "2"


def test_combination_rows_keep_a_transfer_childs_seat_and_end_with_everyone_staying() -> None:
    files = to_chilmai(_tiny(G1=[{"B": "N2", "E": "N2"}, {"B": "N1", "E": None}, {"B": None, "E": None}]))
    assert files.combination_csv is not None
    rows = read_csv(files.combination_csv)
    got = [
        (r["総当たり順位"], r["宛名コード1"], r["希望施設1"], r["宛名コード2"], r["希望施設2"]) for r in rows
    ]
    assert got == [
        ("1", "B", "N2", "E", "N2"),
        ("2", "B", "N1", "E", "N1"),  # E has nothing new: it stays at N1 (a blank would unseat it)
        ("3", "B", "", "E", "N1"),  # the last resort, written once; the listed "nobody new" is dropped
    ]
    assert {r["ファミリーコード"] for r in rows} == {"G:G1"}


def test_same_nursery_group_without_a_common_nursery_is_refused() -> None:
    instance = Instance.model_validate(
        {
            "admission_year": 2027,
            "nurseries": [
                {"id": "N1", "name": "一", "capacity": {"1": 1}},
                {"id": "N2", "name": "二", "capacity": {"1": 1}},
            ],
            "applications": [
                _app("A", ["N1"], 1, 1, sibling_group="G", sibling_condition="同保順次上"),
                _app("B", ["N2"], 1, 2, sibling_group="G", sibling_condition="同保順次上"),
            ],
        }
    )
    with pytest.raises(ConversionError, match="no nursery all its children listed"):
        to_chilmai(instance)


def test_result_read_back_into_our_ids_and_checked_both_ways() -> None:
    instance = _tiny()
    back = assignments_from_chilmai(instance, {"A": "N2", "B": None, "E": "N1", "D": "N1"})
    assert back == {"A": "N2", "B": None, "E": "N1", "D": "N1"}
    with pytest.raises(ConversionError, match="1 missing"):
        assignments_from_chilmai(instance, {"A": "N2", "B": None, "E": "N1"})
    with pytest.raises(ConversionError, match="1 unknown"):
        assignments_from_chilmai(instance, {"A": "N2", "B": None, "E": "N1", "D": "N1", "Z": None})
    with pytest.raises(ConversionError, match="unknown nurseries"):
        assignments_from_chilmai(instance, {"A": "N9", "B": None, "E": "N1", "D": "N1"})


def test_judge_counts_what_our_checker_finds() -> None:
    instance = _tiny()
    clean = judge(instance, {"A": "N2", "B": None, "E": "N1", "D": "N1"})
    assert clean["checker_ok"] and clean["placed"] == 3 and clean["newly_placed"] == 2
    # A alone at N1 above D's class: over capacity; and B split from its 同時 sibling.
    bad = judge(instance, {"A": "N1", "B": "N2", "E": "N1", "D": "N1"})
    assert not bad["checker_ok"] and bad["violations"] >= 2
    assert any("N1 age 1" in v for v in bad["violation_examples"])


CHECKOUT = os.environ.get("BODX_CHILMAI_CHECKOUT")


@pytest.mark.slow
@pytest.mark.skipif(not CHECKOUT, reason="set BODX_CHILMAI_CHECKOUT to a ChilmAI checkout to run the harness")
def test_harness_on_a_small_city_judges_both_results(tmp_path: Path) -> None:
    checkout = Path(str(CHECKOUT))
    python = chilmai_python(checkout)
    assert python.exists(), f"no ChilmAI interpreter at {python}: set BODX_CHILMAI_PYTHON"
    settings = Settings(checkout=checkout, python=python, time_limit=30.0, timeout=900.0, cache=tmp_path)
    row = compare(300, settings)
    ours, theirs = row["ours"], row["chilmai"]
    assert row["applicants"] == 300
    assert ours["checker_ok"] and ours["violations"] == 0 and ours["blocking"] == ours["engine_blocking"]
    assert theirs["status"] == "optimal", theirs.get("message")
    assert theirs["ids_round_trip"] is True
    for side in (ours, theirs):  # both judged by our checker
        assert {"blocking", "placed", "violations", "checker_ok"} <= set(side)
        assert 0 < side["placed"] <= 300
        assert side["wall_seconds"] > 0 and side["cpu_seconds"] > 0
    assert 0 <= row["same_outcome"] <= 300


def test_a_chilmai_run_that_fails_or_overruns_is_reported_not_raised(tmp_path: Path) -> None:
    """No ChilmAI needed: an empty checkout makes the runner crash on import; a tiny timeout kills it."""
    empty = tmp_path / "not-chilmai"
    empty.mkdir()
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    settings = Settings(checkout=empty, python=Path(sys.executable), timeout=120.0, cache=tmp_path)
    row = run_chilmai(_tiny(), crashed, settings)
    assert row["status"] == "crashed" and "chilmai" in row["message"]
    assert "blocking" not in row  # nothing to judge
    killed = tmp_path / "killed"
    killed.mkdir()
    row = run_chilmai(_tiny(), killed, Settings(checkout=empty, python=Path(sys.executable), timeout=0.01))
    assert row["status"] == "killed" and row["process_wall_seconds"] >= 0.01


@pytest.mark.skipif(not CHECKOUT, reason="set BODX_CHILMAI_CHECKOUT to a ChilmAI checkout to run ChilmAI")
def test_chilmai_lowest_sibling_threshold_leaves_a_coalition_our_definition_counts(tmp_path: Path) -> None:
    """Two seats; twins A (first in line) and B (last) apply together (同保同時), X is between them. By
    ChilmAI's rule the twins cannot block X (X is above B, the lower twin, and 1 + 2 > 2 seats), while the
    twins placed would be blocked by X (only A is above X): it places X alone. By Hall's condition the
    twins fit (A takes a seat above X, B the free one), so our checker counts their coalition."""
    checkout = Path(str(CHECKOUT))
    child = {"age_class": 1, "preferences": ["N1"], "tiebreak": 1}
    twins = {"sibling_group": "G", "sibling_condition": "同保同時"}
    instance = Instance.model_validate(
        {
            "admission_year": 2027,
            "nurseries": [{"id": "N1", "name": "一園", "capacity": {"1": 2}}],
            "applications": [
                {**child, **twins, "id": "A", "score": 30},
                {**child, **twins, "id": "B", "score": 10},
                {**child, "id": "X", "score": 20},
            ],
        }
    )
    settings = Settings(checkout=checkout, python=chilmai_python(checkout), time_limit=10.0, timeout=300.0)
    row = run_chilmai(instance, tmp_path, settings)
    assert row["status"] == "optimal", row.get("message")
    assert row["placed"] == 1 and row["checker_ok"]
    assert row["blocking"] == 1 and row["blocking_by_kind"] == {"同保同時": 1}
