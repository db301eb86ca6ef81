"""Requests of the かわべ町 screens (/kawabe/): routes, the facility drop-down and the business rules.

The city's own facility codes and spellings differ from the nursery list the robot gets: each nursery is
shown under a code of the system ("0011") with the system's spelling, next to look-alike facilities that
exist in that system only (…第二保育園, …分園). Choosing one of those stores the wrong facility, which
the bench finds in the stored entries.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from samples.legacy_app import pages_kawabe as pages
from samples.legacy_app.store import LegacyStore, SeedChild

if TYPE_CHECKING:
    from samples.legacy_app.server import Handler

ENC = pages.ENCODING
ERA_OFFSETS = {"R": 2018, "H": 1988}
REIWA = dt.date(2019, 5, 1)
MAX_REMARKS = 100
RENAMED = {"たんぽぽ保育園": "市立たんぽぽ保育園"}  # the system's spelling; the recipe has it as an alias


def facilities(nurseries: dict[str, str]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """(options as (value, label), value -> code stored). Decoys are stored under the system's code."""
    options: list[tuple[str, str]] = []
    codes: dict[str, str] = {}
    real = set(nurseries.values())
    for n, (code, name) in enumerate(sorted(nurseries.items()), start=1):
        label = RENAMED.get(name) or (name.replace("保育園", "　保育園") if n % 2 == 0 else name)
        options.append((f"{n:03d}1", label))
        codes[f"{n:03d}1"] = code
        stem = name.removesuffix("保育園")
        for suffix, decoy in ((2, f"{stem}第二保育園"), (3, f"{name}分園")):
            if decoy not in real:
                options.append((f"{n:03d}{suffix}", decoy))
                codes[f"{n:03d}{suffix}"] = f"K{n:03d}{suffix}"
    return options, codes


def kawabe_get(handler: Handler, path: str) -> None:
    app, store = handler.app, handler.app.store
    if path in ("/kawabe", "/kawabe/", "/kawabe/login"):
        handler._send(200, pages.login(), ENC)
        return
    if path == "/kawabe/logout":
        app.drop_session(handler._sid())
        handler._send(200, pages.login("終了しました。"), ENC)
        return
    if not app.session_valid(handler._sid()):
        handler._send(200, pages.timeout(), ENC)
        return
    query = handler._query()
    simple = {"/kawabe/top": pages.top, "/kawabe/head": pages.head, "/kawabe/body": pages.body}
    simple |= {"/kawabe/blank": pages.blank, "/kawabe/kekka": pages.done}
    if path in simple:
        handler._send(200, simple[path](), ENC)
    elif path == "/kawabe/kensaku":
        uke, jido = query.get("UKE_NO", "").strip(), query.get("JIDO_NO", "").strip()
        handler._send(200, _search(store, uke, jido), ENC)
    else:
        handler._send(404, pages.blank(), ENC)


def _search(store: LegacyStore, uke: str, jido: str) -> str:
    if not uke and not jido:
        return pages.search()
    child = store.child(uke, jido)
    if child is None:
        return pages.search(f"E100 該当する児童が見つかりません (受付番号 {uke} 児童番号 {jido})")
    saved = store.latest_entry(uke, jido)
    if saved is None:
        return pages.entry(child, facilities(store.nurseries())[0], {}, [])
    options, codes = facilities(store.nurseries())
    labels = dict(options)
    facility = next((labels[v] for v, code in codes.items() if code == saved.nursery_code), "")
    extra = json.loads(saved.extra or "{}")
    era, year = _wareki(saved.start_date) if saved.start_date else ("", 0)
    return pages.registered(child, saved, facility, extra.get("保育必要量", ""), era, year)


def _wareki(date: dt.date) -> tuple[str, int]:
    code = "R" if date >= REIWA else "H"
    return dict(pages.ERAS)[code], date.year - ERA_OFFSETS[code]


def kawabe_post(handler: Handler, path: str) -> None:
    if path == "/kawabe/login":
        handler.login(handler._form(ENC), "/kawabe/top", pages.login, ENC, "UID", "PWD")
        return
    if path != "/kawabe/touroku":
        handler._send(404, pages.blank(), ENC)
        return
    app, store = handler.app, handler.app.store
    if not app.session_valid(handler._sid()):
        handler._send(200, pages.timeout(), ENC)
        return
    form = handler._form(ENC)
    uke, jido = form.get("UKE_NO", ""), form.get("JIDO_NO", "")
    failure = app.next_failure(uke)
    if failure == "500":
        handler._send(500, "<html><body><h1>500 システムエラー</h1></body></html>", ENC)
        return
    if failure == "session":
        app.drop_session(handler._sid())
        handler._send(200, pages.timeout(), ENC)
        return
    if failure == "slow":
        time.sleep(app.config.hang_seconds)
    child = store.child(uke, jido)
    if child is None:
        handler._send(200, pages.search(f"E100 該当する児童が見つかりません (受付番号 {uke})"), ENC)
        return
    options, codes = facilities(store.nurseries())
    errors, entry = check(store, child, form, codes)
    if errors:
        handler._send(200, pages.entry(child, options, form, errors), ENC)
        return
    store.add_entry(**entry)
    if failure == "timeout":  # stored, answered too late
        time.sleep(app.config.hang_seconds)
    done = "/kawabe/kekka?" + urlencode({"UKE_NO": uke})
    handler._send(200, pages.processing(done, app.config.processing_delay_ms), ENC)


def check(
    store: LegacyStore, child: SeedChild, form: dict[str, str], codes: dict[str, str]
) -> tuple[list[str], dict[str, Any]]:
    """Every business error of a save (all are shown), or none and the entry to store."""
    errors = []
    outcome = dict(pages.OUTCOMES).get(form.get("KETTEI", ""))
    place = form.get("SHISETSU", "")
    need = dict(pages.NEEDS).get(form.get("HITSUYO", ""))
    remarks = form.get("BIKO", "").replace("\r\n", "\n")
    if outcome is None:
        errors.append("E201 決定区分を選択してください")
    if outcome == "内定" and place not in codes:
        errors.append("E202 入所施設を選択してください")
    start, problem = _date(form)
    if problem:
        errors.append(problem)
    elif start is not None and child.birth_date is not None and start < child.birth_date:
        errors.append("E204 入所予定日が生年月日より前です")
    if outcome == "内定" and need is None:
        errors.append("E205 保育必要量を選択してください")
    if len(remarks) > MAX_REMARKS:
        errors.append(f"E207 備考は{MAX_REMARKS}文字以内で入力してください")
    if store.is_entered(child.uketsuke, child.child_id):
        errors.append("E209 この児童は既に登録されています")
    entry: dict[str, Any] = {
        "uketsuke": child.uketsuke,
        "child_id": child.child_id,
        "name": child.name,
        "outcome": outcome or "",
        "nursery_code": codes.get(place) if outcome == "内定" else None,
        "start_date": start,
        "admission_kind": None,
        "layout": "kawabe",
        "remarks": remarks or None,
        "extra": json.dumps({"保育必要量": need}, ensure_ascii=False) if need else None,
    }
    return errors, entry


def _date(form: dict[str, str]) -> tuple[dt.date | None, str | None]:
    era, parts = form.get("NENGO", ""), [form.get(k, "").strip() for k in ("YY", "MM", "DD")]
    if not era and not any(parts):
        return None, "E203 入所予定日を入力してください"
    try:
        return dt.date(ERA_OFFSETS[era] + int(parts[0]), int(parts[1]), int(parts[2])), None
    except (KeyError, ValueError):
        return None, "E203 入所予定日が正しくありません"
