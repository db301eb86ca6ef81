"""Counts for the UI: per age class, choice ranks, fill rate, per nursery; ids masked."""

from __future__ import annotations

from flows.report import nursery_table, placements_by_nursery, summarise, summary_markdown
from matching.instance import Instance, InstanceApplication, InstanceNursery
from matching.result import MatchResult


def _instance() -> Instance:
    nurseries = (
        InstanceNursery(id="N001", name="さくら保育園", capacity={0: 1, 1: 2}),
        InstanceNursery(id="N002", name="ひまわり保育園", capacity={1: 1}),
        InstanceNursery(id="N003", name="たんぽぽ保育園", capacity={1: 1}),
    )
    children = (
        InstanceApplication(id="A000001", age_class=0, preferences=("N001",), score=10, tiebreak=1),
        InstanceApplication(id="A000002", age_class=1, preferences=("N002", "N001"), score=9, tiebreak=2),
        InstanceApplication(id="A000003", age_class=1, preferences=("N002", "N001"), score=8, tiebreak=3),
        InstanceApplication(id="A000004", age_class=1, preferences=("N002",), score=7, tiebreak=4),
        InstanceApplication(
            id="A000005", age_class=1, preferences=("N002",), score=6, tiebreak=5, current_nursery="N003"
        ),
    )
    return Instance(admission_year=2027, nurseries=nurseries, applications=children)


def _result() -> MatchResult:
    return MatchResult(
        status="optimal",
        assignments={
            "A000001": "N001",
            "A000002": "N002",
            "A000003": "N001",
            "A000004": None,
            "A000005": "N003",
        },
        placed=3,
    )


def test_counts_per_age_class_rank_and_nursery() -> None:
    summary = summarise(_instance(), _result())
    assert (summary.children, summary.placed, summary.waitlisted, summary.staying) == (5, 3, 1, 1)
    one = summary.by_age[1]
    assert (one.children, one.seats, one.placed, one.staying, one.waitlisted) == (4, 4, 2, 1, 1)
    assert summary.choice_ranks == {1: 2, 2: 1}
    assert summary.seats == 5
    assert round(summary.fill_rate, 2) == 0.6
    by_id = {n.id: n for n in summary.nurseries}
    assert by_id["N001"].placed == 2 and by_id["N001"].first_choice == 1
    assert by_id["N003"].placed == 0  # a staying transfer is not a new placement


def test_markdown_and_table_carry_counts_not_children() -> None:
    summary = summarise(_instance(), _result())
    text = summary_markdown(summary)
    assert "| 1歳児 | 4 | 4 | 2 | 1 | 1 |" in text
    assert "第1希望 | 2" in text and "60.0%" in text
    assert "A000" not in text
    rows = nursery_table(summary)
    assert [row["園番号"] for row in rows] == ["N001", "N002", "N003"]
    assert rows[0]["1歳児 内定/募集"] == "1/2" and rows[0]["充足率"] == "67%"
    assert not any("A000" in str(value) for row in rows for value in row.values())


def test_nursery_tables_mask_every_child_uniquely() -> None:
    # 3,000 ids of one shape: a fixed two-character tail would give each mask to about 30 children.
    ids = [f"A{n:06d}" for n in range(3000)]
    instance = Instance(
        admission_year=2027,
        nurseries=(InstanceNursery(id="N1", name="さくら", capacity={1: 3000}),),
        applications=tuple(
            InstanceApplication(id=i, age_class=1, preferences=("N1",), score=1, tiebreak=k)
            for k, i in enumerate(ids)
        ),
    )
    result = MatchResult(status="optimal", assignments={i: "N1" for i in ids}, placed=len(ids))
    shown = [row["児童 (伏字)"] for row in placements_by_nursery(instance, result)["N1"]]
    assert len(set(shown)) == len(ids)
    assert all("*" in str(mask) and str(mask) not in ids for mask in shown)


def test_placements_per_nursery_are_masked() -> None:
    from flows.artifacts import artifact_key
    from flows.report import placements_by_nursery

    rows = placements_by_nursery(_instance(), _result())
    assert [r["児童 (伏字)"] for r in rows["N001"]] == ["A****01", "A****03"]
    assert rows["N001"][1] == {"児童 (伏字)": "A****03", "クラス": "1歳児", "希望順位": "第2希望", "指数": 8}
    assert rows["N003"] == []  # the staying transfer is not listed as a new placement
    assert artifact_key("N001") == "n001" and artifact_key("園_A 1") == "a-1"
