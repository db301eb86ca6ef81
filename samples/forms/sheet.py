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
MARK_PAD = 26  # a mark area reaches this far around the box and its word
WORD_PAD = 30  # … and this far around a printed word that is circled


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
    unit: str | None = None  # printed after the writing area (時間, 日, 円): the box stops before it


Option = str | tuple[str, str]  # the printed text, or (value stored, text printed)


@dataclass
class Choice:
    label: str
    name: str
    options: tuple[Option, ...]
    span: int = 1
    required: bool = False
    sample: str | None = None
    words: bool = False  # no boxes: the options are printed words to circle (男 ・ 女)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(o if isinstance(o, str) else o[0] for o in self.options)

    @property
    def printed(self) -> tuple[str, ...]:
        return tuple(o if isinstance(o, str) else o[1] for o in self.options)


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
    mark_areas: list[list[int]] = field(default_factory=list)  # of the boxes just placed by _check_boxes
    label_font: str = "sans"  # "sans" (ゴシック) or "serif" (明朝) for every printed label
    ink: tuple[int, int, int] = (0, 0, 0)  # colour of the printed frame and labels
    shade: tuple[int, int, int] = (242, 242, 242)  # label cells
    band: tuple[int, int, int] = (225, 225, 225)  # section headings
    defaults: dict[str, str] = field(default_factory=dict)  # the field map's [defaults]

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
            unit_w = 0
            if cell.unit:
                unit_w = len(cell.unit) * CHAR_W + 30
                self.text(cell.unit, x + w - unit_w + 10, y + (h - LABEL_SIZE) // 2 - 4)
            entry: dict[str, Any] = {
                "name": cell.name,
                "label": cell.label.replace("\n", ""),
                "kind": cell.kind,
                "box": [x + INSET, y + INSET, w - 2 * INSET - unit_w, h - 2 * INSET],
                "required": cell.required,
            }
            for key in ("pattern", "range", "charset", "sample"):
                value = getattr(cell, key)
                if value is not None:
                    entry[key] = list(value) if isinstance(value, tuple) else value
            self.fields.append(entry)
            return
        items = cell.printed if isinstance(cell, Choice) else tuple(t for _, t in cell.items)
        self.mark_areas = []
        if isinstance(cell, Choice) and cell.words:
            boxes = self._words(items, x, y, h)
        else:
            boxes = self._check_boxes(items, x, y, w, h)
        areas = self.mark_areas
        if isinstance(cell, Choice):
            entry = {
                "name": cell.name,
                "label": cell.label.replace("\n", ""),
                "kind": "choice",
                "required": cell.required,
                "options": [
                    {"value": v, "box": b, "mark_area": a}
                    for v, b, a in zip(cell.values, boxes, areas, strict=True)
                ],
            }
            if cell.sample:
                entry["sample"] = cell.sample
            self.fields.append(entry)
        else:
            for (name, text), b, a in zip(cell.items, boxes, areas, strict=True):
                self.fields.append(
                    {"name": name, "label": text, "kind": "checkbox", "box": b, "mark_area": a}
                )

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
            # where a mark may be: the box and its printed word, with room for a loop drawn around them
            word = len(text) * CHAR_W
            self.mark_areas.append(
                [bx - MARK_PAD, by - MARK_PAD, BOX + 14 + word + 2 * MARK_PAD, BOX + 2 * MARK_PAD]
            )
        return boxes

    def _words(self, items: tuple[str, ...], x: int, y: int, h: int) -> list[list[int]]:
        """Options printed as words separated by ・, to be circled: each word's extent is its box."""
        cursor = x + 40
        top = y + (h - LABEL_SIZE) // 2 - 4
        boxes = []
        for index, text in enumerate(items):
            if index:
                self.text("・", cursor, top)
                cursor += CHAR_W + 30
            width = len(text) * CHAR_W
            self.text(text, cursor, top)
            box = [cursor - 6, top - 2, width + 8, LABEL_SIZE + 14]
            boxes.append(box)
            self.mark_areas.append(
                [box[0] - WORD_PAD, box[1] - WORD_PAD, box[2] + 2 * WORD_PAD, box[3] + 2 * WORD_PAD]
            )
            cursor += width + 30
        return boxes
