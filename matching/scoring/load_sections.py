"""Validate the [reasons], [[adjustments]], [[ranks]] and [tiebreak] sections of a rules file."""

from __future__ import annotations

from functools import partial
from typing import Any

from matching.config.toml_lines import KeyPath
from matching.records import ReasonKind
from matching.scoring.checker import Checker, choices, flag_value, points_value, unknown_keys
from matching.scoring.rules import (
    FINAL_KEYS,
    Adjustment,
    Condition,
    RankClass,
    ReasonTable,
    TieBreakKey,
)

_CONDITION_KEYS = {c.value for c in Condition if c is not Condition.FLAG}


def reason_tables(check: Checker, table: Any, scale: int) -> dict[ReasonKind, ReasonTable]:
    result: dict[ReasonKind, ReasonTable] = {}
    if not isinstance(table, dict):
        check.add(("reasons",), "[reasons] は表にしてください", "[reasons] must be a table")
        return result
    allowed = [k.value for k in ReasonKind if k is not ReasonKind.WORK]
    for name, entry in table.items():
        path: KeyPath = ("reasons", name)
        try:
            kind = ReasonKind(name)
        except ValueError:
            check.add(
                path,
                f"事由「{name}」はありません。使える事由: {choices(allowed)}",
                f"unknown reason {name!r}; known reasons: {choices(allowed)}",
            )
            continue
        if kind is ReasonKind.WORK:
            check.add(
                path, "就労は [reasons] ではなく [[work]] の表に書いてください", "put 就労 in [[work]] tables"
            )
            continue
        if not isinstance(entry, dict):
            check.add(
                path, f"[reasons.{name}] は表にしてください (points = 8 など)", "each reason must be a table"
            )
            continue
        unknown_keys(check, entry, {"points", "levels"}, path)
        points = points_value(check, entry["points"], (*path, "points"), scale) if "points" in entry else None
        levels = {
            str(level): points_value(check, value, (*path, "levels", level), scale)
            for level, value in entry.get("levels", {}).items()
        }
        if points is None and not levels:
            check.add(
                path,
                f"事由「{name}」に points か levels を書いてください",
                f"reason {name!r} needs points or levels",
            )
        result[kind] = ReasonTable(kind=kind, points=points, levels=levels)
    return result


def adjustment_rules(check: Checker, rows: Any, scale: int) -> tuple[Adjustment, ...]:
    result = []
    seen: set[str] = set()
    for index, row in enumerate(rows if isinstance(rows, list) else []):
        path: KeyPath = ("adjustments", index)
        unknown_keys(check, row, {"id", "label", "points", "flag", *_CONDITION_KEYS}, path)
        rule_id = str(row.get("id", ""))
        if not rule_id:
            check.add(
                path, '調整指数に id を書いてください (例: id = "ひとり親")', "each adjustment needs an id"
            )
        elif rule_id in seen:
            check.add(
                (*path, "id"),
                f"id「{rule_id}」が2回あります。別の名前にしてください",
                f"duplicate id {rule_id!r}",
            )
        seen.add(rule_id)
        points = points_value(check, row.get("points"), (*path, "points"), scale)
        conditions = [key for key in ("flag", *sorted(_CONDITION_KEYS)) if key in row]
        if len(conditions) != 1:
            check.add(
                path,
                '調整指数には条件を1つだけ書いてください: flag = "ひとり親" / sibling_enrolled = true / '
                "siblings_applying = true / transfer = true",
                "each adjustment needs exactly one condition (flag, sibling_enrolled, siblings_applying, transfer)",
            )
            continue
        condition = Condition(conditions[0])
        flag = flag_value(check, row["flag"], (*path, "flag")) if condition is Condition.FLAG else None
        if condition is not Condition.FLAG and row[condition.value] is not True:
            check.add(
                (*path, condition.value),
                f"{condition.value} = true と書いてください",
                f"write {condition.value} = true",
            )
        result.append(Adjustment(rule_id, str(row.get("label", rule_id)), points, condition, flag))
    if not isinstance(rows, list):
        check.add(
            ("adjustments",), "調整指数は [[adjustments]] の形で書いてください", "use [[adjustments]] tables"
        )
    return tuple(result)


def rank_classes(check: Checker, rows: Any) -> tuple[RankClass, ...]:
    if not isinstance(rows, list):
        check.add(("ranks",), "順位区分は [[ranks]] の形で書いてください", "use [[ranks]] tables")
        return ()
    if not rows:
        return (RankClass(name="一般", value=0),)
    parsed = []
    for index, row in enumerate(rows):
        path: KeyPath = ("ranks", index)
        unknown_keys(check, row, {"name", "flags_any", "reasons_any"}, path)
        flags = {
            f for f in (flag_value(check, v, (*path, "flags_any")) for v in row.get("flags_any", [])) if f
        }
        reasons = set()
        for value in row.get("reasons_any", []):
            try:
                reasons.add(ReasonKind(value))
            except ValueError:
                check.add((*path, "reasons_any"), f"事由「{value}」はありません", f"unknown reason {value!r}")
        value = len(rows) - 1 - index  # listed highest first
        parsed.append(
            RankClass(str(row.get("name", f"区分{index + 1}")), value, frozenset(flags), frozenset(reasons))
        )
    defaults = [rank for rank in parsed if rank.is_default]
    if len(defaults) != 1:
        check.add(
            ("ranks",),
            f"条件のない順位区分 (その他の全員が入る区分) はちょうど1つにしてください (今は{len(defaults)}つ)",
            f"exactly one [[ranks]] entry must have no condition (the default class); found {len(defaults)}",
        )
    return tuple(parsed)


def tiebreak_list(check: Checker, table: Any) -> tuple[tuple[TieBreakKey, ...], int | None]:
    keys = choices(k.value for k in TieBreakKey)
    finals = choices(sorted(k.value for k in FINAL_KEYS))
    if not isinstance(table, dict) or not table.get("order"):
        report = check.add_missing if not isinstance(table, dict) else partial(check.add, ("tiebreak",))
        report(
            f'同点時の順位 [tiebreak] の order がありません。ファイルの最後に [tiebreak] と order を追加してください。例: order = ["市民税所得割額", "申込順"] (使える項目: {keys})',
            f"missing tie-break list: add [tiebreak] order = [...] ending in one of {finals}",
        )
        return (), None
    unknown_keys(check, table, {"order", "lottery_seed"}, ("tiebreak",))
    order: list[TieBreakKey] = []
    for value in table["order"]:
        try:
            order.append(TieBreakKey(value))
        except ValueError:
            check.add(
                ("tiebreak", "order"),
                f"同点時の項目「{value}」はありません。使える項目: {keys}",
                f"unknown tie-break key {value!r}",
            )
    if order and order[-1] not in FINAL_KEYS:
        check.add(
            ("tiebreak", "order"),
            f'order の最後は必ず順位が1つに決まる項目 ({finals}) にしてください。最後に "申込順" を加えてください',
            f'the tie-break list must end in a final key ({finals}); append "申込順"',
        )
    seed = table.get("lottery_seed")
    if TieBreakKey.LOTTERY in order and (not isinstance(seed, int) or isinstance(seed, bool)):
        check.add(
            ("tiebreak",),
            "抽選を使うときは lottery_seed = 20270401 のような整数を書いてください (同じ値なら同じ抽選結果)",
            "the lottery needs an integer lottery_seed (same seed, same draw)",
        )
    return tuple(order), seed if isinstance(seed, int) else None
