"""The end-to-end demo on synthetic samples: what `bodx demo` (and `make demo`) runs.

Samples: a generated city (staff ledger with its 施設一覧), a few scanned forms, and the sample legacy
system seeded with the children it knows (it plays the city's existing 子ども・子育て支援 system). The
season flow runs as a deployment run against the Prefect server; at the approval gate the demo answers
the form through the API exactly as staff would in the UI, and the resumed run enters the decisions.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from flows.params import ScaleOut, SeasonAdvanced, SeasonOutcome, SeasonParams
from ocr.canonical import application_id
from samples.citygen.write import write_city
from samples.forms.generate import generate_forms
from samples.legacy_app import LegacyAppConfig, SeedChild, read_entries, running_legacy_app
from samples.legacy_app.seed import children_from_json, nurseries_from_json

DEMO_DEPLOYMENT = "demo"
DEMO_USER, DEMO_PASSWORD = "clerk01", "demo-pass"  # the synthetic legacy system's own demo account
APPROVAL_COMMENT = "デモのため自動承認 / approved automatically in demo mode"
APPROVER = "デモ承認者 / demo approver"


@dataclass(frozen=True)
class DemoSamples:
    ledger: Path
    scans: Path
    legacy_children: tuple[SeedChild, ...]
    legacy_nurseries: dict[str, str]


@dataclass(frozen=True)
class DemoRun:
    flow_run_id: UUID
    state: str
    outcome: SeasonOutcome | None
    legacy_db: Path
    legacy_entries: int


def prepare_samples(out: Path, applicants: int, pages: int, seed: int, year: int) -> DemoSamples:
    """City ledger, scanned forms, and what the legacy system knows: every child of both."""
    _, files = write_city(out / "city", applicants, seed, year)
    scans = out / "scans"
    nurseries = nurseries_from_json(files.nurseries)
    # The scanned applicants ask for this city's nurseries, so their forms join the same assignment.
    generated = generate_forms(scans, pages, seed, year=year, nurseries=sorted(nurseries))
    children = children_from_json(files.applications)
    for page in generated:
        fields = json.loads(page.truth.read_text(encoding="utf-8")).get("fields", {})
        if fields.get("child_name") and fields.get("receipt_no"):
            receipt = application_id(str(fields["receipt_no"]))
            children.append(SeedChild(receipt, f"{receipt}-1", str(fields["child_name"])))
    return DemoSamples(
        ledger=files.ledger,
        scans=scans,
        legacy_children=tuple(children),
        legacy_nurseries=nurseries,
    )


def season_parameters(
    samples: DemoSamples,
    year: int,
    legacy_url: str,
    work_dir: Path,
    scale: ScaleOut,
    previews: Path | None = None,
) -> SeasonParams:
    return SeasonParams(
        admission_year=year,
        scans_dir=samples.scans,
        city="hinata",
        ledgers=(samples.ledger,),
        advanced=SeasonAdvanced(
            legacy_url=legacy_url, time_limit=30.0, work_dir=work_dir, scale=scale, notice_previews=previews
        ),
    )


def run_demo(
    out: Path,
    applicants: int = 60,
    pages: int = 4,
    seed: int = 2027,
    year: int = 2027,
    scale: ScaleOut | None = None,
    approve: bool = True,
) -> DemoRun:
    """Prepare samples, run the season flow as a deployment run, approve at the gate, let it finish.

    Needs PREFECT_API_URL to point at a running server (see flows.server.ensure_server).
    """
    from flows.runs import answer_approval, apply_deployment, execute_run, is_suspended, start_run
    from flows.season import season_flow

    samples = prepare_samples(out / "samples", applicants, pages, seed, year)
    # A fresh legacy system and work folder each demo: the robot's queue of an earlier demo would
    # otherwise count its items as done, and the entries counted must be this run's.
    legacy_db = out / "legacy_app.sqlite"
    for stale in (
        legacy_db,
        legacy_db.with_name(legacy_db.name + "-wal"),
        legacy_db.with_name(legacy_db.name + "-shm"),
    ):
        stale.unlink(missing_ok=True)
    shutil.rmtree(out / "season", ignore_errors=True)
    config = LegacyAppConfig(
        db_path=legacy_db,
        user=DEMO_USER,
        password=DEMO_PASSWORD,
        processing_delay_ms=20,
        children=samples.legacy_children,
        nurseries=samples.legacy_nurseries,
    )
    os.environ["BODX_ROBOT_USER"], os.environ["BODX_ROBOT_PASSWORD"] = DEMO_USER, DEMO_PASSWORD
    with running_legacy_app(config) as legacy:
        # The samples are synthetic: one 内定 and one 保留 letter are drawn into `out` as PNG.
        params = season_parameters(
            samples, year, legacy.base_url, out / "season", scale or ScaleOut(runner="threads"), out
        )
        deployment_id = apply_deployment(season_flow, DEMO_DEPLOYMENT)
        run_id = start_run(deployment_id, {"params": params.model_dump(mode="json")})
        run = execute_run(season_flow, run_id)
        if is_suspended(run):
            answer_approval(run_id, approved=approve, comment=APPROVAL_COMMENT, approver=APPROVER)
            run = execute_run(season_flow, run_id)
    state = (run.state.name if run.state else None) or "unknown"
    outcome = None
    if run.state is not None and run.state.is_completed():
        outcome = SeasonOutcome.model_validate(run.state.result())
    return DemoRun(run_id, state, outcome, legacy_db, len(read_entries(legacy_db)))
