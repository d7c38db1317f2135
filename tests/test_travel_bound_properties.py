"""Property test: the travel stage's bound (its last part: `max_lp` and `core`, planner.solver.solve
BOUND_PORTFOLIO) never exceeds the travel optimum, on small generated missions whose optimum CP-SAT proves."""

from __future__ import annotations

from hypothesis import given
from ortools.sat.python import cp_model
from strategies import PROPERTIES, planted_missions

from planner.domain import Mission
from planner.domain.schedule import Schedule
from planner.solver.model import build_model
from planner.solver.objectives import PLACEMENT, TRAVEL_MINUTES, weighted_cost
from planner.solver.solve import BOUND_PORTFOLIO, SolveOptions, _Interrupt, _run_stage


def _optimum(model: cp_model.CpModel) -> int | None:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 5.0
    return round(solver.objective_value) if solver.solve(model) == cp_model.OPTIMAL else None


@PROPERTIES
@given(planted_missions(min_activities=4, max_activities=12, min_delegates=2, max_delegates=8))
def test_the_last_parts_bound_never_exceeds_the_proven_travel_optimum(
        planted: tuple[Mission, Schedule]) -> None:
    mission, _ = planted
    built = build_model(mission)
    built.model.minimize(weighted_cost(built, PLACEMENT))
    placement = _optimum(built.model)
    if placement is None or TRAVEL_MINUTES.most(built) == 0:
        return  # nothing to compare: no proven placement, or no travel to pay
    built.model.add(weighted_cost(built, PLACEMENT) <= placement)
    built.model.minimize(weighted_cost(built, (TRAVEL_MINUTES,)))
    optimum = _optimum(built.model)
    if optimum is None:
        return
    for workers in (1, 2):
        with _Interrupt() as interrupt:
            last = _run_stage(built, SolveOptions(workers=workers, progress=False), 0.5, "travel", interrupt,
                              BOUND_PORTFOLIO)
        if last.bound is not None:
            assert last.bound <= optimum
        if last.optimal:
            assert last.objective == optimum
