"""`bodx robot explore`: look at a legacy system's screens and write what they offer as a draft recipe.

It lists every frame (nested ones too), its forms, fields with their labels, drop-down options, buttons
(and whether they ask confirm()), links and red messages. The draft marks what only a person can know
(which decision value goes where, what success looks like) with TODO, for a clerk or IT staff to finish;
`bodx city check` then validates it strictly.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import urljoin, urlsplit

from robots._exec.browser import BrowserOptions, BrowserSession
from robots.credentials import Credentials
from robots.errors import LoginFailed

KINDS = {"select-one": "select", "radio": "radio", "checkbox": "check"}


def explore(
    base_url: str,
    credentials: Credentials | None,
    pages: Sequence[str] = (),
    options: BrowserOptions | None = None,
    timeout_ms: int = 8000,
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """(outline of each screen visited, login selectors found). Logs in first when credentials are given."""
    login: dict[str, str] = {}
    screens: list[dict[str, Any]] = []
    with BrowserSession(options or BrowserOptions(trace=False)) as driver:
        driver.goto(base_url, timeout_ms, "最初の画面 / first page")
        driver.settle(timeout_ms)
        screens.append({"visited": base_url, "frames": driver.outline()})
        if credentials is not None:
            found = driver.login_form()
            if found is None:
                raise LoginFailed(
                    "ログイン画面が見つかりません / no login form (a password field) on the first page"
                )
            user, password, submit = found
            login = {"url": urlsplit(driver.page.url).path, "user_field": user, "password_field": password}
            login["submit"] = submit
            driver.fill("", user, credentials.user.get_secret_value(), timeout_ms, "利用者ID / user")
            driver.fill(
                "", password, credentials.password.get_secret_value(), timeout_ms, "パスワード / password"
            )
            driver.click("", submit, timeout_ms, "ログイン / log in")
            driver.settle(timeout_ms)
            screens.append({"visited": "(after login)", "frames": driver.outline()})
        for page in pages:
            driver.goto(urljoin(base_url, page), timeout_ms, "画面 / page")
            driver.settle(timeout_ms)
            screens.append({"visited": page, "frames": driver.outline()})
    return screens, login


def draft_recipe(screens: list[dict[str, Any]], login: dict[str, str]) -> str:
    """A TOML draft: known selectors filled in, the rest TODO, every screen listed in comments."""
    frames = [f for screen in screens for f in screen["frames"]]
    work = _work_frame(frames)
    login_forms = [form["selector"] for f in frames for form in f["forms"] if form["login"]]
    framesets = [sel for f in frames if f["frame"] == "" for sel in f["frames"]]
    login = {"login_form": login_forms[0]} | login if login_forms else dict(login)
    if framesets:
        login.setdefault("logged_in", framesets[-1])
    lines = [
        "# 下書き / draft recipe written by `bodx robot explore`: finish every TODO, then run `bodx city check`.",
        'name = "TODO"',
        f"work_frame = {_q(work['frame'])}"
        if work and work["frame"]
        else "# work_frame: the work is on the top page",
    ]
    if work and work["charset"].upper() not in ("UTF-8", ""):
        lines.append(f"charset = {_q(_charset(work['charset']))}")
    lines += ["", "[login]"]
    for key in ("url", "user_field", "password_field", "submit", "logged_in", "login_form"):
        lines.append(f"{key} = {_q(login.get(key, 'TODO'))}")
    lines += [
        "",
        "[navigate]",
        'steps = []  # e.g. [{ frame = "menu", click = "#menu-link" }]',
        'ready = "TODO"',
    ]
    lines += ["", "[search]", 'input = "TODO"', 'submit = "TODO"', 'not_found = "TODO"', 'entered = "TODO"']
    lines += [
        'form_ready = "TODO"',
        "",
        "[save]",
        'click = "TODO"',
        'success = "TODO"',
        'business_error = "TODO"',
    ]
    for screen in screens:
        lines += ["", f"# ==== {screen['visited']} ===="]
        for frame in screen["frames"]:
            lines += _frame_lines(frame)
    return "\n".join(lines) + "\n"


def _work_frame(frames: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The frame menu links open their screens in; else the named frame with the most fields."""
    named = {f["frame"]: f for f in frames if f["frame"]}
    targets = Counter(link["target"] for f in frames for link in f["links"] if link["target"] in named)
    if targets:
        return named[targets.most_common(1)[0][0]]
    return max(frames, key=lambda f: sum(len(form["fields"]) for form in f["forms"]), default=None)


def _frame_lines(frame: dict[str, Any]) -> list[str]:
    name = frame["frame"] or "(top)"
    lines = [f"# frame {name}: {frame['url']} [{frame['charset']}] {frame['title']}"]
    for link in frame["links"]:
        target = f" target={link['target']}" if link["target"] else ""
        lines.append(f"#   link {link['selector'] or '(no id)'} 「{link['text']}」 -> {link['href']}{target}")
    for message in frame["messages"]:
        lines.append(f"#   message: {message}")
    for form in frame["forms"]:
        lines.append(f"#   form {form['selector']} ({form['method']} {form['action']})")
        if form["login"]:  # the [login] table above has its selectors
            lines += [f"#   field {f['selector']} 「{f['label']}」" for f in form["fields"]]
            continue
        for button in form["buttons"]:
            ask = ' (asks confirm(): confirm = "dialog")' if button["confirm"] else ""
            lines.append(f"#   button {button['selector']} 「{button['text']}」{ask}")
        lines += _field_lines(form["fields"])
    return lines


def _field_lines(fields: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    radios: dict[str, list[dict[str, Any]]] = {}
    for field in fields:
        if field["type"] == "radio" and field["selector"]:
            radios.setdefault(field["selector"].split("[value=")[0], []).append(field)
            continue
        if field["selector"] is None:
            lines.append(f"#   field without id or name: {field['tag']} 「{field['label']}」")
            continue
        lines += _field(field["label"], field["selector"], KINDS.get(field["type"], "text"))
        if field["options"]:
            shown = ", ".join(f"{v}={t}" for v, t in field["options"][:30])
            lines.append(f'# options: {shown}  (choose = "label" picks by the displayed text)')
    for group, buttons in radios.items():
        lines += _field(buttons[0]["label"], f"{group}[value='{{value}}']", "radio")
        lines.append(f"# values: {', '.join(b['selector'].split('[value=')[1].rstrip(']') for b in buttons)}")
    return lines


def _field(label: str, selector: str, kind: str) -> list[str]:
    return [
        "",
        "[[fields]]",
        f"label = {_q(label or 'TODO')}",
        f"selector = {_q(selector)}",
        f'kind = "{kind}"',
        'source = "TODO"  # a decision field (outcome, nursery_id, start_date, remarks …), extra.<name> or const',
    ]


def _charset(name: str) -> str:
    return {"SHIFT_JIS": "cp932", "WINDOWS-31J": "cp932", "EUC-JP": "euc_jp"}.get(name.upper(), name.lower())


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
