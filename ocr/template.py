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
    options = [{ value = "男", box = [x, y, w, h] }, { value = "女", box = [x, y, w, h] }]

Other tables (e.g. ``[[labels]]`` used by the sample drawing script) are ignored here.
"""

from __future__ import annotations

import re
import tomllib
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
    box: Box


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


@dataclass(frozen=True)
class FormTemplate:
    id: str
    title: str
    image_path: Path
    dpi: int
    fields: tuple[FieldSpec, ...]
    size: tuple[int, int] = (0, 0)  # (width, height) of the blank image, filled by load_template
    source: Path = field(default=Path("."))

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


def _box(value: object, where: str) -> Box:
    if not (
        isinstance(value, list) and len(value) == 4 and all(isinstance(v, int) and v >= 0 for v in value)
    ):
        raise TemplateError(
            f"{where}: box は [x, y, 幅, 高さ] の4つの0以上の整数にしてください / box must be 4 non-negative integers"
        )
    x, y, w, h = value
    if w < 8 or h < 8:
        raise TemplateError(f"{where}: box が小さすぎます (8px 未満) / box smaller than 8 px")
    return (x, y, w, h)


def _field(raw: dict[str, object], where: str) -> FieldSpec:
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise TemplateError(f"{where}: name がありません / field without a name")
    where = f"{where} ({name})"
    try:
        kind = FieldKind(str(raw.get("kind", "")))
    except ValueError as exc:
        kinds = ", ".join(k.value for k in FieldKind)
        raise TemplateError(f"{where}: kind は {kinds} のいずれか / kind must be one of {kinds}") from exc
    options: tuple[ChoiceOption, ...] = ()
    if kind is FieldKind.CHOICE:
        raw_options = raw.get("options")
        if not isinstance(raw_options, list) or len(raw_options) < 2:
            raise TemplateError(f"{where}: choice には2つ以上の options が必要 / a choice needs 2+ options")
        options = tuple(
            ChoiceOption(str(opt.get("value")), _box(opt.get("box"), f"{where} option {i}"))
            for i, opt in enumerate(raw_options)
            if isinstance(opt, dict)
        )
        xs = [o.box[0] for o in options] + [o.box[0] + o.box[2] for o in options]
        ys = [o.box[1] for o in options] + [o.box[1] + o.box[3] for o in options]
        box: Box = (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    else:
        box = _box(raw.get("box"), where)
    pattern = raw.get("pattern")
    if pattern is not None:
        try:
            re.compile(str(pattern))
        except re.error as exc:
            raise TemplateError(f"{where}: pattern が正規表現として不正 / invalid pattern: {exc}") from exc
    value_range = raw.get("range")
    if value_range is not None and not (
        isinstance(value_range, list) and len(value_range) == 2 and value_range[0] <= value_range[1]
    ):
        raise TemplateError(f"{where}: range は [最小, 最大] / range must be [min, max]")
    return FieldSpec(
        name=name,
        label=str(raw.get("label", name)),
        kind=kind,
        box=box,
        required=bool(raw.get("required", False)),
        pattern=str(pattern) if pattern is not None else None,
        value_range=(float(value_range[0]), float(value_range[1])) if value_range else None,
        charset=str(raw["charset"]) if "charset" in raw else None,
        options=options,
        sample=str(raw["sample"]) if "sample" in raw else None,
    )


def load_template(path: Path | str) -> FormTemplate:
    """Read a field map TOML (and check its blank image exists). Raises :class:`TemplateError`."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TemplateError(f"フィールド定義がありません / field map not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{path.name}: TOML として読めません / not valid TOML: {exc}") from exc
    head = data.get("template")
    if not isinstance(head, dict) or "id" not in head or "image" not in head:
        raise TemplateError(f"{path.name}: [template] に id と image が必要 / [template] needs id and image")
    image_path = (path.parent / str(head["image"])).resolve()
    if not image_path.exists():
        raise TemplateError(
            f"{path.name}: テンプレート画像がありません / blank image missing: {image_path.name}"
        )
    raw_fields = data.get("fields")
    if not isinstance(raw_fields, list) or not raw_fields:
        raise TemplateError(f"{path.name}: [[fields]] がありません / no [[fields]]")
    fields = tuple(_field(raw, f"{path.name} field {i + 1}") for i, raw in enumerate(raw_fields))
    names = [f.name for f in fields]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise TemplateError(f"{path.name}: 項目名が重複 / duplicate field names: {', '.join(duplicates)}")
    template = FormTemplate(
        id=str(head["id"]),
        title=str(head.get("title", head["id"])),
        image_path=image_path,
        dpi=int(head.get("dpi", 300)),
        fields=fields,
        source=path.resolve(),
    )
    height, width = template.load_image().shape[:2]
    for spec in fields:
        x, y, w, h = spec.box
        if x + w > width or y + h > height:
            raise TemplateError(
                f"{path.name}: 項目 {spec.name} の box が画像 ({width}x{height}) の外です / box outside the image"
            )
    return FormTemplate(**{**template.__dict__, "size": (width, height)})


def load_templates(paths: list[Path] | tuple[Path, ...]) -> tuple[FormTemplate, ...]:
    templates = tuple(load_template(p) for p in paths)
    ids = [t.id for t in templates]
    if len(set(ids)) != len(ids):
        raise TemplateError("テンプレート id が重複しています / two templates share an id")
    return templates


def load_template_folder(folder: Path) -> tuple[FormTemplate, ...]:
    """Every template (`*.toml` beside its image) in `folder`, in name order."""
    return load_templates(sorted(folder.glob("*.toml")))
