"""Validate the [tiebreak] section: an ordered list of keys ending in 申込順 or 抽選.

Each entry is a key name ("基準指数", "希望順位" …) or a small table:
- `{ reasons = ["災害", "疾病", "外勤", "自営|自営協力者", …], pick = "best" | "worst" }`: a priority
  list of reason categories (reason kinds or work styles; "a|b" = the same step); the household's
  position is that of its guardians' counted reasons, the best (default) or the worst of them;
- `{ when = "condition", label = "…" }`: households for which the condition holds first;
- `{ value = "number expression", order = "asc" | "desc", label = "…" }`: by a number (養育児童数 …).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from matching.config import did_you_mean
from matching.records import ReasonKind, WorkStyle
from matching.scoring.checker import Checker, choices, unknown_keys
from matching.scoring.expr_names import NameDef
from matching.scoring.load_conditions import condition
from matching.scoring.rules import FINAL_KEYS, TieBreakKey, TieKey

_TABLE_KINDS = {TieBreakKey.REASON_PRIORITY, TieBreakKey.CONDITION, TieBreakKey.VALUE}
_NAMED = [k for k in TieBreakKey if k not in _TABLE_KINDS]
_CATEGORIES = [*(k.value for k in ReasonKind), *(s.value for s in WorkStyle)]


def tiebreak_list(
    check: Checker, table: Any, names: dict[str, NameDef]
) -> tuple[tuple[TieKey, ...], int | None]:
    keys = choices(k.value for k in _NAMED)
    finals = choices(sorted(k.value for k in FINAL_KEYS))
    if (
        isinstance(table, dict)
        and "order" not in table
        and unknown_keys(check, table, {"order", "lottery_seed"}, ("tiebreak",))
    ):
        return (), None  # oder = […]: the misspelt key's message says it all
    if not isinstance(table, dict) or not table.get("order"):
        report = check.add_missing if not isinstance(table, dict) else partial(check.add, ("tiebreak",))
        report(
            f'同点時の順位 [tiebreak] の order がありません。ファイルの最後に [tiebreak] と order を追加してください。例: order = ["市民税所得割額", "申込順"] (使える項目: {keys})',
            f"missing tie-break list: add [tiebreak] order = [...] ending in one of {finals}",
        )
        return (), None
    unknown_keys(check, table, {"order", "lottery_seed"}, ("tiebreak",))
    order: list[TieKey] = []
    raw_order = table["order"] if isinstance(table["order"], list) else [table["order"]]
    for index, value in enumerate(raw_order):
        key = _entry(check, value, ("tiebreak", "order"), index, names)
        if key is not None:
            order.append(key)
    if raw_order and (
        not isinstance(raw_order[-1], str) or raw_order[-1] not in {k.value for k in FINAL_KEYS}
    ):
        check.add(
            ("tiebreak", "order"),
            f'order の最後は必ず順位が1つに決まる項目 ({finals}) にしてください。最後に "申込順" を加えてください',
            f'the tie-break list must end in a final key ({finals}); append "申込順"',
        )
    seed = table.get("lottery_seed")
    if any(k.kind is TieBreakKey.LOTTERY for k in order) and (
        not isinstance(seed, int) or isinstance(seed, bool)
    ):
        check.add(
            ("tiebreak",),
            "抽選を使うときは lottery_seed = 20270401 のような整数を書いてください (同じ値なら同じ抽選結果)",
            "the lottery needs an integer lottery_seed (same seed, same draw)",
        )
    return tuple(order), seed if isinstance(seed, int) and not isinstance(seed, bool) else None


def _entry(
    check: Checker, value: Any, path: tuple[str, str], index: int, names: dict[str, NameDef]
) -> TieKey | None:
    if isinstance(value, str):
        try:
            kind = TieBreakKey(value)
        except ValueError:
            kind = None
        if kind is None or kind in _TABLE_KINDS:
            guess = did_you_mean(value, [k.value for k in _NAMED])
            hint = f"「{guess}」の誤りではありませんか。" if guess else ""
            check.add(
                path,
                f"同点時の項目「{value}」はありません。{hint}使える項目: {choices(k.value for k in _NAMED)} "
                'と表の形 ({ reasons = [...] } / { when = "…" } / { value = "…" })',
                f"unknown tie-break key {value!r}",
            )
            return None
        return TieKey(kind, kind.value)
    if not isinstance(value, dict):
        check.add(
            path, f"order の {index + 1} 番目は項目名か表にしてください", "each entry is a name or a table"
        )
        return None
    entry_path = (*path, index)
    unknown_keys(check, value, {"reasons", "pick", "when", "value", "order", "label"}, entry_path)
    written = [k for k in ("reasons", "when", "value") if k in value]
    if len(written) != 1:
        check.add(
            path,
            f"order の {index + 1} 番目の表には reasons・when・value のどれか1つを書いてください",
            "a tie-break table needs exactly one of reasons, when, value",
        )
        return None
    label = str(value.get("label", ""))
    if written[0] == "reasons":
        return _reason_priority(check, value, path, label)
    if written[0] == "when":
        test = condition(check, names, value["when"], path)
        return TieKey(TieBreakKey.CONDITION, label or test.text, condition=test) if test else None
    number = condition(check, names, value["value"], path, want="num")
    direction = value.get("order", "asc")
    if direction not in ("asc", "desc"):
        check.add(
            path, 'order は "asc" (小さい順) か "desc" (大きい順) です', 'order must be "asc" or "desc"'
        )
    if number is None:
        return None
    return TieKey(TieBreakKey.VALUE, label or number.text, condition=number, descending=direction == "desc")


def _reason_priority(
    check: Checker, value: dict[str, Any], path: tuple[str, str], label: str
) -> TieKey | None:
    items = value["reasons"] if isinstance(value["reasons"], list) else []
    # "自営|自営協力者": several categories on one step of the list (the same priority number).
    bad = [part for item in items for part in str(item).split("|") if part not in _CATEGORIES]
    for item in bad:
        guess = did_you_mean(str(item), _CATEGORIES)
        hint = f"「{guess}」の誤りではありませんか。" if guess else ""
        check.add(
            path,
            f"事由の優先順位の「{item}」は事由でも就労形態でもありません。{hint}使える値: {choices(_CATEGORIES)}",
            f"{item!r} is neither a reason kind nor a work style",
        )
    pick = value.get("pick", "best")
    if pick not in ("best", "worst"):
        check.add(path, 'pick は "best" か "worst" です', 'pick must be "best" or "worst"')
    if bad or not items:
        if not items:
            check.add(path, "reasons に事由を1つ以上並べてください", "reasons needs at least one entry")
        return None
    return TieKey(
        TieBreakKey.REASON_PRIORITY, label or "事由の優先順位", items=tuple(items), pick_best=pick != "worst"
    )
