"""内定・保留通知書: composed from records, instance and result; printed to PDF; each letter its own data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import stat
from pathlib import Path

import pytest

from cityprofile import open_city
from matching.deferred_acceptance import deferred_acceptance
from matching.explain import explain_outcome
from matching.instance import Instance, InstanceApplication, InstanceNursery
from matching.records import Application, Nursery, parse_record
from matching.result import MatchResult
from notices import compose_letters, write_notices
from notices._exec.pdf import page_texts

YEAR = 2027
PROFILE = open_city("hinata").profile


def _application(
    app_id: str, postal: str, guardian: str, children: list[tuple[str, str]], prefs: list[str]
) -> Application:
    return parse_record(
        Application,
        {
            "id": app_id,
            "household": {
                "postal_code": postal,
                "address": f"ひなた市{app_id}町1-1",
                "guardians": [{"relation": "母", "name": guardian, "reasons": [{"kind": "求職"}]}],
            },
            "children": [{"id": cid, "name": name, "birth_date": "2025-06-01"} for cid, name in children],
            "preferences": prefs,
            "sibling_condition": "同保同時" if len(children) > 1 else None,
            "desired_start": f"{YEAR}-04-01",
        },
    )


@pytest.fixture(scope="module")
def season() -> tuple[list[Application], list[Nursery], Instance, MatchResult]:
    applications = [
        _application("R-1", "100-0003", "青木 花子", [("C1", "青木 一郎")], ["N1", "N2"]),
        _application("R-2", "100-0001", "石井 陽子", [("C2", "石井 二郎")], ["N1"]),
        _application("R-3", "100-0002", "上田 恵", [("C3", "上田 三郎"), ("C4", "上田 四郎")], ["N1", "N2"]),
    ]
    nurseries = [
        Nursery(id="N1", name="さくら保育園", capacity={1: 1}),
        Nursery(id="N2", name="ひまわり園", capacity={1: 1}),
    ]
    instance = Instance(
        admission_year=YEAR,
        nurseries=tuple(InstanceNursery(id=n.id, name=n.name, capacity=n.capacity) for n in nurseries),
        applications=(
            InstanceApplication(id="C1", age_class=1, preferences=("N1", "N2"), score=50, tiebreak=1),
            InstanceApplication(id="C2", age_class=1, preferences=("N1",), score=40, tiebreak=2),
            InstanceApplication(
                id="C3", age_class=1, preferences=("N1", "N2"), score=45, tiebreak=3, sibling_group="R-3"
            ),
            InstanceApplication(
                id="C4", age_class=1, preferences=("N1", "N2"), score=45, tiebreak=4, sibling_group="R-3"
            ),
        ),
    )
    assignments = deferred_acceptance(instance)
    result = MatchResult(
        status="optimal", assignments=assignments, placed=sum(1 for v in assignments.values() if v),
        explanations=explain_outcome(instance, assignments),
    )  # fmt: skip
    return applications, nurseries, instance, result


def test_letters_in_print_order_with_plain_reasons(season: tuple) -> None:  # type: ignore[type-arg]
    letters = compose_letters(*season, PROFILE)
    assert [letter.postal_code for letter in letters] == ["100-0001", "100-0002", "100-0003"]
    assert [letter.document_number for letter in letters] == ["ひ保第 1 号", "ひ保第 2 号", "ひ保第 3 号"]
    by_id = {letter.application_id: letter for letter in letters}
    placed = by_id["R-1"]
    assert placed.kind == "内定" and placed.children[0].nursery == "さくら保育園" and not placed.next_steps
    waiting = by_id["R-2"]
    # Third among the waiting children who put さくら保育園's 1歳児 first: the twins (45) come before (40).
    assert waiting.kind == "保留" and waiting.children[0].waiting_position == 3
    assert "内定した方の最も低い選考指数は 50、お子さんの選考指数は 40" in waiting.children[0].reasons[0]
    group = by_id["R-3"]
    assert group.kind == "保留"
    assert any("きょうだい" in r for child in group.children for r in child.reasons)
    assert any("別園可" in step for step in group.next_steps)


def _text(pdf: Path) -> str:
    """The page's text without the line breaks and spaces the layout puts in."""
    [page] = page_texts(pdf)
    return "".join(page.split())


@pytest.mark.slow
def test_pdfs_carry_each_household_and_only_its_own(season: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    letters = compose_letters(*season, PROFILE)
    files = write_notices(letters, PROFILE, tmp_path / "notices", issued_on=dt.date(YEAR, 2, 5))
    assert files.count == 3 and len(page_texts(files.combined)) == 3
    names = {"R-1": "青木", "R-2": "石井", "R-3": "上田"}
    for app_id, path in files.letters.items():
        text = _text(path)
        assert names[app_id] in text and "令和9年2月5日" in text and "令和9年4月1日" in text
        assert all(other not in text for key, other in names.items() if key != app_id)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    r1 = _text(files.letters["R-1"])
    assert "保育所等利用内定通知書" in r1 and "さくら保育園" in r1 and "1歳児" in r1
    r2 = _text(files.letters["R-2"])
    assert "保留通知書" in r2 and "お子さんの選考指数は40" in r2 and "待機順位3番" in r2
    rows = list(csv.reader(io.StringIO(files.mail_merge.read_bytes().decode("utf-8-sig"))))
    assert rows[0][0] == "文書番号" and len(rows) == 1 + 4
    assert stat.S_IMODE((tmp_path / "notices").stat().st_mode) == 0o700


def test_a_name_that_looks_like_markup_or_a_formula_stays_text(season: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    _, nurseries, instance, result = season
    hostile = [_application("R-1", "100-0003", "=HYPERLINK(1)<b>x</b>", [("C1", "青木 一郎")], ["N1", "N2"])]
    letters = compose_letters(hostile, nurseries, instance, result, PROFILE)
    from notices.render import _html_batches, _mail_merge_csv

    [(html, _)] = _html_batches(letters, PROFILE, dt.date(YEAR, 2, 5), None)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "'=HYPERLINK(1)" in _mail_merge_csv(letters).decode("utf-8-sig")
