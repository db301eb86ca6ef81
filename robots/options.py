"""Choosing a drop-down option by its displayed text, and comparing what a screen shows with a decision.

Screens write the same name in other widths and spacings (ひまわり保育園, ﾋﾏﾜﾘ, ひまわり　保育園, 第２):
both sides are NFKC-normalised and lose their spaces before comparing. Only an exact match of the
normalised texts chooses: a look-alike (ひまわり / ひまわり第二, 中央 / 中央分園) never matches by
prefix or containment, and two options with the same normalised text are refused as ambiguous, so a
child is never placed in the wrong nursery because two names look alike. A name the screen spells
differently is given in the recipe's `aliases`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from robots.errors import BusinessError

Option = tuple[str, str]  # (value, displayed text)


def normalise(text: str) -> str:
    """NFKC, no spaces; a number loses leading zeros (04 and 4 are the same month)."""
    squashed = "".join(unicodedata.normalize("NFKC", text).split())
    return (squashed.lstrip("0") or "0") if squashed.isdigit() else squashed


def choose_option(text: str, options: Sequence[Option], aliases: Mapping[str, str], label: str) -> str:
    """The value of the one option whose displayed text is `text` (or its alias); BusinessError otherwise."""
    wanted = normalise(aliases.get(text, text))
    matches = [value for value, shown in options if normalise(shown) == wanted]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise BusinessError(
            f"{label}: 「{text}」に当たる選択肢が {len(matches)} 個あり、決められません。レシピの aliases で"
            f"画面の表記を指定してください / {len(matches)} options read {text!r}: ambiguous, set an alias"
        )
    similar = [
        shown for _, shown in options if wanted and (wanted in normalise(shown) or normalise(shown) in wanted)
    ]
    hint = f" 似た選択肢 / similar: {', '.join(s for s in similar if s.strip())}" if similar else ""
    raise BusinessError(
        f"{label}: 「{text}」は画面の選択肢にありません (似た名前では選びません) / {text!r} is not an option on "
        f"the screen (look-alikes are never chosen).{hint}"
    )


def same_value(shown: Sequence[str], expected: Sequence[str]) -> bool:
    """True when any text the screen shows for a field equals any accepted form of the decided value."""
    wanted = {normalise(e) for e in expected}
    return any(normalise(s) in wanted for s in shown)
