"""HTTP handler of the sample legacy 子ども・子育て支援 system (stdlib only).

Two layouts share one store: the classic one under / (frameset, Shift_JIS, confirm/alert) and a newer
one under /v2/ (iframe, UTF-8, modal). Saving goes through a slow 処理中 page, and a configurable share of
save requests fails the way old systems do: HTTP 500, a hang after the record was written, or a lost
session.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode, urlsplit

from samples.legacy_app import pages_classic as classic
from samples.legacy_app import pages_modern as modern
from samples.legacy_app.rules import Submission, check, iso_to_date, wareki_to_date
from samples.legacy_app.server_kawabe import kawabe_get, kawabe_post
from samples.legacy_app.store import SeedChild

if TYPE_CHECKING:
    from samples.legacy_app.app import LegacyApp

log = logging.getLogger(__name__)

COOKIE = "JSESSIONID"
OUTCOME_CODES = {"1": "内定", "2": "保留", "naitei": "内定", "horyu": "保留"}


class Handler(BaseHTTPRequestHandler):
    app: LegacyApp
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        log.debug("legacy-app %s", format % args)

    # -- plumbing -------------------------------------------------------------------------------------
    def _query(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlsplit(self.path).query, encoding="utf-8").items()}

    def _form(self, encoding: str) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("ascii", errors="replace")
        # The classic pages are Shift_JIS, so the browser percent-encodes form values as cp932 bytes.
        parsed = parse_qs(body, keep_blank_values=True, encoding=encoding, errors="replace")
        return {k: v[0] for k, v in parsed.items()}

    def _sid(self) -> str | None:
        cookie = SimpleCookie(self.headers.get("Cookie") or "")
        return cookie[COOKIE].value if COOKIE in cookie else None

    def _send(self, status: int, html: str, encoding: str, headers: dict[str, str] | None = None) -> None:
        body = html.encode(encoding, errors="xmlcharrefreplace")
        charset = {"cp932": "Shift_JIS", "euc_jp": "EUC-JP"}.get(encoding, encoding)
        self.send_response(status)
        self.send_header("Content-Type", f"text/html; charset={charset}")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            log.debug("client went away")

    def _redirect(self, location: str, cookie: str | None = None) -> None:
        headers = {"Location": location}
        if cookie is not None:
            headers["Set-Cookie"] = f"{COOKIE}={cookie}; Path=/; HttpOnly"
        self._send(303, "", "utf-8", headers)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        try:
            if path.startswith("/kawabe"):
                kawabe_get(self, path)
            elif path.startswith("/v2/"):
                self._get_modern(path)
            else:
                self._get_classic(path)
        except Exception:
            log.exception("legacy-app GET failed")
            self._send(500, classic.server_error(), "cp932")

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        try:
            if path == "/login":
                self.login(self._form("cp932"), "/frame", classic.login, "cp932", "userid", "passwd")
            elif path == "/v2/login":
                self.login(self._form("utf-8"), "/v2/", modern.login, "utf-8", "username", "password")
            elif path == "/entry":
                self._save_classic(self._form("cp932"))
            elif path == "/v2/decisions/save":
                self._save_modern(self._form("utf-8"))
            elif path.startswith("/kawabe/"):
                kawabe_post(self, path)
            else:
                self._send(404, classic.server_error(), "cp932")
        except Exception:
            log.exception("legacy-app POST failed")
            self._send(500, classic.server_error(), "cp932")

    def login(
        self, form: dict[str, str], home: str, page: Callable[[str], str], encoding: str, user: str, pw: str
    ) -> None:
        config = self.app.config
        if form.get(user) == config.user and form.get(pw) == config.password:
            self._redirect(home, cookie=self.app.start_session())
        else:
            self._send(200, page("利用者IDまたはパスワードが違います。"), encoding)

    # -- classic layout ---------------------------------------------------------------------------------
    def _get_classic(self, path: str) -> None:
        if path in ("/", "/login"):
            self._send(200, classic.login(), "cp932")
            return
        if path == "/logout":
            self.app.drop_session(self._sid())
            self._send(200, classic.login("ログアウトしました。"), "cp932")
            return
        if not self.app.session_valid(self._sid()):
            self._send(
                200, classic.login("セッションの有効期限が切れました。再度ログインしてください。"), "cp932"
            )
            return
        query = self._query()
        store = self.app.store
        if path == "/frame":
            self._send(200, classic.frameset(), "cp932")
        elif path == "/menu":
            self._send(200, classic.menu(), "cp932")
        elif path == "/welcome":
            self._send(200, classic.welcome(), "cp932")
        elif path == "/search":
            uketsuke = query.get("uketsuke", "").strip()
            found = self._children(uketsuke) if uketsuke else None
            self._send(200, classic.search(uketsuke, found), "cp932")
        elif path == "/entry":
            child = store.child(query.get("uketsuke", ""), query.get("child", ""))
            if child is None:
                self._send(200, classic.search("", []), "cp932")
            else:
                self._send(200, classic.entry(child, {}), "cp932")
        elif path == "/view":
            child = store.child(query.get("uketsuke", ""), query.get("child", ""))
            saved = store.latest_entry(query.get("uketsuke", ""), query.get("child", ""))
            if child is None or saved is None:
                self._send(200, classic.search("", []), "cp932")
            else:
                self._send(200, classic.entry(child, classic.view_values(saved), view=True), "cp932")
        elif path == "/done":
            self._send(200, classic.done(query.get("uketsuke", ""), query.get("child", "")), "cp932")
        else:
            self._send(404, classic.server_error(), "cp932")

    def _children(self, uketsuke: str) -> list[tuple[SeedChild, bool]]:
        store = self.app.store
        return [(c, store.is_entered(c.uketsuke, c.child_id)) for c in store.children_of(uketsuke)]

    def _save_classic(self, form: dict[str, str]) -> None:
        if not self.app.session_valid(self._sid()):
            self._send(
                200, classic.login("セッションの有効期限が切れました。再度ログインしてください。"), "cp932"
            )
            return
        start, invalid = wareki_to_date(
            form.get("gengo", ""), form.get("nen", ""), form.get("tsuki", ""), form.get("hi", "")
        )
        sub = Submission(
            uketsuke=form.get("uketsuke", ""),
            child_id=form.get("child", ""),
            name=form.get("shimei", ""),
            outcome=OUTCOME_CODES.get(form.get("kekka", "")),
            nursery_code=form.get("shisetsu_cd", "").strip(),
            start_date=start,
            start_date_invalid=invalid,
            admission_kind=form.get("nyusho_kbn") or None,
        )
        self._save(sub, form, "classic")

    # -- newer layout -----------------------------------------------------------------------------------
    def _get_modern(self, path: str) -> None:
        if path == "/v2/login":
            expired = self._query().get("expired")
            self._send(200, modern.login("セッションが切れました" if expired else ""), "utf-8")
            return
        if path == "/v2/logout":
            self.app.drop_session(self._sid())
            self._redirect("/v2/login")
            return
        if not self.app.session_valid(self._sid()):
            self._redirect("/v2/login?expired=1")
            return
        query = self._query()
        if path == "/v2/":
            self._send(200, modern.shell(), "utf-8")
        elif path == "/v2/home":
            self._send(200, modern.home(), "utf-8")
        elif path == "/v2/decisions":
            application = query.get("application", "").strip()
            found = self._children(application) if application else None
            self._send(200, modern.decisions(application, found), "utf-8")
        elif path == "/v2/decisions/edit":
            child = self.app.store.child(query.get("application", ""), query.get("child", ""))
            if child is None:
                self._send(200, modern.decisions("", []), "utf-8")
            else:
                self._send(200, modern.edit(child, {}), "utf-8")
        elif path == "/v2/decisions/view":
            key = (query.get("application", ""), query.get("child", ""))
            child, saved = self.app.store.child(*key), self.app.store.latest_entry(*key)
            if child is None or saved is None:
                self._send(200, modern.decisions("", []), "utf-8")
            else:
                values = {
                    "child_name": saved.name,
                    "result": {"内定": "naitei", "保留": "horyu"}.get(saved.outcome, ""),
                    "facility": saved.nursery_code or "",
                    "start": saved.start_date.isoformat() if saved.start_date else "",
                }
                self._send(200, modern.edit(child, values, view=True), "utf-8")
        elif path == "/v2/done":
            self._send(200, modern.done(query.get("uketsuke", ""), query.get("child", "")), "utf-8")
        else:
            self._send(404, modern.home(), "utf-8")

    def _save_modern(self, form: dict[str, str]) -> None:
        if not self.app.session_valid(self._sid()):
            self._redirect("/v2/login?expired=1")
            return
        start, invalid = iso_to_date(form.get("start", ""))
        sub = Submission(
            uketsuke=form.get("application", ""),
            child_id=form.get("child", ""),
            name=form.get("child_name", ""),
            outcome=OUTCOME_CODES.get(form.get("result", "")),
            nursery_code=form.get("facility", "").strip(),
            start_date=start,
            start_date_invalid=invalid,
            admission_kind=None,
        )
        self._save(sub, form, "modern")

    # -- saving, shared ---------------------------------------------------------------------------------
    def _save(self, sub: Submission, form: dict[str, str], layout: str) -> None:
        encoding = "cp932" if layout == "classic" else "utf-8"
        failure = self.app.next_failure(sub.uketsuke)
        if failure == "500":
            self._send(500, classic.server_error(), encoding)
            return
        if failure == "session":
            self.app.drop_session(self._sid())
            if layout == "classic":
                self._send(
                    200, classic.login("セッションが切断されました。再度ログインしてください。"), encoding
                )
            else:
                self._redirect("/v2/login?expired=1")
            return
        if failure == "slow":
            time.sleep(self.app.config.hang_seconds)  # busy system: stores only after this
        store = self.app.store
        error = check(store, sub)
        child = store.child(sub.uketsuke, sub.child_id)
        if error is not None:
            if child is None:
                page = classic.search("", []) if layout == "classic" else modern.decisions("", [])
            else:
                page = (
                    classic.entry(child, form, error)
                    if layout == "classic"
                    else modern.edit(child, form, error)
                )
            self._send(200, page, encoding)
            return
        assert child is not None and sub.outcome is not None
        store.add_entry(
            uketsuke=sub.uketsuke,
            child_id=sub.child_id,
            name=sub.name,
            outcome=sub.outcome,
            nursery_code=sub.nursery_code or None,
            start_date=sub.start_date,
            admission_kind=sub.admission_kind if sub.outcome == "内定" else None,
            layout=layout,
        )
        if failure == "timeout":
            # The record is stored, but the answer comes too late: the robot must not enter it again.
            time.sleep(self.app.config.hang_seconds)
        query = urlencode({"uketsuke": sub.uketsuke, "child": sub.child_id})
        done_url = f"/done?{query}" if layout == "classic" else f"/v2/done?{query}"
        processing = classic.processing if layout == "classic" else modern.processing
        self._send(200, processing(done_url, self.app.config.processing_delay_ms), encoding)
