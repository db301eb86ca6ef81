"""`bodx sheets normalise`: a staff ledger to canonical JSON; `bodx bench sheets`: reader and writer speed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from bodx.app import app, bench_app
from bodx.progress import working
from bodx.timing import emit, median, timed

if TYPE_CHECKING:
    from matching.profile import CityProfile

sheets_app = typer.Typer(
    help="Excel ledgers and review workbooks / Excel台帳と結果確認ブック", no_args_is_help=True
)
app.add_typer(sheets_app, name="sheets")

BENCH_CACHE = Path("out/bench-cache")


@sheets_app.command("normalise")
def normalise(
    ledger: Annotated[Path, typer.Option(help="受付台帳 (.xlsx)")],
    out: Annotated[Path, typer.Option(help="出力フォルダ / output directory")],
    mapping: Annotated[
        Path | None,
        typer.Option(help="列の対応表 (TOML); 省略時は --city の ledger/*.toml / column mapping file"),
    ] = None,
    nurseries: Annotated[
        Path | None, typer.Option(help="nurseries.json when the ledger has no 施設一覧 sheet")
    ] = None,
    issues_format: Annotated[str, typer.Option("--issues-format", help="json or xlsx")] = "json",
    overwrite: Annotated[bool, typer.Option(help="replace existing output files")] = False,
    city: Annotated[
        str | None,
        typer.Option(
            help="市のプロファイル (フォルダか hinata / kawabe): facts, sibling words, weeks per month, round"
        ),
    ] = None,
    round_id: Annotated[str | None, typer.Option("--round", help="選考回 id (default: the first)")] = None,
) -> None:
    """Normalise a ledger: applications.json, nurseries.json, held.json and issues.json (or issues.xlsx)."""
    from bodx.commands.options import output_dir, read_json_list
    from matching.errors import MatchingError
    from matching.records import Nursery
    from sheets.errors import SheetsError
    from sheets.ledger import read_ledger
    from sheets.mapping import load_mapping
    from sheets.outputs import write_reading

    output_dir(out)
    if issues_format not in ("json", "xlsx"):
        raise typer.BadParameter("--issues-format は json か xlsx / json or xlsx")
    fmt: Literal["json", "xlsx"] = "xlsx" if issues_format == "xlsx" else "json"
    try:
        known: tuple[Nursery, ...] = ()
        if nurseries is not None:
            known = tuple(Nursery.model_validate(item) for item in read_json_list(nurseries, "施設データ"))
        profile, mapping = _profile_and_mapping(city, mapping)
        with working(f"台帳の読み取り / reading {ledger.name}"):
            reading = read_ledger(
                ledger, load_mapping(mapping), nurseries=known, profile=profile, round_id=round_id
            )
        inputs = [ledger, mapping, *([nurseries] if nurseries else [])]  # never written over
        files = write_reading(reading, out, inputs=inputs, issues_format=fmt, overwrite=overwrite)
    except (SheetsError, MatchingError) as exc:
        typer.echo(f"エラー / error: {exc}", err=True)
        raise typer.Exit(2) from exc
    counts = {
        severity: sum(1 for i in reading.issues if i.severity == severity)
        for severity in ("error", "warning", "info")
    }
    children = sum(len(a.children) for a in reading.applications)
    typer.echo(
        f"申込 {len(reading.applications)} 件（児童 {children} 人）、保留 {len(reading.held)} 件、施設 {len(reading.nurseries)}、"
        f"エラー {counts['error']}・警告 {counts['warning']}・情報 {counts['info']} / "
        f"{len(reading.applications)} applications, {children} children, {len(reading.nurseries)} nurseries"
    )
    typer.echo("書き出し / written: " + ", ".join(str(f) for f in files))
    if counts["error"]:
        raise typer.Exit(1)


def _profile(city: str | None) -> CityProfile | None:
    """The city profile of a folder or bundled slug (its city.toml), or None."""
    if city is None:
        return None
    from cityprofile import open_city

    return open_city(city).profile


def _profile_and_mapping(city: str | None, mapping: Path | None) -> tuple[CityProfile | None, Path]:
    """The profile, and the mapping given or else the profile's one ledger mapping."""
    if city is None:
        if mapping is None:
            raise typer.BadParameter("--mapping か --city を指定してください / give --mapping or --city")
        return None, mapping
    from cityprofile import open_city

    folder = open_city(city)
    if mapping is not None:
        return folder.profile, mapping
    if len(folder.ledger_mappings) != 1:
        listed = ", ".join(str(p) for p in folder.ledger_mappings) or "(なし / none)"
        raise typer.BadParameter(
            f"--mapping を指定してください。{folder.root} の台帳対応表: {listed} / give --mapping (the profile has "
            f"{len(folder.ledger_mappings)} ledger mappings)"
        )
    return folder.profile, folder.ledger_mappings[0]


@sheets_app.command("inspect")
def inspect(
    ledger: Annotated[Path, typer.Option(help="受付台帳 (.xlsx)")],
    city: Annotated[
        str | None, typer.Option(help="市のプロファイル (フォルダか hinata / kawabe): its declared facts")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="下書きの書き出し先 (.toml); なければ画面へ / draft file")
    ] = None,
    overwrite: Annotated[bool, typer.Option(help="replace an existing draft")] = False,
) -> None:
    """Write a draft mapping for a ledger: header rows found, columns guessed, unknowns as comments."""
    from matching.errors import MatchingError
    from sheets.errors import SheetsError
    from sheets.inspect import draft_mapping

    try:
        draft = draft_mapping(ledger, _profile(city))
    except (SheetsError, MatchingError) as exc:
        typer.echo(f"エラー / error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if out is None:
        typer.echo(draft.text)
    else:
        if out.exists() and not overwrite:
            typer.echo(f"エラー / error: {out} は既にあります (--overwrite) / exists", err=True)
            raise typer.Exit(2)
        out.write_text(draft.text, encoding="utf-8")
        typer.echo(f"下書き / draft: {out}")
    if draft.unplaced:
        typer.echo(f"対応が分からない列 {len(draft.unplaced)} / columns not placed:")
        for where in draft.unplaced:
            typer.echo(f"  {where}")


@bench_app.command("sheets")
def bench_sheets(
    rows: Annotated[int, typer.Option(min=1, help="ledger rows (children) to read")] = 100_000,
    children: Annotated[int, typer.Option(min=1, help="children in the review workbook")] = 30_000,
    repeat: Annotated[int, typer.Option(min=1)] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    styles: Annotated[
        bool, typer.Option("--styles", help="score the ledger styles of samples/ledgers/styles instead")
    ] = False,
) -> None:
    """Read a generated ledger (target 100,000 rows <= 10 s) and write a review workbook (30,000 <= 15 s).

    With --styles: per ledger style, rows, records, field accuracy, defect recall and precision."""
    if styles:
        _bench_styles(as_json)
        return
    from samples.citygen.generate import generate_city
    from samples.ledgers.review_input import synthetic_review_input
    from sheets.ledger import read_ledger
    from sheets.mapping import load_mapping
    from sheets.review import write_review_workbook

    ledger = _cached_ledger(rows)
    mapping = load_mapping(Path(__file__).resolve().parents[2] / "cities/hinata/ledger/applications.toml")
    read_times, read_cpu = [], []
    for _ in range(repeat):
        before = _cpu_seconds()
        reading, seconds = timed(lambda: read_ledger(ledger, mapping))
        read_times.append(seconds)
        read_cpu.append(_cpu_seconds() - before)
    review = synthetic_review_input(generate_city(children, seed=1))
    write_times, write_cpu = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(repeat):
            target = Path(tmp) / f"review{run}.xlsx"
            before = _cpu_seconds()
            _, seconds = timed(lambda: write_review_workbook(review, target))  # noqa: B023 - called at once
            write_times.append(seconds)
            write_cpu.append(_cpu_seconds() - before)
    ledger_rows = sum(len(a.children) for a in reading.applications)
    payload = {
        "ledger_rows": ledger_rows,
        "read_seconds": round(median(read_times), 3),
        "workbook_children": len(review.result.assignments),
        "write_seconds": round(median(write_times), 3),
    }
    emit(
        payload,
        as_json,
        [
            f"ledger read: {ledger_rows} rows, median {payload['read_seconds']} s "
            f"({ledger_rows / median(read_times):,.0f} rows/s; runs {[round(t, 2) for t in read_times]}; "
            f"CPU s incl. worker processes {[round(t, 2) for t in read_cpu]})",
            f"review workbook: {payload['workbook_children']} children, median {payload['write_seconds']} s "
            f"(runs {[round(t, 2) for t in write_times]}; CPU s {[round(t, 2) for t in write_cpu]})",
            f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
            f"on {os.cpu_count()} cores (other work inflates wall times)",
        ],
    )


def _bench_styles(as_json: bool) -> None:
    from benchmarks.sheets import meets_targets, styles_report

    report = styles_report()
    lines = []
    for name, result in report["styles"].items():
        lines.append(
            f"{name}: rows {result['rows']}, records {result['records']} (applications {result['applications']}, "
            f"held {result['held']}), field accuracy {result['field_accuracy']:.2%}, defect recall "
            f"{result['defect_recall']:.0%}, precision {result['defect_precision']:.0%}, formula cells written "
            f"{result['formula_cells_written']} — {'targets met' if meets_targets(result) else 'TARGETS MISSED'}"
        )
    emit(report, as_json, lines)
    if not report["all_met"]:
        raise typer.Exit(1)


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the reader's forked workers)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _cached_ledger(rows: int) -> Path:
    """The generated ledger of `rows` children (seed 1), generated once into out/bench-cache/."""
    from samples.citygen.generate import generate_city
    from samples.citygen.ledger import write_ledger

    path = BENCH_CACHE / f"ledger-{rows}-seed1.xlsx"
    if not path.exists():
        BENCH_CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial.xlsx")
        write_ledger(generate_city(rows, seed=1), partial)
        partial.replace(path)
    return path
