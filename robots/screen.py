"""Page object of a decision-entry screen, driven entirely by a recipe.

Every wait also watches for the login form: seeing it in the middle of the work means the session was
lost (SessionExpired), which the runner answers by logging in again and retrying the item.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from enum import Enum
from urllib.parse import urljoin

from robots._exec.browser import BrowserSession, FormValue, Target
from robots._exec.page_scripts import CHECKED, UNCHECKED
from robots.convert import convert
from robots.credentials import Credentials
from robots.decisions import Decision
from robots.errors import ApplicationError, BusinessError, LoginFailed, ScreenTimeout, SessionExpired
from robots.options import choose_option, same_value
from robots.recipe import FieldSpec, Recipe

TOP = ""


class Found(Enum):
    NOT_ENTERED = "not_entered"
    ALREADY_ENTERED = "already_entered"  # registered before, and the screen shows the decided values
    ALREADY_UNCHECKED = "already_unchecked"  # registered before; the recipe has no view to compare
    CHANGED = "changed"  # registered by an earlier round with its decision: changed to this one


class DecisionScreen:
    def __init__(
        self, driver: BrowserSession, recipe: Recipe, base_url: str, credentials: Credentials
    ) -> None:
        self.driver = driver
        self.recipe = recipe
        self.base_url = base_url
        self._credentials = credentials
        self._work = recipe.work_frame or TOP
        self.save_clicked = False

    # -- login --------------------------------------------------------------------------------------------
    def login(self) -> None:
        spec, t = self.recipe.login, self.recipe.timeout_ms
        self.driver.goto(urljoin(self.base_url, spec.url), t, "ログイン画面 / login page")
        self.driver.fill(
            TOP, spec.user_field, self._credentials.user.get_secret_value(), t, "利用者ID / user"
        )
        self.driver.fill(
            TOP,
            spec.password_field,
            self._credentials.password.get_secret_value(),
            t,
            "パスワード / password",
        )
        self.driver.click(TOP, spec.submit, t, "ログイン / log in")
        targets: dict[str, Target] = {"ok": (spec.logged_in, None)}
        if spec.failed:
            targets["failed"] = (spec.failed, None)
        if self.driver.wait_any(TOP, targets, t, "ログイン / log in") == "failed":
            raise LoginFailed(
                "ログインできません。利用者IDとパスワードを確認してください / login refused: check the credentials"
            )
        if self.recipe.search.url:  # items jump straight to the result; walk the menu once per login
            self.open_search()

    def blank(self) -> None:
        """An empty work frame before the next item, so its trace starts without the previous child's page.

        Only when the next item can get back by itself: a named work frame, or a deep-link search.
        """
        if self._work == TOP and not self.recipe.search.url:
            return
        with suppress(ApplicationError):  # the item's own first step notices a broken page
            self.driver.blank(self._work, self.recipe.timeout_ms)

    # -- one decision ---------------------------------------------------------------------------------------
    def enter(self, decision: Decision, dry_run: bool) -> Found:
        """Enter one decision. A record registered before is read back and compared, never written again."""
        self.save_clicked = False
        if self.recipe.search.url:
            self.driver.goto_frame(
                self._work,
                urljoin(self.base_url, self._fill_in(self.recipe.search.url, decision)),
                self.recipe.timeout_ms,
                "検索 / search",
            )
            found = self._search_result(decision)
        else:
            self.open_search()
            found = self.find(decision)
        if found is not Found.NOT_ENTERED:
            return self.check_registered(decision, dry_run)
        if self.recipe.search.open:
            self.open_form(decision)
        self.fill(decision)
        if not dry_run:
            self.save()
        return Found.NOT_ENTERED

    def open_search(self) -> None:
        nav, t = self.recipe.navigate, self.recipe.timeout_ms
        for step in nav.steps:
            frame = self._work if step.frame is None else step.frame
            self._click(frame, step.click, "メニュー / menu")
        self._expect({"ready": (nav.ready, None)}, t, "検索画面 / search screen")

    def find(self, decision: Decision) -> Found:
        spec = self.recipe.search
        boxes = dict(spec.inputs)
        if spec.input:
            boxes = {spec.input: spec.value, **boxes}
        values = [
            ("text", css, self._fill_in(template, decision), "検索条件 / search key")
            for css, template in boxes.items()
        ]
        self._set_fields(values)
        self._click(self._work, spec.submit or "", "検索 / search")
        return self._search_result(decision)

    def _search_result(self, decision: Decision) -> Found:
        spec, t = self.recipe.search, self.recipe.timeout_ms
        targets: dict[str, Target] = {"entered": (self._fill_in(spec.entered, decision), spec.entered_text)}
        if spec.open and spec.row:
            targets["row"] = (self._fill_in(spec.row, decision), None)
        else:  # the search opens the entry form itself
            targets["form"] = (spec.form_ready, None)
        targets["missing"] = (spec.not_found, None)
        if spec.results:
            targets["other_children"] = (spec.results, None)
        found = self._expect(targets, t, "検索結果 / search result")
        if found in ("missing", "other_children"):
            shown = self._screen_messages(spec.not_found) if found == "missing" else []
            raise BusinessError(
                "画面に該当の申込・児童がありません。受付番号と児童番号を確認してください / "
                "the application or child is not on the screen: check the reference"
                + "".join(f" | 画面 / screen: {text}" for text in shown)
            )
        return Found.ALREADY_ENTERED if found == "entered" else Found.NOT_ENTERED

    def open_form(self, decision: Decision) -> None:
        spec, t = self.recipe.search, self.recipe.timeout_ms
        self._click(self._work, self._fill_in(spec.open or "", decision), "入力画面を開く / open form")
        self._expect({"form": (spec.form_ready, None)}, t, "入力画面 / entry form")

    def fields_for(self, decision: Decision) -> list[FieldSpec]:
        return [
            spec for spec in self.recipe.fields if spec.only_for is None or decision.outcome in spec.only_for
        ]

    def fill(self, decision: Decision) -> None:
        fields = self.fields_for(decision)
        if self.recipe.input_mode == "actions":
            for spec in fields:
                self._act_on_field(spec, decision)
            return
        values = [
            (spec.kind, self._fill_in(spec.selector, decision, value), value, spec.label)
            for spec in fields
            for value in [self._screen_value(spec, decision)]
            if value or spec.kind not in ("radio", "check")  # an empty value ticks nothing
        ]
        self._set_fields(values)

    def check_registered(self, decision: Decision, dry_run: bool = False) -> Found:
        """Read the registered record back; a value that differs from the decision is a business error,
        unless the decision replaces an earlier round's, the record still shows exactly that one and the
        recipe has a change form: then the record is changed (and read back on any retry)."""
        view = self.recipe.registered
        if view is None:
            return Found.ALREADY_UNCHECKED
        t = self.recipe.timeout_ms
        if view.open:
            self._click(self._work, self._fill_in(view.open, decision), "登録内容を開く / open the record")
        self._expect({"ready": (view.ready, None)}, t, "登録内容 / registered record")
        differing = self._differing(decision)
        if not differing:
            return Found.ALREADY_ENTERED
        previous = decision.previous()
        if previous is not None and view.change:
            if self._differing(previous):
                raise BusinessError(
                    f"登録済みの内容が今回の決定とも前の回の決定とも異なります ({', '.join(differing)})。画面で確認して"
                    "ください / the registered record shows neither this decision nor the earlier round's"
                )
            self._click(
                self._work, self._fill_in(view.change, decision), "変更画面を開く / open the change form"
            )
            self._expect({"form": (self.recipe.search.form_ready, None)}, t, "変更画面 / change form")
            self.fill(decision)
            if not dry_run:
                self.save()
            return Found.CHANGED
        raise BusinessError(
            f"登録済みの内容が決定と異なります ({', '.join(differing)})。画面で確認してください / the "
            f"registered record differs from the decision in: {', '.join(differing)}"
        )

    def _differing(self, decision: Decision) -> list[str]:
        """Labels of the compared fields whose registered value is not the decision's."""
        fields = [spec for spec in self.fields_for(decision) if spec.compare]
        accepted = [self._accepted_forms(spec, decision) for spec in fields]
        reads = [
            (spec.kind, self._fill_in(spec.read or spec.selector, decision, forms[0]))
            for spec, forms in zip(fields, accepted, strict=True)
        ]
        shown = self.driver.read_values(self._work, reads, self.recipe.timeout_ms)
        return [
            spec.label
            for spec, forms, seen in zip(fields, accepted, shown, strict=True)
            if not self._shows(spec, forms, seen)
        ]

    def save(self) -> None:
        spec = self.recipe.save
        t = self.recipe.timeout_ms
        dialogs_before = len(self.driver.dialogs)
        self.save_clicked = True  # from here on a failure leaves it unknown whether the system stored it
        self._click(self._work, spec.click, "登録 / save")
        if spec.confirm == "click" and spec.confirm_click:
            self._click(self._work, spec.confirm_click, "確認 / confirm")
        found = self._expect(
            {"ok": (spec.success, None), "error": (spec.business_error, None)},
            self.recipe.save_timeout_ms,
            "登録結果 / save result",
        )
        if found == "error":
            messages = self._screen_messages(spec.business_error)
            raise BusinessError(
                " | ".join(messages) or "画面がエラーを表示しました / the screen showed an error"
            )
        if spec.success_alert:
            self.driver.wait_dialog(spec.success_alert, dialogs_before, t, "完了メッセージ / confirmation")

    # -- helpers --------------------------------------------------------------------------------------------
    def _screen_messages(self, selector: str) -> list[str]:
        """Every message the screen shows there, verbatim (the screen's own words go to staff)."""
        return self.driver.texts(self._work, selector, self.recipe.timeout_ms, "画面のメッセージ / messages")

    def _set_fields(self, values: Sequence[FormValue]) -> None:
        for problem, label in self.driver.fill_form(self._work, values, self.recipe.timeout_ms):
            if problem == "no_option":
                raise BusinessError(
                    f"{label}: 値が画面の選択肢にありません / the value is not a choice on the screen"
                )
            raise ScreenTimeout(f"{label}: 項目が画面にありません / the field is not on the screen")

    def _value(self, spec: FieldSpec, decision: Decision) -> str:
        """The field's text from the decision (converted and mapped), checked against the charset."""
        raw = spec.const if spec.source == "const" else decision.value_of(spec.source)
        value = convert(raw, spec.convert, spec.map, spec.label)
        charset = self.recipe.charset
        if charset and (spec.kind == "text" or spec.choose == "label"):
            try:
                value.encode(charset)
            except UnicodeEncodeError as exc:
                # Name only the code point: the value itself is personal data.
                raise BusinessError(
                    f"{spec.label}: 文字 U+{ord(value[exc.start]):04X} は画面の文字コード {charset} で表せません"
                    f"(外字)。表記を確認してください / character U+{ord(value[exc.start]):04X} cannot be "
                    f"written in {charset}"
                ) from exc
        return value

    def _screen_value(self, spec: FieldSpec, decision: Decision) -> str:
        """What to set: the value, or for choose = label the value of the option showing that text."""
        value = self._value(spec, decision)
        if spec.choose != "label" or not value:
            return value
        selector = self._fill_in(spec.selector, decision, value)
        options = self.driver.select_options(
            self._work, selector, self.recipe.timeout_ms, f"項目 {spec.label}"
        )
        if options is None:
            raise ScreenTimeout(f"{spec.label}: 項目が画面にありません / the field is not on the screen")
        return choose_option(value, options, spec.aliases, spec.label)

    def _accepted_forms(self, spec: FieldSpec, decision: Decision) -> list[str]:
        """The decided value as a registered record may show it: the code set, or the text before mapping."""
        value = self._value(spec, decision)
        raw = spec.const if spec.source == "const" else decision.value_of(spec.source)
        forms = [value, convert(raw, spec.convert, {}, spec.label)]
        if spec.choose == "label" and value:
            forms.append(spec.aliases.get(value, value))
        return forms

    @staticmethod
    def _shows(spec: FieldSpec, forms: list[str], seen: list[str] | None) -> bool:
        if seen is None:
            return not forms[0] and spec.kind in ("radio", "check")
        if seen and seen[0] in (CHECKED, UNCHECKED):
            # The selector names the box of the decided value: it must be the ticked one (or, for an
            # empty value, nothing is asked of it).
            return not forms[0] or seen == [CHECKED]
        return same_value(seen, forms)

    def _act_on_field(self, spec: FieldSpec, decision: Decision) -> None:
        value = self._screen_value(spec, decision)
        t, what = self.recipe.timeout_ms, f"項目 {spec.label} / field"
        selector = self._fill_in(spec.selector, decision, value)
        if spec.kind == "text":
            self.driver.fill(self._work, selector, value, t, what)
        elif spec.kind == "select":
            self.driver.select(self._work, selector, value, t, what)
        elif value:  # radio / check: nothing to tick for an empty value
            self.driver.check(self._work, selector, t, what)

    def _click(self, frame: str, selector: str, what: str) -> None:
        fast = self.recipe.input_mode == "script"
        self.driver.click(frame, selector, self.recipe.timeout_ms, what, fast=fast)

    def _type(self, selector: str, value: str, what: str) -> None:
        if self.recipe.input_mode == "actions":
            self.driver.fill(self._work, selector, value, self.recipe.timeout_ms, what)
            return
        self._set_fields([("text", selector, value, what)])

    def _expect(self, targets: dict[str, Target], timeout_ms: int, what: str) -> str:
        # The lost session first: its page may also match a business-error selector (red text), and a
        # lost session is retried after logging in, never reported to staff as their data's fault.
        lost: dict[str, Target] = {"_login": (self.recipe.login.login_form, None)}
        if self.recipe.login.session_lost:
            lost["_lost"] = (self.recipe.login.session_lost, None)
        found = self.driver.wait_any(self._work, {**lost, **targets}, timeout_ms, what)
        if found in lost:
            raise SessionExpired(f"{what}: セッションが切れました / the session expired")
        return found

    @staticmethod
    def _fill_in(template: str, decision: Decision, value: str = "") -> str:
        if "{" not in template:
            return template
        fields = {
            name: "" if v is None else str(v) for name, v in decision.model_dump().items() if name != "extra"
        }
        return template.format(**fields, value=value)
