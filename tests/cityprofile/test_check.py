"""`bodx city check`: a profile is checked as a whole, every problem with its file and line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bodx.app import app
from cityprofile import check_city, open_city
from cityprofile.folder import BUNDLED_CITIES_DIR
from matching.errors import ProfileError
from samples.forms import TEMPLATES_DIR

RECIPES = Path(__file__).resolve().parents[2] / "robots" / "recipes"


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    """The demo city's profile with a form template and a robot recipe: every file kind present."""
    root = tmp_path / "city"
    shutil.copytree(BUNDLED_CITIES_DIR / "hinata", root)
    forms = root / "forms"
    forms.mkdir(exist_ok=True)
    for suffix in (".toml", ".png"):
        shutil.copy(TEMPLATES_DIR / f"hoiku_moushikomi{suffix}", forms / f"hoiku_moushikomi{suffix}")
    if not (root / "robot.toml").exists():
        shutil.copy(RECIPES / "legacy-classic.toml", root / "robot.toml")
    return root


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}: the fixture file changed"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line(path: Path, needle: str) -> int:
    return next(
        n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line
    )


def test_a_clean_profile_passes(profile: Path) -> None:
    report = check_city(profile)
    assert report.ok, [f.message for f in report.findings]
    assert {"city.toml", "rules.toml", "ledger/applications.toml", "forms/", "robot.toml"} <= set(
        report.checked
    )


def test_ten_planted_mistakes_give_ten_precise_messages(profile: Path) -> None:
    city, rules = profile / "city.toml", profile / "rules.toml"
    mapping, template, recipe = (
        profile / "ledger/applications.toml",
        profile / "forms/hoiku_moushikomi.toml",
        profile / "robot.toml",
    )
    _replace(city, "admission_year = 2027", "admision_year = 2027\nadmission_year = 2027")  # 1 typo
    _replace(city, "first_day = 2027-04-01", "first_day = 2027-04-02")  # 2 not the 1st
    _replace(city, 'type = "bool"', 'type = "boolean"')  # 3 unknown fact type
    _replace(city, 'weeks_per_month = "52/12"', "weeks_per_month = 7")  # 4 impossible factor
    _replace(rules, "hours_below = 160", "hours_bellow = 160")  # 5 typo in a band
    _replace(rules, "[meta]", "[meta]\nscail = 10")  # 6 unknown key
    _replace(mapping, "[ledger]", "[ledger]\nheader_rowz = 3")  # 7 unknown key
    _replace(template, 'kind = "digits"', 'kind = "digit"')  # 8 unknown field kind
    _replace(recipe, "[login]", "[login]\ntimeout = 5")  # 9 unknown key
    _replace(recipe, 'url = "/login"', 'url = "/login"\nuser_feild = "#u"')  # 10 typo

    report = check_city(profile)
    messages = [f.message for f in report.errors]
    assert len(messages) == 10, "\n".join(messages)
    expected = [
        ("city", city, "admision_year", "admission_year"),
        ("city", city, "first_day = 2027-04-02", "1日"),
        ("city", city, 'type = "boolean"', "boolean"),
        ("city", city, "weeks_per_month = 7", "weeks_per_month"),
        ("rules", rules, "hours_bellow", "hours_below"),
        ("rules", rules, "scail", "scale"),
        ("ledger_mapping", mapping, "header_rowz", "header_row"),
        ("form_template", template, 'kind = "digit"', "digit"),
        ("robot_recipe", recipe, "timeout = 5", "timeout"),
        ("robot_recipe", recipe, "user_feild", "user_field"),
    ]
    for stage, path, needle, hint in expected:
        line = f"{path.name}:{_line(path, needle)}"
        found = [f for f in report.errors if f.stage == stage and line in f.message and hint in f.message]
        assert found, f"no message for {needle!r} at {line} mentioning {hint!r}:\n" + "\n".join(messages)


def test_open_city_refuses_a_broken_profile(profile: Path) -> None:
    _replace(profile / "city.toml", "[city]", "[city]\nnmae = 'x'")
    with pytest.raises(ProfileError, match="did you mean 'name'"):
        open_city(profile)


def test_a_profile_path_outside_the_folder_is_refused(profile: Path) -> None:
    (profile / "city.toml").write_text(
        (profile / "city.toml").read_text(encoding="utf-8") + '\n[files]\nrules = "../../etc/rules.toml"\n',
        encoding="utf-8",
    )
    report = check_city(profile)
    assert any("外" in f.message and f.stage == "city" for f in report.errors)


def test_an_unknown_city_names_the_bundled_ones() -> None:
    report = check_city("no-such-city")
    assert not report.ok
    assert "hinata" in report.errors[0].message


def test_cli_check_exit_codes_and_json(profile: Path) -> None:
    runner = CliRunner()
    import importlib

    from bodx.cli import COMMAND_MODULES

    for module in COMMAND_MODULES:
        importlib.import_module(module)
    ok = runner.invoke(app, ["city", "check", str(profile), "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["ok"] is True
    _replace(profile / "rules.toml", "[meta]", "[meta]\nscail = 10")
    bad = runner.invoke(app, ["city", "check", str(profile)])
    assert bad.exit_code == 2
    assert "scail" in bad.output and "エラー 1 件" in bad.output


@pytest.mark.parametrize("slug", ["hinata", "kawabe"])
def test_bundled_profiles_pass(slug: str) -> None:
    report = check_city(slug)
    assert report.ok, "\n".join(f.message for f in report.errors)
