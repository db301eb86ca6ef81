"""The clerks' start form: choices the server knows, required marks, no nullable switches."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from flows.form import city_choices, clerk_schema, form_choices, season_form_defaults
from flows.params import SeasonParams
from flows.paths import in_data_dir


def _schema() -> dict[str, object]:
    from prefect.utilities.callables import parameter_schema

    from flows.season import season_flow

    return parameter_schema(season_flow).model_dump()


def test_choices_list_the_inbox_and_earlier_seasons_newest_first(tmp_path: Path) -> None:
    data = tmp_path / "data"
    inbox = data / "inbox"
    (inbox / "batch" / "deeper" / "too-deep").mkdir(parents=True)
    (inbox / "batch" / "scan.pdf").write_bytes(b"")
    (inbox / "empty").mkdir()
    (inbox / "old.xlsx").write_bytes(b"")
    (inbox / "batch" / "new.xlsx").write_bytes(b"")
    os.utime(inbox / "old.xlsx", (time.time() - 3600, time.time() - 3600))
    earlier = data / "seasons" / "2027" / "ab12cd34" / "admission"
    earlier.mkdir(parents=True)
    (earlier / "review.xlsx").write_bytes(b"")
    choices = form_choices(data, inbox, ["hinata"])
    assert choices.cities == (("hinata", "ひなた市"),)
    assert [r[1] for r in choices.rounds] == ["一次", "二次", "三次"]
    assert choices.scan_folders == ("inbox", "inbox/batch")  # folders holding scans (and the inbox)
    assert choices.workbooks == ("inbox/batch/new.xlsx", "inbox/old.xlsx")
    assert choices.earlier_workbooks == ("seasons/2027/ab12cd34/admission/review.xlsx",)


def test_the_schema_marks_required_fields_and_offers_the_choices(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.xlsx").write_bytes(b"")
    schema = clerk_schema(_schema(), form_choices(tmp_path, inbox, ["hinata", "kawabe"]))
    definitions = schema["definitions"]
    season = definitions["SeasonParams"]["properties"]
    assert season["city"]["enum"] == ["hinata", "kawabe"]
    assert "hinata = ひなた市" in season["city"]["description"]
    assert season["ledgers"]["items"]["enum"] == ["inbox/a.xlsx"]
    assert season["ledgers"]["minItems"] == 1
    assert season["manual_result"]["enum"] == ["inbox/a.xlsx"]
    assert season["round"]["enum"] == ["一次", "二次", "三次", "r1", "r2"]
    assert "r1 = 令和9年度 4月入所 一斉受付 (kawabe)" in season["round"]["description"]
    for model in definitions.values():
        for name, prop in model["properties"].items():
            assert not any(o.get("type") == "null" for o in prop.get("anyOf", [])), name
            assert prop.get("title", "").endswith("（必須）") == (name in model.get("required", [])), name
    assert schema["properties"]["params"]["title"] == "入所選考の設定"


def test_no_choices_keep_a_free_path_and_say_why(tmp_path: Path) -> None:
    schema = clerk_schema(_schema(), form_choices(tmp_path, tmp_path / "inbox", []))
    ledgers = schema["definitions"]["SeasonParams"]["properties"]["ledgers"]
    assert "enum" not in ledgers["items"]
    assert "台帳がありません" in ledgers["description"]


def test_a_form_filled_with_the_choices_validates_and_resolves_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BODX_DATA_DIR", str(tmp_path))
    sent = {**season_form_defaults("http://x", ["hinata"]), "ledgers": ["inbox/a.xlsx"]}
    params = SeasonParams.model_validate(sent)
    assert params.city == "hinata" and params.advanced.legacy_url == "http://x"
    from flows.season import with_data_paths

    resolved = with_data_paths(params)
    assert resolved.ledgers == (tmp_path / "inbox" / "a.xlsx",)
    assert in_data_dir(Path("/abs/x.xlsx")) == Path("/abs/x.xlsx")


def test_only_complete_profiles_are_offered() -> None:
    offered = city_choices()
    assert "hinata" in offered and "kawabe" in offered
    assert "hachioji" not in offered  # rules only: no ledger mapping, it cannot run a season
    assert city_choices(city="cities/kawabe") == ["cities/kawabe"]


def test_a_ledger_put_in_the_inbox_later_joins_the_form_on_refresh(tmp_path: Path) -> None:
    from flows.deployments import refresh_season_form, season_deployment
    from flows.settings import FlowSettings

    settings = FlowSettings(
        project_dir=tmp_path, data_dir=tmp_path / "data", prefect_home=tmp_path, api_url="x"
    )
    inbox = settings.data_dir / "inbox"
    inbox.mkdir(parents=True)
    deployment = season_deployment(settings, inbox, "http://127.0.0.1:9", ["hinata"])

    def offered() -> object:
        schema = deployment._parameter_openapi_schema.model_dump()
        return schema["definitions"]["SeasonParams"]["properties"]["ledgers"]["items"].get("enum")

    assert offered() is None
    (inbox / "二次受付.xlsx").write_bytes(b"")
    assert refresh_season_form(deployment, settings, inbox, ["hinata"], apply=False)
    assert offered() == ["inbox/二次受付.xlsx"]
    assert not refresh_season_form(deployment, settings, inbox, ["hinata"], apply=False)  # nothing new


def test_the_workbook_is_shown_where_staff_can_open_it(tmp_path: Path) -> None:
    from flows.artifacts import workbook_where
    from flows.settings import FlowSettings

    workbook = tmp_path / "data" / "seasons" / "2027" / "ab12cd34" / "admission" / "review.xlsx"

    def where(share: str | None) -> str:
        settings = FlowSettings(
            project_dir=tmp_path,
            data_dir=tmp_path / "data",
            prefect_home=tmp_path,
            api_url="x",
            share_url=share,
        )
        return workbook_where(workbook, settings)

    assert r"`\\fileserver\hoiku\data\seasons\2027\ab12cd34\admission\review.xlsx`" in where(
        "file://///fileserver/hoiku/data/"
    )
    assert "https://intra.example/hoiku/seasons/2027/ab12cd34/admission/review.xlsx" in where(
        "https://intra.example/hoiku/"
    )
    assert str(workbook) in where(None) and "BODX_SHARE_URL" in where(None)
