"""Fast tests of the pieces around the browser: recipes, conversions, queue, report, credentials."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from robots.convert import convert
from robots.credentials import Credentials
from robots.errors import BusinessError, RecipeError, RobotsError
from robots.queue import State, WorkQueue
from robots.recipe import check_recipe, load_recipe
from robots.report import mask
from tests.robots.conftest import decision_for, seed_children


def test_bundled_recipes_load() -> None:
    classic, modern = load_recipe("legacy-classic"), load_recipe("legacy-modern")
    assert classic.work_frame == "main" and classic.charset == "cp932" and classic.save.confirm == "dialog"
    assert modern.work_frame == "content" and modern.save.confirm == "click"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("name = ", "invalid TOML"),
        ('name = "x"', "login is missing"),
    ],
)
def test_broken_recipe_files(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "r.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RecipeError, match=match):
        load_recipe(path)


def test_recipe_with_unknown_source_or_template(tmp_path: Path) -> None:
    base = (Path(__file__).parents[2] / "robots" / "recipes" / "legacy-modern.toml").read_text(
        encoding="utf-8"
    )
    path = tmp_path / "r.toml"
    path.write_text(base.replace('source = "child_name"', 'source = "mother_name"'), encoding="utf-8")
    with pytest.raises(RecipeError, match="mother_name"):
        load_recipe(path)
    path.write_text(
        base.replace("data-child-id='{child_id}']\"\nnot", "data-child-id='{kid}']\"\nnot"), encoding="utf-8"
    )
    with pytest.raises(RecipeError, match="kid"):
        load_recipe(path)
    with pytest.raises(RecipeError, match="cannot read"):
        load_recipe(tmp_path / "missing.toml")


def test_unknown_keys_are_errors_with_their_line_and_a_suggestion(tmp_path: Path) -> None:
    base = (Path(__file__).parents[2] / "robots" / "recipes" / "legacy-classic.toml").read_text(
        encoding="utf-8"
    )
    broken = base.replace("save_timeout_ms = 4000", "save_timout_ms = 4000").replace(
        'convert = "wareki_year"', 'convert = "wareki_year"\nonly_fro = ["内定"]'
    )
    path = tmp_path / "r.toml"
    path.write_text(broken, encoding="utf-8")
    problems = check_recipe(path)
    lines = broken.splitlines()
    assert len(problems) == 2
    timeout_line = lines.index("save_timout_ms = 4000") + 1
    assert problems[0].startswith(f"{path}:{timeout_line}:") and "save_timeout_ms" in problems[0]
    only_line = next(n for n, line in enumerate(lines, start=1) if line.startswith("only_fro"))
    assert "did you mean 'only_for'" in problems[1] and f":{only_line}:" in problems[1]
    with pytest.raises(RecipeError, match="save_timout_ms"):
        load_recipe(path)
    assert check_recipe(Path(__file__).parents[2] / "robots" / "recipes" / "legacy-classic.toml") == []
    assert "cannot read" in check_recipe(tmp_path / "missing.toml")[0]
    path.write_text(
        base.replace("[search]\n", '[search]\nopen = "a.x"\n', 1)
        .replace("open = \"tr[data-child='{child_id}'] a.entry\"\n", "")
        .replace("row = \"tr[data-child='{child_id}']\"\n", ""),
        encoding="utf-8",
    )
    assert any("open needs row" in p for p in check_recipe(path))


def test_wareki_conversions() -> None:
    first_day_of_reiwa, last_of_heisei = dt.date(2019, 5, 1), dt.date(2019, 4, 30)
    era_codes = {"令和": "5", "平成": "4"}
    assert convert(first_day_of_reiwa, "wareki_era", era_codes, "元号") == "5"
    assert convert(first_day_of_reiwa, "wareki_year", {}, "年") == "1"
    assert convert(last_of_heisei, "wareki_era", era_codes, "元号") == "4"
    assert convert(last_of_heisei, "wareki_year", {}, "年") == "31"
    assert convert(dt.date(2027, 4, 1), "wareki_short", {}, "日") == "R9.4.1"
    assert convert(dt.date(2027, 4, 1), "month2", {}, "月") == "04"
    assert convert(None, "wareki_era", era_codes, "元号") == ""
    with pytest.raises(BusinessError, match="昭和"):
        convert(dt.date(1980, 1, 1), "wareki_era", era_codes, "元号")


def test_queue_keeps_items_and_orders_interrupted_first(tmp_path: Path) -> None:
    children = seed_children(3)
    decisions = [decision_for(c) for c in children]
    with WorkQueue(tmp_path / "q.db") as queue:
        assert queue.add(decisions).added == 3
        assert queue.add(decisions).added == 0  # enqueuing again adds nothing
        assert queue.start(decisions[2].reference) == 1
    with WorkQueue(tmp_path / "q.db") as queue:  # reopened, as after a crash
        pending = queue.pending()
        assert [i.reference for i in pending] == [
            decisions[2].reference,
            decisions[0].reference,
            decisions[1].reference,
        ]
        assert pending[0].state is State.IN_PROGRESS and pending[0].started_at is not None
        changed = decision_for(children[2], offer=False)
        other = decision_for(children[1], offer=False)  # still new: taken with the conflict
        assert queue.add([changed, other]).conflicts == (changed.reference,)
        assert "already worked on" in (queue.get(changed.reference).note or "")
        assert queue.get(changed.reference).decision == decisions[2]  # kept as it was
        assert queue.get(other.reference).decision == other
        assert queue.add([decision_for(children[0], offer=False)]).added == 0  # still new: content replaced
        assert queue.get(decisions[0].reference).decision.nursery_id is None
        queue.start(decisions[1].reference)
        queue.record_failure(decisions[1].reference, "E102", None, None, State.BUSINESS_ERROR)
        queue.finish_done(decisions[2].reference)
        assert queue.counts()[State.DONE] == 1
        assert [i.reference for i in queue.pending()] == [decisions[0].reference]


def test_mask_keeps_only_the_tail() -> None:
    assert mask("R2027-000123/A000123") == "*****-***123/****123"
    assert mask("R1/A1") == "**/**"


def test_credentials_never_show(monkeypatch: pytest.MonkeyPatch) -> None:
    credentials = Credentials.of("clerk", "hunter2")
    assert "hunter2" not in repr(credentials) and "clerk" not in str(credentials)
    monkeypatch.setenv("BODX_ROBOT_USER", "clerk")
    monkeypatch.delenv("BODX_ROBOT_PASSWORD", raising=False)
    with pytest.raises(RobotsError, match="BODX_ROBOT_PASSWORD"):
        Credentials.from_env()
    monkeypatch.setenv("BODX_ROBOT_PASSWORD", "hunter2")
    assert Credentials.from_env().password.get_secret_value() == "hunter2"


def test_settings_are_checked() -> None:
    from robots.runner import RobotSettings

    with pytest.raises(ValueError, match="workers"):
        RobotSettings(workers=0)
