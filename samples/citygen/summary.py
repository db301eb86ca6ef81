"""Counts that describe a generated city (no names: safe to print and log)."""

from __future__ import annotations

from collections import Counter

from matching.records import AGE_CLASSES
from samples.citygen.generate import SyntheticCity


def summarise(city: SyntheticCity) -> dict[str, object]:
    demand: Counter[int] = Counter()
    children = sibling_children = transfers = 0
    first_choices: Counter[str] = Counter()
    for app in city.applications:
        ages = app.age_classes(city.admission_year)
        demand.update(ages.values())
        children += len(ages)
        if app.is_sibling_group:
            sibling_children += len(ages)
        transfers += sum(1 for c in app.children if c.current_nursery is not None)
        first_choices[app.preferences[0]] += len(ages)
    seats = {age: sum(n.seats(age) for n in city.nurseries) for age in AGE_CLASSES}
    top5 = sum(count for _, count in first_choices.most_common(5))
    return {
        "admission_year": city.admission_year,
        "applications": len(city.applications),
        "children": children,
        "nurseries": len(city.nurseries),
        "sibling_children": sibling_children,
        "transfer_requests": transfers,
        "demand_by_age": {str(a): demand[a] for a in AGE_CLASSES},
        "seats_by_age": {str(a): seats[a] for a in AGE_CLASSES},
        "capacity_ratio": round(sum(seats.values()) / max(children, 1), 3),
        "top5_first_choice_share": round(top5 / max(children, 1), 3),
    }


def summary_lines(summary: dict[str, object]) -> list[str]:
    demand = summary["demand_by_age"]
    seats = summary["seats_by_age"]
    assert isinstance(demand, dict) and isinstance(seats, dict)
    lines = [
        f"{summary['admission_year']}年度: 申込 {summary['applications']} 件 / 児童 {summary['children']} 人 / "
        f"施設 {summary['nurseries']} か所",
        f"きょうだい同時申込の児童 {summary['sibling_children']} 人, 転園希望 {summary['transfer_requests']} 人, "
        f"募集/申込 {summary['capacity_ratio']}, 上位5園への第1希望 {summary['top5_first_choice_share']}",
        "年齢クラス  申込  募集",
    ]
    lines += [f"  {age}歳児   {demand[str(age)]:>6} {seats[str(age)]:>5}" for age in AGE_CLASSES]
    return lines
