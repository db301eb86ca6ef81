"""Screens of the classic layout: frameset menu, Shift_JIS pages, JavaScript confirm and alert.

Every function returns HTML text; the server encodes it as cp932 (Windows Shift_JIS).
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from samples.legacy_app.rules import date_to_wareki
from samples.legacy_app.store import Entry, SeedChild

_HEAD = (
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<html><head>'
    '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
    "<title>{title}</title></head>\n"
)


def _page(title: str, body: str) -> str:
    return _HEAD.format(title=escape(title)) + f'<body bgcolor="#f0f0e0">{body}</body></html>\n'


def login(message: str = "") -> str:
    note = f'<p class="login-msg"><font color="red">{escape(message)}</font></p>' if message else ""
    return _page(
        "子ども・子育て支援システム ログイン",
        "<h3>子ども・子育て支援システム</h3>"
        f"{note}"
        '<form id="login" name="login" method="post" action="/login" target="_top">'
        '<table><tr><td>利用者ID</td><td><input type="text" name="userid" id="userid" size="12"></td></tr>'
        '<tr><td>パスワード</td><td><input type="password" name="passwd" id="passwd" size="12"></td></tr>'
        '</table><input type="submit" name="login" value="ログイン"></form>',
    )


def frameset() -> str:
    return (
        _HEAD.format(title="子ども・子育て支援システム")
        + '<frameset cols="180,*"><frame name="menu" src="/menu">'
        + '<frame name="main" src="/welcome"></frameset></html>\n'
    )


def menu() -> str:
    return _page(
        "メニュー",
        "<b>業務メニュー</b><ul>"
        '<li><a id="menu-kettei" href="/search" target="main">入所決定入力</a></li>'
        '<li><a id="menu-logout" href="/logout" target="_top">ログアウト</a></li></ul>',
    )


def welcome() -> str:
    return _page("ようこそ", "<p>左のメニューから業務を選択してください。</p>")


def search(uketsuke: str, children: list[tuple[SeedChild, bool]] | None) -> str:
    rows = ""
    if children is not None and not children:
        rows = '<p id="notfound">該当する申込がありません。</p>'
    elif children:
        rows = '<table id="result" border="1"><tr><th>児童番号</th><th>氏名</th><th>状態</th><th></th></tr>'
        for child, entered in children:
            query = f"uketsuke={escape(child.uketsuke)}&amp;child={escape(child.child_id)}"
            link = (
                f'<a class="view" href="/view?{query}">照会</a>'
                if entered
                else f'<a class="entry" href="/entry?{query}">入力</a>'
            )

            rows += (
                f'<tr data-child="{escape(child.child_id)}"><td>{escape(child.child_id)}</td>'
                f'<td class="name">{escape(child.name)}</td>'
                f'<td class="status">{"登録済" if entered else "未登録"}</td><td>{link}</td></tr>'
            )
        rows += "</table>"
    return _page(
        "入所決定入力 検索",
        "<h4>入所決定入力 － 申込検索</h4>"
        '<form id="search" method="get" action="/search">受付番号 '
        f'<input type="text" name="uketsuke" id="uketsuke" value="{escape(uketsuke)}" size="14"> '
        '<input type="submit" id="btn-search" value="検索"></form>' + rows,
    )


def entry(child: SeedChild, values: dict[str, str], error: str = "", view: bool = False) -> str:
    """The entry form; `view`: the registered record shown read-only in the same form (照会)."""

    def val(key: str) -> str:
        return escape(values.get(key, ""))

    def option(name: str, value: str, label: str) -> str:
        selected = " selected" if values.get(name, "") == value else ""
        return f'<option value="{value}"{selected}>{label}</option>'

    def radio(value: str, label: str) -> str:
        checked = " checked" if values.get("kekka") == value else ""
        return f'<input type="radio" name="kekka" id="kekka{value}" value="{value}"{checked}>{label}'

    eras = "".join(option("gengo", v, lbl) for v, lbl in (("", ""), ("5", "令和"), ("4", "平成")))
    months = option("tsuki", "", "") + "".join(option("tsuki", str(m), str(m)) for m in range(1, 13))
    days = option("hi", "", "") + "".join(option("hi", str(d), str(d)) for d in range(1, 32))
    kinds = "".join(option("nyusho_kbn", v, lbl) for v, lbl in (("01", "新規"), ("02", "転園")))
    err = f'<div id="errmsg" class="error"><font color="red">{escape(error)}</font></div>' if error else ""
    form_id, title = ("view", "入所決定照会 (登録済)") if view else ("entry", "入所決定入力")
    # 照会 links to the change form (変更): the same entry form, saved as the child's latest record.
    change = f"/entry?{urlencode({'uketsuke': child.uketsuke, 'child': child.child_id})}"
    save = (
        f'<a id="back" href="/search">戻る</a> <a id="change" href="{escape(change)}">変更</a>'
        if view
        else '<input type="button" id="btn-save" value="登録" '
        "onclick=\"if (confirm('登録してよろしいですか？')) { document.entry.submit(); }\">"
    )
    return _page(
        title,
        f"<h4>{title}</h4>{err}"
        f'<form id="{form_id}" name="entry" method="post" action="/entry">'
        f'<input type="hidden" name="uketsuke" value="{escape(child.uketsuke)}">'
        f'<input type="hidden" name="child" value="{escape(child.child_id)}">'
        f"<table border=1><tr><th>受付番号</th><td>{escape(child.uketsuke)}</td></tr>"
        f"<tr><th>児童番号</th><td>{escape(child.child_id)}</td></tr>"
        f'<tr><th>児童氏名</th><td><input type="text" name="shimei" id="shimei" value="{val("shimei")}" size="20"></td></tr>'
        f"<tr><th>選考結果</th><td>{radio('1', '内定')}{radio('2', '保留')}</td></tr>"
        f'<tr><th>施設コード</th><td><input type="text" name="shisetsu_cd" id="shisetsu_cd" value="{val("shisetsu_cd")}" size="6"></td></tr>'
        f'<tr><th>入所区分</th><td><select name="nyusho_kbn" id="nyusho_kbn">{kinds}</select></td></tr>'
        f'<tr><th>入所年月日</th><td><select name="gengo" id="gengo">{eras}</select>'
        f'<input type="text" name="nen" id="nen" value="{val("nen")}" size="2">年'
        f'<select name="tsuki" id="tsuki">{months}</select>月'
        f'<select name="hi" id="hi">{days}</select>日</td></tr></table>{save}</form>',
    )


def view_values(entry: Entry) -> dict[str, str]:
    """A stored entry as the classic form's field values."""
    values = {"shimei": entry.name, "kekka": {"内定": "1", "保留": "2"}.get(entry.outcome, "")}
    values |= {"shisetsu_cd": entry.nursery_code or "", "nyusho_kbn": entry.admission_kind or ""}
    if entry.start_date is not None:
        era, year = date_to_wareki(entry.start_date)
        values |= {"gengo": era, "nen": str(year), "tsuki": str(entry.start_date.month)}
        values["hi"] = str(entry.start_date.day)
    return values


def processing(done_url: str, delay_ms: int) -> str:
    return _page(
        "処理中",
        '<p id="processing">処理中です。しばらくお待ちください…</p>'
        f"<script>setTimeout(function () {{ location.replace('{done_url}'); }}, {delay_ms});</script>",
    )


def done(uketsuke: str, child_id: str) -> str:
    return _page(
        "登録完了",
        f'<p id="complete">登録が完了しました（受付番号 {escape(uketsuke)} 児童番号 {escape(child_id)}）</p>'
        '<a id="back" href="/search">検索画面へ戻る</a>'
        "<script>window.onload = function () { alert('登録しました'); };</script>",
    )


def server_error() -> str:
    return _page(
        "500 Internal Server Error", "<h1>Internal Server Error</h1><p>システムエラーが発生しました。</p>"
    )
