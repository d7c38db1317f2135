"""An upper bound on the priority any schedule can hold, to prove the first preference optimal.

The linear relaxation in which each participant meets at most once per slot they can attend (less the
required requests they are in), and no more meetings are held than tables × slots, each optional request
with a candidate cell counted between 0 and 1 time. Solved by GLOP (OR-Tools' LP solver) in well under a
second for 20,000 requests. When the priority scheduled reaches it (rounded down: priorities are whole),
no schedule holds more: the priority is optimal, whatever is left to prove of the idle slots. The
benchmark's bound (`benchmarks/peers/b2b.py`, HiGHS) is the same relaxation, solved apart.
"""

from __future__ import annotations

import math

from ortools.linear_solver import pywraplp

from planner.b2b.problem import Problem


def priority_upper_bound(problem: Problem) -> int | None:
    """The relaxation's optimum rounded down, or None when GLOP does not solve it."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    live = [
        request
        for request in range(len(problem.weight))
        if problem.candidates[request] and not problem.required[request]
    ]
    taken = {request: solver.NumVar(0.0, 1.0, f"x{request}") for request in live}
    for member, requests in enumerate(problem.requests_of):
        columns = [taken[request] for request in requests if request in taken]
        required = sum(1 for request in requests if problem.required[request] and problem.candidates[request])
        room = max(0, len({problem.cells[cell].start for cell in problem.available[member]}) - required)
        if len(columns) > room:
            solver.Add(solver.Sum(columns) <= room)
    required_total = sum(problem.required)
    solver.Add(solver.Sum(list(taken.values())) <= sum(problem.capacity) - required_total)
    solver.Maximize(solver.Sum([problem.weight[request] * taken[request] for request in live]))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    # A hair of slack for the LP's floating point before rounding down to whole priority.
    return math.floor(solver.Objective().Value() + 1e-6)
