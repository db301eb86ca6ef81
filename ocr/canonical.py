"""From readings to canonical records: an application form plus its 就労証明書, paired by 受付番号.

Pages are recognised by the fields they carry (any city's layout using the standard field names works):
an application has `receipt_no`, `child_name`, `child_birth`, `guardian1_name`; a certificate has
`receipt_no`, `worker_name` and `hours_per_month` or `hours_per_week`. A page with fields still waiting in the review queue
yields an issue instead of a record, so that nothing unconfirmed reaches scoring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from matching.errors import InvalidRecordError
from matching.records import Application, ReasonKind, parse_record
from ocr.application_fields import (
    APPLICATION_FIELDS,
    CERTIFICATE_FIELDS,
    CERTIFICATE_HOURS,
    FROM_CERTIFICATE,
    Context,
    application_record,
    guardian_record,
    reason_of,
    resolve,
    same_person,
)
from ocr.readings import PageReading, Value
from ocr.template import FormTemplate

__all__ = ["CanonicalIssue", "Context", "application_id", "applications_from_readings", "page_values"]


@dataclass(frozen=True)
class CanonicalIssue:
    """Why a page or application did not become a record. No names or addresses in the message."""

    page: str  # file name and page, e.g. "scan_0012.jpg p.1"
    receipt_no: str | None
    message: str

    @property
    def masked_receipt(self) -> str:
        """For logs and reports: the receipt number with its middle hidden."""
        r = self.receipt_no or ""
        return r[:4] + "*" * max(0, len(r) - 6) + r[-2:] if len(r) > 6 else "*" * len(r)


def _where(reading: PageReading) -> str:
    return f"{Path(reading.source).name} p.{reading.page + 1}"


def application_id(receipt_no: str) -> str:
    """`2027000123` → `R2027-000123`, the id the city generator and ledgers use."""
    return (
        f"R{receipt_no[:4]}-{receipt_no[4:]}"
        if len(receipt_no) == 10 and receipt_no.isdigit()
        else receipt_no
    )


def page_values(reading: PageReading, template: FormTemplate | None, context: Context) -> dict[str, Value]:
    """The page's values with its template's constants (always) and defaults (where empty) applied."""
    values: dict[str, Value] = dict(reading.values())
    if template is None:
        return values
    for name, default in template.defaults:
        if values.get(name) in (None, "") and default != FROM_CERTIFICATE:
            values[name] = resolve(default, context)  # type: ignore[assignment]
    for name, constant in template.constants:
        values[name] = resolve(constant, context)  # type: ignore[assignment]
    return values


def _application(
    values: dict[str, Value],
    certificates: list[dict[str, Value]],
    context: Context,
    reason_defaults: Mapping[str, object],
) -> tuple[dict[str, object], list[str]]:
    problems: list[str] = []
    guardians = []
    used: set[int] = set()
    for n in (1, 2):
        name = values.get(f"guardian{n}_name")
        if not name:
            continue
        matches = [
            i for i, c in enumerate(certificates) if i not in used and same_person(c.get("worker_name"), name)
        ]
        reason_text = values.get(f"guardian{n}_reason")
        if not reason_text and reason_defaults.get(f"guardian{n}_reason") == FROM_CERTIFICATE and matches:
            reason_text = ReasonKind.WORK.value  # the form has no 事由: a 就労証明書 of this guardian says it
        if not reason_text:
            problems.append(f"保護者{n}の事由がありません / guardian {n} has no reason")
            continue
        certificate = None
        if reason_text == ReasonKind.WORK.value:
            if not matches:
                problems.append(
                    f"保護者{n}の就労証明書がありません（受付番号・氏名で照合）/ no employment certificate for guardian {n}"
                )
                continue
            used.add(matches[0])
            certificate = certificates[matches[0]]
        guardians.append(guardian_record(values, n, [reason_of(reason_text, certificate)]))
    for i in range(len(certificates)):
        if i not in used:
            problems.append(
                "どの保護者にも対応しない就労証明書があります / a certificate matches no guardian on the application"
            )
    if not values.get("desired_start") and context.round_start is None:
        problems.append(
            '入所希望日がありません。様式の [defaults] に desired_start = "@round_start" を書くか、'
            "募集回の初日を指定してください / no desired start: give the round's first day"
        )
    record = application_record(values, application_id(str(values["receipt_no"])), guardians, context)
    return record, problems


def applications_from_readings(
    readings: Sequence[PageReading],
    templates: Sequence[FormTemplate] = (),
    context: Context | None = None,
) -> tuple[tuple[Application, ...], tuple[CanonicalIssue, ...]]:
    """Pair application pages with their certificates and build `Application` records.

    `templates` supply each form's constants and defaults (what the form does not ask); `context` the
    round's first day and the city facts they may refer to.

    Returns (applications in input order, issues). An application is left out — with an issue saying
    why — when a page was not read, has fields pending review, lacks a certificate, or fails validation.
    """
    context = context or Context()
    by_id = {t.id: t for t in templates}
    issues: list[CanonicalIssue] = []
    applications: list[tuple[PageReading, dict[str, Value]]] = []
    certificates: dict[str, list[tuple[PageReading, dict[str, Value]]]] = {}
    blocked: set[str] = set()
    for reading in readings:
        if not reading.status.was_read:
            issues.append(
                CanonicalIssue(
                    _where(reading),
                    None,
                    f"ページを読み取れません ({reading.status.value}) / page not read: {reading.message}",
                )
            )
            continue
        template = by_id.get(reading.template_id or "")
        values = page_values(reading, template, context)
        names = set(values)
        receipt = str(values.get("receipt_no") or "") or None
        if reading.pending:
            labels = "、".join(f.label for f in reading.pending)
            issues.append(
                CanonicalIssue(
                    _where(reading), receipt, f"確認待ちの項目があります: {labels} / fields pending review"
                )
            )
            if receipt:
                blocked.add(receipt)
            continue
        if names >= APPLICATION_FIELDS:
            applications.append((reading, values))
        elif names >= CERTIFICATE_FIELDS and names & set(CERTIFICATE_HOURS) and receipt:
            certificates.setdefault(receipt, []).append((reading, values))
        else:
            issues.append(
                CanonicalIssue(
                    _where(reading),
                    receipt,
                    "申込書でも就労証明書でもない様式です / neither an application nor a certificate",
                )
            )
    records: list[Application] = []
    seen: set[str] = set()
    for reading, values in applications:
        receipt = str(values["receipt_no"])
        if receipt in seen:
            issues.append(
                CanonicalIssue(
                    _where(reading), receipt, "同じ受付番号の申込書が2枚あります / duplicate receipt number"
                )
            )
            continue
        seen.add(receipt)
        if receipt in blocked:
            issues.append(
                CanonicalIssue(
                    _where(reading),
                    receipt,
                    "同じ受付番号のページに確認待ちがあります / a page of this application is pending review",
                )
            )
            continue
        template = by_id.get(reading.template_id or "")
        record, problems = _application(
            values,
            [v for _, v in certificates.get(receipt, [])],
            context,
            dict(template.defaults) if template else {},
        )
        record["origin"] = {"file": Path(reading.source).name, "page": reading.page + 1}
        if problems:
            issues.extend(CanonicalIssue(_where(reading), receipt, p) for p in problems)
            continue
        try:
            records.append(parse_record(Application, record))
        except InvalidRecordError as exc:
            issues.append(CanonicalIssue(_where(reading), receipt, str(exc)))
    for receipt, pages in certificates.items():
        if receipt not in seen and receipt not in blocked:
            issues.extend(
                CanonicalIssue(
                    _where(r), receipt, "対応する申込書がありません / certificate without an application"
                )
                for r, _ in pages
            )
    return tuple(records), tuple(issues)
