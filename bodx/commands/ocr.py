"""`bodx samples forms`, `bodx bench ocr`, `bodx ocr read` and `bodx ocr apply-review`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bodx.app import app, bench_app, samples_app
from bodx.timing import emit, median

if TYPE_CHECKING:
    from ocr.template import FormTemplate

ocr_app = typer.Typer(help="Read scanned forms / 申込書・就労証明書の読み取り", no_args_is_help=True)
app.add_typer(ocr_app, name="ocr")


def _templates(paths: list[Path] | None) -> tuple[FormTemplate, ...]:
    from ocr.template import load_templates
    from samples.forms import TEMPLATES_DIR

    chosen = paths or [TEMPLATES_DIR / "hoiku_moushikomi.toml", TEMPLATES_DIR / "shuro_shomeisho.toml"]
    return load_templates(tuple(chosen))


@samples_app.command("forms")
def forms(
    count: Annotated[int, typer.Option(min=1, help="枚数 / number of good pages")] = 20,
    seed: Annotated[int, typer.Option(help="乱数シード: same seed, same pages")] = 1,
    out: Annotated[Path, typer.Option(help="出力フォルダ / output directory")] = Path("out/forms"),
    bad: Annotated[bool, typer.Option("--bad", help="不良ページ5枚も作る / add the five bad pages")] = False,
    template: Annotated[
        list[str] | None,
        typer.Option(help="様式 id (repeatable): hoiku_moushikomi, shuro_shomeisho, cityb_moushikomi"),
    ] = None,
) -> None:
    """Generate filled, scan-degraded forms (JPEG, 300 dpi) with ground truth JSON beside each page."""
    from samples.forms.generate import STANDARD, generate_forms

    pages = generate_forms(out, count, seed, templates=tuple(template or STANDARD), bad=bad)
    typer.echo(f"書き出し / written: {len(pages)} pages (+ .json ground truth) in {out}")


@bench_app.command("ocr")
def bench_ocr(
    pages: Annotated[int, typer.Option(min=1, help="generated pages to read")] = 200,
    seed: Annotated[int, typer.Option()] = 1,
    workers: Annotated[int, typer.Option(min=0, help="processes (0: one per core)")] = 0,
    repeat: Annotated[
        int, typer.Option(min=1, help="timed runs over the same pages; speed is their median")
    ] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Read generated scanned forms; print accuracy per kind, straight-through, silent errors, pages/min."""
    from ocr.bench import generate_pages, run
    from samples.forms.generate import STANDARD

    templates = _templates(None)
    cores = workers or os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        sources = generate_pages(Path(tmp), pages, seed, STANDARD, cores)
        speeds = []
        figures = None
        for _ in range(repeat):
            _, figures = run(sources, templates, cores)
            speeds.append(figures.payload()["pages_per_minute"])
    assert figures is not None
    payload = figures.payload()
    payload["pages_per_minute"] = round(median(speeds), 1)
    lines = [
        f"pages: {payload['pages']} ({cores} processes)",
        f"field accuracy: {payload['field_accuracy']:.2%}",
        *(f"  {kind}: {rate:.2%}" for kind, rate in payload["accuracy_by_kind"].items()),
        f"checkbox accuracy: {payload['checkbox_accuracy']:.2%}",
        f"straight-through rate: {payload['straight_through_rate']:.2%}",
        f"silent error rate: {payload['silent_error_rate']:.3%}",
        f"pages per minute: {payload['pages_per_minute']}",
        f"CPU per page: {figures.cpu_seconds / max(1, payload['pages']):.2f} s "
        f"(on {cores} otherwise idle cores: {60 * cores * payload['pages'] / max(figures.cpu_seconds, 1e-9):.0f} pages/min)",
    ]
    lines.extend(f"unexpected status: {line}" for line in figures.wrong_status)
    emit(payload, as_json, lines)


@ocr_app.command("read")
def read(
    scans: Annotated[list[Path], typer.Argument(help="スキャン画像 (PNG/JPEG/TIFF/PDF) or folders of them")],
    out: Annotated[Path, typer.Option(help="出力フォルダ / output directory")] = Path("out/ocr"),
    templates_dir: Annotated[Path | None, typer.Option(help="様式フォルダ (*.toml + images)")] = None,
    workers: Annotated[int, typer.Option(min=0, help="processes (0: one per core)")] = 0,
    overwrite: Annotated[
        bool,
        typer.Option(help="確認を始めた review.xlsx も置き換える / replace a review.xlsx staff have started"),
    ] = False,
) -> None:
    """Read scans: readings.json, and review.xlsx with every doubtful field for staff to confirm."""
    from collections import Counter

    from ocr.loading import scan_files
    from ocr.pipeline import read_batch
    from ocr.review import write_review
    from ocr.store import save_readings
    from ocr.template import load_template_folder
    from samples.forms import TEMPLATES_DIR

    templates = load_template_folder(templates_dir or TEMPLATES_DIR)
    from bodx.commands.options import fail, output_dir
    from ocr.review import has_staff_input

    output_dir(out)
    missing = [str(p) for p in scans if not p.exists()]
    if missing:
        raise fail(f"スキャンが見つかりません / not found: {', '.join(missing[:5])}")
    files = scan_files(scans)
    if not files:
        raise fail("読み取るスキャン (PNG/JPEG/TIFF/PDF/BMP) がありません / no scan files found")
    if (out / "review.xlsx").exists() and not overwrite and has_staff_input(out / "review.xlsx"):
        raise fail(
            f"{out / 'review.xlsx'}: 確認作業中のファイルがあります。先に apply-review するか、別の --out を指定するか、"
            "--overwrite を付けてください / staff have started this review: apply it, choose another --out, "
            "or pass --overwrite"
        )
    readings = read_batch(files, templates, workers=workers or None)
    out.mkdir(parents=True, exist_ok=True)
    save_readings(readings, out / "readings.json")
    rows = write_review(readings, out / "review.xlsx")
    counts = Counter(r.status.value for r in readings)
    typer.echo(f"pages: {len(readings)}; " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    typer.echo(f"確認待ち / fields to review: {rows} → {out / 'review.xlsx'} (set 確認 to 済 on each row)")


@ocr_app.command("apply-review")
def apply_review(
    out: Annotated[
        Path, typer.Option(help="`bodx ocr read` の出力フォルダ / the folder `ocr read` wrote")
    ] = Path("out/ocr"),
    templates_dir: Annotated[Path | None, typer.Option(help="様式フォルダ (*.toml + images)")] = None,
) -> None:
    """Apply the confirmed rows of review.xlsx; write readings.json and applications.json (+ issues)."""
    import json

    from ocr.canonical import applications_from_readings
    from ocr.review import read_review
    from ocr.store import load_readings, save_readings
    from ocr.template import load_template_folder
    from samples.forms import TEMPLATES_DIR
    from sheets.safety import write_text_atomically

    templates = load_template_folder(templates_dir or TEMPLATES_DIR)
    readings, problems = read_review(load_readings(out / "readings.json"), out / "review.xlsx", templates)
    save_readings(readings, out / "readings.json")
    applications, issues = applications_from_readings(readings)
    write_text_atomically(
        out / "applications.json",
        json.dumps([a.model_dump(mode="json") for a in applications], ensure_ascii=False, indent=1),
    )
    write_text_atomically(
        out / "issues.json",
        json.dumps(
            [{"page": i.page, "receipt": i.masked_receipt, "message": i.message} for i in issues]
            + [{"message": p} for p in problems],
            ensure_ascii=False,
            indent=1,
        ),
    )
    typer.echo(f"applications: {len(applications)}; issues: {len(issues) + len(problems)} → {out}")
