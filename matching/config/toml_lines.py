"""Find the line of a key or table in TOML source text, so rules-file errors can name it.

`tomllib` reports line numbers only for syntax errors; for a semantic error (an unknown reason, two
overlapping hour bands) we need the line of the offending key ourselves. This is a small line scanner,
not a TOML parser: it understands table headers (`[a.b]`, `[[a.b]]`, quoted parts) and `key = value`
lines, which is all a rules file uses. Anything it cannot place falls back to the nearest parent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

PathPart = str | int
KeyPath = tuple[PathPart, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*(.+?)\s*(\]\]?)\s*(#.*)?$")
_KEY_LINE = re.compile(
    r"""^\s*((?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*'))*)\s*="""
)
_KEY_PART = re.compile(r"""\s*([A-Za-z0-9_\-]+|"[^"]*"|'[^']*')\s*(?:\.|$)""")


def _split_key(text: str) -> tuple[str, ...]:
    parts = []
    for match in _KEY_PART.finditer(text):
        token = match.group(1)
        if token[0] in "\"'":
            token = token[1:-1]
        parts.append(token)
    return tuple(parts)


class LineIndex:
    """Maps key paths such as ("work", 0, "bands", 2, "points") to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self._lines: dict[KeyPath, int] = {}
        self.last_line = max(len(text.splitlines()), 1)
        aot_counts: dict[KeyPath, int] = {}
        current: KeyPath = ()
        in_multiline = False
        for number, line in enumerate(text.splitlines(), start=1):
            if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                in_multiline = not in_multiline
                if not in_multiline:
                    continue
            if in_multiline:
                continue
            header = _HEADER.match(line)
            if header and not _KEY_LINE.match(line):
                names = _split_key(header.group(2))
                resolved = self._resolve(names, aot_counts)
                if header.group(1) == "[[":
                    self._lines.setdefault(resolved, number)  # `("work",)` finds the first [[work]]
                    index = aot_counts.get(resolved, 0)
                    aot_counts[resolved] = index + 1
                    resolved = (*resolved, index)
                current = resolved
                self._lines.setdefault(current, number)
                continue
            key = _KEY_LINE.match(line)
            if key:
                path = (*current, *_split_key(key.group(1)))
                self._lines.setdefault(path, number)

    @staticmethod
    def _resolve(names: Sequence[str], aot_counts: dict[KeyPath, int]) -> KeyPath:
        # `[[work.bands]]` belongs to the latest `[[work]]` element: insert its index.
        resolved: KeyPath = ()
        for position, name in enumerate(names):
            resolved = (*resolved, name)
            if resolved in aot_counts and position < len(names) - 1:
                resolved = (*resolved, aot_counts[resolved] - 1)
        return resolved

    def line_of(self, path: KeyPath) -> int | None:
        """Line of `path`, else of its nearest parent found in the text; None if nothing matches."""
        for end in range(len(path), 0, -1):
            found = self._lines.get(path[:end])
            if found is not None:
                return found
        return None
