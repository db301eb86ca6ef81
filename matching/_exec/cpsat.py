"""The only module that imports OR-Tools: a thin, fast CP-SAT model builder and solver call.

Variables are plain ints (their index in the model); a negated literal is ``-v - 1`` as in CP-SAT's own
protocol. Constraints are appended to the model protocol buffer directly: at city scale the model has
hundreds of thousands of clauses and the per-call overhead of the expression API would dominate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from matching.errors import SolverError

# CP-SAT's default portfolio did not prove optimality at 30,000 children within 120 s in our
# measurements; these two LP-based subsolvers proved it in about 10 s (see issue 3, design notes).
DEFAULT_SUBSOLVERS = ("max_lp", "default_lp")


def negated(literal: int) -> int:
    return -literal - 1


@dataclass(frozen=True)
class SolveOutcome:
    status: str  # "optimal", "feasible", "infeasible", "unknown", "invalid"
    values: list[int]  # one per variable, empty without a solution
    objective: int
    bound: int  # proven lower bound on the (minimised) objective
    wall_seconds: float
    deterministic_time: float


class CpSatModel:
    def __init__(self) -> None:
        self._model = cp_model.CpModel()
        self._proto = self._model.proto
        self._constraints = self._proto.constraints
        self._variables = self._proto.variables
        self.num_vars = 0

    def new_bools(self, count: int) -> int:
        """Add `count` Boolean variables; returns the index of the first."""
        first = self.num_vars
        add = self._variables.add
        for _ in range(count):
            add().domain.extend((0, 1))
        self.num_vars += count
        return first

    def new_int(self, lower: int, upper: int) -> int:
        self._variables.add().domain.extend((lower, upper))
        self.num_vars += 1
        return self.num_vars - 1

    def add_clause(self, literals: Sequence[int]) -> None:
        self._constraints.add().bool_or.literals.extend(literals)

    def add_clauses(self, clauses: Iterable[Sequence[int]]) -> None:
        add = self._constraints.add
        for literals in clauses:
            add().bool_or.literals.extend(literals)

    def add_at_most_one(self, literals: Sequence[int]) -> None:
        self._constraints.add().at_most_one.literals.extend(literals)

    def add_linear(
        self,
        variables: Sequence[int],
        coeffs: Sequence[int],
        lower: int,
        upper: int,
        enforcement: int | None = None,
    ) -> None:
        constraint = self._constraints.add()
        if enforcement is not None:
            constraint.enforcement_literal.append(enforcement)
        linear = constraint.linear
        linear.vars.extend(variables)
        linear.coeffs.extend(coeffs)
        linear.domain.extend((lower, upper))

    def fix(self, literal: int) -> None:
        self._constraints.add().bool_or.literals.append(literal)

    def minimise(self, variables: Sequence[int], coeffs: Sequence[int]) -> None:
        """Set (or replace) the objective."""
        self._proto.clear_objective()
        objective = self._proto.objective
        objective.vars.extend(variables)
        objective.coeffs.extend(coeffs)

    def hint(self, variables: Sequence[int], values: Sequence[int]) -> None:
        """Set (or replace) the solution hint."""
        self._proto.clear_solution_hint()
        self._proto.solution_hint.vars.extend(variables)
        self._proto.solution_hint.values.extend(values)

    def stats(self) -> tuple[int, int]:
        return self.num_vars, len(self._constraints)

    def solve(
        self,
        time_limit: float,
        workers: int = 1,
        seed: int = 0,
        subsolvers: Sequence[str] = DEFAULT_SUBSOLVERS,
        deterministic_time: float | None = None,
        log: bool = False,
    ) -> SolveOutcome:
        """Solve; deterministic for a fixed model as long as the deterministic-time limit stops it."""
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.num_workers = workers
        params.random_seed = seed
        params.max_time_in_seconds = time_limit
        if deterministic_time is not None:
            params.max_deterministic_time = deterministic_time
        # One worker is deterministic by construction; with more, interleaved search runs the
        # subsolvers in fixed batches so that the same model still gives the same answer.
        params.interleave_search = workers > 1
        if subsolvers:
            params.subsolvers.extend(subsolvers)
        params.log_search_progress = log
        status = solver.solve(self._model)
        response = solver.response_proto
        name = {
            cp_model.OPTIMAL: "optimal",
            cp_model.FEASIBLE: "feasible",
            cp_model.INFEASIBLE: "infeasible",
            cp_model.MODEL_INVALID: "invalid",
        }.get(status, "unknown")
        if name == "invalid":
            message = self._model.validate()
            raise SolverError(
                f"内部エラー: 最適化モデルが不正です / internal error, invalid model: {message}"
            )
        values = list(response.solution) if name in ("optimal", "feasible") else []
        return SolveOutcome(
            status=name,
            values=values,
            objective=round(response.objective_value) if values else 0,
            bound=round(response.best_objective_bound),
            wall_seconds=response.wall_time,
            deterministic_time=response.deterministic_time,
        )
