"""From readings to Application records: pairing by 受付番号, certificates to guardians, issues."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from matching.records import AdjustmentFlag, ReasonKind, WorkStyle
from ocr.canonical import Context, applications_from_readings
from ocr.readings import FieldReading, PageReading, PageStatus, Value


def page(name: str, values: dict[str, Value], pending: tuple[str, ...] = ()) -> PageReading:
    fields = tuple(FieldReading(k, k, "text", v, 1.0, k not in pending) for k, v in values.items())
    return PageReading(f"/scans/{name}.jpg", 0, PageStatus.OK, "t", fields).with_fields(fields)


APPLICATION: dict[str, Value] = {
    "receipt_no": "2027000123",
    "application_date": "2026-11-02",
    "child_name": "佐藤陽翔",
    "child_kana": "サトウハルト",
    "child_birth": "2025-06-01",
    "guardian1_name": "佐藤美咲",
    "guardian1_relation": "母",
    "guardian1_reason": "就労",
    "guardian2_name": "佐藤健太",
    "guardian2_relation": "父",
    "guardian2_reason": "求職",
    "preference_1": "N012",
    "preference_2": "N007",
    "preference_3": None,
    "desired_start": "2027-04-01",
    "allow_split": True,
    "flag_single_parent": False,
    "flag_grandparent": True,
    "income_levy": "123400",
}
CERTIFICATE: dict[str, Value] = {
    "receipt_no": "2027000123",
    "worker_name": "佐藤 美咲",
    "employment_type": "パート・アルバイト",
    "hours_per_month": "97.5",
    "days_per_week": "4",
}


def test_application_and_certificate_become_one_record() -> None:
    apps, issues = applications_from_readings([page("a", APPLICATION), page("c", CERTIFICATE)])
    assert issues == ()
    (app,) = apps
    assert app.id == "R2027-000123" and app.received_on == dt.date(2026, 11, 2)
    assert app.preferences == ("N012", "N007") and app.allow_split  # 別々の園でも可 ticked
    assert app.children[0].kana == "サトウハルト" and app.origin is not None and app.origin.file == "a.jpg"
    assert app.children[0].birth_date == dt.date(2025, 6, 1)
    mother, father = app.household.guardians
    assert mother.reasons[0].kind is ReasonKind.WORK
    assert mother.reasons[0].hours_per_month == 97.5 and mother.reasons[0].days_per_week == 4
    assert mother.reasons[0].work_style is WorkStyle.EMPLOYED
    assert father.reasons[0].kind is ReasonKind.JOB_SEARCH
    assert app.household.flags == frozenset({AdjustmentFlag.GRANDPARENT_AT_HOME})
    assert app.household.income_levy_yen == 123400


def test_missing_certificate_and_orphan_certificate_are_issues() -> None:
    other = {**CERTIFICATE, "receipt_no": "2027999999"}
    apps, issues = applications_from_readings([page("a", APPLICATION), page("c", other)])
    assert apps == ()
    messages = " ".join(i.message for i in issues)
    assert "no employment certificate for guardian 1" in messages
    assert "certificate without an application" in messages
    assert all("佐藤" not in i.message for i in issues)  # no names in issues


def test_pending_fields_keep_the_application_out() -> None:
    apps, issues = applications_from_readings(
        [page("a", APPLICATION), page("c", CERTIFICATE, pending=("hours_per_month",))]
    )
    assert apps == ()
    assert any("pending review" in i.message for i in issues)
    assert issues[0].masked_receipt == "2027****23"


def test_unread_page_and_invalid_record_are_reported() -> None:
    blank = PageReading("/scans/x.jpg", 0, PageStatus.BLANK, message="白紙 / blank")
    bad_start = {**APPLICATION, "desired_start": "2027-04-15", "guardian1_reason": "疾病"}
    apps, issues = applications_from_readings([blank, page("a", bad_start)])
    assert apps == ()
    assert "page not read" in issues[0].message
    assert "desired start" in issues[1].message


def test_real_readings_convert(readings: dict[str, PageReading]) -> None:
    """The generated batch: every application whose pages were all accepted becomes a record."""
    good = [r for name, r in sorted(readings.items()) if name.startswith("page_")]
    accepted = [r.with_fields(tuple(replace(f, accepted=True) for f in r.fields)) for r in good]
    apps, issues = applications_from_readings(accepted)
    assert apps, issues
    for app in apps:
        assert app.id.startswith("R2027-") and app.children[0].name


def test_template_constants_and_defaults_fill_what_the_form_does_not_ask(tmp_path: Path) -> None:
    """A form without 事由, 入所希望日 or 続柄: the template and the city profile supply them."""
    from ocr.template import load_template
    from samples.forms import TEMPLATES_DIR

    (tmp_path / "t.toml").write_text(
        f'[template]\nid = "t"\nimage = "{(TEMPLATES_DIR / "hoiku_moushikomi.png").as_posix()}"\n'
        '[constants]\nguardian1_relation = "母"\nhousehold_fact_resident = "@fact:resident_default"\n'
        '[defaults]\ndesired_start = "@round_start"\nguardian1_reason = "@certificate"\n'
        '[[fields]]\nname = "receipt_no"\nkind = "digits"\nbox = [10, 10, 200, 80]\n',
        encoding="utf-8",
    )
    template = load_template(tmp_path / "t.toml")
    asked = {
        k: v for k, v in APPLICATION.items() if not k.startswith(("guardian2", "desired", "guardian1_re"))
    }
    context = Context(round_start=dt.date(2027, 4, 1), facts={"resident_default": True})
    apps, issues = applications_from_readings(
        [page("a", asked), page("c", CERTIFICATE)], templates=(template,), context=context
    )
    assert issues == ()
    (app,) = apps
    assert app.desired_start == dt.date(2027, 4, 1)
    (mother,) = app.household.guardians
    assert mother.relation == "母" and mother.reasons[0].kind is ReasonKind.WORK
    assert app.household.facts == {"resident": True}
    # without the profile's round there is no desired start: an issue says where to give it
    apps, issues = applications_from_readings(
        [page("a", asked), page("c", CERTIFICATE)], templates=(template,)
    )
    assert apps == () and any("@round_start" in i.message for i in issues)
