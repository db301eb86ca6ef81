"""The synthetic city generator: deterministic to the byte and shaped like a real season."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from samples.citygen.generate import generate_city
from samples.citygen.ledger import LEDGER_HEADER, write_ledger
from samples.citygen.summary import summarise


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_seed_same_city_different_seed_different_city() -> None:
    assert generate_city(500, seed=3) == generate_city(500, seed=3)
    assert generate_city(500, seed=3) != generate_city(500, seed=4)


def test_ledger_is_byte_identical_for_the_same_seed(tmp_path: Path) -> None:
    write_ledger(generate_city(300, seed=5), tmp_path / "a.xlsx")
    write_ledger(generate_city(300, seed=5), tmp_path / "b.xlsx")
    assert _digest(tmp_path / "a.xlsx") == _digest(tmp_path / "b.xlsx")


def test_ledger_looks_like_a_staff_ledger(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    city = generate_city(200, seed=6)
    write_ledger(city, tmp_path / "ledger.xlsx")
    book = load_workbook(tmp_path / "ledger.xlsx", read_only=True)
    assert book.sheetnames == ["申込一覧", "施設一覧"]
    rows = list(book["申込一覧"].iter_rows(values_only=True))
    assert "受付台帳" in str(rows[0][0])
    assert tuple(rows[2]) == LEDGER_HEADER
    children = sum(len(a.children) for a in city.applications)
    assert len(rows) - 3 == children
    assert str(rows[3][5]).startswith(("令和", "平成"))  # wareki birth dates
    assert len(list(book["施設一覧"].iter_rows(values_only=True))) == len(city.nurseries) + 1


@pytest.mark.slow
def test_shape_of_a_city() -> None:
    city = generate_city(8000, seed=1)
    summary = summarise(city)
    children = summary["children"]
    assert isinstance(children, int) and 8000 <= children <= 8002
    assert summary["nurseries"] == 200
    assert 0.08 <= summary["sibling_children"] / children <= 0.12  # type: ignore[operator]
    assert 0.035 <= summary["transfer_requests"] / children <= 0.065  # type: ignore[operator]
    assert 0.83 <= summary["capacity_ratio"] <= 0.87  # type: ignore[operator]
    demand = summary["demand_by_age"]
    assert isinstance(demand, dict)
    assert demand["0"] + demand["1"] + demand["2"] > 0.75 * children
    seats = summary["seats_by_age"]
    assert isinstance(seats, dict)
    assert seats["1"] / demand["1"] < seats["3"] / demand["3"]  # 1歳児 is the tightest class
    # Popularity concentrated: the five most wanted nurseries (of 200) draw far more than 5/200.
    assert summary["top5_first_choice_share"] > 3 * 5 / 200  # type: ignore[operator]
    # Small 0-2 classes: the median open 0歳児 class is a handful of seats.
    zero_classes = sorted(n.seats(0) for n in city.nurseries if n.seats(0))
    assert zero_classes[len(zero_classes) // 2] <= 15
    # Most guardians work; fathers far more often than mothers, and no father gives birth.
    fathers = [
        g.reasons[0].kind.value
        for a in city.applications
        for g in a.household.guardians
        if g.relation == "父"
    ]
    mothers = [
        g.reasons[0].kind.value
        for a in city.applications
        for g in a.household.guardians
        if g.relation == "母"
    ]
    assert fathers.count("就労") / len(fathers) > 0.9
    assert 0.7 < mothers.count("就労") / len(mothers) < 0.9
    assert "出産" not in fathers
    # Every sibling group applies to nurseries that have a class for each child.
    by_id = {n.id: n for n in city.nurseries}
    for app in city.applications:
        for age in app.age_classes(city.admission_year).values():
            assert all(by_id[p].seats(age) >= 0 and age in by_id[p].capacity for p in app.preferences)
