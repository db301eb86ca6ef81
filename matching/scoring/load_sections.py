"""Validate the [reasons], [[adjustments]], [groups] and [[ranks]] sections of a rules file."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from matching.config import did_you_mean
from matching.config.toml_lines import KeyPath
from matching.records import ReasonKind
from matching.scoring.checker import Checker, choices, flag_value, points_value, unknown_keys
from matching.scoring.expr_compile import Compiled
from matching.scoring.expr_names import NURSERY, ROLES, NameDef
from matching.scoring.load_conditions import condition
from matching.scoring.load_work import bands
from matching.scoring.rules import Adjustment, Group, GroupPick, HoursUnit, RankClass, ReasonCase, ReasonTable

# The conditions of files written before the condition language, as the expressions they mean.
_LEGACY_CONDITIONS = {
    "sibling_enrolled": "sibling_here",
    "siblings_applying": "children_applying >= 2",
    "transfer": "transfer",
}
_ADJUSTMENT_KEYS = {
    "id",
    "label",
    "points",
    "when",
    "flag",
    "times",
    "times_max",
    "group",
    *_LEGACY_CONDITIONS,
}
_REASON_KEYS = {"points", "levels", "bands", "unit", "roles", "cases"}


def reason_tables(
    check: Checker, table: Any, scale: int, names: dict[str, NameDef]
) -> dict[ReasonKind, ReasonTable]:
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
            guess = did_you_mean(name, allowed)
            hint = f"「{guess}」の誤りではありませんか。" if guess else ""
            check.add(
                path,
                f"事由「{name}」はありません。{hint}使える事由: {choices(allowed)}",
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
        result[kind] = _reason_table(check, kind, entry, path, scale, names)
    return result


def _reason_table(
    check: Checker,
    kind: ReasonKind,
    entry: dict[str, Any],
    path: KeyPath,
    scale: int,
    names: dict[str, NameDef],
) -> ReasonTable:
    misspelt = unknown_keys(check, entry, _REASON_KEYS, path)
    points = points_value(check, entry["points"], (*path, "points"), scale) if "points" in entry else None
    raw_levels = entry.get("levels", {})
    levels = {
        str(level): points_value(check, value, (*path, "levels", level), scale)
        for level, value in (raw_levels.items() if isinstance(raw_levels, dict) else ())
    }
    unit = HoursUnit.MONTH
    if entry.get("unit", "month") not in ("month", "week"):
        check.add(
            (*path, "unit"), 'unit は "month" か "week" にしてください', 'unit must be "month" or "week"'
        )
    else:
        unit = HoursUnit(entry.get("unit", "month"))
    found_bands = bands(check, entry["bands"], path, unit, scale) if "bands" in entry else ()
    roles = _roles(check, entry.get("roles", []), (*path, "roles"))
    cases = []
    raw_cases = entry.get("cases", [])
    if not isinstance(raw_cases, list) or not all(isinstance(row, dict) for row in raw_cases):
        check.add(
            (*path, "cases"),
            f'cases は [[reasons."{kind.value}".cases]] の形で書いてください',
            'write cases as [[reasons."...".cases]] tables',
        )
        raw_cases = []
    for index, row in enumerate(raw_cases):
        case_path = (*path, "cases", index)
        unknown_keys(check, row, {"when", "points", "label"}, case_path)
        when = condition(check, names, row.get("when"), (*case_path, "when"), "reason")
        case_points = points_value(check, row.get("points"), (*case_path, "points"), scale)
        if when is not None:
            cases.append(ReasonCase(when, case_points, str(row.get("label", when.text))))
    if points is None and not levels and not found_bands and not cases and not misspelt:
        check.add(
            path,
            f"事由「{kind.value}」に points・levels・bands・cases のどれかを書いてください",
            f"reason {kind.value!r} needs points, levels, bands or cases",
        )
    return ReasonTable(kind, points, levels, found_bands, unit, roles, tuple(cases))


def _roles(check: Checker, raw: Any, path: KeyPath) -> frozenset[str]:
    found = set()
    for value in raw if isinstance(raw, list) else [raw]:
        if value in ROLES:
            found.add(value)
        else:
            check.add(
                path,
                f"続柄「{value}」は使えません。使える値: {choices(ROLES)}",
                f"role must be one of {ROLES}",
            )
    return frozenset(found)


def adjustment_rules(
    check: Checker, rows: Any, scale: int, names: dict[str, NameDef], groups: dict[str, Group]
) -> tuple[Adjustment, ...]:
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        check.add(
            ("adjustments",), "調整指数は [[adjustments]] の形で書いてください", "use [[adjustments]] tables"
        )
        return ()
    result = []
    seen: set[str] = set()
    for index, row in enumerate(rows):
        path: KeyPath = ("adjustments", index)
        misspelt = unknown_keys(check, row, _ADJUSTMENT_KEYS, path)
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
        test = _adjustment_condition(check, row, path, names, quiet=bool(misspelt))
        times, times_max = _times(check, row, path, names)
        group = row.get("group")
        if group is not None and group not in groups:
            guess = did_you_mean(str(group), groups)
            hint = f"「{guess}」の誤りではありませんか。" if guess else ""
            check.add(
                (*path, "group"),
                f'群「{group}」は [groups] にありません。{hint}[groups."{group}"] を加えてください',
                f"group {group!r} is not declared in [groups]",
            )
        if test is not None:
            label = str(row.get("label", rule_id))
            result.append(Adjustment(rule_id, label, points, test, times, times_max, group))
    return tuple(result)


def _adjustment_condition(
    check: Checker, row: dict[str, Any], path: KeyPath, names: dict[str, NameDef], quiet: bool = False
) -> Compiled | None:
    written = [key for key in ("when", "flag", *_LEGACY_CONDITIONS) if key in row]
    if not written and quiet:
        return None  # a misspelt key (wen = …) has its own message: no second one about the condition
    if len(written) != 1:
        check.add(
            path,
            '調整指数には条件を1つだけ書いてください: when = "ひとり親 and age_months >= 12" など '
            '(以前の書き方 flag = "ひとり親" / sibling_enrolled = true / siblings_applying = true / '
            "transfer = true も使えます)",
            'each adjustment needs exactly one condition: when = "..." (or the older flag, '
            "sibling_enrolled, siblings_applying, transfer)",
        )
        return None
    key = written[0]
    if key == "when":
        return condition(check, names, row["when"], (*path, "when"))
    if key == "flag":
        flag = flag_value(check, row["flag"], (*path, "flag"))
        return condition(check, names, flag.value, (*path, "flag")) if flag is not None else None
    if row[key] is not True:
        check.add((*path, key), f"{key} = true と書いてください", f"write {key} = true")
        return None
    return condition(check, names, _LEGACY_CONDITIONS[key], (*path, key))


def _times(
    check: Checker, row: dict[str, Any], path: KeyPath, names: dict[str, NameDef]
) -> tuple[Compiled | None, int]:
    if "times" not in row:
        if "times_max" in row:
            check.add((*path, "times_max"), "times_max は times と一緒に書きます", "times_max needs times")
        return None, 1
    times = condition(check, names, row["times"], (*path, "times"), want="num")
    times_max = row.get("times_max", 9)
    if isinstance(times_max, bool) or not isinstance(times_max, int) or not 1 <= times_max <= 99:
        check.add(
            (*path, "times_max"),
            "times_max は1〜99の整数にしてください",
            "times_max must be an integer 1..99",
        )
        times_max = 9
    return times, times_max


def group_table(check: Checker, table: Any, scale: int) -> dict[str, Group]:
    if not isinstance(table, dict):
        check.add(("groups",), "[groups] は表にしてください", "[groups] must be a table")
        return {}
    result = {}
    picks = [p.value for p in GroupPick]
    for name, entry in table.items():
        path: KeyPath = ("groups", name)
        if not isinstance(entry, dict):
            check.add(path, f'[groups."{name}"] は表にしてください', "each group must be a table")
            continue
        unknown_keys(check, entry, {"pick", "cap", "label"}, path)
        pick = entry.get("pick", "max")
        if pick not in picks:
            check.add(
                (*path, "pick"), f"pick は {choices(picks)} のどれかです", f"pick must be one of {picks}"
            )
            pick = "max"
        cap = points_value(check, entry["cap"], (*path, "cap"), scale) if "cap" in entry else None
        if cap is not None and cap < 0:
            check.add((*path, "cap"), "cap は0以上にしてください", "cap must be >= 0")
        result[str(name)] = Group(str(name), GroupPick(pick), cap)
    return result


def rank_classes(check: Checker, rows: Any, names: dict[str, NameDef]) -> tuple[RankClass, ...]:
    if not isinstance(rows, list):
        check.add(("ranks",), "順位区分は [[ranks]] の形で書いてください", "use [[ranks]] tables")
        return ()
    if not rows:
        return (RankClass(name="一般", value=0),)
    parsed = []
    defaults = 0  # rows written without any condition (a broken condition is not a second default)
    for index, row in enumerate(rows):
        path: KeyPath = ("ranks", index)
        defaults += not any(key in row for key in ("flags_any", "reasons_any", "when"))
        unknown_keys(check, row, {"name", "flags_any", "reasons_any", "when"}, path)
        flags = {
            f for f in (flag_value(check, v, (*path, "flags_any")) for v in row.get("flags_any", [])) if f
        }
        reasons = set()
        for value in row.get("reasons_any", []):
            try:
                reasons.add(ReasonKind(value))
            except ValueError:
                check.add((*path, "reasons_any"), f"事由「{value}」はありません", f"unknown reason {value!r}")
        when = condition(check, names, row["when"], (*path, "when")) if "when" in row else None
        if when is not None and when.level == NURSERY:
            check.add(
                (*path, "when"),
                "順位区分の条件に施設ごとの項目 (sibling_here, choice_rank) は使えません",
                "a rank condition cannot depend on the nursery",
            )
        value = len(rows) - 1 - index  # listed highest first
        name = str(row.get("name", f"区分{index + 1}"))
        parsed.append(RankClass(name, value, frozenset(flags), frozenset(reasons), when))
    if defaults != 1:
        check.add(
            ("ranks",),
            f"条件のない順位区分 (その他の全員が入る区分) はちょうど1つにしてください (今は{defaults}つ)",
            f"exactly one [[ranks]] entry must have no condition (the default class); found {defaults}",
        )
    return tuple(parsed)


def staff_points_max(check: Checker, meta: dict[str, Any], scale: int) -> Decimal:
    if "staff_points_max" not in meta:
        return Decimal(10)
    value = points_value(check, meta["staff_points_max"], ("meta", "staff_points_max"), scale)
    return abs(value)
