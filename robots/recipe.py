"""Recipes: how one city's screens are driven, as data (TOML). The engine has no per-city code.

Selectors are CSS selectors (clicks also accept Playwright selectors). Templates in braces take decision
fields: {application_id}, {child_id}, {child_name}, {outcome}, {nursery_id}, {nursery_name},
{start_date}, {remarks}; a field selector may also use {value} (the converted value, e.g. a radio button).
Reading is strict: an unknown key is an error with its line and the nearest allowed key
(:func:`check_recipe` lists every problem of a file, for `bodx city check`).
"""

from __future__ import annotations

import string
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from matching.config import ConfigProblems, read_toml_text, unknown_keys
from matching.config.problems import parse_toml_text
from robots.convert import CONVERTERS
from robots.decisions import Decision, Outcome
from robots.errors import RecipeError

DECISION_FIELDS = frozenset(Decision.model_fields) - {"extra", "replaces"}
EXTRA_PREFIX = "extra."
BUNDLED = ("legacy-classic", "legacy-modern", "legacy-kawabe")
TITLE = "レシピが不正です / invalid recipe"


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LoginSpec(_Spec):
    url: str = Field(description="path of the login page, joined to the base URL")
    user_field: str
    password_field: str
    submit: str
    logged_in: str = Field(description="selector on the top page once logged in")
    login_form: str = Field(description="selector of the login form: seen mid-work, the session is lost")
    session_lost: str | None = Field(
        default=None,
        description="selector of a 'session expired' page that is not the login form; like login_form it "
        "is looked for before any business-error selector",
    )
    failed: str | None = Field(default=None, description="selector of the 'wrong password' message")


class Step(_Spec):
    frame: str | None = Field(default=None, description="frame name; None: the work frame; '' : top")
    click: str


class NavigateSpec(_Spec):
    steps: tuple[Step, ...] = ()
    ready: str = Field(description="selector in the work frame once the search screen is shown")


class SearchSpec(_Spec):
    url: str | None = Field(
        default=None,
        description="deep link of the search result (template); when set, the work frame is sent there "
        "directly instead of the menu and search form (one page load instead of two)",
    )
    input: str | None = Field(default=None, description="the search box (needed without url)")
    value: str = "{application_id}"
    inputs: dict[str, str] = Field(
        default_factory=dict, description="more search boxes: selector -> template (e.g. 児童番号)"
    )
    submit: str | None = None
    row: str | None = Field(default=None, description="selector of the child's row in the result")
    not_found: str
    results: str | None = Field(
        default=None,
        description="selector of the result list: shown without the child's row = wrong child id",
    )
    entered: str = Field(description="selector of the child's entry status")
    entered_text: str | None = Field(default=None, description="text of that status when already entered")
    open: str | None = Field(
        default=None, description="what to click to open the entry form; omitted: the search opens it"
    )
    form_ready: str

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.open and not self.row:
            raise ValueError("open には row (児童の行) が必要です / open needs row (the child's row)")
        if self.url is None and not (self.input and self.submit):
            raise ValueError(
                "url がない場合は input と submit が必要です / without url, input and submit are needed"
            )
        return self


class RegisteredSpec(_Spec):
    """How to see an already registered record, to compare it with the decision before calling it done."""

    open: str | None = Field(default=None, description="what to click to show it (template); omitted: shown")
    ready: str = Field(description="selector once the registered values are shown")
    change: str | None = Field(
        default=None,
        description="what opens the change form (変更) of the registered record (template); omitted: a "
        "registered record is never changed. Used only for a decision that `replaces` an earlier round's, "
        "while the record still shows exactly that one",
    )


class FieldSpec(_Spec):
    label: str
    selector: str
    kind: Literal["text", "select", "radio", "check"] = "text"
    source: str = Field(description="decision field, extra.<name>, or 'const'")
    const: str | None = None
    convert: str = "text"
    map: dict[str, str] = Field(default_factory=dict)
    choose: Literal["value", "label"] = Field(
        default="value", description="select: pick the option by its value or by its displayed text"
    )
    aliases: dict[str, str] = Field(
        default_factory=dict, description="choose = label: decision text -> the screen's label"
    )
    read: str | None = Field(
        default=None, description="where the registered value is shown (default: the field itself)"
    )
    compare: bool = Field(default=True, description="compare it with a registered record")
    only_for: tuple[Outcome, ...] | None = None

    @model_validator(mode="after")
    def _known(self) -> Self:
        known = self.source in DECISION_FIELDS or self.source == "const"
        if not known and not (self.source.startswith(EXTRA_PREFIX) and len(self.source) > len(EXTRA_PREFIX)):
            raise ValueError(
                f"{self.label}: source「{self.source}」は使えません / unknown source {self.source!r}; use one of "
                f"{sorted(DECISION_FIELDS)}, extra.<name> or const"
            )
        if self.source == "const" and self.const is None:
            raise ValueError(f'{self.label}: source = const には const が必要です / const needs const = "…"')
        if self.convert not in CONVERTERS:
            raise ValueError(
                f"{self.label}: convert「{self.convert}」は使えません / unknown convert {self.convert!r}; "
                f"use one of {sorted(CONVERTERS)}"
            )
        if self.choose == "label" and self.kind != "select":
            raise ValueError(f"{self.label}: choose = label は select だけ / choose = label is for selects")
        return self


class SaveSpec(_Spec):
    click: str
    confirm: Literal["dialog", "click", "none"] = "dialog"
    confirm_click: str | None = Field(default=None, description="modal button when confirm = 'click'")
    success: str
    success_alert: str | None = Field(default=None, description="text of the alert shown after saving")
    business_error: str = Field(description="selector of the screen's error messages (all are kept)")

    @model_validator(mode="after")
    def _modal_button(self) -> Self:
        if self.confirm == "click" and not self.confirm_click:
            raise ValueError(
                "confirm = click には confirm_click が必要です / confirm = 'click' needs confirm_click"
            )
        return self


class Recipe(_Spec):
    name: str
    description: str = ""
    work_frame: str | None = Field(default=None, description="name of the frame where the work happens")
    charset: str | None = Field(
        default=None, description="encoding of the screens (e.g. cp932): text it cannot hold is refused"
    )
    input_mode: Literal["script", "actions"] = Field(
        default="script",
        description="script: fields set and buttons clicked by page script (few round trips, fast); "
        "actions: Playwright's fill/select/check/click with their actionability checks",
    )
    timeout_ms: int = Field(default=5000, ge=100)
    save_timeout_ms: int = Field(default=8000, ge=100, description="wait for the result after saving")
    login: LoginSpec
    navigate: NavigateSpec
    search: SearchSpec
    registered: RegisteredSpec | None = None
    fields: tuple[FieldSpec, ...] = Field(min_length=1)
    save: SaveSpec

    @model_validator(mode="after")
    def _templates(self) -> Self:
        allowed = DECISION_FIELDS | {"value"}
        texts = [self.search.value, self.search.entered, self.search.url or "", *self.search.inputs.values()]
        texts += [self.search.row or "", self.search.open or ""]
        texts += [self.registered.open or "" if self.registered else ""]
        texts += [self.registered.change or "" if self.registered else ""]
        texts += [f.selector for f in self.fields] + [f.read or "" for f in self.fields]
        for text in texts:
            for _, name, _, _ in string.Formatter().parse(text):
                if name is not None and name not in allowed:
                    raise ValueError(
                        f"テンプレートの名前 {{{name}}} は使えません / unknown template name {{{name}}} in {text!r}"
                    )
        if self.charset is not None:
            try:
                "".encode(self.charset)
            except LookupError as exc:
                raise ValueError(
                    f"文字コード {self.charset} は不明です / unknown charset {self.charset!r}"
                ) from exc
        return self


# Allowed keys per table, for the strict check (pydantic's own "extra forbidden" has no line or hint).
_TABLES: dict[str, type[_Spec]] = {
    "login": LoginSpec,
    "navigate": NavigateSpec,
    "search": SearchSpec,
    "registered": RegisteredSpec,
    "save": SaveSpec,
}


def load_recipe(name_or_path: str | Path) -> Recipe:
    """A bundled recipe by name (legacy-classic, legacy-modern, legacy-kawabe) or a TOML file."""
    data, text, where = _read(name_or_path)
    recipe, problems = _validate(data, text, where)
    problems.raise_if_any()
    assert recipe is not None
    return recipe


def check_recipe(path: str | Path) -> list[str]:
    """Every problem of a recipe file, each with its line ("" list: the recipe is usable)."""
    try:
        data, text, where = _read(path)
    except RecipeError as exc:
        return [str(exc)]
    return _validate(data, text, where)[1].messages()


def _read(name_or_path: str | Path) -> tuple[dict[str, Any], str, str]:
    if str(name_or_path) in BUNDLED:
        where = f"{name_or_path} (bundled)"
        text = resources.files("robots.recipes").joinpath(f"{name_or_path}.toml").read_text("utf-8")
        return parse_toml_text(text, where, RecipeError, "レシピ", "recipe"), text, where
    path = Path(name_or_path)
    if not path.is_file():
        raise RecipeError(
            f"レシピを読めません / cannot read recipe {name_or_path} (bundled: {', '.join(BUNDLED)})"
        )
    data, text = read_toml_text(path, RecipeError, "レシピ", "recipe")
    return data, text, str(path)


def _validate(data: dict[str, Any], text: str, where: str) -> tuple[Recipe | None, ConfigProblems]:
    problems = ConfigProblems(text, where, RecipeError, TITLE)
    unknown_keys(problems, data, Recipe.model_fields, ())
    for table, spec in _TABLES.items():
        if isinstance(data.get(table), dict):
            unknown_keys(problems, data[table], spec.model_fields, (table,))
    steps = data.get("navigate", {}).get("steps", []) if isinstance(data.get("navigate"), dict) else []
    for index, step in enumerate(steps if isinstance(steps, list) else []):
        if isinstance(step, dict):
            unknown_keys(problems, step, Step.model_fields, ("navigate", "steps", index))
    fields = data.get("fields", [])
    for index, field in enumerate(fields if isinstance(fields, list) else []):
        if isinstance(field, dict):
            unknown_keys(problems, field, FieldSpec.model_fields, ("fields", index))
    if problems.problems:
        return None, problems
    try:
        return Recipe.model_validate(data), problems
    except ValidationError as exc:
        for error in exc.errors():
            path = tuple(p for p in error["loc"] if isinstance(p, str | int))
            message = str(error["msg"]).removeprefix("Value error, ")
            name = ".".join(str(p) for p in path) or "(レシピ)"
            if error["type"] == "missing":
                problems.add(path, f"「{name}」がありません", f"{name} is missing")
            else:
                problems.add(path, f"「{name}」: {message}", f"{name}: {error['type']}")
        return None, problems
