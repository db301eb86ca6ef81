"""Read and validate a 利用調整基準 rules file (TOML).

Every problem becomes one line of a :class:`RulesError` that names the file, the line and the fix, in
Japanese and English; all problems of a file are reported together so staff fix them in one pass.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from matching.config import KeyPath, toml_syntax_message
from matching.errors import RulesError
from matching.scoring.checker import Checker, points_value, unknown_keys
from matching.scoring.load_sections import adjustment_rules, rank_classes, reason_tables, tiebreak_list
from matching.scoring.load_work import work_tables
from matching.scoring.rules import Combine, Rules

_TOP_KEYS = {"meta", "guardians", "work", "reasons", "adjustments", "ranks", "tiebreak"}


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
        raise RulesError(toml_syntax_message(where, text, exc)) from exc
    check = Checker(text, where)
    try:
        rules = _build(data, check, source)
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


def _build(data: dict[str, Any], check: Checker, source: Path | None) -> Rules | None:
    unknown_keys(check, data, _TOP_KEYS, ())
    meta = data.get("meta", {})
    scale = meta.get("scale") if isinstance(meta, dict) else None
    if isinstance(meta, dict):
        unknown_keys(check, meta, {"name", "scale"}, ("meta",))
    if not isinstance(scale, int) or isinstance(scale, bool) or scale < 1:
        check.add(
            ("meta", "scale"),
            "[meta] に scale = 10 のような1以上の整数を書いてください (点数×scale が内部の整数になります)",
            "[meta] needs an integer scale >= 1 (points x scale become the integer scores)",
        )
        scale = 1
    name = str(meta.get("name", source.stem if source else "rules")) if isinstance(meta, dict) else "rules"
    combine, missing, counted = _guardians(check, data.get("guardians", {}), scale)
    work = work_tables(check, data.get("work"), scale)
    reasons = reason_tables(check, data.get("reasons", {}), scale)
    adjustments = adjustment_rules(check, data.get("adjustments", []), scale)
    ranks = rank_classes(check, data.get("ranks", []))
    tiebreak, seed = tiebreak_list(check, data.get("tiebreak"))
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


def _guardians(check: Checker, table: Any, scale: int) -> tuple[Combine, Decimal | None, int]:
    path: KeyPath = ("guardians",)
    if not isinstance(table, dict):
        check.add(path, "[guardians] は表にしてください", "[guardians] must be a table")
        return Combine.SUM, None, 2
    unknown_keys(check, table, {"combine", "missing", "counted"}, path)
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
    missing = None if raw_missing == "max" else points_value(check, raw_missing, (*path, "missing"), scale)
    counted = table.get("counted", 2)
    if not isinstance(counted, int) or isinstance(counted, bool) or not 1 <= counted <= 4:
        check.add((*path, "counted"), "counted は1〜4の整数にしてください", "counted must be an integer 1..4")
        counted = 2
    return combine, missing, counted
