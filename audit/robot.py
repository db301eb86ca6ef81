"""The robot's outcome per child, read from its work queue, for the log's robot entries."""

from __future__ import annotations

from pathlib import Path

from audit.records import RobotOutcome
from robots.queue import WorkQueue
from robots.report import STATE_NAMES


def robot_outcomes(queue_path: Path) -> tuple[RobotOutcome, ...]:
    """Every queued item: the decision entered (内定/保留), its state and the screen's message."""
    with WorkQueue(queue_path) as queue:
        items = queue.items()
    return tuple(
        RobotOutcome(
            child_id=item.decision.child_id if item.decision else item.reference.partition("/")[2],
            reference=item.reference,
            decision=item.decision.outcome.value if item.decision else "-",
            state=STATE_NAMES.get(item.state, str(item.state)),
            message=item.message or "",
        )
        for item in items
    )
