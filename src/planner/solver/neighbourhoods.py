"""Large-neighbourhood search for the travel stage (docs/solving.md, "The travel stage at scale").

The travel objective is a sum over dates: each date's circuits cost the moves of that date. Holding every
activity that does not lie on one date where the incumbent has it (start, venue, presence, attendance) and
solving the whole model again leaves a small problem that CP-SAT solves to optimality in a fraction of the
time the whole model takes to improve; the activities of that date may still move to another of their dates.
One round visits every date of the mission in order; rounds repeat while one improves the incumbent. Every
neighbourhood is the full model with some variables fixed, so each schedule it returns is valid and holds
the placement stage's value (the stage's constraint is in the model). Deterministic: the dates in order,
each solve with a fixed seed and a deterministic time limit.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner.solver.variables import MissionModel

NEIGHBOURHOOD_WORK = 5.0
"""CP-SAT's deterministic seconds per neighbourhood (a date's problem is proved optimal well within)."""


@dataclass
class Neighbourhood:
    """What a neighbourhood solve found: CP-SAT's status and, with a solution, its objective and values."""

    status: int
    objective: int | None = None
    values: list[int] | None = None
    solver: cp_model.CpSolver | None = None


SolveNeighbourhood = Callable[[cp_model.CpModel, float], Neighbourhood]
"""(model with variables fixed, seconds) → the result: the caller sets parameters (workers, seed)."""


def activity_variables(built: MissionModel) -> dict[str, list[int]]:
    """activity id → the indexes of the variables that say when, where and with whom it takes place."""
    result: dict[str, list[int]] = {}
    for activity_id, placed in built.activities.items():
        variables = [placed.start, placed.presence, *placed.venues.values()]
        result[activity_id] = [v.index for v in variables if v.index >= 0]
    for (activity_id, _), literal in built.attendance.items():
        if literal.index >= 0:
            result[activity_id].append(literal.index)
    return {activity_id: sorted(set(indexes)) for activity_id, indexes in result.items()}


def day_of_start(built: MissionModel, values: list[int], activity_id: str) -> int:
    """The index of the date on which the incumbent starts the activity (-1 when absent)."""
    placed = built.activities[activity_id]
    if placed.presence.index >= 0 and not values[placed.presence.index]:
        return -1
    minute = values[placed.start.index] * built.axis.unit
    for day in built.axis.days:
        if day.start_minute <= minute < day.end_minute:
            return day.index
    return -1


def improve_by_date(built: MissionModel, values: list[int], objective: int | None, solve: SolveNeighbourhood,
                    deadline: float, on_better: Callable[[Neighbourhood], None] | None = None,
                    ) -> tuple[Neighbourhood | None, int]:
    """Rounds of neighbourhoods, one per date, from the incumbent `values` (a solution of `built.model`)
    until a round improves nothing or `deadline` (time.monotonic()) passes. Returns the best neighbourhood
    solution found (None when none beat `objective`) and the number of neighbourhoods solved."""
    variables = activity_variables(built)
    best: Neighbourhood | None = None
    solved = 0
    improved = True
    while improved:
        improved = False
        for day in built.axis.days:
            seconds = deadline - time.monotonic()
            if seconds <= 0.05:
                return best, solved
            frozen = built.model.clone()
            domains = frozen.proto.variables
            for activity_id, indexes in variables.items():
                if day_of_start(built, values, activity_id) == day.index:
                    continue
                for index in indexes:
                    domain = domains[index].domain
                    domain.clear()
                    domain.extend([values[index], values[index]])
            frozen.clear_hints()
            hint = frozen.proto.solution_hint
            hint.vars.extend(range(len(values)))
            hint.values.extend(values)
            result = solve(frozen, seconds)
            solved += 1
            if result.objective is None or result.values is None:
                continue
            if objective is None or result.objective < objective:
                objective, values, best, improved = result.objective, result.values, result, True
                if on_better is not None:
                    on_better(result)
    return best, solved
