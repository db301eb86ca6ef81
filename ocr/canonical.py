"""From readings to canonical records: an application form plus its 就労証明書, paired by 受付番号.

Pages are recognised by the fields they carry (any city's layout using the standard field names works):
an application has `receipt_no`, `child_name`, `child_birth`, `guardian1_name`; a certificate has
`receipt_no`, `worker_name`, `hours_per_month`. A page with fields still waiting in the review queue
yields an issue instead of a record, so that nothing unconfirmed reaches scoring.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matching.errors import InvalidRecordError
from matching.records import AdjustmentFlag, Application, ReasonKind, WorkStyle, parse_record
from ocr.readings import PageReading, Value

APPLICATION_FIELDS = frozenset({"receipt_no", "child_name", "child_birth", "guardian1_name"})
CERTIFICATE_FIELDS = frozenset({"receipt_no", "worker_name", "hours_per_month"})
FLAG_FIELDS: dict[str, AdjustmentFlag] = {
    "flag_single_parent": AdjustmentFlag.SINGLE_PARENT,
    "flag_welfare": AdjustmentFlag.WELFARE,
    "flag_leave_return": AdjustmentFlag.PARENTAL_LEAVE_RETURN,
    "flag_unlicensed_care": AdjustmentFlag.UNLICENSED_CARE,
    "flag_multiple_birth": AdjustmentFlag.MULTIPLE_BIRTH,
    "flag_grandparent": AdjustmentFlag.GRANDPARENT_AT_HOME,
    "flag_disability_handbook": AdjustmentFlag.GUARDIAN_DISABILITY_HANDBOOK,
    "flag_child_disability": AdjustmentFlag.CHILD_DISABILITY,
}
# 雇用形態 on the standard certificate → the work style rules files score.
WORK_STYLES: dict[str, WorkStyle] = {
    "正社員": WorkStyle.EMPLOYED,
    "パート・アルバイト": WorkStyle.EMPLOYED,
    "派遣社員": WorkStyle.EMPLOYED,
    "契約社員": WorkStyle.EMPLOYED,
    "会計年度任用職員": WorkStyle.EMPLOYED,
    "自営業主": WorkStyle.SELF_EMPLOYED,
    "自営業専従者": WorkStyle.FAMILY_HELPER,
    "家族従事者": WorkStyle.FAMILY_HELPER,
    "内職": WorkStyle.HOME_PIECEWORK,
}


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


def _same_person(a: Value, b: Value) -> bool:
    def key(v: Value) -> str:
        return "".join(unicodedata.normalize("NFKC", str(v or "")).split())

    return bool(a) and key(a) == key(b)


def application_id(receipt_no: str) -> str:
    """`2027000123` → `R2027-000123`, the id the city generator and ledgers use."""
    return (
        f"R{receipt_no[:4]}-{receipt_no[4:]}"
        if len(receipt_no) == 10 and receipt_no.isdigit()
        else receipt_no
    )


def _date(value: Value) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None


def _reason(kind_text: Value, certificate: dict[str, Value] | None) -> dict[str, object]:
    kind = ReasonKind(str(kind_text))
    if kind is not ReasonKind.WORK or certificate is None:
        return {"kind": kind.value}
    style = WORK_STYLES.get(str(certificate.get("employment_type") or ""))
    return {
        "kind": kind.value,
        "work_style": style.value if style else None,
        "hours_per_month": float(str(certificate["hours_per_month"])),
        "days_per_week": int(str(certificate["days_per_week"])) if certificate.get("days_per_week") else None,
    }


def _application(
    values: dict[str, Value], certificates: list[dict[str, Value]]
) -> tuple[dict[str, object], list[str]]:
    problems: list[str] = []
    receipt = str(values["receipt_no"])
    guardians = []
    used: set[int] = set()
    for n in (1, 2):
        name = values.get(f"guardian{n}_name")
        if not name:
            continue
        reason_text = values.get(f"guardian{n}_reason")
        if not reason_text:
            problems.append(f"保護者{n}の事由がありません / guardian {n} has no reason")
            continue
        certificate = None
        if reason_text == ReasonKind.WORK.value:
            matches = [
                i
                for i, c in enumerate(certificates)
                if i not in used and _same_person(c.get("worker_name"), name)
            ]
            if not matches:
                problems.append(
                    f"保護者{n}の就労証明書がありません（受付番号・氏名で照合）/ no employment certificate for guardian {n}"
                )
                continue
            used.add(matches[0])
            certificate = certificates[matches[0]]
        guardians.append(
            {
                "relation": str(values.get(f"guardian{n}_relation") or "その他"),
                "name": str(name),
                "reasons": [_reason(reason_text, certificate)],
            }
        )
    for i in range(len(certificates)):
        if i not in used:
            problems.append(
                "どの保護者にも対応しない就労証明書があります / a certificate matches no guardian on the application"
            )
    preferences = [str(values[f"preference_{k}"]) for k in (1, 2, 3) if values.get(f"preference_{k}")]
    income = values.get("income_levy")
    record: dict[str, object] = {
        "id": application_id(receipt),
        "received_on": _date(values.get("application_date")),
        "household": {
            "guardians": guardians,
            "flags": sorted(flag.value for field, flag in FLAG_FIELDS.items() if values.get(field) is True),
            "income_levy_yen": int(str(income)) if income else None,
        },
        "children": [
            {
                "id": f"{application_id(receipt)}-1",
                "name": values.get("child_name"),
                "kana": values.get("child_kana"),
                "birth_date": _date(values.get("child_birth")),
            }
        ],
        "preferences": preferences,
        "allow_split": values.get("allow_split") is True,
        "desired_start": _date(values.get("desired_start")),
    }
    return record, problems


def applications_from_readings(
    readings: Sequence[PageReading],
) -> tuple[tuple[Application, ...], tuple[CanonicalIssue, ...]]:
    """Pair application pages with their certificates and build `Application` records.

    Returns (applications in input order, issues). An application is left out — with an issue saying
    why — when a page was not read, has fields pending review, lacks a certificate, or fails validation.
    """
    issues: list[CanonicalIssue] = []
    applications: list[PageReading] = []
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
        values = reading.values()
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
            applications.append(reading)
        elif names >= CERTIFICATE_FIELDS and receipt:
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
    for reading in applications:
        values = reading.values()
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
        record, problems = _application(values, [v for _, v in certificates.get(receipt, [])])
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
