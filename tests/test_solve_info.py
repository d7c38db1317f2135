"""The schedule's figures are typed (issue 11): objectives, bounds, gaps, the solver's and the matchmaking's
figures are fields of `Schedule`, written to schedule.json under the keys planner always wrote, in the same
order, and read back into the same fields."""

from __future__ import annotations

import json
from pathlib import Path

from planner.domain.schedule import Schedule
from planner.domain.solve_info import MatchingInfo, SolverInfo, StageInfo
from planner.mission.schedule_file import read_schedule

# The flagship's `solver` as planner wrote it before the figures were typed (load-dependent times aside).
FLAGSHIP_SOLVER = {
    "workers": 1, "seed": 0, "time_limit": 20.0, "build_seconds": 0.499, "order_pairs": 243,
    "between_literals": 90, "symmetries_broken": 0, "variables": 682, "constraints": 2212,
    "placement_seconds": 0.295, "placement_deterministic_time": 0.011, "presolve_retried": False,
    "travel_build_seconds": 0.07, "circuits": 144, "travel_seconds": 0.976, "travel_deterministic_time": 0.073,
    "travel_objective": 138894, "travel_bound": 138894, "travel_neighbourhoods": 6, "interrupted": False,
}


def test_the_solver_figures_read_back_typed_and_write_the_same_keys_in_the_same_order() -> None:
    info = SolverInfo.from_json(FLAGSHIP_SOLVER)
    assert (info.workers, info.seed, info.time_limit, info.interrupted) == (1, 0, 20.0, False)
    assert info.model == {"order_pairs": 243, "between_literals": 90, "symmetries_broken": 0,
                          "variables": 682, "constraints": 2212}
    assert info.stages == (
        StageInfo("placement", seconds=0.295, deterministic_time=0.011, presolve_retried=False),
        StageInfo("travel", build_seconds=0.07, circuits=144, seconds=0.976, deterministic_time=0.073,
                  objective=138894, bound=138894, neighbourhoods=6))
    assert (info.presolve_retried, info.travel_objective) == (False, 138894)
    assert list(info.to_json().items()) == list(FLAGSHIP_SOLVER.items())


def test_a_model_that_already_has_circuits_keeps_the_count_where_it_stood() -> None:
    """A max_hours rule builds circuits with the model: the travel stage updates that count in place."""
    written = {"workers": 2, "seed": 0, "time_limit": 5.0, "build_seconds": 0.1, "circuits": 3,
               "variables": 10, "constraints": 20, "placement_seconds": 0.2,
               "placement_deterministic_time": 0.01, "presolve_retried": False, "travel_build_seconds": 0.0}
    info = SolverInfo(workers=2, seed=0, time_limit=5.0, build_seconds=0.1,
                      model={"circuits": 3, "variables": 10, "constraints": 20},
                      stages=(StageInfo("placement", seconds=0.2, deterministic_time=0.01, presolve_retried=False),
                              StageInfo("travel", build_seconds=0.0, circuits=5)))
    assert list(info.to_json().items()) == list({**written, "circuits": 5}.items())
    assert SolverInfo.from_json(info.to_json()).to_json() == info.to_json()
    assert not info.stages[1].ran and info.travel_objective is None and info.interrupted is None


def test_schedule_json_keeps_its_keys_and_their_order(tmp_path: Path) -> None:
    schedule = Schedule(mission="M", status="optimal", objective=5, bound=5,
                        objectives={"left_out_priority": 5, "optional_attendees": 0, "travel_minutes": 0},
                        objective_bounds={"left_out_priority": 5, "optional_attendees": 0, "travel_minutes": 0},
                        objective_gaps={"left_out_priority": 0.0, "optional_attendees": 0.0, "travel_minutes": 0.0},
                        solver=SolverInfo.from_json(FLAGSHIP_SOLVER),
                        matching=MatchingInfo("optimal", {"required": 0, "idle": 2}, 0.25),
                        extra={"now": "2025-10-07T12:00:00-07:00"})
    document = schedule.to_json()
    assert list(document)[-8:] == ["objectives", "objective_bounds", "objective_gaps", "solver",
                                   "meetings_status", "meeting_objectives", "meetings_seconds", "now"]
    assert document["solver"] == FLAGSHIP_SOLVER and document["meeting_objectives"] == {"required": 0, "idle": 2}
    path = tmp_path / "schedule.json"
    path.write_text(schedule.dumps(), encoding="utf-8")
    again = read_schedule(path)
    assert (again.objectives, again.objective_bounds, again.objective_gaps) == (
        schedule.objectives, schedule.objective_bounds, schedule.objective_gaps)
    assert again.solver == schedule.solver and again.matching == schedule.matching
    assert again.extra == {"now": "2025-10-07T12:00:00-07:00"}
    assert again.dumps() == path.read_text(encoding="utf-8")


def test_another_programs_solver_name_stays_as_it_was_written(tmp_path: Path) -> None:
    """A peer of the benchmarks writes `solver` as its name: not planner's figures, kept in `extra`."""
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps({"format": "planner-schedule/1", "mission": "M", "status": "feasible",
                                "activities": [], "solver": "greedy first-fit"}), encoding="utf-8")
    schedule = read_schedule(path)
    assert schedule.solver is None and schedule.extra == {"solver": "greedy first-fit"}
    assert schedule.to_json()["solver"] == "greedy first-fit"
