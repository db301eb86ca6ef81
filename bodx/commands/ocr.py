"""`bodx samples forms`, `bodx bench ocr`, `bodx ocr read` and `bodx ocr apply-review`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bodx.app import app, bench_app, samples_app
from bodx.progress import counting, working
from bodx.timing import emit

if TYPE_CHECKING:
    from ocr.template import FormTemplate

ocr_app = typer.Typer(help="Read scanned forms / 申込書・就労証明書の読み取り", no_args_is_help=True)
app.add_typer(ocr_app, name="ocr")


def _templates(extra: list[Path] | None) -> tuple[FormTemplate, ...]:
    """The bundled templates plus those of every `--templates-dir` (a city's forms add, never replace)."""
    from ocr.template import load_template_folders
    from samples.forms import TEMPLATES_DIR

    return load_template_folders(TEMPLATES_DIR, *(extra or ()))


TemplatesDirs = Annotated[
    list[Path] | None,
    typer.Option(
        "--templates-dir",
        help="様式フォルダ (*.toml + 画像、複数可) — 同梱の様式に追加されます / template folders, added to the bundled ones",
    ),
]


@samples_app.command("forms")
def forms(
    count: Annotated[int, typer.Option(min=1, help="枚数 / number of good pages")] = 20,
    seed: Annotated[int, typer.Option(help="乱数シード: same seed, same pages")] = 1,
    out: Annotated[Path, typer.Option(help="出力フォルダ / output directory")] = Path("out/forms"),
    bad: Annotated[bool, typer.Option("--bad", help="不良ページ5枚も作る / add the five bad pages")] = False,
    template: Annotated[
        list[str] | None,
        typer.Option(
            help="様式 id (repeatable): hoiku_moushikomi, shuro_shomeisho, cityb_moushikomi, kawabe_moushikomi, kawabe_shuro, minato_moushikomi"
        ),
    ] = None,
) -> None:
    """Generate filled, scan-degraded forms (JPEG, 300 dpi) with ground truth JSON beside each page."""
    from samples.forms.generate import STANDARD, generate_forms

    with working("申込書の生成 / generating forms"):
        pages = generate_forms(out, count, seed, templates=tuple(template or STANDARD), bad=bad)
    typer.echo(f"書き出し / written: {len(pages)} 枚 / pages (+ 正解の .json / ground truth) → {out}")


@bench_app.command("ocr")
def bench_ocr(
    pages: Annotated[int, typer.Option(min=1, help="generated pages per layout")] = 200,
    layouts: Annotated[
        str | None,
        typer.Option(
            help="様式の組 (カンマ区切り) standard, cityb, kawabe, minato または all: per-layout report with targets"
        ),
    ] = None,
    seed: Annotated[int, typer.Option()] = 1,
    workers: Annotated[int, typer.Option(min=0, help="processes (0: one per core)")] = 0,
    repeat: Annotated[
        int, typer.Option(min=1, help="timed runs over the same pages; speed is their median")
    ] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Read generated scanned forms; print accuracy per kind, straight-through, silent errors, pages/min.
    With --layouts: one report per layout (good pages rejected, accuracy per group, targets met)."""
    from benchmarks.ocr import bench_layouts, layout_lines
    from samples.forms.layouts import LAYOUT_SETS

    cores = workers or os.cpu_count() or 1
    if layouts is None:  # the original report: one flat object over the standard forms
        result = bench_layouts(("standard",), pages, seed, cores, repeat, _templates(None))
        payload = {key: result["layouts"]["standard"][key] for key in FLAT_KEYS}
        emit(payload, as_json, layout_lines(result))
        return
    chosen = (
        tuple(LAYOUT_SETS) if layouts == "all" else tuple(x.strip() for x in layouts.split(",") if x.strip())
    )
    unknown = [x for x in chosen if x not in LAYOUT_SETS]
    if unknown or not chosen:
        raise typer.BadParameter(f"unknown layout {unknown[:1]}; choose from {', '.join(LAYOUT_SETS)} or all")
    result = bench_layouts(chosen, pages, seed, cores, repeat, _templates(None))
    emit(result, as_json, layout_lines(result))


FLAT_KEYS = (
    "pages",
    "field_accuracy",
    "accuracy_by_kind",
    "checkbox_accuracy",
    "straight_through_rate",
    "silent_error_rate",
    "pages_per_minute",
)


@ocr_app.command("read")
def read(
    scans: Annotated[list[Path], typer.Argument(help="スキャン画像 (PNG/JPEG/TIFF/PDF) or folders of them")],
    out: Annotated[Path, typer.Option(help="出力フォルダ / output directory")] = Path("out/ocr"),
    templates_dir: TemplatesDirs = None,
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

    templates = _templates(templates_dir)
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
    with counting("OCR 読み取り / reading scans", len(files), "ファイル / files") as advance:
        readings = read_batch(files, templates, workers=workers or None, on_file=advance)
    out.mkdir(parents=True, exist_ok=True)
    save_readings(readings, out / "readings.json")
    with working("確認シートの作成 / writing review.xlsx"):
        rows = write_review(readings, out / "review.xlsx")
    counts = Counter(r.status.value for r in readings)
    typer.echo(
        f"ページ / pages: {len(readings)}; " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
    )
    not_read = [r for r in readings if not r.status.was_read]
    for reading in not_read[:20]:
        typer.echo(
            f"  {Path(reading.source).name} p.{reading.page + 1}: {reading.status.value} — {reading.message}"
        )
    if len(not_read) > 20:
        typer.echo(
            f"  … ほか {len(not_read) - 20} 件は review.xlsx に / {len(not_read) - 20} more in review.xlsx"
        )
    typer.echo(
        f"確認 / rows to review: {rows} → {out / 'review.xlsx'} (各行の確認を「済」に / set 確認 to 済 on each row)"
    )


@ocr_app.command("apply-review")
def apply_review(
    out: Annotated[
        Path, typer.Option(help="`bodx ocr read` の出力フォルダ / the folder `ocr read` wrote")
    ] = Path("out/ocr"),
    templates_dir: TemplatesDirs = None,
    round_start: Annotated[
        str | None,
        typer.Option(help="募集回の初日 YYYY-MM-DD (入所希望日のない様式の既定値) / the round's first day"),
    ] = None,
) -> None:
    """Apply the confirmed rows of review.xlsx; write readings.json and applications.json (+ issues)."""
    import datetime as dt
    import json

    from ocr.canonical import Context, applications_from_readings
    from ocr.review import read_review
    from ocr.store import load_readings, save_readings
    from sheets.safety import write_text_atomically

    templates = _templates(templates_dir)
    try:
        first_day = dt.date.fromisoformat(round_start) if round_start else None
    except ValueError as exc:
        raise typer.BadParameter(
            f"--round-start は YYYY-MM-DD / --round-start must be YYYY-MM-DD: {exc}"
        ) from exc
    with working("確認結果の反映 / applying the review"):
        readings, problems = read_review(load_readings(out / "readings.json"), out / "review.xlsx", templates)
        save_readings(readings, out / "readings.json")
        applications, issues = applications_from_readings(readings, templates, Context(round_start=first_day))
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
    typer.echo(
        f"申込 / applications: {len(applications)}; 確認事項 / issues: {len(issues) + len(problems)} → {out}"
    )


template_app = typer.Typer(help="様式テンプレート / form templates", no_args_is_help=True)
ocr_app.add_typer(template_app, name="template")


@template_app.command("check")
def template_check(
    folder: Annotated[Path, typer.Argument(help="様式フォルダ (*.toml + 白紙の画像)")],
    scans: Annotated[
        list[Path] | None,
        typer.Argument(help="試しに読むスキャン (ファイルかフォルダ) / sample scans to try"),
    ] = None,
    out: Annotated[Path, typer.Option(help="枠を描いた PNG の出力先 / where the PNGs go")] = Path(
        "out/template_check"
    ),
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Check a folder of form templates strictly, draw their boxes on the blank forms and on each aligned
    sample (PNG), and report per sample the alignment quality and the fields that would go to review.
    Exit 0 when the templates have no error, 2 otherwise."""
    import json

    from ocr.loading import scan_files
    from ocr.template_check import check_folder, draw_blanks, try_samples

    with working("様式の検査 / checking the templates"):
        checked = check_folder(folder)
        drawn = draw_blanks(checked.templates, out)
        samples = try_samples(checked.templates, scan_files(scans or []), out) if checked.templates else []
    if as_json:
        payload = {
            "templates": [t.id for t in checked.templates],
            "problems": checked.problems,
            "notes": checked.notes,
            "pictures": [str(p) for p in drawn],
            "samples": [
                {
                    "page": s.source,
                    "status": s.status,
                    "template": s.template_id,
                    "inliers": s.inliers,
                    "coverage": s.coverage,
                    "reprojection_px": s.reprojection_px,
                    "review_fields": list(s.review_fields),
                    "picture": str(s.picture) if s.picture else None,
                }
                for s in samples
            ],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))
    else:
        typer.echo(f"様式 / templates: {', '.join(t.id for t in checked.templates) or '-'}")
        for problem in checked.problems:
            typer.echo(f"✗ {problem}")
        for note in checked.notes:
            typer.echo(f"! {note}")
        typer.echo(f"枠の図 / boxes drawn: {', '.join(str(p) for p in drawn) or '-'}")
        for s in samples:
            quality = f"inliers {s.inliers}, coverage {s.coverage:.0%}, error {s.reprojection_px:.1f} px"
            review = "、".join(s.review_fields) or "なし / none"
            typer.echo(f"{s.source}: {s.status} {s.template_id or ''} ({quality}); 確認 / review: {review}")
            if s.status not in ("ok", "review"):
                typer.echo(f"    {s.message}")
        verdict = (
            "問題ありません / no errors"
            if not checked.problems
            else f"エラー {len(checked.problems)} 件 / errors"
        )
        typer.echo(verdict)
    if checked.problems:
        raise typer.Exit(code=2)
