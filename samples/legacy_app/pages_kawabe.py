"""Screens of the かわべ町 system (/kawabe/), built on other conventions than the classic and /v2/ layouts.

What a robot meets here and not there: EUC-JP pages; a frameset whose work area is an iframe *inside* a
frame; a search by 受付番号 *and* 児童番号 that opens the entry form directly (no result list); the
facility chosen by its displayed name from a drop-down with look-alike labels (ひまわり保育園 /
ひまわり第二保育園, 中央保育園 / 中央保育園分園, widths and spaces that differ from the city's list,
one renamed 市立…); 入所予定日 as 元号 drop-down + three text boxes, wanted on 保留 too; 保育必要量 radio
buttons; a 備考 text area; every business error listed as its own red line; a session time-out page
that is not the login form but shows the same red text as business errors; a 処理中 page that moves on by
meta refresh; confirm() before saving and alert() after; a registered child shown read-only (照会).
"""

from __future__ import annotations

from html import escape

from samples.legacy_app.store import Entry, SeedChild

ENCODING = "euc_jp"
ERAS = (("R", "令和"), ("H", "平成"))
NEEDS = (("1", "標準"), ("2", "短時間"))
OUTCOMES = (("A", "内定"), ("B", "保留"))


def _page(title: str, body: str, onload: str = "") -> str:
    script = f"<script>window.onload = function () {{ {onload} }};</script>" if onload else ""
    return (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=EUC-JP">'
        f"<title>{escape(title)}</title>{script}</head><body>{body}</body></html>\n"
    )


def _red(message: str) -> str:
    return f'<font color="red" class="msg">{escape(message)}</font><br>'


def login(message: str = "") -> str:
    return _page(
        "かわべ町 保育業務システム",
        "<center><h2>かわべ町 保育業務システム</h2>"
        + (_red(message) if message else "")
        + '<form name="LOGIN" method="post" action="/kawabe/login" target="_top">'
        '職員番号 <input type="text" id="uid" name="UID"><br>'
        'パスワード <input type="password" id="pwd" name="PWD"><br>'
        '<input type="submit" id="go" value="ログイン"></form></center>',
    )


def top() -> str:
    return (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=EUC-JP">'
        '<title>かわべ町 保育業務システム</title></head><frameset rows="48,*">'
        '<frame name="head" src="/kawabe/head"><frame name="body" src="/kawabe/body"></frameset></html>\n'
    )


def head() -> str:
    return _page("head", '<b>かわべ町 保育業務システム</b> <a href="/kawabe/logout" target="_top">終了</a>')


def body() -> str:
    return _page(
        "body",
        '<table width="100%"><tr><td width="160" valign="top">'
        '<a id="m-nyusho" href="/kawabe/kensaku" target="gyomu">入所決定登録</a></td><td>'
        '<iframe name="gyomu" id="gyomu" src="/kawabe/blank" width="100%" height="560"></iframe>'
        "</td></tr></table>",
    )


def blank() -> str:
    return _page("業務", "<p>業務を選んでください。</p>")


def search(message: str = "") -> str:
    found = f'<div id="nodata">{_red(message)}</div>' if message else ""
    return _page(
        "入所決定登録 検索",
        "<h3>入所決定登録</h3>"
        '<form name="KENSAKU" method="get" action="/kawabe/kensaku">'
        '受付番号 <input type="text" name="UKE_NO" size="14"> 児童番号 <input type="text" name="JIDO_NO" '
        'size="10"> <input type="submit" id="kensaku-btn" value="検索"></form>' + found,
    )


def entry(
    child: SeedChild, facilities: list[tuple[str, str]], values: dict[str, str], errors: list[str]
) -> str:
    def option(name: str, value: str, label: str) -> str:
        selected = " selected" if values.get(name, "") == value else ""
        return f'<option value="{escape(value)}"{selected}>{escape(label)}</option>'

    def radio(value: str, label: str) -> str:
        checked = " checked" if values.get("HITSUYO") == value else ""
        return f'<input type="radio" name="HITSUYO" value="{value}"{checked}>{label}'

    def text(name: str, size: int) -> str:
        return f'<input type="text" id="{name.lower()}" name="{name}" value="{escape(values.get(name, ""))}" size="{size}">'

    outcomes = option("KETTEI", "", "--") + "".join(option("KETTEI", v, lbl) for v, lbl in OUTCOMES)
    places = option("SHISETSU", "", "（選択してください）")
    places += "".join(option("SHISETSU", v, lbl) for v, lbl in facilities)
    eras = option("NENGO", "", "") + "".join(option("NENGO", v, lbl) for v, lbl in ERAS)
    return _page(
        "入所決定登録",
        "<h3>入所決定登録</h3>"
        + "".join(_red(e) for e in errors)
        + '<form name="NYUSHO" method="post" action="/kawabe/touroku">'
        f'<input type="hidden" name="UKE_NO" value="{escape(child.uketsuke)}">'
        f'<input type="hidden" name="JIDO_NO" value="{escape(child.child_id)}">'
        f"<table border=1><tr><th>受付番号</th><td>{escape(child.uketsuke)}</td>"
        f"<th>児童</th><td>{escape(child.child_id)} {escape(child.name)}</td></tr>"
        f'<tr><th>決定区分</th><td colspan=3><select id="kettei" name="KETTEI">{outcomes}</select></td></tr>'
        f'<tr><th>入所施設</th><td colspan=3><select id="shisetsu" name="SHISETSU">{places}</select></td></tr>'
        f'<tr><th>入所予定日</th><td colspan=3><select id="nengo" name="NENGO">{eras}</select>'
        f"{text('YY', 2)}年{text('MM', 2)}月{text('DD', 2)}日</td></tr>"
        f"<tr><th>保育必要量</th><td colspan=3>{''.join(radio(v, lbl) for v, lbl in NEEDS)}</td></tr>"
        '<tr><th>備考</th><td colspan=3><textarea id="biko" name="BIKO" rows="3" cols="50">'
        f"{escape(values.get('BIKO', ''))}</textarea></td></tr></table>"
        '<input type="button" id="touroku" value="登録" '
        "onclick=\"if (confirm('登録します。よろしいですか？')) { document.NYUSHO.submit(); }\">"
        "</form>",
    )


def registered(child: SeedChild, saved: Entry, facility: str, need: str, era: str, year: int) -> str:
    """照会: a registered child, read-only (the system refuses a second entry)."""
    date = saved.start_date

    def cell(key: str, value: str) -> str:
        return f'<td id="v-{key}">{escape(value)}</td>'

    return _page(
        "入所決定照会",
        '<h3>入所決定照会 <span id="zumi">登録済み</span></h3><table border=1>'
        f"<tr><th>受付番号</th><td>{escape(child.uketsuke)}</td><th>児童</th><td>{escape(child.child_id)}</td></tr>"
        f"<tr><th>決定区分</th>{cell('kettei', saved.outcome)}<th>入所施設</th>{cell('shisetsu', facility)}</tr>"
        f"<tr><th>入所予定日</th>{cell('nengo', era)}{cell('yy', str(year) if date else '')}"
        f"{cell('mm', str(date.month) if date else '')}{cell('dd', str(date.day) if date else '')}</tr>"
        f"<tr><th>保育必要量</th>{cell('hitsuyo', need)}<th>備考</th>{cell('biko', saved.remarks or '')}</tr>"
        "</table>",
    )


def processing(done_url: str, delay_ms: int) -> str:
    return (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=EUC-JP">'
        f'<meta http-equiv="refresh" content="{delay_ms / 1000:.2f};URL={escape(done_url)}">'
        '<title>処理中</title></head><body><p id="shorichu">処理中です…</p></body></html>\n'
    )


def done() -> str:
    return _page("登録完了", '<p id="kanryo">登録処理が終了しました。</p>', "alert('登録が完了しました');")


def timeout() -> str:
    # Not the login form: a page of its own, whose red line looks like any business error.
    return _page(
        "タイムアウト",
        '<div id="timeout">'
        + _red("E900 セッションがタイムアウトしました。再度ログインしてください。")
        + '<a href="/kawabe/login" target="_top">ログイン画面へ</a></div>',
    )
