"""Compile the conditions of a rules file with the line they are on, against the city's declared facts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from matching.config import KeyPath
from matching.scoring.checker import Checker
from matching.scoring.expr_compile import Compiled, compile_condition
from matching.scoring.expr_names import NameDef, builtin_names, fact_name
from matching.scoring.expr_parse import ExprError

if TYPE_CHECKING:
    from matching.profile import CityProfile


def namespace(check: Checker, profile: CityProfile | None) -> dict[str, NameDef]:
    """Built-in names plus the facts the city declares (a fact may not shadow a built-in name)."""
    names = builtin_names()
    for fact in profile.facts if profile is not None else ():
        if fact.name in names:
            check.add(
                (),
                f"city.toml の項目「{fact.name}」は標準の項目と同じ名前です。別の名前にしてください",
                f"fact {fact.name!r} in city.toml has the name of a built-in; rename it",
            )
            continue
        names[fact.name] = fact_name(fact.name, fact.type.value, fact.level.value, fact.choices)
    return names


def condition(
    check: Checker, names: dict[str, NameDef], raw: Any, path: KeyPath, context: str = "", want: str = "bool"
) -> Compiled | None:
    """The compiled condition at `path`, or None after adding one problem (with the character)."""
    if not isinstance(raw, str):
        check.add(
            path,
            '条件は文字列で書いてください (例: when = "ひとり親 and age_months >= 12")',
            'a condition is a string (e.g. when = "ひとり親 and age_months >= 12")',
        )
        return None
    try:
        return compile_condition(raw, names, context, want)
    except ExprError as exc:
        shown = raw if len(raw) <= 60 else raw[:57] + "…"
        check.add(
            path,
            f"条件「{shown}」の{exc.column}文字目: {exc.ja}",
            f"condition {shown!r}, character {exc.column}: {exc.en}",
        )
        return None
