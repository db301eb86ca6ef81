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
    assert {t.id for t in templates} == {
        "hoiku_moushikomi",
        "shuro_shomeisho",
        "cityb_moushikomi",
        "kawabe_moushikomi",
        "kawabe_shuro",
        "minato_moushikomi",
    }
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


@pytest.mark.parametrize(
    ("body", "message"),
    [
        # a misspelt key names its line and the nearest allowed key
        (
            '[[fields]]\nname = "a"\nkind = "digits"\nbox = [0, 0, 50, 50]\nrequird = true\n',
            ":8: .*'required'",
        ),
        # an option written with `label` instead of `value` is an error, not a silent None
        (
            '[[fields]]\nname = "s"\nkind = "choice"\noptions = [{ label = "男", box = [0, 0, 40, 40] },'
            ' { value = "女", box = [80, 0, 40, 40] }]\n',
            "not label \\(did you mean 'value'",
        ),
        ('[[fields]]\nname = "a"\nkind = "digit"\nbox = [0, 0, 50, 50]\n', "did you mean 'digits'"),
        (
            '[[fields]]\nname = "a"\nkind = "digits"\nbox = [0, 0, 300, 80]\n'
            '[[fields]]\nname = "b"\nkind = "digits"\nbox = [200, 40, 300, 80]\n',
            "overlaps a",
        ),
        (
            '[defaults]\ndesired_start = "@round_begin"\n[[fields]]\nname = "a"\nkind = "digits"\nbox = [0, 0, 50, 50]\n',
            "@round_start",
        ),
        (
            '[[fields]]\nname = "a"\nkind = "text"\nbox = [0, 0, 50, 50]\nmark_area = [0, 0, 60, 60]\n',
            "mark_area",
        ),
    ],
)
def test_strict_field_maps(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        load_template(write(tmp_path, body))


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    body = (
        '[[fields]]\nname = "a"\nkind = "digits"\nbox = [0, 0, 50, 50]\nlabell = "x"\n'
        '[[fields]]\nname = "b"\nkind = "date"\nbox = [9000, 0, 50, 50]\n'
    )
    with pytest.raises(TemplateError) as caught:
        load_template(write(tmp_path, body))
    assert "'label'" in str(caught.value) and "outside the image" in str(caught.value)


def test_constants_and_defaults_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[constants]\nguardian1_relation = "母"\n[defaults]\ndesired_start = "@round_start"\n'
        'guardian1_reason = "@certificate"\n[[fields]]\nname = "a"\nkind = "digits"\nbox = [0, 0, 50, 50]\n',
    )
    template = load_template(path)
    assert dict(template.constants) == {"guardian1_relation": "母"}
    assert dict(template.defaults) == {"desired_start": "@round_start", "guardian1_reason": "@certificate"}


def test_a_city_folder_adds_to_the_bundled_templates(tmp_path: Path) -> None:
    from ocr.template import load_template_folders

    city = tmp_path / "forms"
    city.mkdir()
    for name in ("kawabe_shuro.toml", "kawabe_shuro.png"):
        (city / name).write_bytes((TEMPLATES_DIR / name).read_bytes())
    text = (city / "kawabe_shuro.toml").read_text(encoding="utf-8")
    (city / "own.toml").write_text(text.replace('id = "kawabe_shuro"', 'id = "own_form"'), encoding="utf-8")
    combined = load_template_folders(TEMPLATES_DIR, city)
    ids = [t.id for t in combined]
    assert "hoiku_moushikomi" in ids and "own_form" in ids and ids.count("kawabe_shuro") == 1
    assert next(t for t in combined if t.id == "kawabe_shuro").source.parent == city.resolve()
    with pytest.raises(TemplateError, match="not found"):
        load_template_folders(TEMPLATES_DIR, tmp_path / "nope")
