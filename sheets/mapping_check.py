"""`check_mapping`: every problem of a ledger mapping file, also against the city profile it belongs to.

Used by `bodx city check` (cityprofile) and `bodx sheets inspect`. Each problem is one line,
`file:line: 日本語 / English`; an empty list means the mapping can be used.
"""

from __future__ import annotations

from pathlib import Path

from matching.config import did_you_mean
from matching.config.toml_lines import LineIndex
from matching.profile import CityProfile
from sheets.mapping import mapping_problems


def check_mapping(path: Path, profile: CityProfile | None = None) -> list[str]:
    """Problems of the mapping at `path` (strict keys, values), and with `profile`: facts it fills must
    be declared there (with "did you mean"), guardian facts need `{g}`, a named round must exist."""
    mapping, problems = mapping_problems(path)
    if mapping is None or profile is None:
        return problems
    lines = LineIndex(path.read_text(encoding="utf-8-sig"))

    def at(key_path: tuple[str, ...], ja: str, en: str) -> None:
        line = lines.line_of(key_path) or 1
        problems.append(f"{path}:{line}: {ja} / {en}")

    declared = [fact.name for fact in profile.facts]
    for name, headers in mapping.fact_columns.items():
        fact = profile.fact(name)
        if fact is None:
            guess = did_you_mean(name, declared)
            hint = f"「{guess}」の誤りではありませんか。" if guess else ""
            at(("fact_columns", name), f"「{name}」は city.toml の [[facts]] にありません。{hint}あるもの: "
               f"{', '.join(declared) or '(なし)'}", f"fact {name!r} is not declared in city.toml"
               + (f"; did you mean {guess!r}?" if guess else ""))  # fmt: skip
        elif fact.level.value == "guardian" and not all("{g}" in h for h in headers):
            at(("fact_columns", name), f"「{fact.label}」は保護者ごとの項目です。見出しに {{g}} (保護者の欄) を入れてください",
               f"{name!r} is a guardian fact: its headers need {{g}}")  # fmt: skip
    wanted = mapping.defaults.desired_start
    if wanted is not None and wanted.startswith("round:"):
        round_id = wanted.split(":", 1)[1]
        if round_id not in [r.id for r in profile.rounds]:
            at(("defaults", "desired_start"), f"選考回「{round_id}」は city.toml にありません",
               f"no round {round_id!r} in city.toml")  # fmt: skip
    return problems
