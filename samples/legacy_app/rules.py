"""Business rules the sample legacy system checks on save (業務エラー shown on the screen).

Messages carry codes and nursery codes only, never a child's name, so a robot may copy them into its
report as they are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from samples.legacy_app.store import LegacyStore

OUTCOMES = ("内定", "保留")
# Era codes as old municipal systems number them (1 明治 … 5 令和) and their first Gregorian year - 1.
ERA_OFFSETS = {"1": 1867, "2": 1911, "3": 1925, "4": 1988, "5": 2018}


@dataclass(frozen=True)
class Submission:
    """One save request, already decoded from whichever screen layout sent it."""

    uketsuke: str
    child_id: str
    name: str
    outcome: str | None
    nursery_code: str
    start_date: dt.date | None
    start_date_invalid: bool
    admission_kind: str | None


def check(store: LegacyStore, sub: Submission) -> str | None:
    """The first business error of the submission, or None when it may be stored."""
    child = store.child(sub.uketsuke, sub.child_id)
    if child is None:
        return f"E100 受付番号 {sub.uketsuke} の児童 {sub.child_id} は登録されていません"
    if sub.outcome not in OUTCOMES:
        return "E101 選考結果を選択してください"
    if _squash(sub.name) != _squash(child.name):
        return "E105 児童氏名が住民記録と一致しません"
    if sub.outcome == "保留":
        if sub.nursery_code or sub.start_date or sub.start_date_invalid:
            return "E106 保留の場合は施設コードと入所年月日を入力しないでください"
        return None
    if not sub.nursery_code:
        return "E102 施設コードを入力してください"
    if store.nursery_name(sub.nursery_code) is None:
        return f"E102 施設コード {sub.nursery_code} は登録されていません"
    if sub.start_date is None:
        return "E103 入所年月日が正しくありません"
    if child.birth_date is not None and sub.start_date < child.birth_date:
        return "E104 入所年月日が生年月日より前です"
    return None


def wareki_to_date(era_code: str, year: str, month: str, day: str) -> tuple[dt.date | None, bool]:
    """(date, invalid): all parts empty gives (None, False); a partial or impossible date is invalid."""
    parts = (era_code.strip(), year.strip(), month.strip(), day.strip())
    if not any(parts):
        return None, False
    try:
        return dt.date(ERA_OFFSETS[parts[0]] + int(parts[1]), int(parts[2]), int(parts[3])), False
    except (KeyError, ValueError):
        return None, True


ERA_STARTS = (("5", dt.date(2019, 5, 1)), ("4", dt.date(1989, 1, 8)), ("3", dt.date(1926, 12, 25)))


def date_to_wareki(date: dt.date) -> tuple[str, int]:
    """(era code, year of the era) as the screens show a stored date."""
    for code, start in ERA_STARTS:
        if date >= start:
            return code, date.year - ERA_OFFSETS[code]
    return "2", date.year - ERA_OFFSETS["2"]


def iso_to_date(text: str) -> tuple[dt.date | None, bool]:
    if not text.strip():
        return None, False
    try:
        return dt.date.fromisoformat(text.strip()), False
    except ValueError:
        return None, True


def _squash(name: str) -> str:
    """Names compare without spaces: staff type 佐藤 陽翔, 佐藤　陽翔 or 佐藤陽翔."""
    return "".join(name.split())
