"""`planner solve`: the command end to end, determinism, the time limit, Ctrl-C and solver failures."""

from __future__ import annotations

import json
import os
import signal
import threading
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from ortools.sat.python import cp_model
from rich.console import Console
from typer.testing import CliRunner

from planner.check import check_schedule
from planner.cli import app
from planner.cli.solve_summary import run_solve
from planner.domain import Mission
from planner.domain.errors import SolverFailure
from planner.domain.schedule import FORMAT, Schedule
from planner.mission.load import load_mission, load_mission_text
from planner.mission.schedule_file import read_schedule
from planner.pipeline import PlanOptions, SolveOptions, solve
from planner.solver.options import Progress
from planner.testing.generate import generate_mission

INFEASIBLE = """
mission: {name: Clash, timezone: America/Los_Angeles}
legs: [{city: San Francisco, from: 2025-10-06, to: 2025-10-06}]
venues:
  - {id: hall, name: Hall, city: San Francisco}
  - {id: lab, name: Lab, city: San Francisco}
travel: {times: [[hall, lab, 60m]]}
delegates: [{id: x, name: X}]
activities:
  - {id: a, title: A, venue: hall, duration: 1h, windows: [["2025-10-06 09:00", "2025-10-06 10:00"]], attendees: [x]}
  - {id: b, title: B, venue: lab, duration: 1h, windows: [["2025-10-06 10:00", "2025-10-06 11:30"]], attendees: [x]}
"""


def _comparable(path: Path) -> dict:
    """schedule.json without what depends on the clock."""
    document = json.loads(path.read_text(encoding="utf-8"))
    document.pop("solve_seconds")
    document.pop("solver", None)
    document.pop("programme_written")  # when the programme was first written: the clock's
    return document


def test_cli_solves_example_small(example_small_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["solve", str(example_small_path), "--out", str(out), "--time-limit", "20",
                                      "--quiet"])
    assert result.exit_code == 0, result.output
    assert "optimal" in result.output
    document = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
    assert document["format"] == FORMAT and document["status"] == "optimal"
    assert document["objective"] == document["bound"]
    assert set(document["objectives"]) == {"left_out_priority", "optional_attendees", "travel_minutes"}
    mission = load_mission(example_small_path)
    assert check_schedule(mission, read_schedule(out / "schedule.json")) == []
    assert not list(out.glob(".*.tmp")), "a temporary file of an atomic write was left behind"


def test_cli_infeasible_writes_conflicts_and_exits_1(tmp_path: Path) -> None:
    mission_file = tmp_path / "clash.yaml"
    mission_file.write_text(INFEASIBLE, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["solve", str(mission_file), "--out", str(out), "--quiet", "--time-limit", "10"])
    assert result.exit_code == 1, result.output
    document = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
    assert document["status"] == "infeasible"
    assert document["activities"] == [] and document["conflicts"]
    assert {"a", "b"} <= {a for c in document["conflicts"] for a in c["activities"]}


def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    mission_file = tmp_path / "bad.yaml"
    mission_file.write_text(INFEASIBLE.replace("attendees: [x]}", "attendees: [nobody]}"), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["solve", str(mission_file), "--out", str(out), "--quiet"])
    assert result.exit_code == 2
    assert "bad.yaml:" in result.output
    assert not out.exists()


@pytest.mark.parametrize("workers", [1, 2])
def test_same_input_and_options_give_the_same_schedule(example_small_path: Path, tmp_path: Path,
                                                      workers: int) -> None:
    mission = load_mission(example_small_path)
    console = Console(file=StringIO())
    options = SolveOptions(time_limit=20, workers=workers, seed=3, progress=False)
    assert run_solve(mission, options, tmp_path / "first", console) == 0
    assert run_solve(mission, options, tmp_path / "second", console) == 0
    assert _comparable(tmp_path / "first" / "schedule.json") == _comparable(tmp_path / "second" / "schedule.json")


@pytest.mark.slow
def test_generated_mission_is_deterministic_and_valid() -> None:
    mission, _ = generate_mission(60, 200, seed=5)
    options = SolveOptions(time_limit=60, progress=False)
    first, second = solve(mission, options), solve(mission, options)
    assert first.status == "optimal", "the comparison needs both solves to end before the time limit"
    assert [(a.id, a.venue, a.start, a.attendees) for a in first.activities] == \
           [(a.id, a.venue, a.start, a.attendees) for a in second.activities]
    assert check_schedule(mission, first) == []


def test_time_limit_stops_with_the_best_schedule_found() -> None:
    mission, _ = generate_mission(150, 600, seed=1)
    schedule = solve(mission, SolveOptions(time_limit=1.0, progress=False))
    assert schedule.status in ("optimal", "feasible", "unknown")
    assert schedule.solver.time_limit == 1.0
    if schedule.has_programme:
        assert check_schedule(mission, schedule) == []
        assert schedule.bound is not None and schedule.bound <= schedule.objective


@pytest.mark.slow
@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals need the main thread")
def test_ctrl_c_keeps_the_best_schedule_found() -> None:
    mission, _ = generate_mission(300, 1500, seed=0)
    sent: list[str] = []

    def interrupt_once_the_travel_stage_has_a_schedule(update: Progress) -> None:
        # Ctrl-C once there is something to keep, however loaded the machine (a fixed delay may fall in
        # the model's build on a busy machine, before there is anything to keep).
        if update.stage == "travel" and update.objective is not None and not sent:
            sent.append(update.stage)
            os.kill(os.getpid(), signal.SIGINT)

    schedule = solve(mission, SolveOptions(time_limit=60, progress=False,
                                           on_progress=interrupt_once_the_travel_stage_has_a_schedule))
    assert sent, "the travel stage reported no schedule"
    assert schedule.solver.interrupted is True
    assert schedule.status == "feasible"
    assert check_schedule(mission, schedule) == []


def test_presolve_crash_is_retried_without_presolve(example_small_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = cp_model.CpSolver.solve
    calls: list[bool] = []

    def crashing(self, model, callback=None):
        calls.append(self.parameters.cp_model_presolve)
        if self.parameters.cp_model_presolve:
            raise IndexError("raw_hash_map::at")
        return original(self, model, callback)

    monkeypatch.setattr(cp_model.CpSolver, "solve", crashing)
    schedule = solve(load_mission(example_small_path), SolveOptions(time_limit=20, progress=False))
    assert schedule.status == "optimal"
    assert schedule.solver.presolve_retried is True
    assert calls[:2] == [True, False]


def test_a_solver_that_keeps_failing_is_a_clear_failure(example_small_path: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def crashing(self, model, callback=None):
        raise IndexError("raw_hash_map::at")

    monkeypatch.setattr(cp_model.CpSolver, "solve", crashing)
    with pytest.raises(SolverFailure, match="placement stage"):
        solve(load_mission(example_small_path), SolveOptions(time_limit=5, progress=False))
    # `planner solve` plans in a child process, which the patch does not reach: plan here instead.
    import planner.cli.solve_summary as solve_summary
    from planner.pipeline import plan

    def plan_here(mission: Mission, options: PlanOptions, *, on_started: Callable[[], None],
                  **callbacks: Any) -> Schedule:
        on_started()
        return plan(mission, options, **callbacks)

    monkeypatch.setattr(solve_summary, "plan_isolated", plan_here)
    result = CliRunner().invoke(app, ["solve", str(example_small_path), "--out", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code == 1
    assert "solver failure" in result.output


def test_summary_names_each_objective_and_what_was_left_out(tmp_path: Path) -> None:
    mission = load_mission_text(INFEASIBLE.replace('"2025-10-06 11:30"]], attendees: [x]}',
                                                   '"2025-10-06 11:30"]], attendees: [x], priority: 40}'))
    console = Console(file=StringIO(), width=200)
    assert run_solve(mission, SolveOptions(time_limit=10, progress=False), tmp_path, console) == 0
    text = console.file.getvalue()
    assert "left out priority" in text and "40" in text
    assert "left out b" in text
    assert read_schedule(tmp_path / "schedule.json").unscheduled[0].id == "b"


@pytest.mark.parametrize("size", [(30, 80), (80, 250)])
def test_travel_model_agrees_with_the_plain_count(size: tuple[int, int]) -> None:
    """The circuits' objective equals the travel counted plainly from the schedule (consecutive, same date)."""
    mission, _ = generate_mission(*size, seed=2)
    schedule = solve(mission, SolveOptions(time_limit=20, progress=False))
    assert schedule.has_programme
    travel = schedule.solver.stage("travel")
    if travel is not None and travel.ran:
        # At the optimum the costs are exact; before it a cost literal may be left true needlessly.
        assert schedule.status == "optimal", "the comparison needs a proved optimum"
        assert schedule.solver.travel_objective == schedule.objectives["travel_minutes"]
    else:
        assert schedule.objectives["travel_minutes"] == 0
    assert check_schedule(mission, schedule) == []


def test_on_progress_hears_every_stage_improve_towards_the_final_objective(example_small_path):
    from planner.mission.load import load_mission
    from planner.pipeline import SolveOptions, solve

    heard: list[Progress] = []
    schedule = solve(load_mission(example_small_path),
                     SolveOptions(time_limit=30, workers=1, progress=False, on_progress=heard.append))
    assert schedule.status == "optimal"
    assert {p.stage for p in heard} == {"placement", "travel"}
    travel = [p.objective for p in heard if p.stage == "travel" and p.objective is not None]
    assert travel and travel == sorted(travel, reverse=True)
    assert travel[-1] == schedule.objectives["travel_minutes"]


def test_the_summary_shows_bracketed_titles_and_reasons_as_written():
    from io import StringIO

    from rich.console import Console

    from planner.cli.solve_summary import print_summary
    from planner.domain import Mission, TimeOfDayRange
    from planner.domain.schedule import Conflict, Schedule, Unscheduled

    mission = Mission(name="[Draft] mission", timezone="UTC", grain=5, day=TimeOfDayRange(480, 1200), legs=(),
                      venues={}, delegates={}, activities={})
    schedule = Schedule(mission=mission.name, status="infeasible",
                        unscheduled=[Unscheduled("x", "blocked by '[bold]Gala[/bold]'")],
                        conflicts=[Conflict("'[red]Visit[/red]' clashes with '[Press] call'")])
    output = StringIO()
    print_summary(mission, schedule, Console(file=output, width=200))
    text = output.getvalue()
    for written in ("[Draft] mission", "'[bold]Gala[/bold]'", "'[red]Visit[/red]' clashes with '[Press] call'"):
        assert written in text
