"""One CP-SAT solve of the whole matchmaking model, for brokerages small enough to prove.

The model (`planner.b2b.model`) with the lexicographic objective of all terms (`planner.b2b.terms`) is
solved from the swaps' schedule as a complete hint. Required requests are not forced: the first term
counts them, so that an optimal answer that leaves one out *proves* it cannot be scheduled. Large
brokerages are not modelled at once (CP-SAT on 2 cores does not improve on the swaps there).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.b2b.model import MatchModel, build_model
from planner.b2b.problem import UNPLACED, Assignment, Problem
from planner.b2b.terms import lexicographic_objective

FULL_MODEL_LIMIT = 3_000
"""Above this many (request, cell) choices the whole model is not built."""


@dataclass(frozen=True)
class SearchOptions:
    time_limit: float = 30.0
    seed: int = 0
    workers: int = 1
    """CP-SAT workers (interleaved when more than one, so that the answer is deterministic)."""


@dataclass
class SearchResult:
    assignment: Assignment
    proved_optimal: bool = False
    proved_required_impossible: bool = False
    seconds: float = 0.0


def solve_whole(problem: Problem, start: Assignment, options: SearchOptions) -> SearchResult | None:
    """One solve of the whole model from `start`, when it is small enough; None when it is not."""
    choices = sum(len(candidates) for candidates in problem.candidates)
    if choices > FULL_MODEL_LIMIT:
        return None
    started = time.monotonic()
    built = build_model(problem, start, list(range(len(problem.weight))))
    lexicographic_objective(built)
    built.hint(start)
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    parameters.random_seed = options.seed
    parameters.num_workers = max(1, options.workers)
    parameters.interleave_search = options.workers > 1
    parameters.max_time_in_seconds = max(options.time_limit, 0.01)
    parameters.catch_sigint_signal = False
    status = solver.solve(built.model)
    result = SearchResult(start, seconds=time.monotonic() - started)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        result.assignment = read_assignment(built, start, solver)
        result.proved_optimal = status == cp_model.OPTIMAL
        placed = sum(
            1
            for request, cell in enumerate(result.assignment.cell)
            if cell != UNPLACED and problem.required[request]
        )
        result.proved_required_impossible = result.proved_optimal and placed < sum(problem.required)
    return result


def read_assignment(built: MatchModel, start: Assignment, solver: cp_model.CpSolver) -> Assignment:
    """`start` with the free requests of `built` where the solver put them."""
    assignment = start.copy()
    for request in built.free:
        assignment.remove(request)
    for (request, cell), variable in built.choices.items():
        if solver.boolean_value(variable):
            assignment.place(request, cell)
    return assignment
