"""Start, execute and answer deployment runs from Python: what `bodx demo` and the tests do by hand.

In production a `bodx serve` process executes the runs and staff answer the approval form in the UI;
here the same API calls are made directly, so a demo or a test needs no long-running worker.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any, cast
from uuid import UUID

from prefect import Flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.deployments.runner import RunnerDeployment
from prefect.exceptions import Pause
from prefect.flow_engine import run_flow
from prefect.flow_runs import resume_flow_run

from flows.errors import RunTimeoutError


def apply_deployment(flow: Flow[..., Any], name: str) -> UUID:
    """Register (or update) a deployment without a schedule; suspending needs the run to have one."""
    deployment = cast(RunnerDeployment, flow.to_deployment(name=name))  # sync call: not a coroutine
    return cast(UUID, deployment.apply())


def start_run(deployment_id: UUID, parameters: dict[str, Any], name: str | None = None) -> UUID:
    with get_client(sync_client=True) as client:
        run = client.create_flow_run_from_deployment(deployment_id, parameters=parameters, name=name)
    return run.id


def read_run(flow_run_id: UUID) -> FlowRun:
    with get_client(sync_client=True) as client:
        return client.read_flow_run(flow_run_id)


def execute_run(flow: Flow[..., Any], flow_run_id: UUID) -> FlowRun:
    """Run a scheduled (or resumed) flow run in this process until it finishes or suspends."""
    # Pause: suspended at the approval gate; the run now waits on the server, not in this process.
    with suppress(Pause):
        run_flow(flow, flow_run=read_run(flow_run_id), return_type="state")
    return read_run(flow_run_id)


def answer_approval(flow_run_id: UUID, approved: bool, comment: str, approver: str) -> None:
    """Submit the approval form exactly as the UI does (the server checks it against the form's schema)."""
    resume_flow_run(flow_run_id, run_input={"approved": approved, "approver": approver, "comment": comment})


def is_suspended(run: FlowRun) -> bool:
    return run.state is not None and run.state.type is StateType.PAUSED


def runs_of(deployment_id: UUID) -> set[UUID]:
    """The ids of every run of a deployment (e.g. to find the one a form in the UI just created)."""
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
    from prefect.client.schemas.sorting import FlowRunSort

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
            sort=FlowRunSort.ID_DESC,
            limit=200,  # the server's page size; a run just created is among the newest
        )
    return {run.id for run in runs}


def wait_for_run(
    done: Callable[[], UUID | FlowRun | None], what: str, timeout_s: float = 60.0
) -> UUID | FlowRun:
    """Poll `done` until it returns something (a new run, a run in the state waited for)."""
    deadline = time.monotonic() + timeout_s
    while (found := done()) is None:
        if time.monotonic() > deadline:
            raise RunTimeoutError(
                f"{what}: {timeout_s:.0f} 秒待っても変わりません / nothing changed within {timeout_s:.0f} s"
            )
        time.sleep(0.5)
    return found
