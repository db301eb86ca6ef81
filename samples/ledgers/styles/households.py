"""Synthetic households for the ledger styles: the ground truth a style renders into messy cells.

What cities' ledgers hold, as observed in 受付台帳 kept in Excel: one household applies for one to three
children; one or two guardians with relation, name and furigana, birth date, 市民税所得割額 and a reason
(mostly work, with hours written per month or as days × hours a week); address, postal code, one or two
phones; one to three preferred nurseries; a sibling condition in the city's own words; free remarks.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from fractions import Fraction

SURNAMES = (
    ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"),
    ("吉田", "ヨシダ"), ("山田", "ヤマダ"), ("松本", "マツモト"), ("井上", "イノウエ"), ("木村", "キムラ"),
)  # fmt: skip
CHILD_NAMES = (
    ("陽翔", "ハルト", "男"), ("蓮", "レン", "男"), ("湊", "ミナト", "男"), ("蒼", "アオイ", "男"),
    ("樹", "イツキ", "男"), ("悠真", "ユウマ", "男"), ("陽葵", "ヒマリ", "女"), ("凛", "リン", "女"),
    ("芽依", "メイ", "女"), ("結菜", "ユイナ", "女"), ("紬", "ツムギ", "女"), ("さくら", "サクラ", "女"),
)  # fmt: skip
ADULT_NAMES = {
    "父": (
        ("大輔", "ダイスケ"),
        ("健太", "ケンタ"),
        ("翔太", "ショウタ"),
        ("拓也", "タクヤ"),
        ("直樹", "ナオキ"),
    ),
    "母": (("由美", "ユミ"), ("彩", "アヤ"), ("恵", "メグミ"), ("麻衣", "マイ"), ("香織", "カオリ")),
}
REMARKS = ("転居予定あり", "育休中（4月復職予定）", "祖母が近所に住む", "アレルギー（卵）", "第2子妊娠中")


@dataclass
class Parent:
    relation: str  # 父 / 母
    name: str
    kana: str
    birth_date: dt.date
    income: int  # 市民税所得割額 (yen)
    reason: str  # 就労 / 求職 / 疾病 / 出産
    days: int | None = None  # days a week (work)
    hours_week: int | None = None  # hours a week when the city writes weekly hours
    hours_month: int | None = None  # hours a month when the city writes monthly hours
    facts: dict[str, object] = field(default_factory=dict)


@dataclass
class Kid:
    name: str
    kana: str
    sex: str
    birth_date: dt.date
    facts: dict[str, object] = field(default_factory=dict)


@dataclass
class Family:
    number: str
    address: str
    postal: str
    phones: list[str]
    parents: list[Parent]
    kids: list[Kid]
    preferences: list[str]  # nursery ids
    condition: str | None  # the city's label of the sibling condition (several children only)
    remarks: str | None
    facts: dict[str, object] = field(default_factory=dict)
    received: dt.date = dt.date(2026, 10, 1)


def monthly(hours_week: int, weeks_per_month: Fraction) -> float:
    """The city's rule: weekly hours × weeks per month, kept to two decimals."""
    return round(float(hours_week * weeks_per_month), 2)


def families(
    seed: int,
    count: int,
    nursery_ids: list[str],
    *,
    prefix: str,
    weekly_share: float,
    condition_labels: list[str],
    first_day: dt.date = dt.date(2027, 4, 1),
) -> list[Family]:
    rng = random.Random(seed)
    result = []
    for index in range(1, count + 1):
        surname, surkana = rng.choice(SURNAMES)
        parents = []
        single = rng.random() < 0.15
        for relation in ("母",) if single else ("父", "母"):
            given, kana = rng.choice(ADULT_NAMES[relation])
            born = dt.date(rng.randint(1983, 1998), rng.randint(1, 12), rng.randint(1, 28))
            reason = "就労" if rng.random() < 0.85 else rng.choice(("求職", "疾病", "出産"))
            if reason == "出産" and relation == "父":
                reason = "求職"
            parent = Parent(
                relation,
                f"{surname} {given}",
                f"{surkana} {kana}",
                born,
                rng.randrange(0, 300_000, 100),
                reason,
            )
            if reason == "就労":
                parent.days = rng.choice((4, 5, 5, 5, 6))
                if rng.random() < weekly_share:
                    parent.hours_week = parent.days * rng.choice((6, 7, 8))
                else:
                    parent.hours_month = rng.choice((120, 140, 160, 168, 176, 184))
            parents.append(parent)
        kids: list[Kid] = []
        for _ in range(rng.choices((1, 2, 3), (75, 20, 5))[0]):
            given, kana, sex = rng.choice(CHILD_NAMES)
            if any(k.name.endswith(given) for k in kids):
                continue  # no two siblings of one name
            born = first_day - dt.timedelta(days=rng.randint(200, 5 * 365 + 300))
            kids.append(Kid(f"{surname} {given}", f"{surkana} {kana}", sex, born))
        kids.sort(key=lambda kid: kid.birth_date)
        preferences = rng.sample(nursery_ids, rng.randint(1, 3))
        result.append(
            Family(
                number=f"{prefix}{index:05d}",
                address=f"{rng.choice(('本町', '栄町', '緑が丘', '川辺'))}{rng.randint(1, 5)}丁目{rng.randint(1, 30)}-{rng.randint(1, 20)}",
                postal=f"{rng.randint(900, 999)}-{rng.randint(0, 9999):04d}",
                phones=[f"090{rng.randint(0, 99_999_999):08d}"]
                + ([f"080{rng.randint(0, 99_999_999):08d}"] if rng.random() < 0.4 else []),
                parents=parents,
                kids=kids,
                preferences=preferences,
                condition=rng.choice(condition_labels) if len(kids) > 1 else None,
                remarks=rng.choice(REMARKS) if rng.random() < 0.2 else None,
                received=dt.date(2026, 10, 1) + dt.timedelta(days=rng.randint(0, 40)),
            )
        )
    return result


HIRAGANA_OFFSET = ord("ァ") - ord("ぁ")


def hiragana(kana: str) -> str:
    return "".join(chr(ord(c) - HIRAGANA_OFFSET) if "ァ" <= c <= "ヶ" else c for c in kana)


_HALF = dict(zip(
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンァィゥェォャュョッー ",
    "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｧｨｩｪｫｬｭｮｯｰ ",
    strict=True,
))  # fmt: skip
_VOICED = {"ガ": "ｶﾞ", "ギ": "ｷﾞ", "グ": "ｸﾞ", "ゲ": "ｹﾞ", "ゴ": "ｺﾞ", "ザ": "ｻﾞ", "ジ": "ｼﾞ", "ズ": "ｽﾞ", "ゼ": "ｾﾞ",
           "ゾ": "ｿﾞ", "ダ": "ﾀﾞ", "ヂ": "ﾁﾞ", "ヅ": "ﾂﾞ", "デ": "ﾃﾞ", "ド": "ﾄﾞ", "バ": "ﾊﾞ", "ビ": "ﾋﾞ", "ブ": "ﾌﾞ",
           "ベ": "ﾍﾞ", "ボ": "ﾎﾞ", "パ": "ﾊﾟ", "ピ": "ﾋﾟ", "プ": "ﾌﾟ", "ペ": "ﾍﾟ", "ポ": "ﾎﾟ"}  # fmt: skip


def half_width(kana: str) -> str:
    """Katakana as an old system's half-width output (ｻﾄｳ ﾊﾙﾄ)."""
    return "".join(_VOICED.get(c) or _HALF.get(c, c) for c in kana)


def full_width(text: str) -> str:
    """ASCII digits and letters as full-width (１６０ｈ): what IME input often leaves in cells."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def wareki(day: dt.date, short: bool = False) -> str:
    """A date in the Japanese era form staff type: 令和6年5月3日 or R6.5.3 (平成 before 2019-05-01)."""
    if day >= dt.date(2019, 5, 1):
        era, letter, year = "令和", "R", day.year - 2018
    elif day >= dt.date(1989, 1, 8):
        era, letter, year = "平成", "H", day.year - 1988
    else:
        era, letter, year = "昭和", "S", day.year - 1925
    if short:
        return f"{letter}{year}.{day.month}.{day.day}"
    return f"{era}{'元' if year == 1 else year}年{day.month}月{day.day}日"
