"""`bodx score` (applications + rules file -> city.json) and `bodx compare` (manual vs program outcomes)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from bodx.app import app, bench_app
from bodx.progress import working
from bodx.timing import emit, median

if TYPE_CHECKING:
    from pydantic import BaseModel

    from matching.adjustments import StaffPoints
    from matching.profile import CityProfile
from bodx.commands.options import (
    ApplicationsFile,
    NurseriesFile,
    fail,
    output_file,
    read_json_bytes,
    read_json_list,
)

RecordT = TypeVar("RecordT", bound="BaseModel")


@app.command("score")
def score(
    applications: ApplicationsFile,
    nurseries: NurseriesFile,
    out: Annotated[Path, typer.Option(help="city.json to write (the instance `bodx match` reads)")],
    rules: Annotated[
        Path | None, typer.Option(help="利用調整基準の規則ファイル (TOML); 空欄: --city の rules.toml")
    ] = None,
    year: Annotated[int | None, typer.Option(help="入所年度 / admission year; 空欄: --city の年度")] = None,
    city_ref: Annotated[
        str | None,
        typer.Option(
            "--city",
            help="市のプロファイル (cities/ の名前かフォルダ): 規則・年度・事実・きょうだい条件の既定値",
        ),
    ] = None,
    priorities: Annotated[
        Path | None, typer.Option(help="also write every child's priority with its breakdown (JSON)")
    ] = None,
    staff_points: Annotated[
        Path | None,
        typer.Option(
            help="職権調整: the review .xlsx (columns 調整点, 調整理由) or a JSON list of StaffPoints"
        ),
    ] = None,
    profile: Annotated[
        Path | None,
        typer.Option(
            help="city.toml whose facts the rules refer to (default: the one beside the rules file)"
        ),
    ] = None,
    timings: Annotated[
        bool, typer.Option(help="print the phases' seconds as one JSON line (benchmarks)")
    ] = False,
) -> None:
    """Score applications with a rules file and write the instance for `bodx match`."""
    from cityprofile import open_city
    from matching.errors import MatchingError
    from matching.files import write_text_atomically
    from matching.instance import save_instance
    from matching.records import Application, Nursery
    from matching.scoring import load_rules, score_applications
    from matching.scoring.build import SiblingPolicy, instance_with_report

    output_file(out)
    clock = {"start": time.perf_counter()}
    cpu = {"start": time.process_time()}
    with working("指数の計算 / scoring"):
        try:
            apps = _read_records(applications, Application, "申込データ")
            places = _read_records(nurseries, Nursery, "施設データ")
            clock["read"] = time.perf_counter()
            cpu["read"] = time.process_time()
            folder = open_city(city_ref) if city_ref is not None else None
            city = _profile(profile) if profile is not None else (folder.profile if folder else None)
            rules_path = rules or (folder.rules if folder else None)
            admission_year = year or (city.admission_year if city else None)
            if rules_path is None or admission_year is None:
                raise fail(
                    "--rules と --year、または --city を指定してください / give --rules and --year, or --city"
                )
            parsed = load_rules(rules_path, city)
            staff = _read_staff_points(staff_points) if staff_points is not None else ()
            scored = score_applications(apps, parsed, admission_year, staff)
            clock["score"] = time.perf_counter()
            cpu["score"] = time.process_time()
            policy = SiblingPolicy.of(city) if city is not None else None
            instance, stricter = instance_with_report(apps, places, scored, admission_year, policy)
        except MatchingError as exc:
            raise fail(str(exc)) from exc
        except Exception as exc:
            if type(exc).__module__.startswith("sheets"):
                raise fail(str(exc)) from exc
            raise
    save_instance(instance, out)
    clock["write"] = time.perf_counter()
    cpu["write"] = time.process_time()
    if priorities is not None:
        payload = [p.model_dump(mode="json") for p in scored]
        write_text_atomically(priorities, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    typer.echo(
        f"{parsed.name}: 児童 {len(scored)} 人を採点 / scored {len(scored)} children -> {out}"
        + (f", {priorities}" if priorities is not None else "")
    )
    if stricter:
        typer.echo(
            f"きょうだい {len(stricter)} 組は、エンジン未対応の条件のため市の設定により同保同時として選考します / "
            f"{len(stricter)} sibling groups are matched as 同保同時 (the city's setting for conditions the "
            "engine does not model yet)"
        )
    if timings:
        phases = {
            "read_s": clock["read"] - clock["start"],
            "score_s": clock["score"] - clock["read"],
            "write_s": clock["write"] - clock["score"],
            "score_cpu_s": cpu["score"] - cpu["read"],
        }
        typer.echo(json.dumps({k: round(v, 3) for k, v in phases.items()} | {"children": len(scored)}))


def _read_records(path: Path, model: type[RecordT], what: str) -> list[RecordT]:
    """The records of a JSON list file: parsed in one pass (fast on 60,000 applications); when that
    fails, item by item so the message names the record (受付番号) that is wrong."""
    from pydantic import TypeAdapter, ValidationError

    from matching.records import parse_record

    try:
        return TypeAdapter(list[model]).validate_json(read_json_bytes(path, what))  # type: ignore[valid-type]
    except (OSError, ValidationError):
        return [parse_record(model, item) for item in read_json_list(path, what)]


def _profile(path: Path) -> CityProfile:
    from matching.profile import load_profile

    return load_profile(path)[0]


def _read_staff_points(path: Path) -> tuple[StaffPoints, ...]:
    """職権調整 from the review workbook (.xlsx) or a JSON list of {"child_id", "points", "reason"}."""
    from pydantic import TypeAdapter, ValidationError

    from matching.adjustments import StaffPoints
    from matching.errors import InstanceError

    if path.suffix.lower() == ".xlsx":
        from sheets.adjustments import read_staff_points

        return read_staff_points(path)
    try:
        return TypeAdapter(tuple[StaffPoints, ...]).validate_json(path.read_bytes())
    except (OSError, ValidationError) as exc:
        raise InstanceError(
            f"職権調整のファイルが不正です / invalid staff points file {path} (a JSON list of "
            f'{{"child_id", "points", "reason"}} or the review .xlsx): {exc}'
        ) from exc


@bench_app.command("score")
def bench_score(
    size: Annotated[int, typer.Option(min=1, help="children in the generated city")] = 60_000,
    seed: Annotated[int, typer.Option(help="city generator seed")] = 1,
    repeat: Annotated[int, typer.Option(min=1, help="runs; figures are medians")] = 3,
    rules: Annotated[
        list[Path] | None,
        typer.Option(
            help="rules files (repeatable); default: the richest sample (kawabe) and the demo city's"
        ),
    ] = None,
    cache: Annotated[Path, typer.Option(help="generated cities are kept here")] = Path("out/bench-cache"),
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """`bodx score` end to end on a generated city (each run a fresh process), per rules file."""
    from benchmarks.score import city_files, run_score

    root = Path(__file__).resolve().parents[2]
    chosen = rules or [root / "cities" / "kawabe" / "rules.toml", root / "cities" / "hinata" / "rules.toml"]
    results: dict[str, dict[str, object]] = {}
    lines = []
    for path in chosen:
        apps, nurseries, year = city_files(size, seed, cache, path)
        runs = [
            run_score(apps, nurseries, path, year, cache / "bench-score-city.json") for _ in range(repeat)
        ]
        figures: dict[str, object] = {
            key: round(median([float(run[key]) for run in runs]), 3)
            for key in ("wall_s", "cpu_s", "read_s", "score_s", "score_cpu_s", "write_s")
        }
        figures["children"] = runs[0]["children"]
        figures["runs"] = repeat
        results[path.parent.name if path.name == "rules.toml" else path.stem] = figures
        lines.append(
            f"{path}: {figures['children']} children, bodx score {figures['wall_s']} s wall, "
            f"{figures['cpu_s']} s CPU, median of {repeat} "
            f"(read {figures['read_s']} s, score {figures['score_s']} s [CPU {figures['score_cpu_s']} s], "
            f"write {figures['write_s']} s)"
        )
    load = [round(v, 2) for v in os.getloadavg()]
    lines.append(f"load average at the end: {load}")
    emit({"size": size, "seed": seed, "rules": results, "load_average": load}, as_json, lines)


@app.command("compare")
def compare(
    manual: Annotated[
        Path,
        typer.Option(
            help="手作業の選考結果 (.xlsx: 1シート、年齢クラス別・施設別のシートも可; 児童番号, 内定施設, 指数)"
        ),
    ],
    result: Annotated[Path, typer.Option(help="プログラムの結果 (.xlsx: 結果一覧 sheet, or result.json)")],
    instance: Annotated[
        Path | None, typer.Option(help="city.json: priorities and preferences for the reasons")
    ] = None,
    unmasked: Annotated[
        bool, typer.Option(help="show full 児童番号 of the listed children (staff screen only)")
    ] = False,
    out: Annotated[
        Path | None, typer.Option(help="照合ワークブック (.xlsx, protected, mode 0600) to write")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object instead of lines")] = False,
    overwrite: Annotated[bool, typer.Option(help="replace an existing --out workbook")] = False,
) -> None:
    """Every child whose manual and program outcomes differ, tied to one root cause, and the agreement rate."""
    from bodx.commands.compare_run import run_compare

    run_compare(manual, result, instance, unmasked=unmasked, out=out, as_json=as_json, overwrite=overwrite)
