from pathlib import Path

import pytest

from ocr.errors import TemplateError
from ocr.template import FieldKind, load_template, load_templates
from samples.forms import TEMPLATES_DIR

HEAD = '[template]\nid = "t"\nimage = "{image}"\n'


def write(tmp_path: Path, body: str) -> Path:
    image = TEMPLATES_DIR / "hoiku_moushikomi.png"
    path = tmp_path / "t.toml"
    path.write_text(HEAD.format(image=image.as_posix()) + body, encoding="utf-8")
    return path


def test_sample_templates_load_with_every_kind() -> None:
    templates = load_templates(tuple(sorted(TEMPLATES_DIR.glob("*.toml"))))
    assert {t.id for t in templates} == {"hoiku_moushikomi", "shuro_shomeisho", "cityb_moushikomi"}
    kinds = {f.kind for t in templates for f in t.fields}
    assert kinds == set(FieldKind)
    assert all(t.size == (2480, 3508) for t in templates)


def test_a_field_map_alone_defines_a_template(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[fields]]\nname = "a"\nkind = "digits"\nbox = [10, 10, 200, 80]\npattern = "^[0-9]+$"\nrange = [1, 9]\n'
        '[[fields]]\nname = "b"\nkind = "choice"\noptions = [{ value = "x", box = [10, 200, 40, 40] }, { value = "y", box = [90, 200, 40, 40] }]\n',
    )
    template = load_template(path)
    assert template.field("a").value_range == (1.0, 9.0)
    assert template.field("b").box == (10, 200, 120, 40)  # the group's bounding box


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[fields]]\nname = "a"\nkind = "handwriting"\nbox = [0, 0, 50, 50]\n', "kind"),
        ('[[fields]]\nname = "a"\nkind = "digits"\nbox = [0, 0, 50]\n', "box"),
        ('[[fields]]\nname = "a"\nkind = "digits"\nbox = [2470, 0, 50, 50]\n', "outside"),
        ('[[fields]]\nname = "a"\nkind = "digits"\nbox = [0, 0, 50, 50]\n' * 2, "duplicate"),
        ('[[fields]]\nname = "a"\nkind = "digits"\nbox = [0, 0, 50, 50]\npattern = "(["\n', "pattern"),
        ('[[fields]]\nname = "a"\nkind = "choice"\noptions = []\n', "2+ options"),
        ("", "no [[fields]]"),
    ],
)
def test_malformed_field_maps_say_what_to_fix(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message.replace("[", r"\[").replace("+", r"\+")):
        load_template(write(tmp_path, body))


def test_missing_image_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(
        '[template]\nid = "t"\nimage = "nope.png"\n[[fields]]\nname = "a"\nkind = "digits"\nbox = [0, 0, 50, 50]\n',
        encoding="utf-8",
    )
    with pytest.raises(TemplateError, match="blank image missing"):
        load_template(path)
