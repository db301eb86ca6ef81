"""The sample legacy app over plain HTTP (no browser): encoding, sessions, failures, business rules."""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

from samples.legacy_app.seed import SeedError, children_from_json, nurseries_from_json
from tests.robots.conftest import PASSWORD, USER, AppFactory, seed_children


def _client() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def _login(client: urllib.request.OpenerDirector, base: str) -> None:
    client.open(f"{base}/login", data=urlencode({"userid": USER, "passwd": PASSWORD}).encode())


def _save(client: urllib.request.OpenerDirector, base: str, **fields: str) -> str:
    form = {"uketsuke": "R2027-000001", "child": "A000001", "shimei": "髙橋 﨑子", "kekka": "1",
            "shisetsu_cd": "N001", "nyusho_kbn": "01", "gengo": "5", "nen": "9", "tsuki": "4", "hi": "1"} | fields  # fmt: skip
    with client.open(f"{base}/entry", data=urlencode(form, encoding="cp932").encode()) as answer:
        return answer.read().decode("cp932")


def test_pages_are_shift_jis_and_names_round_trip(legacy_app: AppFactory) -> None:
    with legacy_app(seed_children(1)) as app:
        client = _client()
        _login(client, app.base_url)
        with client.open(f"{app.base_url}/search?uketsuke=R2027-000001") as page:
            assert page.headers["Content-Type"] == "text/html; charset=Shift_JIS"
            assert "髙橋 﨑子" in page.read().decode("cp932")
        assert "処理中" in _save(client, app.base_url)
        (entry,) = app.store.entries()
        assert (entry.name, entry.outcome, entry.start_date) == ("髙橋 﨑子", "内定", dt.date(2027, 4, 1))


def test_business_rules_reject_bad_data(legacy_app: AppFactory) -> None:
    with legacy_app(seed_children(1)) as app:
        client = _client()
        _login(client, app.base_url)
        assert "E102 施設コード N999 は登録されていません" in _save(client, app.base_url, shisetsu_cd="N999")
        assert "E104 入所年月日が生年月日より前です" in _save(client, app.base_url, nen="7", tsuki="1")
        assert "E105" in _save(client, app.base_url, shimei="別人 太郎")
        assert "E106" in _save(client, app.base_url, kekka="2")
        assert app.store.entries() == []


def test_session_expires_and_failures_are_injected(legacy_app: AppFactory) -> None:
    forced = {"R2027-000001": ("500", "session")}
    with legacy_app(seed_children(1), session_seconds=1.0, forced_failures=forced) as app:
        client = _client()
        _login(client, app.base_url)
        with pytest.raises(urllib.error.HTTPError) as error:
            _save(client, app.base_url)
        assert error.value.code == 500
        assert "ログイン" in _save(client, app.base_url)  # session dropped by the second failure
        _login(client, app.base_url)
        time.sleep(1.1)  # outlive the session (long enough that the saves above never meet the expiry)
        with client.open(f"{app.base_url}/search") as page:
            assert "有効期限" in page.read().decode("cp932")
        assert app.injected == ["500", "session"] and app.store.entries() == []


def test_seed_files(tmp_path: Path) -> None:
    simple = tmp_path / "simple.json"
    simple.write_text(
        json.dumps([{"受付番号": "R1", "児童番号": "A1", "氏名": "佐藤 陽翔"}]), encoding="utf-8"
    )
    assert [c.name for c in children_from_json(simple)] == ["佐藤 陽翔"]
    canonical = tmp_path / "applications.json"
    canonical.write_text(
        json.dumps([{"id": "R2", "children": [{"id": "A2", "name": "鈴木 蓮", "birth_date": "2025-04-02"}]}]),
        encoding="utf-8",
    )
    (child,) = children_from_json(canonical)
    assert (child.uketsuke, child.child_id, child.birth_date) == ("R2", "A2", dt.date(2025, 4, 2))
    nurseries = tmp_path / "nurseries.json"
    nurseries.write_text(json.dumps([{"id": "N001", "name": "さくら"}]), encoding="utf-8")
    assert nurseries_from_json(nurseries) == {"N001": "さくら"}
    simple.write_text(json.dumps([{"受付番号": "R1"}]), encoding="utf-8")
    with pytest.raises(SeedError, match="氏名"):
        children_from_json(simple)


def test_legacy_app_command_serves_canonical_files(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "applications.json").write_text(
        json.dumps(
            [{"id": "R9", "children": [{"id": "A9", "name": "髙橋 﨑子", "birth_date": "2025-04-02"}]}]
        ),
        encoding="utf-8",
    )
    (tmp_path / "nurseries.json").write_text(json.dumps([{"id": "N001", "name": "さくら"}]), encoding="utf-8")
    command = [sys.executable, "-m", "bodx.cli", "samples", "legacy-app", "--port", "0", "--db", str(tmp_path / "a.db"),
               "--applications", str(tmp_path / "applications.json"), "--user", USER, "--password", PASSWORD]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        base = first.split()[3].removesuffix("/login")
        assert "児童 1 人, 施設 1" in server.stdout.readline()
        client = _client()
        _login(client, base)
        with client.open(f"{base}/search?uketsuke=R9") as page:
            assert "髙橋 﨑子" in page.read().decode("cp932")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_robot_command_needs_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from bodx.app import app
    from bodx.cli import COMMAND_MODULES

    assert "bodx.commands.robots" in COMMAND_MODULES
    import bodx.commands.robots  # noqa: F401 - registers the commands

    monkeypatch.delenv("BODX_ROBOT_USER", raising=False)
    monkeypatch.delenv("BODX_ROBOT_PASSWORD", raising=False)
    result = CliRunner().invoke(
        app, ["robot", "run", "--base-url", "http://127.0.0.1:9", "--queue", str(tmp_path / "q.db")]
    )
    assert result.exit_code == 2
    assert "BODX_ROBOT_PASSWORD" in result.output
