"""Counts for the UI: what the season placed, per age class and per nursery, without personal data.

Only ids of nurseries (not people), counts and rates leave this module; child ids appear masked.
"""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel, ConfigDict

from matching.instance import Instance
from matching.masks import SeasonMasks
from matching.records import AGE_CLASS_LABELS, AGE_CLASSES
from matching.result import MatchResult


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AgeClassCounts(_Frozen):
    age_class: int
    children: int
    seats: int
    placed: int  # newly placed at a listed nursery
    staying: int  # transfer children who keep their current seat (現園継続)
    waitlisted: int  # 保留: no seat


class NurseryCounts(_Frozen):
    id: str
    name: str
    seats: int
    placed: int
    first_choice: int
    placed_by_age: dict[int, int]
    seats_by_age: dict[int, int]

    @property
    def fill_rate(self) -> float:
        return self.placed / self.seats if self.seats else 0.0


class SeasonSummary(_Frozen):
    admission_year: int
    status: str
    children: int
    placed: int
    staying: int
    waitlisted: int
    seats: int
    blocking: int
    by_age: tuple[AgeClassCounts, ...]
    choice_ranks: dict[int, int]  # 第n希望 -> children placed there
    nurseries: tuple[NurseryCounts, ...]

    @property
    def fill_rate(self) -> float:
        return self.placed / self.seats if self.seats else 0.0


def summarise(instance: Instance, result: MatchResult) -> SeasonSummary:
    seats_by_nursery = {
        n.id: {age: n.capacity.get(age, 0) for age in AGE_CLASSES} for n in instance.nurseries
    }
    placed_at: dict[str, Counter[int]] = {n.id: Counter() for n in instance.nurseries}
    first_choice: Counter[str] = Counter()
    ranks: Counter[int] = Counter()
    per_age: dict[int, Counter[str]] = {age: Counter() for age in AGE_CLASSES}
    for child in instance.applications:
        outcome = per_age[child.age_class]
        outcome["children"] += 1
        nursery = result.assignments.get(child.id)
        if nursery is None:
            outcome["waitlisted"] += 1
        elif nursery == child.current_nursery:
            outcome["staying"] += 1
        else:
            outcome["placed"] += 1
            placed_at.setdefault(nursery, Counter())[child.age_class] += 1
            if nursery in child.preferences:
                rank = child.preferences.index(nursery) + 1
                ranks[rank] += 1
                if rank == 1:
                    first_choice[nursery] += 1
    by_age = tuple(
        AgeClassCounts(
            age_class=age,
            children=per_age[age]["children"],
            seats=sum(seats[age] for seats in seats_by_nursery.values()),
            placed=per_age[age]["placed"],
            staying=per_age[age]["staying"],
            waitlisted=per_age[age]["waitlisted"],
        )
        for age in AGE_CLASSES
    )
    nurseries = tuple(
        NurseryCounts(
            id=n.id,
            name=n.name,
            seats=sum(seats_by_nursery[n.id].values()),
            placed=sum(placed_at[n.id].values()),
            first_choice=first_choice[n.id],
            placed_by_age={age: placed_at[n.id][age] for age in AGE_CLASSES},
            seats_by_age=seats_by_nursery[n.id],
        )
        for n in instance.nurseries
    )
    return SeasonSummary(
        admission_year=instance.admission_year,
        status=result.status,
        children=len(instance.applications),
        placed=sum(a.placed for a in by_age),
        staying=sum(a.staying for a in by_age),
        waitlisted=sum(a.waitlisted for a in by_age),
        seats=sum(a.seats for a in by_age),
        blocking=len(result.blocking),
        by_age=by_age,
        choice_ranks=dict(sorted(ranks.items())),
        nurseries=nurseries,
    )


def summary_markdown(summary: SeasonSummary) -> str:
    """The summary artifact and the text above the approval form."""
    lines = [
        f"# {summary.admission_year}年度 入所選考 結果概要 / admission summary",
        "",
        f"- 申込児童 / children: **{summary.children}**",
        f"- 内定 / placed: **{summary.placed}**, 保留 / waitlisted: **{summary.waitlisted}**, "
        f"現園継続 / staying transfers: {summary.staying}",
        f"- 充足率 / fill rate: **{summary.fill_rate:.1%}** ({summary.placed} / {summary.seats} 席)"
        + (
            "、転園で空いた席を含む / includes seats freed by transfers"
            if summary.placed > summary.seats
            else ""
        ),
        f"- 最適化 / optimizer: {summary.status}, 正当化されない逆転 / blocking pairs: {summary.blocking}",
        "",
        "## 年齢クラス別 / per age class",
        "",
        "| クラス | 申込 | 募集 | 内定 | 現園継続 | 保留 |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for age in summary.by_age:
        lines.append(
            f"| {AGE_CLASS_LABELS[age.age_class]} | {age.children} | {age.seats} | {age.placed} | "
            f"{age.staying} | {age.waitlisted} |"
        )
    lines += [
        "",
        "## 希望順位別 内定数 / placed by choice rank",
        "",
        "| 希望 | 人数 | |",
        "| --- | ---: | --- |",
    ]
    widest = max(summary.choice_ranks.values(), default=0)
    for rank, count in summary.choice_ranks.items():
        bar = "█" * max(1, round(20 * count / widest)) if widest and count else ""
        lines.append(f"| 第{rank}希望 | {count} | {bar} |")
    return "\n".join(lines) + "\n"


def placements_by_nursery(instance: Instance, result: MatchResult) -> dict[str, list[dict[str, object]]]:
    """Per nursery, the children newly placed there: masked id, age class, choice rank, priority there."""
    rows: dict[str, list[dict[str, object]]] = {n.id: [] for n in instance.nurseries}
    masks = SeasonMasks(c.id for c in instance.applications)  # unique within the season, unlike a fixed tail
    for child in sorted(instance.applications, key=lambda c: (c.age_class, c.id)):
        nursery = result.assignments.get(child.id)
        if nursery is None or nursery == child.current_nursery or nursery not in rows:
            continue
        rank = child.preferences.index(nursery) + 1 if nursery in child.preferences else None
        rows[nursery].append(
            {
                "児童 (伏字)": masks(child.id),
                "クラス": AGE_CLASS_LABELS[child.age_class],
                "希望順位": f"第{rank}希望" if rank else "-",
                "指数": child.score + child.bonus.get(nursery, 0),
            }
        )
    return rows


def nursery_table(summary: SeasonSummary) -> list[dict[str, object]]:
    """One row per nursery: seats, placements per age class, first choices, fill rate."""
    rows: list[dict[str, object]] = []
    for nursery in summary.nurseries:
        row: dict[str, object] = {"園番号": nursery.id, "園名": nursery.name, "募集": nursery.seats}
        for age in AGE_CLASSES:
            row[f"{age}歳児 内定/募集"] = f"{nursery.placed_by_age[age]}/{nursery.seats_by_age[age]}"
        row["内定"] = nursery.placed
        row["第1希望で内定"] = nursery.first_choice
        row["充足率"] = f"{nursery.fill_rate:.0%}"
        rows.append(row)
    return rows
