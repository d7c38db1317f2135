"""The travel stage at scale: neighbourhoods by date improve a schedule without breaking a rule, the same way
every time; each objective's own gap is reported beside the combined one (docs/solving.md)."""

from __future__ import annotations

import itertools
import time
from dataclasses import replace
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from planner.check import check_schedule
from planner.domain import Mission
from planner.domain.travel import travel_by_date
from planner.solver.extract import extract_schedule, hint_solution
from planner.solver.model import build_model
from planner.solver.neighbourhoods import (
    FIRST_WORK,
    NEIGHBOURHOOD_WORK,
    Neighbourhood,
    by_venues,
    day_of_start,
    improve_by_neighbourhoods,
)
from planner.solver.objectives import OPTIONAL_ATTENDEES, PLACEMENT, TERMS, TRAVEL_MINUTES, weighted_cost
from planner.solver.sequencing import add_least_travel
from planner.solver.stages import gaps
from planner.testing.generate import generate_mission


def _solver(work: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_deterministic_time = work
    return solver


def _start(mission: Mission | None = None):
    """A mission's model (by default a generated one) at the travel stage, and a first, poor travel schedule
    of it."""
    if mission is None:
        mission, _ = generate_mission(60, 240, seed=3)
    built = build_model(mission)
    built.model.minimize(weighted_cost(built, PLACEMENT))
    placement = _solver(10.0)
    assert placement.solve(built.model) == cp_model.OPTIMAL
    TRAVEL_MINUTES.most(built)
    built.model.add(weighted_cost(built, PLACEMENT) <= round(placement.objective_value))
    built.model.minimize(weighted_cost(built, (TRAVEL_MINUTES,)))
    hint_solution(built, list(placement.response_proto.solution))
    first = _solver(0.02)
    assert first.solve(built.model) in (cp_model.FEASIBLE, cp_model.OPTIMAL)
    return mission, built, list(first.response_proto.solution), round(first.objective_value)


def _solve_one(model: cp_model.CpModel, seconds: float, work: float) -> Neighbourhood:
    solver = _solver(work)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Neighbourhood(status)
    return Neighbourhood(status, round(solver.objective_value), list(solver.response_proto.solution), solver)


def test_neighbourhoods_by_date_improve_travel_within_the_rules_the_same_way_every_time() -> None:
    mission, built, values, objective = _start()
    assert len(built.axis.days) > 1
    found, solved = improve_by_neighbourhoods(built, values, objective, _solve_one, time.monotonic() + 120)
    assert solved >= len(built.axis.days)
    assert found is not None and found.objective is not None and found.objective < objective
    schedule = extract_schedule(built, found.solver, "feasible")
    assert check_schedule(mission, schedule) == []
    assert sum(travel_by_date(mission, schedule).values()) == found.objective
    again, _ = improve_by_neighbourhoods(built, values, objective, _solve_one, time.monotonic() + 120)
    assert again is not None and (again.objective, again.values) == (found.objective, found.values)


@pytest.mark.parametrize("proved", [True, False])
def test_neighbourhoods_start_with_little_work_and_double_it_while_one_is_not_proved(proved: bool) -> None:
    _, built, values, objective = _start()
    works: list[float] = []

    def recorded(model: cp_model.CpModel, seconds: float, work: float) -> Neighbourhood:
        works.append(work)
        found = _solve_one(model, seconds, work)
        # Unproved, every neighbourhood asks for more work; this small mission's are all proved at once.
        return found if proved else replace(found, status=cp_model.FEASIBLE)

    improve_by_neighbourhoods(built, values, objective, recorded, time.monotonic() + 120)
    assert works[0] == FIRST_WORK < NEIGHBOURHOOD_WORK
    if proved:
        assert set(works) == {FIRST_WORK}
        return
    assert works == sorted(works)
    limits = sorted(set(works))
    assert all(b == min(2 * a, NEIGHBOURHOOD_WORK) for a, b in itertools.pairwise(limits))
    # Converged within the deadline: the search ended after rounds at the most work that improved nothing.
    assert works[-1] == NEIGHBOURHOOD_WORK


@pytest.mark.parametrize("hotels", [False, True])
def test_the_least_travel_constraints_keep_the_optimum(hotels: bool, tmp_path: Path) -> None:
    """Redundant constraints only (docs/solving.md): the optimum found without them holds every one of them,
    and the optimum with them is the same; on the small example with hotels, the hotel trips' too."""
    from test_lodging import with_lodging

    _, built, _, _ = _start(with_lodging(tmp_path) if hotels else None)
    assert any(circuit.hotel_travel if hotels else circuit.travel for circuit in built.circuits)
    before = _solver(30.0)
    assert before.solve(built.model) == cp_model.OPTIMAL
    count = len(built.model.proto.constraints)
    add_least_travel(built)
    assert len(built.model.proto.constraints) > count
    held = built.model.clone()
    for variable, value in zip(held.proto.variables, before.response_proto.solution, strict=True):
        variable.domain.clear()
        variable.domain.extend([value, value])
    assert _solver(5.0).solve(held) == cp_model.OPTIMAL
    after = _solver(30.0)
    assert after.solve(built.model) == cp_model.OPTIMAL
    assert after.objective_value == before.objective_value


def test_neighbourhoods_by_venues_cover_each_placed_activity_once_within_its_leg() -> None:
    _, built, values, _ = _start()
    groups = [free(values) for free in by_venues(built)]
    placed = sorted(a for a in built.activities if day_of_start(built, values, a) >= 0)
    assert sorted(a for group in groups for a in group) == placed
    for group in groups:
        assert len({built.activities[a].leg.city for a in group}) <= 1


def test_each_objective_has_its_own_gap() -> None:
    values = {"left_out_priority": 0, "optional_attendees": 90, "travel_minutes": 1500}
    bounds = {"left_out_priority": 0, "optional_attendees": 100, "travel_minutes": 1000}
    assert gaps(TERMS, values, bounds) == {"left_out_priority": 0.0, "optional_attendees": 0.1,
                                           "travel_minutes": 0.3333}
    assert OPTIONAL_ATTENDEES.maximise
    assert gaps(TERMS, values, {"travel_minutes": None}) == {}


def test_schedule_json_carries_each_objectives_gap(example_small_path, tmp_path) -> None:
    import json

    from planner.mission.load import load_mission
    from planner.mission.schedule_file import write_schedule
    from planner.pipeline import SolveOptions, solve

    schedule = solve(load_mission(example_small_path), SolveOptions(time_limit=30, progress=False))
    write_schedule(schedule, tmp_path / "schedule.json")
    written = json.loads((tmp_path / "schedule.json").read_text())
    assert written["status"] == "optimal"
    assert written["objective_gaps"] == {"left_out_priority": 0.0, "optional_attendees": 0.0,
                                         "travel_minutes": 0.0}


def test_the_last_part_of_the_travel_stage_runs_the_full_linear_relaxation() -> None:
    from planner.solver.solve import BOUND_PORTFOLIO, PORTFOLIO, SolveOptions, _parameters

    two, one, first_look = cp_model.CpSolver(), cp_model.CpSolver(), cp_model.CpSolver()
    _parameters(two, SolveOptions(workers=2), 10, True, BOUND_PORTFOLIO)
    _parameters(one, SolveOptions(workers=1), 10, True, BOUND_PORTFOLIO)
    _parameters(first_look, SolveOptions(workers=1), 10, True, PORTFOLIO)
    assert list(two.parameters.subsolvers) == ["max_lp", "core"]
    assert not two.parameters.interleave_search  # max_lp's long first batch would idle the other worker
    interleaved = cp_model.CpSolver()
    _parameters(interleaved, SolveOptions(workers=2), 10, True, PORTFOLIO)
    assert interleaved.parameters.interleave_search
    assert one.parameters.linearization_level == 2
    assert first_look.parameters.linearization_level == 1
