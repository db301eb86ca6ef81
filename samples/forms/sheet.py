"""A tiny table-layout builder for A4 forms at 300 dpi: rows of labelled cells, check boxes, headings.

It records what to draw (lines, labels) and where each field's writing area is; `draw.py` turns that into
the blank PNG and the field map TOML. The reader (`ocr`) never sees this module: it gets image + TOML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PAGE_W, PAGE_H = 2480, 3508  # A4 at 300 dpi
MARGIN_X = 160
LABEL_SIZE = 34
CHAR_W = LABEL_SIZE + 2
BOX = 46  # check box side
INSET = 8  # writing area starts this far inside the cell lines


@dataclass
class Text:
    label: str
    name: str
    kind: str
    span: int = 1
    required: bool = False
    pattern: str | None = None
    range: tuple[float, float] | None = None
    charset: str | None = None
    sample: str | None = None


@dataclass
class Choice:
    label: str
    name: str
    options: tuple[str, ...]
    span: int = 1
    required: bool = False
    sample: str | None = None


@dataclass
class Checks:
    """Independent check boxes (each its own `checkbox` field) in one cell."""

    label: str
    items: tuple[tuple[str, str], ...]  # (field name, printed text)
    span: int = 1


Cell = Text | Choice | Checks


@dataclass
class Sheet:
    template_id: str
    title: str
    top: int = 150
    width: int = PAGE_W - 2 * MARGIN_X
    y: int = 0
    rects: list[tuple[int, int, int, int, int]] = field(default_factory=list)  # x, y, w, h, gray fill
    labels: list[dict[str, Any]] = field(default_factory=list)
    fields: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.y = self.top

    def text(self, text: str, x: int, y: int, size: int = LABEL_SIZE, bold: bool = False) -> None:
        self.labels.append({"text": text, "at": [x, y], "size": size, "bold": bold})

    def heading(self, title: str, subtitle: str = "") -> None:
        size = 64
        self.text(title, PAGE_W // 2 - len(title) * size // 2, self.y, size=size, bold=True)
        self.y += size + 30
        if subtitle:
            self.text(subtitle, MARGIN_X, self.y, size=30)
            self.y += 60
        self.y += 20

    def section(self, title: str) -> None:
        height = 64
        self.rects.append((MARGIN_X, self.y, self.width, height, 225))
        self.text(title, MARGIN_X + 20, self.y + 12, size=36, bold=True)
        self.y += height

    def gap(self, pixels: int) -> None:
        self.y += pixels

    def row(self, *cells: Cell, height: int = 120, label_w: int | None = None) -> None:
        spans = sum(c.span for c in cells)
        x = MARGIN_X
        for index, cell in enumerate(cells):
            w = self.width * cell.span // spans if index < len(cells) - 1 else MARGIN_X + self.width - x
            lw = label_w or max(200, len(cell.label) * CHAR_W + 50)
            self.rects.append((x, self.y, lw, height, 242))
            self.rects.append((x + lw, self.y, w - lw, height, 255))
            self._label(cell.label, x, self.y, lw, height)
            self._cell(cell, x + lw, self.y, w - lw, height)
            x += w
        self.y += height

    def _label(self, label: str, x: int, y: int, w: int, h: int) -> None:
        lines = label.split("\n")
        top = y + (h - len(lines) * (LABEL_SIZE + 8)) // 2
        for i, line in enumerate(lines):
            self.text(line, x + 20, top + i * (LABEL_SIZE + 8))

    def _cell(self, cell: Cell, x: int, y: int, w: int, h: int) -> None:
        if isinstance(cell, Text):
            entry: dict[str, Any] = {
                "name": cell.name,
                "label": cell.label.replace("\n", ""),
                "kind": cell.kind,
                "box": [x + INSET, y + INSET, w - 2 * INSET, h - 2 * INSET],
                "required": cell.required,
            }
            for key in ("pattern", "range", "charset", "sample"):
                value = getattr(cell, key)
                if value is not None:
                    entry[key] = list(value) if isinstance(value, tuple) else value
            self.fields.append(entry)
            return
        items = cell.options if isinstance(cell, Choice) else tuple(t for _, t in cell.items)
        boxes = self._check_boxes(items, x, y, w, h)
        if isinstance(cell, Choice):
            entry = {
                "name": cell.name,
                "label": cell.label.replace("\n", ""),
                "kind": "choice",
                "required": cell.required,
                "options": [{"value": v, "box": b} for v, b in zip(cell.options, boxes, strict=True)],
            }
            if cell.sample:
                entry["sample"] = cell.sample
            self.fields.append(entry)
        else:
            for (name, text), b in zip(cell.items, boxes, strict=True):
                self.fields.append({"name": name, "label": text, "kind": "checkbox", "box": b})

    def _check_boxes(self, items: tuple[str, ...], x: int, y: int, w: int, h: int) -> list[list[int]]:
        """Lay the boxes out left to right, wrapping to a new line inside the cell when full."""
        line_h = BOX + 26
        lines = 1
        cursor = x + 24
        placed: list[tuple[int, int, str]] = []
        for text in items:
            width = BOX + 14 + len(text) * CHAR_W + 40
            if cursor + width > x + w and placed:
                lines += 1
                cursor = x + 24
            placed.append((cursor, lines - 1, text))
            cursor += width
        top = y + (h - lines * line_h) // 2 + 13
        boxes = []
        for bx, line, text in placed:
            by = top + line * line_h
            self.rects.append((bx, by, BOX, BOX, -1))  # -1: outline only, thinner
            self.text(text, bx + BOX + 14, by + (BOX - LABEL_SIZE) // 2 - 4)
            boxes.append([bx, by, BOX, BOX])
        return boxes
