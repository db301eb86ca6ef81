"""Collect configuration-file problems with their lines; strict key checks with "did you mean"."""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from matching.config.toml_lines import KeyPath, LineIndex

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
MAX_CONFIG_BYTES = 2_000_000  # a city's largest file (a rules table) is a few dozen KB


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """The allowed name closest to `word` (a typo such as hours_bellow → hours_below), if any is close."""
    pool = [str(c) for c in candidates]
    found = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if found:
        return found[0]
    lowered = {c.lower(): c for c in pool}
    return lowered.get(word.lower())


class ConfigProblems:
    """Problems of one file, each with its line; raises `error` with all of them at once."""

    def __init__(self, text: str, where: str, error: type[Exception], title: str) -> None:
        self._index = LineIndex(text)
        self._where = where
        self._error = error
        self._title = title
        self.problems: list[tuple[int, str]] = []

    @property
    def where(self) -> str:
        return self._where

    def add(self, path: KeyPath, ja: str, en: str) -> None:
        line = self._index.line_of(path) or 1
        self.problems.append((line, f"{self._where}:{line}: {ja} / {en}"))

    def add_text(self, path: KeyPath, text: str) -> None:
        """A message that is already bilingual (e.g. a record validator's "日本語 / English")."""
        line = self._index.line_of(path) or 1
        self.problems.append((line, f"{self._where}:{line}: {text}"))

    def line_of(self, path: KeyPath) -> int:
        return self._index.line_of(path) or 1

    def add_missing(self, ja: str, en: str) -> None:
        """A table that is not in the file at all: point at the end, where it can be added."""
        line = self._index.last_line
        self.problems.append((line, f"{self._where}:{line}: {ja} / {en}"))

    def messages(self) -> list[str]:
        return [message for _, message in sorted(self.problems, key=lambda item: item[0])]

    def raise_if_any(self) -> None:
        if self.problems:
            raise self._error(f"{self._title}:\n" + "\n".join(self.messages()))


def unknown_keys(
    check: ConfigProblems, table: Mapping[str, Any], allowed: Iterable[str], path: KeyPath
) -> list[str]:
    """Report every key of `table` not in `allowed`, with the nearest allowed name; return them."""
    allowed_sorted = sorted(allowed)
    unknown = [key for key in table if key not in allowed_sorted]
    for key in unknown:
        guess = did_you_mean(key, allowed_sorted)
        hint_ja = f"「{guess}」の誤りではありませんか。" if guess else ""
        hint_en = f"did you mean {guess!r}? " if guess else ""
        listing = ", ".join(allowed_sorted)
        check.add(
            (*path, key),
            f"「{key}」は使えない項目です。{hint_ja}使える項目: {listing}",
            f"unknown key {key!r}; {hint_en}allowed: {listing}",
        )
    return unknown


def toml_syntax_message(where: str, text: str, exc: tomllib.TOMLDecodeError) -> str:
    found = _TOML_POSITION.search(str(exc))
    problem = _TOML_POSITION.sub("", str(exc)).strip()
    if found is None:
        return f"{where}: TOMLの書き方に誤りがあります ({problem}) / invalid TOML ({problem})"
    line, column = int(found.group(1)), int(found.group(2))
    lines = text.splitlines()
    source_line = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return (
        f"{where}:{line}: TOMLの書き方に誤りがあります ({column}文字目: {problem})。行「{source_line}」の"
        '引用符・括弧・「=」を確認してください。日本語の項目名は "疾病" のように引用符で囲みます / '
        f"invalid TOML at line {line}, column {column} ({problem}): check quotes, brackets and '=' "
        "on that line; quote Japanese keys"
    )


def read_toml_text(
    path: Path, error: type[Exception], kind_ja: str, kind_en: str, *, decimals: bool = False
) -> tuple[dict[str, Any], str]:
    """Read and parse a TOML file; every failure is `error` with a message for staff (never a traceback).

    A UTF-8 byte-order mark (Windows Notepad writes one) is accepted; a file too large for a
    configuration file is refused before parsing, one nested too deeply (RecursionError) when parsed.
    """
    try:
        size = path.stat().st_size
        if size > MAX_CONFIG_BYTES:
            raise error(
                f"{path}: {kind_ja}が大きすぎます ({size:,} バイト、上限 {MAX_CONFIG_BYTES:,}) / "
                f"{kind_en} is too large ({size:,} bytes, limit {MAX_CONFIG_BYTES:,})"
            )
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(
            f"{path}: {kind_ja}を読めません (UTF-8で保存してください) / cannot read {kind_en}: {exc}"
        ) from exc
    return parse_toml_text(text, str(path), error, kind_ja, kind_en, decimals=decimals), text


def parse_toml_text(
    text: str, where: str, error: type[Exception], kind_ja: str, kind_en: str, *, decimals: bool = False
) -> dict[str, Any]:
    text = text.removeprefix("\ufeff")
    try:
        if decimals:
            return tomllib.loads(text, parse_float=Decimal)
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(toml_syntax_message(where, text, exc)) from exc
    except RecursionError as exc:
        raise error(f"{where}: {kind_ja}の入れ子が深すぎます / {kind_en} nests too deeply") from exc
