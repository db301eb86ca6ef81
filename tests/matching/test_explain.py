"""Explanations for 保留 children and for placed children who missed a better choice."""

from __future__ import annotations

from matching.optimizer import solve
from tests.matching.optimizer_support import app, instance


def test_unplaced_child_gets_one_line_per_listed_nursery() -> None:
    inst = instance(
        {"N001": {1: 1}, "N002": {1: 1}},
        [
            app("A1", ("N001",), 120),
            app("A2", ("N002",), 130, bonus={"N002": 5}),
            app("A3", ("N001", "N002"), 110),
        ],
    )
    result = solve(inst)
    assert result.assignments["A3"] is None
    lines = result.explanations["A3"]
    assert [line.text for line in lines] == [
        "第1希望 N001 N001園 1歳児: 最低内定指数 120、本児 110",
        "第2希望 N002 N002園 1歳児: 最低内定指数 135、本児 110",
    ]
    assert lines[1].cutoff_score == 135 and lines[1].child_score == 110
    assert "A1" not in result.explanations  # placed at the first choice: nothing to explain


def test_placed_child_why_not_better_and_empty_class() -> None:
    inst = instance(
        {"N001": {1: 0}, "N002": {1: 1}, "N003": {1: 1}},
        [app("A1", ("N001", "N002", "N003"), 50), app("A2", ("N002",), 60)],
    )
    result = solve(inst)
    assert result.assignments["A1"] == "N003"
    texts = [line.text for line in result.explanations["A1"]]
    assert texts == [
        "第1希望 N001 N001園 1歳児: 内定者なし（募集 0 人）、本児 50",
        "第2希望 N002 N002園 1歳児: 最低内定指数 60、本児 50",
    ]


def test_tie_lost_on_tiebreak_is_said() -> None:
    inst = instance(
        {"N001": {1: 1}}, [app("A1", ("N001",), 80, tiebreak=2), app("A2", ("N001",), 80, tiebreak=1)]
    )
    result = solve(inst)
    assert result.explanations["A1"][0].text.endswith("（同指数: 選考順位により不利）")


def test_siblings_kept_together_who_would_fit_apart_suggest_asking_about_betsuen() -> None:
    inst = instance(
        {"N001": {1: 1}, "N002": {1: 1}},
        [
            app("A", ("N001", "N002"), 100, group="G"),
            app("B", ("N001", "N002"), 100, group="G"),
            app("C", ("N001",), 50),
        ],
    )
    result = solve(inst)
    assert result.assignments["A"] is None and result.assignments["B"] is None
    first = result.explanations["A"][0].text
    assert first.startswith("第1希望 N001 N001園 1歳児: 最低内定指数 50、本児 100（同保同時")
    assert "→ 次の手順: 別々の園でもよいか（別園可）ご家庭に確認してください" in first
    assert all("別園可" in line.text for line in result.explanations["B"])


def test_a_child_above_the_cut_off_held_back_by_a_sibling_who_would_not_fit_alone() -> None:
    inst = instance(
        {"N001": {1: 1}},
        [app("A", ("N001",), 100, group="G"), app("B", ("N001",), 10, group="G"), app("C", ("N001",), 50)],
    )
    result = solve(inst)
    assert result.assignments["C"] == "N001"
    assert result.explanations["A"][0].text.endswith(
        "→ 次の手順: 本児だけ先に入所してもよいか（別園可）ご家庭に確認してください"
    )
    assert "次の手順" not in result.explanations["B"][0].text  # below the cut-off: nothing to suggest


def test_a_staff_exclusion_says_how_to_lift_it_and_plain_cases_suggest_nothing() -> None:
    from matching.adjustments import AdjustmentKind, StaffAdjustment

    inst = instance({"N001": {1: 1}}, [app("A1", ("N001",), 80), app("A2", ("N001",), 70)])
    exclusion = StaffAdjustment(child_id="A1", kind=AdjustmentKind.EXCLUDE, nursery="N001")
    result = solve(inst, (exclusion,))
    text = result.explanations["A1"][0].text
    assert "（調整により除外）" in text and "調整欄を空にして再実行" in text
    plain = solve(instance({"N001": {1: 1}}, [app("A1", ("N001",), 80), app("A2", ("N001",), 70)]))
    assert "次の手順" not in plain.explanations["A2"][0].text
