"""`bodx city check`: validate every file of a city profile, and try each stage on sample material.

Each file kind is checked by its own package's validator (strict: unknown keys are errors with their
line and a "did you mean"); a problem in one file never hides the problems of the others. With a ledger,
scans or a legacy-system URL, the stage runs on them and the report says what would go to review. The
report carries counts, kinds and places (sheet!cell, file, page), never the values read: it may be shown
on a screen or pasted into a ticket.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from cityprofile.folder import CityFolder, resolve_files, resolve_root
from matching.errors import MatchingError
from matching.profile import CityProfile, files_table, load_profile


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    stage: str  # city, rules, ledger_mapping, form_template, robot_recipe, ledger, scans, legacy_system
    severity: Severity
    message: str


@dataclass
class CheckReport:
    root: Path | None
    city: str | None = None
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # the files that were read, for the summary

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, stage: str, severity: Severity, message: str) -> None:
        self.findings.append(Finding(stage, severity, message))

    def add_errors(self, stage: str, messages: Sequence[str]) -> None:
        for message in messages:
            self.add(stage, Severity.ERROR, message)

    def as_json(self) -> dict[str, object]:
        return {
            "root": str(self.root) if self.root else None,
            "city": self.city,
            "ok": self.ok,
            "checked": self.checked,
            "errors": len(self.errors),
            "findings": [
                {"stage": f.stage, "severity": f.severity.value, "message": f.message} for f in self.findings
            ],
        }


def problem_lines(exc: Exception) -> list[str]:
    """The per-problem lines of a validator's error (its first line is a title when more follow)."""
    lines = [line for line in str(exc).splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].rstrip().endswith(":"):
        lines = lines[1:]
    return lines or [type(exc).__name__]


def check_city(
    ref: str | Path,
    *,
    ledger: Path | None = None,
    scans: Sequence[Path] = (),
    base_url: str | None = None,
) -> CheckReport:
    """Check the profile at `ref` (folder, city.toml or bundled slug) and, if given, run its stages."""
    try:
        root = resolve_root(ref)
    except MatchingError as exc:
        report = CheckReport(root=None)
        report.add_errors("city", problem_lines(exc))
        return report
    report = CheckReport(root=root)
    report.checked.append("city.toml")
    try:
        profile, files = load_profile(root / "city.toml")
    except MatchingError as exc:
        # The other files are still checked (without the declared facts), so one pass shows everything.
        report.add_errors("city", problem_lines(exc))
        resolved, problems = resolve_files(root, files_table(root / "city.toml"))
        report.add_errors("city", problems)
        _check_files(root, resolved, None, report)
        return report
    report.city = profile.name
    resolved, problems = resolve_files(root, files)
    report.add_errors("city", problems)
    folder = CityFolder(root=root, profile=profile, **resolved)
    _check_files(root, resolved, profile, report)
    if ledger is not None:
        _try_ledger(folder, ledger, report)
    if scans:
        _try_scans(folder, scans, report)
    if base_url is not None:
        _try_legacy_system(folder, base_url, report)
    return report


def _relative(root: Path, path: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _run(report: CheckReport, stage: str, check: Callable[[], list[str]]) -> None:
    """One validator: its problems become findings; an error it did not expect is reported, not raised."""
    try:
        report.add_errors(stage, check())
    except Exception as exc:  # a validator's own failure must not hide the other files' problems
        report.add_errors(stage, problem_lines(exc))


def _rules_problems(path: Path, profile: CityProfile | None) -> list[str]:
    from matching.scoring import check_rules
    from matching.scoring.loader import parse_rules

    if profile is not None:
        return check_rules(path, profile)
    # city.toml is broken (reported on its own): judge the rules without it rather than say it again.
    try:
        parse_rules(path.read_text(encoding="utf-8-sig"), path)
    except (MatchingError, OSError, UnicodeDecodeError) as exc:
        return problem_lines(exc)
    return []


def _mapping_problems(path: Path, profile: CityProfile | None) -> list[str]:
    from sheets.mapping_check import check_mapping

    return check_mapping(path, profile)


def _template_problems(folder: Path, profile: CityProfile | None) -> list[str]:
    from ocr.template_check import check_forms_dir

    return check_forms_dir(folder)


def _check_files(root: Path, files: dict[str, Any], profile: CityProfile | None, report: CheckReport) -> None:
    from robots.recipe import check_recipe

    rules: Path = files["rules"]
    if rules.is_file():
        report.checked.append(_relative(root, rules))
        _run(report, "rules", lambda: _rules_problems(rules, profile))
    for mapping in files["ledger_mappings"]:
        report.checked.append(_relative(root, mapping))
        _run(report, "ledger_mapping", lambda m=mapping: _mapping_problems(m, profile))  # type: ignore[misc]
    templates: Path | None = files["form_templates"]
    if templates is not None:
        report.checked.append(_relative(root, templates) + "/")
        _run(report, "form_template", lambda: _template_problems(templates, profile))
    recipe: Path | None = files["robot_recipe"]
    if recipe is not None:
        report.checked.append(_relative(root, recipe))
        _run(report, "robot_recipe", lambda: check_recipe(recipe))
    if not files["ledger_mappings"] and templates is None:
        report.add(
            "city",
            Severity.WARNING,
            "台帳の対応表 (ledger/*.toml) も申込書の様式 (forms/) もありません。申込を読み込めません / "
            "neither a ledger mapping nor a form template: no way to read applications",
        )


def _try_ledger(folder: CityFolder, ledger: Path, report: CheckReport) -> None:
    from sheets.errors import SheetsError
    from sheets.ledger import read_ledger
    from sheets.mapping import load_mapping

    if not folder.ledger_mappings:
        report.add(
            "ledger",
            Severity.ERROR,
            "台帳の対応表がないため台帳を試せません / no ledger mapping to try the ledger with",
        )
        return
    best = None
    for mapping_path in folder.ledger_mappings:
        try:
            reading = read_ledger(ledger, load_mapping(mapping_path), profile=folder.profile)
        except (SheetsError, MatchingError) as exc:
            report.add("ledger", Severity.WARNING, f"{mapping_path.name}: {problem_lines(exc)[0]}")
            continue
        if best is None or len(reading.applications) > len(best[1].applications):
            best = (mapping_path, reading)
    if best is None:
        report.add(
            "ledger",
            Severity.ERROR,
            f"{ledger.name}: どの対応表でも読めませんでした / no mapping reads this ledger",
        )
        return
    mapping_path, reading = best
    children = sum(len(a.children) for a in reading.applications)
    report.add(
        "ledger",
        Severity.INFO,
        f"{ledger.name} ({mapping_path.name}): 申込 {len(reading.applications)} 件 (児童 {children} 人)、"
        f"施設 {len(reading.nurseries)} / applications {len(reading.applications)}, children {children}",
    )
    by_column = Counter((issue.severity.value, issue.header or "-") for issue in reading.issues)
    for (severity, header), count in sorted(by_column.items()):
        report.add("ledger", Severity.INFO, f"確認が必要 / to review: {severity} 列「{header}」× {count}")
    _fact_findings(folder.profile, reading.applications, report, "ledger")


def _fact_findings(
    profile: CityProfile, applications: Sequence[object], report: CheckReport, stage: str
) -> None:
    from matching.records import Application

    problems = [p for app in applications if isinstance(app, Application) for p in profile.fact_problems(app)]
    for message in problems[:20]:
        report.add(stage, Severity.ERROR, message)
    if len(problems) > 20:
        report.add(stage, Severity.ERROR, f"ほか {len(problems) - 20} 件 / and {len(problems) - 20} more")


def _try_scans(folder: CityFolder, scans: Sequence[Path], report: CheckReport) -> None:
    from ocr.loading import scan_files
    from ocr.pipeline import read_batch
    from ocr.template import load_template_folder

    if folder.form_templates is None:
        report.add(
            "scans",
            Severity.ERROR,
            "様式 (forms/) がないためスキャンを試せません / no form templates to read scans with",
        )
        return
    templates = load_template_folder(folder.form_templates)
    readings = read_batch(scan_files(scans), templates, workers=1)
    statuses = Counter(r.status.value for r in readings)
    to_review = sum(len(r.pending) for r in readings)
    report.add(
        "scans",
        Severity.INFO,
        f"ページ {len(readings)}: "
        + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        + f"; 確認待ちの項目 {to_review} / pages {len(readings)}, fields to review {to_review}",
    )


def legacy_login_problem(url: str, timeout: float = 10.0) -> str | None:
    """None when the legacy system's login page answers; else the message a clerk reads."""
    try:
        with urllib.request.urlopen(url, timeout=timeout):
            return None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return f"{url}: 既存システムのログイン画面が開けません ({exc}) / the legacy system's login page does not answer"


def _try_legacy_system(folder: CityFolder, base_url: str, report: CheckReport) -> None:
    from robots.recipe import load_recipe

    if folder.robot_recipe is None:
        report.add("legacy_system", Severity.ERROR, "入力レシピ (robot.toml) がありません / no robot recipe")
        return
    recipe = load_recipe(folder.robot_recipe)
    url = base_url.rstrip("/") + recipe.login.url
    problem = legacy_login_problem(url)
    if problem:
        report.add("legacy_system", Severity.ERROR, problem)
        return
    report.add("legacy_system", Severity.INFO, f"{url}: ログイン画面が開けます / login page answers")
