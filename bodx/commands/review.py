"""`bodx sheets review`: the review workbook staff decide from, from the command line.

The same workbook the admission flow writes, for IT staff working without Prefect: normalise → score →
match → review → (staff fill 調整) → match --adjustments review.xlsx → review again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from bodx.commands.audit import AuditLogOption, record_review
from bodx.commands.options import (
    AdmissionYear,
    ApplicationsFile,
    NurseriesFile,
    RulesFile,
    fail,
    output_file,
    read_json_list,
)
from bodx.commands.sheets import sheets_app
from bodx.progress import working

T = TypeVar("T")


@sheets_app.command("review")
def review(
    applications: ApplicationsFile,
    nurseries: NurseriesFile,
    rules: RulesFile,
    year: AdmissionYear,
    result: Annotated[Path, typer.Option(help="result JSON written by `bodx match`")],
    out: Annotated[Path, typer.Option(help="審査用ワークブック / review workbook (.xlsx) to write")],
    issues: Annotated[
        Path | None, typer.Option(help="issues.json of `bodx sheets normalise` (the 入力チェック sheet)")
    ] = None,
    adjustments: Annotated[
        Path | None,
        typer.Option(
            help="前回のワークブック / the previous review workbook: its 調整 entries are carried over"
        ),
    ] = None,
    overwrite: Annotated[bool, typer.Option(help="replace an existing workbook")] = False,
    audit_log: AuditLogOption = None,
) -> None:
    """Write the review workbook (結果一覧, 園別内定者, 保留一覧, 集計, 入力チェック) for a match result."""
    from pydantic import TypeAdapter

    from matching.errors import MatchingError
    from matching.records import Application, Nursery, parse_record
    from matching.result import load_result
    from matching.scoring import load_rules, score_applications
    from sheets.adjustments import read_adjustments
    from sheets.errors import SheetsError
    from sheets.issues import LedgerIssue
    from sheets.review import ReviewInput, write_review_workbook

    output_file(out)
    try:
        apps = tuple(parse_record(Application, item) for item in read_json_list(applications, "申込データ"))
        places = tuple(parse_record(Nursery, item) for item in read_json_list(nurseries, "施設データ"))
        loaded_rules = load_rules(rules)
        with working("指数の計算 / scoring"):
            priorities = tuple(score_applications(apps, loaded_rules, year))
        outcome = _checked(lambda: load_result(result), result, "結果ファイル / result file")
        listed = read_json_list(issues, "入力チェック") if issues is not None else []
        issue_rows = _checked(
            lambda: TypeAdapter(tuple[LedgerIssue, ...]).validate_python(listed),
            issues,
            "入力チェック / issues",
        )
        children = {child.id for app in apps for child in app.children}
        if set(outcome.assignments) != children:
            missing, extra = (
                len(children - set(outcome.assignments)),
                len(set(outcome.assignments) - children),
            )
            raise fail(
                f"結果 {result.name} は申込データと児童が一致しません（結果にない児童 {missing} 人、"
                f"申込にない児童 {extra} 人）。同じ申込データで `bodx match` をやり直してください / "
                "the result does not belong to these applications: run `bodx match` on them again"
            )
        data = ReviewInput(
            admission_year=year,
            applications=apps,
            nurseries=places,
            priorities=priorities,
            result=outcome,
            issues=issue_rows,
            adjustments=read_adjustments(adjustments) if adjustments is not None else (),
            source_files=tuple(p for p in (applications, nurseries, rules, result, issues, adjustments) if p),
            points_scale=loaded_rules.scale,
        )
        with working("審査用ワークブックの作成 / writing the review workbook"):
            written = write_review_workbook(data, out, overwrite=overwrite)
    except (MatchingError, SheetsError) as exc:
        raise fail(f"エラー / error: {exc}") from exc
    placed = sum(1 for nursery in outcome.assignments.values() if nursery is not None)
    record_review(
        audit_log, (applications, nurseries, rules, result, issues, adjustments), written, len(children)
    )
    typer.echo(f"内定 {placed}・保留 {len(outcome.assignments) - placed} / placed, waitlisted -> {written}")


def _checked(load: Callable[[], T], path: Path | None, what: str) -> T:
    """`load()`, with a file that cannot be read or does not validate reported by name, not a traceback."""
    from pydantic import ValidationError

    try:
        return load()
    except (OSError, ValueError, ValidationError) as exc:
        detail = str(exc).splitlines()[0]
        raise fail(f"エラー / error: {what} {path} を読めません / cannot be read: {detail}") from exc
