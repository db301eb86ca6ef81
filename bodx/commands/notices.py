"""`bodx notices`: 内定・保留通知書 and the mail-merge CSV from an approved result; `bodx bench notices`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from bodx.app import app, bench_app
from bodx.commands.audit import AuditLogOption, record_notices
from bodx.commands.options import ApplicationsFile, NurseriesFile, fail, read_json_list
from bodx.progress import working
from bodx.timing import emit, median


@app.command("notices")
def notices(
    city: Annotated[
        str, typer.Option(help="市のプロファイル (cities/<名前> または city.toml のあるフォルダ)")
    ],
    applications: ApplicationsFile,
    nurseries: NurseriesFile,
    instance: Annotated[Path, typer.Option(help="instance.json (bodx score)")],
    result: Annotated[Path, typer.Option(help="承認された result.json (bodx match)")],
    out: Annotated[Path, typer.Option(help="出力フォルダ (通知書 PDF と差込データ)")],
    issued: Annotated[
        str | None, typer.Option(help="通知日 YYYY-MM-DD (空欄: 今日) / date on the letters")
    ] = None,
    round_id: Annotated[
        str | None, typer.Option("--round", help="選考回 (city.toml の rounds の id)")
    ] = None,
    audit_log: AuditLogOption = None,
) -> None:
    """Write one 内定・保留通知書 per household (PDF), one combined PDF in postal-code order, 差込データ.csv
    and the 園別内定者名簿 (one workbook per nursery and 全園.xlsx)."""
    from cityprofile import open_city
    from matching.errors import MatchingError
    from matching.instance import load_instance
    from matching.records import Application, Nursery, parse_record
    from matching.result import load_result
    from notices import compose_letters, write_notices
    from notices.errors import NoticesError
    from sheets.errors import SheetsError
    from sheets.nursery_lists import write_nursery_lists

    try:
        folder = open_city(city)
        issued_on = dt.date.fromisoformat(issued) if issued else dt.date.today()
        applications_list = [parse_record(Application, a) for a in read_json_list(applications, "申込")]
        nurseries_list = [parse_record(Nursery, n) for n in read_json_list(nurseries, "施設")]
        instance_data, result_data = load_instance(instance), load_result(result)
        letters = compose_letters(
            applications_list, nurseries_list, instance_data, result_data, folder.profile, round_id=round_id
        )
        with working(f"通知書の印刷 {len(letters)} 世帯 / printing letters"):
            files = write_notices(
                letters, folder.profile, out, issued_on=issued_on, template_dir=folder.notices
            )
        lists = write_nursery_lists(
            applications_list, nurseries_list, instance_data, result_data, out / "園別名簿",
            dt.datetime.combine(issued_on, dt.time(9)),
        )  # fmt: skip
    except (MatchingError, NoticesError, SheetsError, ValueError, OSError) as exc:
        raise fail(f"通知書を作れません / cannot write the notices: {exc}") from exc
    kinds: dict[str, int] = {}
    for letter in letters:
        kinds[letter.kind] = kinds.get(letter.kind, 0) + 1
    typer.echo(
        f"通知書 {files.count} 世帯 / letters: "
        + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        + f" → {files.combined.parent}"
    )
    typer.echo(f"園別内定者名簿 / per-nursery lists: {len(lists) - 1} 園 + 全園 → {out / '園別名簿'}")
    record_notices(audit_log, (applications, nurseries, instance, result), out, files.count)


@bench_app.command("notices")
def bench_notices(
    households: Annotated[int, typer.Option(help="世帯数 / households")] = 10_000,
    repeat: Annotated[int, typer.Option(help="runs (median reported)")] = 1,
    seed: Annotated[int, typer.Option(help="city generator seed")] = 1,
    out: Annotated[Path, typer.Option(help="letters are written here")] = Path("out/bench-notices"),
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Compose and print every household's letter (target: 10,000 households ≤ 120 s on 2 cores)."""
    from benchmarks.notices import run_in_process

    runs = [run_in_process(households, seed, out) for _ in range(repeat)]
    payload = {
        "households": runs[0]["households"],
        "children": runs[0]["children"],
        "median_seconds": median([r["seconds"] for r in runs]),
        "runs_seconds": [r["seconds"] for r in runs],
        "compose_seconds": median([r["compose_seconds"] for r in runs]),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "chromium_peak_rss_mb": max(r["chromium_peak_rss_mb"] for r in runs),
        "python_cpu_seconds": median([r["python_cpu_seconds"] for r in runs]),
        "chromium_cpu_seconds": median([r["chromium_cpu_seconds"] for r in runs]),
        "load_average": [r["load_average"] for r in runs],
        "target_seconds": 120,
    }
    emit(
        payload,
        as_json,
        [
            f"notices: {payload['households']} households, median {payload['median_seconds']} s "
            f"(target ≤ 120 s), peak RSS {payload['peak_rss_mb']} MB (chromium {payload['chromium_peak_rss_mb']} MB)",
            f"CPU: Python {payload['python_cpu_seconds']} s, chromium {payload['chromium_cpu_seconds']} s; "
            f"load average (1 min, before/after each run) {payload['load_average']}",
        ],
    )


__all__ = ["bench_notices", "notices"]
