"""Screens of the newer layout (/v2/): UTF-8, an iframe instead of a frameset, other field names and ids,
a select instead of radio buttons, one ISO date input, and an in-page modal instead of `confirm()`.
"""

from __future__ import annotations

from html import escape

from samples.legacy_app.store import SeedChild


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body>{body}</body></html>\n"
    )


def login(message: str = "") -> str:
    note = f'<div class="notice" role="alert">{escape(message)}</div>' if message else ""
    return _page(
        "サインイン",
        f"<main><h1>子育て支援ポータル</h1>{note}"
        '<form id="login-form" method="post" action="/v2/login" target="_top">'
        '<label>ユーザー名 <input name="username" autocomplete="username"></label>'
        '<label>パスワード <input name="password" type="password"></label>'
        '<button id="sign-in" type="submit">サインイン</button></form></main>',
    )


def shell() -> str:
    return _page(
        "子育て支援ポータル",
        '<header><nav><a data-nav="decisions" href="/v2/decisions" target="content">入所決定</a> '
        '<a href="/v2/logout">サインアウト</a></nav></header>'
        '<iframe id="content" name="content" src="/v2/home" style="width:100%;height:600px"></iframe>',
    )


def home() -> str:
    return _page("ホーム", "<p>メニューを選んでください。</p>")


def decisions(application: str, children: list[tuple[SeedChild, bool]] | None) -> str:
    listing = ""
    if children is not None and not children:
        listing = '<p class="empty-state">申込が見つかりません</p>'
    elif children:
        items = ""
        for child, entered in children:
            badge = "登録済" if entered else "未登録"
            query = f"application={escape(child.uketsuke)}&amp;child={escape(child.child_id)}"
            action = (
                f'<a class="view" href="/v2/decisions/view?{query}">表示</a>'
                if entered
                else f'<a class="open" href="/v2/decisions/edit?{query}">編集</a>'
            )
            items += (
                f'<li class="child" data-child-id="{escape(child.child_id)}">{escape(child.name)} '
                f'<span class="badge">{badge}</span> {action}</li>'
            )
        listing = f'<ul class="children">{items}</ul>'
    return _page(
        "入所決定",
        '<h2>入所決定</h2><form class="query" method="get" action="/v2/decisions">'
        f'<input id="q-application" name="application" value="{escape(application)}" placeholder="受付番号">'
        '<button id="q-go" type="submit">検索</button></form>' + listing,
    )


def edit(child: SeedChild, values: dict[str, str], error: str = "", view: bool = False) -> str:
    """The edit form; `view`: a registered decision shown in the same form, without saving."""

    def option(value: str, label: str) -> str:
        selected = " selected" if values.get("result", "") == value else ""
        return f'<option value="{value}"{selected}>{label}</option>'

    alert = f'<div class="alert-danger" role="alert">{escape(error)}</div>' if error else ""
    return _page(
        "入所決定の編集",
        f"<h2>入所決定の編集</h2>{alert}"
        f'<form id="{"decision-view" if view else "decision-form"}" method="post" action="/v2/decisions/save">'
        f'<input type="hidden" name="application" value="{escape(child.uketsuke)}">'
        f'<input type="hidden" name="child" value="{escape(child.child_id)}">'
        f'<label>氏名 <input id="f-name" name="child_name" value="{escape(values.get("child_name", ""))}"></label>'
        f'<label>結果 <select id="f-result" name="result">{option("", "選択")}{option("naitei", "内定")}'
        f"{option('horyu', '保留')}</select></label>"
        f'<label>施設 <input id="f-facility" name="facility" value="{escape(values.get("facility", ""))}"></label>'
        f'<label>入所日 <input id="f-start" name="start" type="date" value="{escape(values.get("start", ""))}"></label>'
        '<button id="save" type="button" onclick="document.getElementById(\'confirm-modal\').hidden = false">'
        "保存</button>"
        '<div id="confirm-modal" class="modal" hidden><p>保存しますか？</p>'
        '<button id="modal-ok" type="submit">はい</button>'
        '<button id="modal-cancel" type="button" onclick="this.parentNode.hidden = true">いいえ</button>'
        "</div></form>",
    )


def processing(done_url: str, delay_ms: int) -> str:
    return _page(
        "処理中",
        '<div class="spinner" id="busy">処理中…</div>'
        f"<script>setTimeout(function () {{ location.replace('{done_url}'); }}, {delay_ms});</script>",
    )


def done(uketsuke: str, child_id: str) -> str:
    return _page(
        "保存しました",
        f'<div class="toast success" role="status">保存しました ({escape(uketsuke)} / {escape(child_id)})</div>'
        '<a href="/v2/decisions">入所決定へ</a>',
    )
