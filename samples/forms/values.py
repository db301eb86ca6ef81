"""Synthetic values for filled forms: one household gives an application and its 就労証明書.

Truth values are canonical: dates as ISO strings, check boxes as bools, choices as the option text,
text as typed (with the space between surname and given name). Everything is invented.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from samples.citygen.names import ADULT_GIVEN, CHILD_GIVEN, SURNAMES
from samples.forms.layouts import FLAGS, REASONS, STYLES

GRANDPARENTS = ("なし", "同居・保育可能", "同居・要介護等")
SIBLING_CONDITIONS = ("同保同時", "別保同時希", "別保順次希")

PREFECTURES = ("東京都", "神奈川県", "埼玉県", "千葉県", "大阪府", "愛知県", "福岡県", "北海道")
CITIES = ("みどり市", "さくら市", "青葉区", "中央区", "港北区", "西区", "東市", "南町")
TOWNS = (
    "桜町",
    "本町",
    "緑が丘",
    "旭町",
    "中央",
    "東町",
    "若葉台",
    "青葉台",
    "栄町",
    "幸町",
    "松原",
    "富士見",
    "大手町",
    "新町",
)
BUILDINGS = ("コーポ桜", "メゾン若葉", "ハイツ青葉", "グランドヒルズ", "パークハウス")
COMPANY_WORDS = ("みどり", "さくら", "青葉", "ひかり", "東和", "中央", "あさひ", "富士", "大和", "北斗")
COMPANY_KINDS = ("商事", "物産", "工業", "電機", "食品", "運輸", "建設", "システム", "製作所", "サービス")
COMPANY_FORMS = ("株式会社{}", "{}株式会社", "有限会社{}", "合同会社{}")
CARE_EMPLOYERS = ("医療法人{}会", "社会福祉法人{}福祉会", "{}市役所")
INDUSTRIES = ("製造業", "卸売業", "小売業", "医療・福祉", "情報通信業", "建設業", "教育", "運輸業", "公務")
WORKPLACES = ("本社", "本店", "営業所", "第二工場", "駅前店", "中央病院", "東支店")


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def person(
    rng: random.Random, given: tuple[tuple[str, str], ...], surname: tuple[str, str]
) -> tuple[str, str]:
    first = rng.choice(given)
    return f"{surname[0]} {first[0]}", f"{surname[1]} {first[1]}"


def address(rng: random.Random) -> str:
    text = f"{rng.choice(PREFECTURES)}{rng.choice(CITIES)}{rng.choice(TOWNS)}{rng.randint(1, 9)}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号"
    if rng.random() < 0.3:
        text += f"{rng.choice(BUILDINGS)}{rng.randint(1, 9)}0{rng.randint(1, 9)}"
    return text


def phone(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"0{rng.choice('789')}0-{rng.randint(1000, 9999)}-{rng.randint(0, 9999):04d}"
    area = rng.choice(("03", "06", "045", "048", "043", "052", "092", "011"))
    local = 8 - len(area) + 2
    return f"{area}-{rng.randint(10 ** (local - 5), 10 ** (local - 4) - 1)}-{rng.randint(0, 9999):04d}"


def company(rng: random.Random) -> str:
    word = rng.choice(COMPANY_WORDS)
    if rng.random() < 0.2:
        return rng.choice(CARE_EMPLOYERS).format(word)
    return rng.choice(COMPANY_FORMS).format(word + rng.choice(COMPANY_KINDS))


def household(
    rng: random.Random, year: int, nurseries: Sequence[str] = ()
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(application values, certificate values per working guardian) sharing one receipt number.

    Preferences are drawn from `nurseries` (a city's nursery ids) when given, else from N001..N119.
    """
    receipt = f"{year}{rng.randint(1, 999999):06d}"
    surname = rng.choice(SURNAMES)
    child_name, child_kana = person(rng, CHILD_GIVEN, surname)
    single = rng.random() < 0.15
    received = _date(rng, dt.date(year - 1, 10, 1), dt.date(year - 1, 12, 20))
    app: dict[str, Any] = {
        "receipt_no": receipt,
        "application_date": received.isoformat(),
        "child_kana": child_kana,
        "child_sex": rng.choice(("男", "女")),
        "child_name": child_name,
        "child_birth": _date(rng, dt.date(year - 6, 4, 2), dt.date(year - 1, 12, 31)).isoformat(),
        "address": address(rng),
        "phone": phone(rng),
        "desired_start": dt.date(year, rng.choice((4, 4, 4, 5, 6, 7)), 1).isoformat(),
        "preference_1": None,
        "allow_split": rng.random() < 0.3,
        "income_levy": str(rng.randrange(0, 400000, 100)) if rng.random() < 0.7 else None,
        "note": rng.choice(("特になし", "兄が在園中", "転居予定あり")) if rng.random() < 0.2 else None,
    }
    if nurseries:
        choices = rng.sample(list(nurseries), min(3, len(nurseries)))
    else:
        choices = [f"N{number:03d}" for number in rng.sample(range(1, 120), 3)]
    for rank, nursery in enumerate(choices[: rng.randint(1, 3)], start=1):
        app[f"preference_{rank}"] = nursery
    app["postal_code"] = f"{rng.randint(100, 999)}-{rng.randint(0, 9999):04d}"
    app["child_fact_ninkagai_months"] = str(rng.randint(1, 30)) if rng.random() < 0.3 else None
    app["household_fact_grandparent_status"] = rng.choice(GRANDPARENTS)
    app["guardian1_fact_nursery_teacher_in_town"] = rng.random() < 0.1
    app["sibling_condition"] = rng.choice(SIBLING_CONDITIONS) if rng.random() < 0.4 else None
    for name, _ in FLAGS:
        app[name] = rng.random() < 0.12
    app["flag_single_parent"] = single
    guardians = [("母", ADULT_GIVEN[:10])] if single else [("父", ADULT_GIVEN[10:]), ("母", ADULT_GIVEN[:10])]
    if not single and rng.random() < 0.5:
        guardians.reverse()
    certificates = []
    for index, (relation, pool) in enumerate(guardians, start=1):
        name, kana = person(rng, pool, surname)
        reason = "就労" if rng.random() < 0.85 else rng.choice(REASONS[1:])
        app[f"guardian{index}_name"] = name
        app[f"guardian{index}_kana"] = kana
        app[f"guardian{index}_birth"] = _date(
            rng, dt.date(year - 45, 1, 1), dt.date(year - 20, 12, 31)
        ).isoformat()
        app[f"guardian{index}_relation"] = relation
        app[f"guardian{index}_reason"] = reason
        if reason == "就労":
            certificates.append(_certificate(rng, receipt, name, kana, year))
    return app, certificates


def _certificate(rng: random.Random, receipt: str, name: str, kana: str, year: int) -> dict[str, Any]:
    per_day = rng.choice((4, 5, 6, 7, 7.5, 8, 8, 8, 9))
    days_week = rng.choice((3, 4, 5, 5, 5, 6))
    days_month = days_week * 4 + rng.randint(0, 2)
    leave = rng.random() < 0.3
    leave_start = _date(rng, dt.date(year - 2, 4, 1), dt.date(year - 1, 9, 30))

    def hours(value: float) -> str:
        return f"{value:g}" if value == int(value) else f"{value:.1f}"

    return {
        "receipt_no": receipt,
        "certified_on": _date(rng, dt.date(year - 1, 9, 1), dt.date(year - 1, 12, 1)).isoformat(),
        "employer_name": company(rng),
        "employer_address": address(rng),
        "employer_phone": phone(rng),
        "industry": rng.choice(INDUSTRIES),
        "worker_kana": kana,
        "worker_birth": _date(rng, dt.date(year - 45, 1, 1), dt.date(year - 20, 12, 31)).isoformat(),
        "worker_name": name,
        "employment_type": rng.choice(STYLES),
        "employed_since": _date(rng, dt.date(year - 20, 4, 1), dt.date(year - 1, 4, 1)).isoformat(),
        "workplace": rng.choice(WORKPLACES) if rng.random() < 0.7 else None,
        "hours_per_day": hours(per_day),
        "hours_per_week": hours(per_day * days_week),
        "hours_per_month": hours(per_day * days_month),
        "days_per_week": str(days_week),
        "days_per_month": str(days_month),
        "parental_leave": "有" if leave else "無",
        "leave_start": leave_start.isoformat() if leave else None,
        "leave_end": (dt.date(year, 3, 31)).isoformat() if leave else None,
        "return_date": dt.date(year, 4, 1).isoformat() if leave else None,
    }
