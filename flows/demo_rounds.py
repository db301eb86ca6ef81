"""The demo's second round (二次調整) after the season of flows.demo: what `bodx demo` runs next.

Staff answers are typed into the 回答記録 the first round wrote (samples.rounds.answer_responses), a few
new applicants arrive on a ledger (and are known to the legacy system, as the city registers them), and
the 二次調整 flow runs as a deployment run: plan, solve with the accepted placements fixed, approval
(answered through the API, as in the first round), letters, the next 回答記録, robot entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from flows.demo import APPROVAL_COMMENT, APPROVER, DEMO_PASSWORD, DEMO_USER
from flows.params import SeasonLedger
from flows.round_close import RESPONSES_FILE
from flows.round_params import NextRoundParams, RoundOutcome
from matching.records import Nursery
from samples.legacy_app import LegacyAppConfig, SeedChild, read_entries, running_legacy_app
from samples.rounds import answer_responses, new_applicants, write_new_applicants_ledger

ROUND_DEMO_DEPLOYMENT = "demo-round"


@dataclass(frozen=True)
class RoundDemo:
    flow_run_id: UUID
    state: str
    outcome: RoundOutcome | None
    answers: dict[str, int]
    new_applicants: int
    legacy_entries: int


def run_round_demo(
    season: Path, legacy_db: Path, out: Path, year: int = 2027, seed: int = 2027, applicants: int = 8
) -> RoundDemo:
    """The next round of the season in `season` (approved, with its 回答記録). Needs a Prefect server."""
    from pydantic import TypeAdapter

    from flows.rounds import next_round_flow
    from flows.runs import answer_approval, apply_deployment, execute_run, is_suspended, start_run

    answers = answer_responses(season / RESPONSES_FILE, seed)
    nurseries = TypeAdapter(tuple[Nursery, ...]).validate_json(
        (season / "records" / "nurseries.json").read_bytes()
    )
    joining = new_applicants(applicants, seed + 1, year, nurseries)
    ledger = write_new_applicants_ledger(out / "二次申込.xlsx", joining, nurseries, year)
    config = LegacyAppConfig(
        db_path=legacy_db,
        user=DEMO_USER,
        password=DEMO_PASSWORD,
        processing_delay_ms=20,
        children=tuple(SeedChild(a.id, c.id, c.name or c.id) for a in joining for c in a.children),
        nurseries={n.id: n.name for n in nurseries},
    )
    with running_legacy_app(config) as legacy:
        params = NextRoundParams(
            season_dir=season,
            ledgers=(SeasonLedger(ledger=ledger),),
            legacy_url=legacy.base_url,
            time_limit=30,
        )
        deployment_id = apply_deployment(next_round_flow, ROUND_DEMO_DEPLOYMENT)
        run_id = start_run(deployment_id, {"params": params.model_dump(mode="json")})
        run = execute_run(next_round_flow, run_id)
        if is_suspended(run):
            answer_approval(run_id, approved=True, comment=APPROVAL_COMMENT, approver=APPROVER)
            run = execute_run(next_round_flow, run_id)
    state = (run.state.name if run.state else None) or "unknown"
    outcome = None
    if run.state is not None and run.state.is_completed():
        outcome = RoundOutcome.model_validate(run.state.result())
    joined = sum(len(a.children) for a in joining)
    return RoundDemo(run_id, state, outcome, answers, joined, len(read_entries(legacy_db)))
