"""Recipes: how one city's screens are driven, as data (TOML). The engine has no per-city code.

Selectors are CSS selectors (clicks also accept Playwright selectors). Templates in braces take decision fields: {application_id},
{child_id}, {child_name}, {outcome}, {nursery_id}, {nursery_name}, {start_date}; a field selector may also
use {value} (the converted value, e.g. for a radio button).
"""

from __future__ import annotations

import string
import tomllib
from importlib import resources
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from robots.convert import CONVERTERS
from robots.decisions import Decision, Outcome
from robots.errors import RecipeError

DECISION_FIELDS = frozenset(Decision.model_fields)
BUNDLED = ("legacy-classic", "legacy-modern")


class _Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LoginSpec(_Spec):
    url: str = Field(description="path of the login page, joined to the base URL")
    user_field: str
    password_field: str
    submit: str
    logged_in: str = Field(description="selector on the top page once logged in")
    login_form: str = Field(description="selector of the login form: seen mid-work, the session is lost")
    failed: str | None = Field(default=None, description="selector of the 'wrong password' message")


class Step(_Spec):
    frame: str | None = Field(default=None, description="frame name; None: the work frame; '' : top")
    click: str


class NavigateSpec(_Spec):
    steps: tuple[Step, ...]
    ready: str = Field(description="selector in the work frame once the search screen is shown")


class SearchSpec(_Spec):
    url: str | None = Field(
        default=None,
        description="deep link of the search result (template); when set, the work frame is sent there "
        "directly instead of the menu and search form (one page load instead of two)",
    )
    input: str
    value: str = "{application_id}"
    submit: str
    row: str = Field(description="selector of the child's row in the result")
    not_found: str
    results: str | None = Field(
        default=None,
        description="selector of the result list: shown without the child's row = wrong child id",
    )
    entered: str = Field(description="selector of the child's entry status")
    entered_text: str | None = Field(default=None, description="text of that status when already entered")
    open: str = Field(description="what to click to open the entry form")
    form_ready: str


class FieldSpec(_Spec):
    label: str
    selector: str
    kind: Literal["text", "select", "radio", "check"] = "text"
    source: str = Field(description="decision field, or 'const'")
    const: str | None = None
    convert: str = "text"
    map: dict[str, str] = Field(default_factory=dict)
    only_for: tuple[Outcome, ...] | None = None

    @model_validator(mode="after")
    def _known(self) -> Self:
        if self.source != "const" and self.source not in DECISION_FIELDS:
            raise ValueError(
                f"{self.label}: unknown source {self.source!r}; use one of {sorted(DECISION_FIELDS)}"
            )
        if self.source == "const" and self.const is None:
            raise ValueError(f"{self.label}: source 'const' needs const = \"…\"")
        if self.convert not in CONVERTERS:
            raise ValueError(
                f"{self.label}: unknown convert {self.convert!r}; use one of {sorted(CONVERTERS)}"
            )
        return self


class SaveSpec(_Spec):
    click: str
    confirm: Literal["dialog", "click", "none"] = "dialog"
    confirm_click: str | None = Field(default=None, description="modal button when confirm = 'click'")
    success: str
    success_alert: str | None = Field(default=None, description="text of the alert shown after saving")
    business_error: str

    @model_validator(mode="after")
    def _modal_button(self) -> Self:
        if self.confirm == "click" and not self.confirm_click:
            raise ValueError("confirm = 'click' needs confirm_click (the modal's OK button)")
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
    fields: tuple[FieldSpec, ...] = Field(min_length=1)
    save: SaveSpec

    @model_validator(mode="after")
    def _templates(self) -> Self:
        allowed = DECISION_FIELDS | {"value"}
        texts = [
            self.search.value,
            self.search.row,
            self.search.entered,
            self.search.open,
            self.search.url or "",
        ]
        texts += [f.selector for f in self.fields]
        for text in texts:
            for _, name, _, _ in string.Formatter().parse(text):
                if name is not None and name not in allowed:
                    raise ValueError(f"unknown template name {{{name}}} in {text!r}")
        if self.charset is not None:
            try:
                "".encode(self.charset)
            except LookupError as exc:
                raise ValueError(f"unknown charset {self.charset!r}") from exc
        return self


def load_recipe(name_or_path: str | Path) -> Recipe:
    """A bundled recipe by name (legacy-classic, legacy-modern) or a TOML file."""
    path = Path(name_or_path)
    try:
        if str(name_or_path) in BUNDLED:
            text = resources.files("robots.recipes").joinpath(f"{name_or_path}.toml").read_text("utf-8")
        else:
            text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RecipeError(
            f"レシピを読めません / cannot read recipe {name_or_path} (bundled: {', '.join(BUNDLED)}): {exc}"
        ) from exc
    try:
        return Recipe.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise RecipeError(
            f"レシピの TOML が不正です / recipe {name_or_path} is not valid TOML: {exc}"
        ) from exc
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(recipe)'}: {e['msg']}" for e in exc.errors()[:5]
        )
        raise RecipeError(f"レシピが不正です / invalid recipe {name_or_path}: {problems}") from exc
