"""Form templates: a blank form image plus a TOML field map. A city adds a layout with files, not code.

Field map (TOML)::

    [template]
    id = "hoiku_moushikomi"          # unique id, written into every reading
    title = "保育所入所申込書"
    image = "hoiku_moushikomi.png"   # blank form, PNG or PDF (first page), relative to the TOML file
    dpi = 300

    [[fields]]
    name = "child_birth"             # machine name; the canonical converter knows the standard names
    label = "生年月日"                # shown to staff in the review queue
    kind = "date"                    # text | name | address | kana | digits | phone | date | checkbox | choice
    box = [x, y, width, height]      # in template pixels
    required = true
    pattern = "^…$"                  # optional regular expression on the normalised value
    range = [min, max]               # optional numeric range (digits) or year range (date)
    charset = "N0123456789"          # optional: overrides the kind's character set for Tesseract

    [[fields]]
    name = "child_sex"
    kind = "choice"                  # one-of checkbox group
    options = [{ value = "男", box = [x, y, w, h], mark_area = [x, y, w, h] }, …]
    # mark_area (checkbox and option): where a mark may be — the box and its printed label, so that a
    # circle drawn around the word counts; default: the box with a margin around it

    [constants]                      # values the form does not ask, the same on every page
    guardian1_relation = "母"
    [defaults]                       # used when the field is absent or left empty
    desired_start = "@round_start"   # the admission round's first day
    guardian1_reason = "@certificate"  # 就労 when this guardian's 就労証明書 is in the application

Every key is checked: an unknown one is an error with its line and the nearest allowed key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import numpy as np

from ocr.errors import TemplateError


class FieldKind(StrEnum):
    TEXT = "text"  # free Japanese text (company name, relation …)
    NAME = "name"  # 氏名
    ADDRESS = "address"  # 住所 / 所在地
    KANA = "kana"  # フリガナ (katakana)
    DIGITS = "digits"  # numbers, codes
    PHONE = "phone"  # 電話番号
    DATE = "date"  # 和暦 or 西暦 date
    CHECKBOX = "checkbox"
    CHOICE = "choice"  # one-of checkbox group

    @property
    def is_mark(self) -> bool:
        return self in (FieldKind.CHECKBOX, FieldKind.CHOICE)


Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class ChoiceOption:
    value: str
    box: Box  # the printed box (or, on a circle-the-word form, the printed word)
    mark_area: Box | None = None  # where a mark for this option may be (box + its label); None: around box


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: FieldKind
    box: Box
    required: bool = False
    pattern: str | None = None
    value_range: tuple[float, float] | None = None
    charset: str | None = None
    options: tuple[ChoiceOption, ...] = ()
    sample: str | None = None  # hint for the synthetic filler only; ignored by the reader
    mark_area: Box | None = None  # checkbox: where a mark may be (the box and its printed label)


@dataclass(frozen=True)
class FormTemplate:
    id: str
    title: str
    image_path: Path
    dpi: int
    fields: tuple[FieldSpec, ...]
    size: tuple[int, int] = (0, 0)  # (width, height) of the blank image, filled by load_template
    source: Path = field(default=Path("."))
    # Values the form does not ask: `constants` always, `defaults` when the field is empty or absent.
    # A value "@round_start" is the admission round's first day, "@certificate" a guardian's 事由 就労
    # when a 就労証明書 of that guardian is in the same application, "@fact:NAME" a city fact.
    constants: tuple[tuple[str, str | bool | int], ...] = ()
    defaults: tuple[tuple[str, str | bool | int], ...] = ()

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def load_image(self) -> np.ndarray:
        """The blank form as a grayscale uint8 array."""
        from ocr.loading import load_pages

        pages = load_pages(self.image_path)
        if not pages:
            raise TemplateError(f"テンプレート画像が空です / template image is empty: {self.image_path}")
        return pages[0]


def load_template(path: Path | str) -> FormTemplate:
    """Read a field map TOML strictly (unknown keys, wrong kinds, boxes outside the image or overlapping
    are errors with their line). Raises :class:`TemplateError` listing every problem of the file."""
    from ocr.template_parse import parse_template

    template, problems = parse_template(Path(path))
    if template is None or problems:
        raise TemplateError(f"様式定義の誤り / template errors in {Path(path).name}:\n" + "\n".join(problems))
    return template


def load_templates(paths: list[Path] | tuple[Path, ...]) -> tuple[FormTemplate, ...]:
    templates = tuple(load_template(p) for p in paths)
    ids = [t.id for t in templates]
    if len(set(ids)) != len(ids):
        raise TemplateError("テンプレート id が重複しています / two templates share an id")
    return templates


def load_template_folder(folder: Path) -> tuple[FormTemplate, ...]:
    """Every template (`*.toml` beside its image) in `folder`, in name order."""
    return load_templates(sorted(folder.glob("*.toml")))


def load_template_folders(*folders: Path) -> tuple[FormTemplate, ...]:
    """The templates of several folders together (a city profile's forms ADD to the bundled ones);
    a later folder's template replaces an earlier one with the same id (a city's own version)."""
    chosen: dict[str, FormTemplate] = {}
    for folder in folders:
        if not folder.is_dir():
            raise TemplateError(f"様式フォルダがありません / templates folder not found: {folder}")
        for template in load_template_folder(folder):
            chosen[template.id] = template
    return tuple(chosen.values())
