"""Page object of a decision-entry screen, driven entirely by a recipe.

Every wait also watches for the login form: seeing it in the middle of the work means the session was
lost (SessionExpired), which the runner answers by logging in again and retrying the item.
"""

from __future__ import annotations

from enum import Enum
from urllib.parse import urljoin

from robots._exec.browser import BrowserSession, Target
from robots.convert import convert
from robots.credentials import Credentials
from robots.decisions import Decision
from robots.errors import BusinessError, LoginFailed, ScreenTimeout, SessionExpired
from robots.recipe import FieldSpec, Recipe

TOP = ""


class Found(Enum):
    NOT_ENTERED = "not_entered"
    ALREADY_ENTERED = "already_entered"


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

    # -- one decision ---------------------------------------------------------------------------------------
    def enter(self, decision: Decision, dry_run: bool) -> Found:
        """Enter one decision; ALREADY_ENTERED when the screen shows it was entered before (no writing)."""
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
        if found is Found.ALREADY_ENTERED:
            return Found.ALREADY_ENTERED
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
        self._type(spec.input, self._fill_in(spec.value, decision), "受付番号 / reference")
        self._click(self._work, spec.submit, "検索 / search")
        return self._search_result(decision)

    def _search_result(self, decision: Decision) -> Found:
        spec, t = self.recipe.search, self.recipe.timeout_ms
        targets = {
            "entered": (self._fill_in(spec.entered, decision), spec.entered_text),
            "row": (self._fill_in(spec.row, decision), None),
            "missing": (spec.not_found, None),
        }
        if spec.results:
            targets["other_children"] = (spec.results, None)
        found = self._expect(targets, t, "検索結果 / search result")
        if found in ("missing", "other_children"):
            raise BusinessError(
                "画面に該当の申込・児童がありません。受付番号と児童番号を確認してください / "
                "the application or child is not on the screen: check the reference"
            )
        return Found.ALREADY_ENTERED if found == "entered" else Found.NOT_ENTERED

    def open_form(self, decision: Decision) -> None:
        spec, t = self.recipe.search, self.recipe.timeout_ms
        self._click(self._work, self._fill_in(spec.open, decision), "入力画面を開く / open form")
        self._expect({"form": (spec.form_ready, None)}, t, "入力画面 / entry form")

    def fill(self, decision: Decision) -> None:
        fields = [
            spec for spec in self.recipe.fields if spec.only_for is None or decision.outcome in spec.only_for
        ]
        if self.recipe.input_mode == "actions":
            for spec in fields:
                self._act_on_field(spec, decision)
            return
        values = [
            (spec.kind, self._fill_in(spec.selector, decision, value), value, spec.label)
            for spec in fields
            for value in [self._value(spec, decision)]
        ]
        for problem, label in self.driver.fill_form(self._work, values, self.recipe.timeout_ms):
            if problem == "no_option":
                raise BusinessError(
                    f"{label}: 値が画面の選択肢にありません / the value is not a choice on the screen"
                )
            raise ScreenTimeout(f"{label}: 項目が画面にありません / the field is not on the screen")

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
            message = self.driver.text(self._work, spec.business_error, t, "エラー表示 / error message")
            raise BusinessError(message or "画面がエラーを表示しました / the screen showed an error")
        if spec.success_alert:
            self.driver.wait_dialog(spec.success_alert, dialogs_before, t, "完了メッセージ / confirmation")

    # -- helpers --------------------------------------------------------------------------------------------
    def _value(self, spec: FieldSpec, decision: Decision) -> str:
        raw = spec.const if spec.source == "const" else getattr(decision, spec.source)
        value = convert(raw, spec.convert, spec.map, spec.label)
        charset = self.recipe.charset
        if charset and spec.kind == "text":
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

    def _act_on_field(self, spec: FieldSpec, decision: Decision) -> None:
        value = self._value(spec, decision)
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
        if self.driver.fill_form(self._work, [("text", selector, value, what)], self.recipe.timeout_ms):
            raise ScreenTimeout(f"{what}: 項目が画面にありません / the field is not on the screen")

    def _expect(self, targets: dict[str, Target], timeout_ms: int, what: str) -> str:
        found = self.driver.wait_any(
            self._work, {**targets, "_login": (self.recipe.login.login_form, None)}, timeout_ms, what
        )
        if found == "_login":
            raise SessionExpired(f"{what}: セッションが切れました / the session expired")
        return found

    @staticmethod
    def _fill_in(template: str, decision: Decision, value: str = "") -> str:
        fields = {name: "" if v is None else str(v) for name, v in decision.model_dump().items()}
        return template.format(**fields, value=value)
