"""Strict reading of a field map TOML: every problem with its line, unknown keys with "did you mean".

Uses the shared config mechanism of city profiles (`matching.config`), so a template error reads like a
rules-file or ledger-mapping error. `parse_template` returns the template (None when it cannot be built)
and the list of problems; `ocr.template.load_template` raises them as one `TemplateError`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from matching.config import ConfigProblems, did_you_mean, read_toml_text, unknown_keys
from ocr.errors import TemplateError
from ocr.template import Box, ChoiceOption, FieldKind, FieldSpec, FormTemplate

TOP_KEYS = ("template", "fields", "constants", "defaults")
HEAD_KEYS = ("id", "title", "image", "dpi")
FIELD_KEYS = (
    "name",
    "label",
    "kind",
    "box",
    "required",
    "pattern",
    "range",
    "charset",
    "options",
    "sample",
    "mark_area",
)
OPTION_KEYS = ("value", "box", "mark_area")
SPECIAL_VALUES = ("@round_start", "@certificate")
MIN_BOX = 8
OVERLAP_TOLERANCE = 4  # px: neighbouring cells share their printed line


def _box(check: ConfigProblems, value: object, path: tuple[Any, ...]) -> Box | None:
    if not (
        isinstance(value, list)
        and len(value) == 4
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)
    ):
        check.add(
            path,
            f"{path[-1]} は [x, y, 幅, 高さ] の4つの0以上の整数にしてください",
            f"{path[-1]} must be 4 non-negative integers [x, y, width, height]",
        )
        return None
    x, y, w, h = value
    if w < MIN_BOX or h < MIN_BOX:
        check.add(
            path, f"{path[-1]} が小さすぎます ({MIN_BOX}px 未満)", f"{path[-1]} smaller than {MIN_BOX} px"
        )
        return None
    return (x, y, w, h)


def _options(check: ConfigProblems, raw: object, path: tuple[Any, ...]) -> tuple[ChoiceOption, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        check.add(path, "choice には2つ以上の options が必要です", "a choice needs 2+ options")
        return ()
    options = []
    for i, option in enumerate(raw):
        where = (*path, i)
        if not isinstance(option, dict):
            check.add(
                where, "選択肢は { value = …, box = […] } で書きます", "an option is { value = …, box = […] }"
            )
            continue
        if "label" in option and "value" not in option:
            check.add(
                (*where, "label"),
                "選択肢の文字は label ではなく value に書きます（印が付いたときの読み取り値）",
                "write an option's text as value, not label (did you mean 'value'?)",
            )
            continue
        unknown_keys(check, option, OPTION_KEYS, where)
        if not isinstance(option.get("value"), str) or not option.get("value"):
            check.add(
                where,
                "選択肢に value（読み取り値）がありません",
                "option without a value (the text stored when it is marked)",
            )
            continue
        box = _box(check, option.get("box"), (*where, "box"))
        area = _box(check, option["mark_area"], (*where, "mark_area")) if "mark_area" in option else None
        if box is not None:
            options.append(ChoiceOption(option["value"], box, area))
    return tuple(options)


def _field(check: ConfigProblems, raw: object, index: int) -> FieldSpec | None:
    path: tuple[Any, ...] = ("fields", index)
    if not isinstance(raw, dict):
        check.add(path, "[[fields]] の形が違います", "[[fields]] entry is not a table")
        return None
    unknown_keys(check, raw, FIELD_KEYS, path)
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        check.add(path, "name がありません", "field without a name")
        return None
    try:
        kind = FieldKind(str(raw.get("kind", "")))
    except ValueError:
        kinds = ", ".join(k.value for k in FieldKind)
        guess = did_you_mean(str(raw.get("kind", "")), [k.value for k in FieldKind])
        hint = f" (did you mean {guess!r}?)" if guess else ""
        check.add((*path, "kind"), f"kind は {kinds} のいずれか{hint}", f"kind must be one of {kinds}{hint}")
        return None
    options: tuple[ChoiceOption, ...] = ()
    box: Box | None
    if kind is FieldKind.CHOICE:
        options = _options(check, raw.get("options"), (*path, "options"))
        if "box" in raw:
            check.add((*path, "box"), "choice の box は選択肢ごとに書きます", "a choice has a box per option")
        if len(options) < 2:
            return None
        xs = [o.box[0] for o in options] + [o.box[0] + o.box[2] for o in options]
        ys = [o.box[1] for o in options] + [o.box[1] + o.box[3] for o in options]
        box = (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    else:
        if "options" in raw:
            check.add((*path, "options"), "options は choice だけに書けます", "only a choice has options")
        box = _box(check, raw.get("box"), (*path, "box"))
    mark_area = None
    if "mark_area" in raw:
        if kind is not FieldKind.CHECKBOX:
            check.add(
                (*path, "mark_area"),
                "mark_area は checkbox と choice の選択肢に書きます",
                "mark_area belongs to a checkbox or to a choice's options",
            )
        mark_area = _box(check, raw["mark_area"], (*path, "mark_area"))
    pattern = raw.get("pattern")
    if pattern is not None:
        try:
            re.compile(str(pattern))
        except re.error as exc:
            check.add(
                (*path, "pattern"), f"pattern が正規表現として不正です ({exc})", f"invalid pattern: {exc}"
            )
    value_range = raw.get("range")
    if value_range is not None and not (
        isinstance(value_range, list)
        and len(value_range) == 2
        and all(isinstance(v, int | float) for v in value_range)
        and value_range[0] <= value_range[1]
    ):
        check.add((*path, "range"), "range は [最小, 最大] です", "range must be [min, max]")
        value_range = None
    for key in ("required",):
        if key in raw and not isinstance(raw[key], bool):
            check.add((*path, key), f"{key} は true か false です", f"{key} must be true or false")
    if box is None:
        return None
    return FieldSpec(
        name=name,
        label=str(raw.get("label", name)),
        kind=kind,
        box=box,
        required=raw.get("required") is True,
        pattern=str(pattern) if pattern is not None else None,
        value_range=(float(value_range[0]), float(value_range[1])) if value_range else None,
        charset=str(raw["charset"]) if "charset" in raw else None,
        options=options,
        sample=str(raw["sample"]) if "sample" in raw else None,
        mark_area=mark_area,
    )


def _values(check: ConfigProblems, data: dict[str, Any], table: str) -> tuple[tuple[str, Any], ...]:
    raw = data.get(table, {})
    if not isinstance(raw, dict):
        check.add((table,), f"[{table}] は表で書きます", f"[{table}] must be a table")
        return ()
    found = []
    for key, value in raw.items():
        special = isinstance(value, str) and value.startswith("@")
        if special and value not in SPECIAL_VALUES and not value.startswith("@fact:"):
            allowed = ", ".join((*SPECIAL_VALUES, "@fact:NAME"))
            check.add(
                (table, key),
                f"「{value}」は使えません。使える値: {allowed}",
                f"unknown {value!r}; allowed: {allowed}",
            )
            continue
        if not isinstance(value, str | bool | int):
            check.add(
                (table, key), "値は文字列・数・true/false です", "a value is a string, number or boolean"
            )
            continue
        found.append((key, value))
    return tuple(found)


def _within_and_apart(
    check: ConfigProblems, fields: list[tuple[int, FieldSpec]], size: tuple[int, int]
) -> None:
    width, height = size
    placed: list[tuple[str, Box, tuple[Any, ...]]] = []
    for index, spec in fields:
        boxes = [(f"{spec.name}:{o.value}", o.box, ("fields", index, "options")) for o in spec.options]
        boxes = boxes or [(spec.name, spec.box, ("fields", index, "box"))]
        for name, (x, y, w, h), path in boxes:
            if x + w > width or y + h > height:
                check.add(
                    path,
                    f"項目 {name} の box が画像 ({width}x{height}) の外にはみ出しています",
                    f"field {name}: box outside the image ({width}x{height})",
                )
            for other, (ox, oy, ow, oh), _ in placed:
                dx = min(x + w, ox + ow) - max(x, ox)
                dy = min(y + h, oy + oh) - max(y, oy)
                if dx > OVERLAP_TOLERANCE and dy > OVERLAP_TOLERANCE:
                    check.add(
                        path,
                        f"項目 {name} の box が {other} と重なっています",
                        f"field {name}: box overlaps {other}",
                    )
            placed.append((name, (x, y, w, h), path))


def parse_template(path: Path) -> tuple[FormTemplate | None, list[str]]:
    """The template in `path` (None if it cannot be built at all) and every problem found, with lines.
    A template with problems is returned for reporting only: `load_template` refuses it."""
    data, text = read_toml_text(path, TemplateError, "様式定義", "field map")
    check = ConfigProblems(text, path.name, TemplateError, "様式定義の誤り / template errors")
    unknown_keys(check, data, TOP_KEYS, ())
    head = data.get("template")
    if not isinstance(head, dict) or "id" not in head or "image" not in head:
        check.add_missing("[template] に id と image が必要です", "[template] needs id and image")
        return None, check.messages()
    unknown_keys(check, head, HEAD_KEYS, ("template",))
    image_path = (path.parent / str(head["image"])).resolve()
    if not image_path.exists():
        check.add(
            ("template", "image"),
            f"テンプレート画像がありません: {image_path.name}",
            f"blank image missing: {image_path.name}",
        )
    raw_fields = data.get("fields")
    if not isinstance(raw_fields, list) or not raw_fields:
        check.add_missing("[[fields]] がありません", "no [[fields]]")
        return None, check.messages()
    parsed = [(i, _field(check, raw, i)) for i, raw in enumerate(raw_fields)]
    fields = [(i, spec) for i, spec in parsed if spec is not None]
    seen: set[str] = set()
    for index, spec in fields:
        if spec.name in seen:
            check.add(
                ("fields", index, "name"),
                f"項目名 {spec.name} が重複しています",
                f"duplicate field names: {spec.name}",
            )
        seen.add(spec.name)
    constants, defaults = _values(check, data, "constants"), _values(check, data, "defaults")
    if not image_path.exists():
        return None, check.messages()
    template = FormTemplate(
        id=str(head["id"]),
        title=str(head.get("title", head["id"])),
        image_path=image_path,
        dpi=int(head.get("dpi", 300)),
        fields=tuple(spec for _, spec in fields),
        source=path.resolve(),
        constants=constants,
        defaults=defaults,
    )
    try:
        height, width = template.load_image().shape[:2]
    except Exception as exc:  # any decoding failure of the blank image is a template problem
        check.add(
            ("template", "image"),
            f"テンプレート画像を開けません: {exc}",
            f"cannot open the blank image: {exc}",
        )
        return None, check.messages()
    _within_and_apart(check, fields, (width, height))
    # built even with problems (the check reports what a record would lack too); loading refuses it
    return FormTemplate(**{**template.__dict__, "size": (width, height)}), check.messages()
