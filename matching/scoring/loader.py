"""Read and validate a 利用調整基準 rules file (TOML).

Every problem becomes one line of a :class:`RulesError` that names the file, the line and the fix, in
Japanese and English; all problems of a file are reported together so staff fix them in one pass.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from matching.errors import RulesError
from matching.records import AdjustmentFlag, ReasonKind, WorkStyle
from matching.scoring.rules import (
    FINAL_KEYS,
    Adjustment,
    Combine,
    Condition,
    HoursUnit,
    RankClass,
    ReasonTable,
    Rules,
    TieBreakKey,
    WorkBand,
    WorkTable,
)
from matching.scoring.toml_lines import KeyPath, LineIndex

_TOP_KEYS = {"meta", "guardians", "work", "reasons", "adjustments", "ranks", "tiebreak"}
_CONDITION_KEYS = {c.value for c in Condition if c is not Condition.FLAG}


def _choices(values: Any) -> str:
    return ", ".join(str(v) for v in values)


class _Checker:
    """Collects problems with the line each one is on."""

    def __init__(self, text: str, where: str) -> None:
        self._index = LineIndex(text)
        self._where = where
        self.problems: list[tuple[int, str]] = []

    def add(self, path: KeyPath, ja: str, en: str) -> None:
        line = self._index.line_of(path) or 1
        self.problems.append((line, f"{self._where}:{line}: {ja} / {en}"))

    def line_of(self, path: KeyPath) -> int:
        return self._index.line_of(path) or 1

    def raise_if_any(self) -> None:
        if self.problems:
            lines = [message for _, message in sorted(self.problems, key=lambda item: item[0])]
            raise RulesError("規則ファイルに誤りがあります / the rules file has errors:\n" + "\n".join(lines))


def load_rules(path: Path) -> Rules:
    """Read `path`; raise :class:`RulesError` (never another exception) when it cannot be used."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"規則ファイルを読めません / cannot read rules file {path}: {exc}") from exc
    return parse_rules(text, source=path)


def parse_rules(text: str, source: Path | None = None) -> Rules:
    where = str(source) if source is not None else "<rules>"
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(
            f"{where}: TOMLの書き方に誤りがあります ({exc})。その行の引用符・括弧・「=」を確認してください / "
            f"invalid TOML ({exc}): check quotes, brackets and '=' on that line"
        ) from exc
    check = _Checker(text, where)
    try:
        rules = _build(data, check, source)
    except (AttributeError, TypeError, ValueError, InvalidOperation) as exc:
        # A value of the wrong shape (a list where a table belongs, text where a number belongs).
        check.raise_if_any()
        raise RulesError(
            f"{where}: 規則ファイルの形が想定と違います ({exc})。samples/rules/default.toml と見比べてください / "
            f"unexpected structure ({exc}); compare with samples/rules/default.toml"
        ) from exc
    check.raise_if_any()
    assert rules is not None  # every path that returns None has added a problem
    return rules


def _unknown_keys(check: _Checker, table: Mapping[str, Any], allowed: set[str], path: KeyPath) -> None:
    for key in table:
        if key not in allowed:
            check.add(
                (*path, key),
                f"「{key}」は使えない項目です。使える項目: {_choices(sorted(allowed))}",
                f"unknown key {key!r}; allowed: {_choices(sorted(allowed))}",
            )


def _points(check: _Checker, value: Any, path: KeyPath, scale: int) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        check.add(
            path, f"点数 {value!r} は数値にしてください (例: 8 や 1.5)", f"points {value!r} must be a number"
        )
        return Decimal(0)
    points = Decimal(value)
    if (points * scale) != (points * scale).to_integral_value():
        check.add(
            path,
            f"点数 {points} に scale {scale} を掛けると整数になりません。[meta] の scale を大きく (例: 100) してください",
            f"points {points} x scale {scale} is not an integer; raise scale in [meta] (e.g. 100)",
        )
    return points


def _build(data: dict[str, Any], check: _Checker, source: Path | None) -> Rules | None:
    _unknown_keys(check, data, _TOP_KEYS, ())
    meta = data.get("meta", {})
    scale = meta.get("scale") if isinstance(meta, dict) else None
    if isinstance(meta, dict):
        _unknown_keys(check, meta, {"name", "scale"}, ("meta",))
    if not isinstance(scale, int) or isinstance(scale, bool) or scale < 1:
        check.add(
            ("meta", "scale"),
            "[meta] に scale = 10 のような1以上の整数を書いてください (点数×scale が内部の整数になります)",
            "[meta] needs an integer scale >= 1 (points x scale become the integer scores)",
        )
        scale = 1
    name = str(meta.get("name", source.stem if source else "rules")) if isinstance(meta, dict) else "rules"
    combine, missing, counted = _guardians(check, data.get("guardians", {}), scale)
    work = _work(check, data.get("work"), scale)
    reasons = _reasons(check, data.get("reasons", {}), scale)
    adjustments = _adjustments(check, data.get("adjustments", []), scale)
    ranks = _ranks(check, data.get("ranks", []))
    tiebreak, seed = _tiebreak(check, data.get("tiebreak"))
    if check.problems:
        return None
    return Rules(
        name=name,
        scale=scale,
        combine=combine,
        missing_guardian=missing,
        guardians_counted=counted,
        work=work,
        reasons=reasons,
        adjustments=adjustments,
        ranks=ranks,
        tiebreak=tiebreak,
        lottery_seed=seed,
        source=source,
    )


def _guardians(check: _Checker, table: Any, scale: int) -> tuple[Combine, Decimal | None, int]:
    path: KeyPath = ("guardians",)
    if not isinstance(table, dict):
        check.add(path, "[guardians] は表にしてください", "[guardians] must be a table")
        return Combine.SUM, None, 2
    _unknown_keys(check, table, {"combine", "missing", "counted"}, path)
    raw_combine = table.get("combine", "sum")
    try:
        combine = Combine(raw_combine)
    except ValueError:
        check.add(
            (*path, "combine"),
            f'combine = "{raw_combine}" は使えません。"sum" (父母の合計) か "lower" (低い方) にしてください',
            f'combine must be "sum" or "lower", not {raw_combine!r}',
        )
        combine = Combine.SUM
    raw_missing = table.get("missing", "max")
    missing = None if raw_missing == "max" else _points(check, raw_missing, (*path, "missing"), scale)
    counted = table.get("counted", 2)
    if not isinstance(counted, int) or isinstance(counted, bool) or not 1 <= counted <= 4:
        check.add((*path, "counted"), "counted は1〜4の整数にしてください", "counted must be an integer 1..4")
        counted = 2
    return combine, missing, counted


def _work(check: _Checker, tables: Any, scale: int) -> tuple[WorkTable, ...]:
    if not isinstance(tables, list) or not tables:
        check.add(
            ("work",),
            "就労の表 [[work]] がありません。外勤・自営・自営協力者・内職の表を書いてください",
            "no [[work]] table; add one for 外勤, 自営, 自営協力者 and 内職",
        )
        return ()
    result = []
    covered: dict[WorkStyle, int] = {}
    for index, table in enumerate(tables):
        path: KeyPath = ("work", index)
        _unknown_keys(check, table, {"styles", "unit", "bands"}, path)
        styles = []
        for style in table.get("styles", []):
            try:
                parsed = WorkStyle(style)
            except ValueError:
                check.add(
                    (*path, "styles"),
                    f"就労形態「{style}」はありません。使える形態: {_choices(w.value for w in WorkStyle)}",
                    f"unknown work style {style!r}",
                )
                continue
            if parsed in covered:
                check.add(
                    (*path, "styles"),
                    f"就労形態「{style}」が2つの表にあります。どちらか一方から消してください",
                    f"work style {style!r} is in two [[work]] tables; remove it from one",
                )
            covered[parsed] = index
            styles.append(parsed)
        try:
            unit = HoursUnit(table.get("unit", "month"))
        except ValueError:
            check.add(
                (*path, "unit"),
                'unit は "month" (月) か "week" (週) にしてください',
                'unit must be "month" or "week"',
            )
            unit = HoursUnit.MONTH
        bands = _bands(check, table.get("bands", []), path, unit, scale)
        result.append(WorkTable(styles=tuple(styles), unit=unit, bands=bands))
    for style in WorkStyle:
        if style not in covered:
            check.add(
                ("work",),
                f"就労形態「{style.value}」の表がありません。どれかの [[work]] の styles に加えてください",
                f"no [[work]] table covers work style {style.value!r}; add it to one table's styles",
            )
    return tuple(result)


def _bands(
    check: _Checker, rows: Any, table_path: KeyPath, unit: HoursUnit, scale: int
) -> tuple[WorkBand, ...]:
    if not isinstance(rows, list) or not rows:
        check.add(
            table_path,
            "この就労の表に [[work.bands]] がありません",
            "this [[work]] table has no [[work.bands]]",
        )
        return ()
    bands: list[WorkBand] = []
    for index, row in enumerate(rows):
        path = (*table_path, "bands", index)
        _unknown_keys(
            check, row, {"points", "hours_min", "hours_below", "days_min", "days_max", "label"}, path
        )
        points = _points(check, row.get("points"), (*path, "points"), scale)
        hours_min = Decimal(row.get("hours_min", 0))
        below_raw = row.get("hours_below")
        hours_below = Decimal(below_raw) if below_raw is not None else None
        days_min, days_max = int(row.get("days_min", 0)), int(row.get("days_max", 7))
        if hours_below is not None and hours_below <= hours_min:
            check.add(
                (*path, "hours_below"),
                "hours_below は hours_min より大きくしてください",
                "hours_below must exceed hours_min",
            )
        if not 0 <= days_min <= days_max <= 7:
            check.add(
                (*path, "days_min"),
                "日数は 0 ≤ days_min ≤ days_max ≤ 7 にしてください",
                "need 0 <= days_min <= days_max <= 7",
            )
        band = WorkBand(points, hours_min, hours_below, days_min, days_max, row.get("label") or "")
        band = WorkBand(
            points, hours_min, hours_below, days_min, days_max, band.label or _band_label(band, unit)
        )
        for earlier_index, earlier in enumerate(bands):
            if band.overlaps(earlier):
                earlier_line = check.line_of((*table_path, "bands", earlier_index))
                check.add(
                    path,
                    f"この時間帯 ({band.label}) は {earlier_line} 行目の帯 ({earlier.label}) と重なっています。"
                    "hours_below を次の帯の hours_min と同じ値にするなど、重ならないようにしてください",
                    f"this hour band overlaps the band on line {earlier_line}; make hours_below of one equal "
                    "hours_min of the next so that every hour count falls in exactly one band",
                )
        bands.append(band)
    return tuple(bands)


def _band_label(band: WorkBand, unit: HoursUnit) -> str:
    per = "月" if unit is HoursUnit.MONTH else "週"
    hours = f"{per}{band.hours_min}時間以上"
    if band.hours_below is not None:
        hours += f"{band.hours_below}時間未満"
    if band.days_min == 0 and band.days_max == 7:
        return hours
    if band.days_max == 7:
        days = f"週{band.days_min}日以上"
    elif band.days_min == band.days_max:
        days = f"週{band.days_min}日"
    else:
        days = f"週{band.days_min}〜{band.days_max}日"
    return f"{days}・{hours}"


def _reasons(check: _Checker, table: Any, scale: int) -> dict[ReasonKind, ReasonTable]:
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
                f"事由「{name}」はありません。使える事由: {_choices(allowed)}",
                f"unknown reason {name!r}; known reasons: {_choices(allowed)}",
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
        _unknown_keys(check, entry, {"points", "levels"}, path)
        points = _points(check, entry["points"], (*path, "points"), scale) if "points" in entry else None
        levels = {
            str(level): _points(check, value, (*path, "levels", level), scale)
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


def _flag(check: _Checker, value: Any, path: KeyPath) -> AdjustmentFlag | None:
    try:
        return AdjustmentFlag(value)
    except ValueError:
        check.add(
            path,
            f"条件「{value}」はありません。使える条件: {_choices(f.value for f in AdjustmentFlag)}",
            f"unknown household flag {value!r}",
        )
        return None


def _adjustments(check: _Checker, rows: Any, scale: int) -> tuple[Adjustment, ...]:
    result = []
    seen: set[str] = set()
    for index, row in enumerate(rows if isinstance(rows, list) else []):
        path: KeyPath = ("adjustments", index)
        _unknown_keys(check, row, {"id", "label", "points", "flag", *_CONDITION_KEYS}, path)
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
        points = _points(check, row.get("points"), (*path, "points"), scale)
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
        flag = _flag(check, row["flag"], (*path, "flag")) if condition is Condition.FLAG else None
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


def _ranks(check: _Checker, rows: Any) -> tuple[RankClass, ...]:
    if not isinstance(rows, list):
        check.add(("ranks",), "順位区分は [[ranks]] の形で書いてください", "use [[ranks]] tables")
        return ()
    if not rows:
        return (RankClass(name="一般", value=0),)
    parsed = []
    for index, row in enumerate(rows):
        path: KeyPath = ("ranks", index)
        _unknown_keys(check, row, {"name", "flags_any", "reasons_any"}, path)
        flags = {f for f in (_flag(check, v, (*path, "flags_any")) for v in row.get("flags_any", [])) if f}
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


def _tiebreak(check: _Checker, table: Any) -> tuple[tuple[TieBreakKey, ...], int | None]:
    keys = _choices(k.value for k in TieBreakKey)
    finals = _choices(sorted(k.value for k in FINAL_KEYS))
    if not isinstance(table, dict) or not table.get("order"):
        check.add(
            ("tiebreak",),
            f'同点時の順位 [tiebreak] の order がありません。例: order = ["市民税所得割額", "申込順"] (使える項目: {keys})',
            f"missing tie-break list: add [tiebreak] order = [...] ending in one of {finals}",
        )
        return (), None
    _unknown_keys(check, table, {"order", "lottery_seed"}, ("tiebreak",))
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
