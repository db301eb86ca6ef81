"""Read and validate a 利用調整基準 rules file (TOML), against the city's declared facts.

Every problem becomes one line of a :class:`RulesError` that names the file, the line and the fix, in
Japanese and English; all problems of a file are reported together so staff fix them in one pass.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matching.config import KeyPath, read_toml_text
from matching.config.problems import parse_toml_text
from matching.errors import MatchingError, RulesError
from matching.limits import DEFAULT_LIMITS
from matching.records import DEFAULT_WEEKS_PER_MONTH
from matching.scoring.checker import Checker, points_value, unknown_keys
from matching.scoring.expr_names import NameDef
from matching.scoring.load_conditions import namespace
from matching.scoring.load_sections import (
    adjustment_rules,
    group_table,
    rank_classes,
    reason_tables,
    staff_points_max,
)
from matching.scoring.load_tiebreak import tiebreak_list
from matching.scoring.load_work import work_tables
from matching.scoring.rules import Combine, ReasonsCombine, Rules

if TYPE_CHECKING:
    from matching.profile import CityProfile

_TOP_KEYS = {"meta", "guardians", "work", "reasons", "adjustments", "groups", "ranks", "tiebreak"}
_META_KEYS = {"name", "scale", "partial", "staff_points_max", "source"}
_GUARDIAN_KEYS = {"combine", "missing", "counted", "reasons"}


def load_rules(path: Path, profile: CityProfile | None = None) -> Rules:
    """Read `path`; raise :class:`RulesError` (never another exception) when it cannot be used.

    Conditions are checked against `profile`'s declared facts; without one, the city.toml next to the
    rules file (a city profile folder) is used when there is one, else only the built-in names.
    """
    data, text = read_toml_text(path, RulesError, "規則ファイル", "rules file", decimals=True)
    return _parse(data, text, path, profile if profile is not None else _profile_beside(path))


def check_rules(path: Path, profile: CityProfile | None = None) -> list[str]:
    """Every problem of the rules file at `path` as a line for staff (empty when it is usable).

    For `bodx city check`: one line per problem, each with file and line and, for a misspelt key or
    fact name, the nearest known one.
    """
    try:
        load_rules(path, profile)
    except MatchingError as exc:
        lines = str(exc).splitlines()
        return lines[1:] if len(lines) > 1 and lines[0].endswith(":") else lines
    return []


def parse_rules(text: str, source: Path | None = None, profile: CityProfile | None = None) -> Rules:
    where = str(source) if source is not None else "<rules>"
    data = parse_toml_text(text, where, RulesError, "規則ファイル", "rules file", decimals=True)
    return _parse(data, text, source, profile)


def _profile_beside(path: Path) -> CityProfile | None:
    city = path.parent / "city.toml"
    if not city.is_file():
        return None
    from matching.profile import load_profile

    try:
        return load_profile(city)[0]
    except MatchingError as exc:
        raise RulesError(
            f"{path}: 同じフォルダの city.toml に誤りがあるため、規則ファイルの項目名を確かめられません / "
            f"the city.toml beside the rules file has errors, so its fact names cannot be checked:\n{exc}"
        ) from exc


def _parse(data: dict[str, Any], text: str, source: Path | None, profile: CityProfile | None) -> Rules:
    where = str(source) if source is not None else "<rules>"
    check = Checker(text, where)
    try:
        rules = _build(data, check, source, profile)
    except (AttributeError, TypeError, ValueError, InvalidOperation) as exc:
        # A value of the wrong shape (a list where a table belongs, text where a number belongs).
        check.raise_if_any()
        raise RulesError(
            f"{where}: 規則ファイルの形が想定と違います ({exc})。cities/hinata/rules.toml と見比べてください / "
            f"unexpected structure ({exc}); compare with cities/hinata/rules.toml"
        ) from exc
    check.raise_if_any()
    assert rules is not None  # every path that returns None has added a problem
    return rules


def _build(
    data: dict[str, Any], check: Checker, source: Path | None, profile: CityProfile | None
) -> Rules | None:
    unknown_keys(check, data, _TOP_KEYS, ())
    meta = data.get("meta", {})
    if not isinstance(meta, dict):
        check.add(("meta",), "[meta] は表にしてください", "[meta] must be a table")
        meta = {}
    unknown_keys(check, meta, _META_KEYS, ("meta",))
    scale = meta.get("scale")
    if not isinstance(scale, int) or isinstance(scale, bool) or scale < 1:
        check.add(
            ("meta", "scale"),
            "[meta] に scale = 10 のような1以上の整数を書いてください (点数×scale が内部の整数になります)",
            "[meta] needs an integer scale >= 1 (points x scale become the integer scores)",
        )
        scale = 1
    if scale > DEFAULT_LIMITS.max_rules_scale:  # scores must stay exact integers for the optimizer
        check.add(
            ("meta", "scale"),
            f"scale = {scale:,} は大きすぎます。{DEFAULT_LIMITS.max_rules_scale:,} 以下にしてください",
            f"scale {scale:,} is over the limit max_rules_scale = {DEFAULT_LIMITS.max_rules_scale:,}",
        )
        scale = 1
    name = str(meta.get("name", source.stem if source else "rules"))
    partial = meta.get("partial")
    names: dict[str, NameDef] = namespace(check, profile)
    combine, missing, counted, reasons_combine = _guardians(check, data.get("guardians", {}), scale)
    work = work_tables(check, data.get("work"), scale, names, partial_ok=isinstance(partial, str))
    reasons = reason_tables(check, data.get("reasons", {}), scale, names)
    groups = group_table(check, data.get("groups", {}), scale)
    adjustments = adjustment_rules(check, data.get("adjustments", []), scale, names, groups)
    ranks = rank_classes(check, data.get("ranks", []), names)
    tiebreak, seed = tiebreak_list(check, data.get("tiebreak"), names)
    staff_max = staff_points_max(check, meta, scale)
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
        tiebreak=tuple(key.kind for key in tiebreak),
        tie_keys=tiebreak,
        lottery_seed=seed,
        source=source,
        weeks_per_month=profile.weeks_per_month if profile is not None else DEFAULT_WEEKS_PER_MONTH,
        reasons_combine=reasons_combine,
        groups=groups,
        staff_points_max=staff_max,
        partial=str(partial) if isinstance(partial, str) else None,
    )


def _guardians(check: Checker, table: Any, scale: int) -> tuple[Combine, Decimal | None, int, ReasonsCombine]:
    path: KeyPath = ("guardians",)
    if not isinstance(table, dict):
        check.add(path, "[guardians] は表にしてください", "[guardians] must be a table")
        return Combine.SUM, None, 2, ReasonsCombine.HIGHEST
    unknown_keys(check, table, _GUARDIAN_KEYS, path)
    raw_combine = table.get("combine", "sum")
    try:
        combine = Combine(raw_combine)
    except ValueError:
        check.add(
            (*path, "combine"),
            f'combine = "{raw_combine}" は使えません。"sum" (父母の合計) か "lower" (低い方)、または "higher" (高い方) にしてください',
            f'combine must be "sum", "lower" or "higher", not {raw_combine!r}',
        )
        combine = Combine.SUM
    raw_reasons = table.get("reasons", "highest")
    try:
        reasons_combine = ReasonsCombine(raw_reasons)
    except ValueError:
        check.add(
            (*path, "reasons"),
            f'reasons = "{raw_reasons}" は使えません。"highest" (保護者ごとに最も高い事由) か "sum" (事由の合計) にしてください',
            f'reasons must be "highest" or "sum", not {raw_reasons!r}',
        )
        reasons_combine = ReasonsCombine.HIGHEST
    raw_missing = table.get("missing", "max")
    missing = None if raw_missing == "max" else points_value(check, raw_missing, (*path, "missing"), scale)
    counted = table.get("counted", 2)
    if not isinstance(counted, int) or isinstance(counted, bool) or not 1 <= counted <= 4:
        check.add((*path, "counted"), "counted は1〜4の整数にしてください", "counted must be an integer 1..4")
        counted = 2
    return combine, missing, counted, reasons_combine
