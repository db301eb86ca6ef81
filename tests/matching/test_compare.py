"""Parallel-run check: a manual result with known alterations is reported exactly, each with a reason.

The "program" result here is a child-proposing deferred acceptance written for the test (stable: no
child is out-ranked at a nursery it wanted by someone with a lower priority). The manual result is that
result with five children's decisions altered in five different ways.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from bodx.app import app
from matching.compare import DifferenceKind, compare_outcomes, mask_id
from matching.instance import Instance, InstanceApplication, save_instance
from matching.scoring import build_instance, load_rules
from samples import DEFAULT_RULES
from samples.citygen.generate import generate_city
from sheets.errors import LedgerFormatError
from sheets.outcomes import read_outcomes

YEAR = 2027


def deferred_acceptance(instance: Instance) -> dict[str, str | None]:
    apps = {a.id: a for a in instance.applications}
    seats = {(n.id, age): cap for n in instance.nurseries for age, cap in n.capacity.items()}

    def key(app: InstanceApplication, nursery: str) -> tuple[int, int]:
        return (-(app.score + app.bonus.get(nursery, 0)), app.tiebreak)

    next_choice = dict.fromkeys(apps, 0)
    held: dict[tuple[str, int], list[str]] = defaultdict(list)
    free = sorted(apps)
    while free:
        child = free.pop()
        app = apps[child]
        if next_choice[child] >= len(app.preferences):
            continue
        nursery = app.preferences[next_choice[child]]
        next_choice[child] += 1
        slot = (nursery, app.age_class)
        held[slot].append(child)
        held[slot].sort(key=lambda cid: key(apps[cid], nursery))
        while len(held[slot]) > seats.get(slot, 0):
            free.append(held[slot].pop())
    placed = {child: nursery for (nursery, _), kids in held.items() for child in kids}
    return {child: placed.get(child) for child in apps}


@dataclass(frozen=True)
class Scenario:
    instance: Instance
    program: dict[str, str | None]
    manual: dict[str, str | None]
    expected: dict[str, DifferenceKind]
    swapped_in: str  # the lower-priority child manual put at the swapped nursery
    swapped_out: str  # the higher-priority child manual left out


def _priority(app: InstanceApplication, nursery: str) -> tuple[int, int]:
    return (app.score + app.bonus.get(nursery, 0), -app.tiebreak)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return build_scenario()


def build_scenario() -> Scenario:
    city = generate_city(800, seed=3, admission_year=YEAR)
    instance = build_instance(city.applications, city.nurseries, load_rules(DEFAULT_RULES), YEAR)
    program = deferred_acceptance(instance)
    apps = {a.id: a for a in instance.applications}
    singles = [a for a in instance.applications if a.sibling_group is None and a.current_nursery is None]
    at: dict[tuple[str, int], list[str]] = defaultdict(list)
    for child, nursery in program.items():
        if nursery is not None:
            at[(nursery, apps[child].age_class)].append(child)
    used_slots: set[tuple[str, int]] = set()
    used_children: set[str] = set()

    def fresh(app: InstanceApplication, nursery: str) -> bool:
        return app.id not in used_children and (nursery, app.age_class) not in used_slots

    def take(app: InstanceApplication, nursery: str) -> None:
        used_children.add(app.id)
        used_slots.add((nursery, app.age_class))

    manual = dict(program)
    expected: dict[str, DifferenceKind] = {}

    # 1. Swap: manual gives a full nursery's seat to a lower-priority unplaced applicant.
    def swap_candidates() -> list[tuple[str, str, str]]:
        found = []
        for a in singles:
            first = a.preferences[0]
            holders = at[(first, a.age_class)]
            if program[a.id] is not None or not holders:
                continue
            best = max(holders, key=lambda c: _priority(apps[c], first))
            if apps[best].sibling_group is None and apps[best].current_nursery is None:
                found.append((best, a.id, first))
        return found

    swap = swap_candidates()[0]
    high, low, nursery = swap
    manual[high], manual[low] = None, nursery
    take(apps[high], nursery)
    used_children.add(low)
    expected[high] = DifferenceKind.LOWER_PRIORITY_PLACED
    expected[low] = DifferenceKind.HIGHER_PRIORITY_LEFT_OUT

    # 2. Over capacity: a child turned away from its first choice is placed there anyway, chosen so that
    #    nobody ranked above it at that nursery wanted it and was left worse off (else that is the reason).
    def outranked_by_someone_left_out(child: InstanceApplication, nursery: str) -> bool:
        for other in instance.applications:
            if other.id == child.id or other.age_class != child.age_class or nursery not in other.preferences:
                continue
            outcome = manual[other.id]
            worse = outcome not in other.preferences or other.preferences.index(
                outcome
            ) > other.preferences.index(nursery)
            if worse and _priority(other, nursery) > _priority(child, nursery):
                return True
        return False

    over = next(
        a
        for a in singles
        if program[a.id] is None
        and fresh(a, a.preferences[0])
        and not outranked_by_someone_left_out(a, a.preferences[0])
    )
    manual[over.id] = over.preferences[0]
    take(over, over.preferences[0])
    expected[over.id] = DifferenceKind.OVER_CAPACITY
    # 3. A seat left empty: the lowest-priority child of a nursery class is set to 保留.
    placed = [a for a in singles if program[a.id] is not None and fresh(a, program[a.id] or "")]
    empty = min(placed, key=lambda a: _priority(a, program[a.id] or ""))
    manual[empty.id] = None
    take(empty, program[empty.id] or "")
    expected[empty.id] = DifferenceKind.SEAT_LEFT_EMPTY
    # 4. Placed at a nursery the family never asked for.
    stray = next(a for a in singles if program[a.id] is None and a.id not in used_children)
    elsewhere = next(
        n.id
        for n in instance.nurseries
        if n.id not in stray.preferences and n.capacity.get(stray.age_class, 0)
    )
    manual[stray.id] = elsewhere
    used_children.add(stray.id)
    expected[stray.id] = DifferenceKind.NOT_PREFERRED
    return Scenario(instance, program, manual, expected, swapped_in=low, swapped_out=high)


def test_program_result_is_stable_so_the_scenario_means_something(scenario: Scenario) -> None:
    # Sanity of the fixture itself: the unaltered outcomes agree completely.
    same = compare_outcomes(scenario.program, scenario.program, scenario.instance)
    assert same.differences == () and same.agreement_rate == 1.0


def test_exactly_the_altered_children_are_reported_each_with_its_reason(scenario: Scenario) -> None:
    comparison = compare_outcomes(scenario.manual, scenario.program, scenario.instance)
    reported = {d.child_id: d for d in comparison.differences}
    assert set(reported) == set(scenario.expected)
    assert {cid: d.kind for cid, d in reported.items()} == scenario.expected
    for diff in comparison.differences:
        assert diff.reason and diff.manual == scenario.manual[diff.child_id]
    total = len(scenario.program)
    assert comparison.children == total and comparison.agreed == total - 5
    assert comparison.agreement_rate == pytest.approx((total - 5) / total)
    # The swap names the other child, masked, and says who ranked higher.
    low = reported[scenario.swapped_in].reason
    assert f"本児より指数の高い {mask_id(scenario.swapped_out)} さん" in low and "保留" in low
    high = reported[scenario.swapped_out].reason
    assert mask_id(scenario.swapped_in) in high and "指数が低い" in high
    assert scenario.swapped_in not in low + high  # full ids of others never appear


def test_unexplainable_difference_says_so() -> None:
    instance = Instance.model_validate(
        {
            "admission_year": YEAR,
            "nurseries": [
                {"id": "N1", "name": "さくら保育園", "capacity": {"1": 1}},
                {"id": "N2", "name": "ひまわり保育園", "capacity": {"1": 1}},
            ],
            "applications": [
                {"id": "C1", "age_class": 1, "preferences": ["N1", "N2"], "score": 100, "tiebreak": 1},
                {"id": "C2", "age_class": 1, "preferences": ["N2"], "score": 90, "tiebreak": 2},
            ],
        }
    )
    # Manual put C1 at its second choice although N1 stayed empty and nobody outranks it there.
    comparison = compare_outcomes({"C1": "N2", "C2": None}, {"C1": "N1", "C2": "N2"}, instance)
    kinds = {d.child_id: d.kind for d in comparison.differences}
    assert kinds["C1"] is DifferenceKind.SEAT_LEFT_EMPTY
    assert "さくら保育園(N1)" in next(d.reason for d in comparison.differences if d.child_id == "C1")
    # C2: manual 保留, program N2, but manual gave N2 to C1 who ranks higher there... at N2 C1 is 100 > 90.
    assert kinds["C2"] is DifferenceKind.UNEXPLAINED
    assert "規則にない事情による調整の可能性" in next(
        d.reason for d in comparison.differences if d.child_id == "C2"
    )


def test_children_missing_on_one_side_and_no_instance() -> None:
    comparison = compare_outcomes({"C1": "N1", "C2": None}, {"C1": "N2", "C3": None})
    kinds = {d.child_id: d.kind for d in comparison.differences}
    assert kinds == {
        "C1": DifferenceKind.NO_PRIORITIES,
        "C2": DifferenceKind.ONLY_IN_MANUAL,
        "C3": DifferenceKind.ONLY_IN_PROGRAM,
    }
    assert comparison.children == 3 and comparison.agreed == 0


def _write_outcomes(path: Path, sheet: str, outcomes: dict[str, str | None], title: bool) -> None:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = sheet
    if title:
        ws.append(["令和9年度 4月入所 選考結果 (手作業)"])
        ws.append([])
    ws.append(["No", "児童番号", "年齢クラス", "内定施設番号", "備考"])
    for number, (child, nursery) in enumerate(sorted(outcomes.items()), start=1):
        ws.append([number, child, None, nursery, None])
    workbook.save(path)


def test_compare_command_end_to_end(scenario: Scenario, tmp_path: Path) -> None:
    importlib.import_module("bodx.commands.scoring")
    manual, result, city = tmp_path / "manual.xlsx", tmp_path / "result.xlsx", tmp_path / "city.json"
    _write_outcomes(manual, "選考結果", scenario.manual, title=True)
    _write_outcomes(result, "結果一覧", scenario.program, title=False)
    save_instance(scenario.instance, city)
    assert read_outcomes(manual) == scenario.manual
    run = CliRunner().invoke(
        app, ["compare", "--manual", str(manual), "--result", str(result), "--instance", str(city)]
    )
    assert run.exit_code == 0, run.output
    lines = run.output.strip().splitlines()
    total = len(scenario.program)
    assert lines[-1].startswith(f"一致率 / agreement: {(total - 5) / total:.2%} ({total - 5}/{total})")
    listed = {line.split("\t")[0] for line in lines[:-1]}
    assert listed == {mask_id(cid) for cid in scenario.expected}
    assert all("[" in line and "]" in line for line in lines[:-1])
    unmasked = CliRunner().invoke(
        app, ["compare", "--manual", str(manual), "--result", str(result), "--unmasked"]
    )
    assert {line.split("\t")[0] for line in unmasked.output.strip().splitlines()[:-1]} == set(
        scenario.expected
    )


def test_workbook_without_the_columns_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.append(["児童番号", "施設"])
    workbook.save(path)
    with pytest.raises(LedgerFormatError, match="内定施設番号"):
        read_outcomes(path)
    importlib.import_module("bodx.commands.scoring")
    run = CliRunner().invoke(app, ["compare", "--manual", str(path), "--result", str(path)])
    assert run.exit_code == 2 and "内定施設番号" in run.output


def test_sibling_group_difference_is_named_as_such() -> None:
    instance = Instance.model_validate(
        {
            "admission_year": YEAR,
            "nurseries": [
                {"id": "N1", "name": "さくら保育園", "capacity": {"1": 1, "3": 0}},
                {"id": "N2", "name": "ひまわり保育園", "capacity": {"1": 2, "3": 2}},
            ],
            "applications": [
                {
                    "id": "C1",
                    "age_class": 1,
                    "preferences": ["N1", "N2"],
                    "score": 100,
                    "tiebreak": 1,
                    "sibling_group": "R1",
                },
                {
                    "id": "C2",
                    "age_class": 3,
                    "preferences": ["N2"],
                    "score": 100,
                    "tiebreak": 2,
                    "sibling_group": "R1",
                },
            ],
        }
    )
    # Manual split the siblings; the program (no split allowed) kept them together at N2.
    comparison = compare_outcomes({"C1": "N1", "C2": "N2"}, {"C1": "N2", "C2": "N2"}, instance)
    (diff,) = comparison.differences
    assert diff.child_id == "C1" and diff.kind is DifferenceKind.SIBLINGS
    assert "同じ園のみ" in diff.reason and comparison.agreed == 1


def test_outcomes_reader_takes_numeric_ids_blank_as_waiting_and_refuses_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "numbers.xlsx"
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.append(["児童番号", "内定施設番号"])
    ws.append([1001, 101])
    ws.append([1002, None])
    ws.append([None, None])  # spacer row
    ws.append(["1003", "  "])
    workbook.save(path)
    assert read_outcomes(path) == {"1001": "101", "1002": None, "1003": None}
    ws.append([1001, 102])
    workbook.save(path)
    with pytest.raises(LedgerFormatError, match="児童番号 1001 が2回"):
        read_outcomes(path)
