"""`planner solve`: the programme, everything written from it, and its summary on the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.cli.app import (
    MissionArgument,
    app,
    check_optional_time_limit,
    check_seed,
    check_time_limit,
    check_workers,
    console,
    read_seconds,
    read_whole_number,
    run,
    warn,
)


@app.command()
def solve(
    mission: MissionArgument,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("out"),
    time_limit: Annotated[float, typer.Option(
        "--time-limit", help="Seconds before stopping with the best found.",
        parser=read_seconds, callback=check_time_limit)] = 60.0,
    workers: Annotated[int, typer.Option(
        "--workers", help="Solver threads (the same value gives the same schedule).",
        parser=read_whole_number("2"), callback=check_workers)] = 2,
    seed: Annotated[int, typer.Option(
        "--seed", help="Random seed of the solver.", parser=read_whole_number("0"), callback=check_seed)] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress display.")] = False,
    meetings_time_limit: Annotated[float | None, typer.Option(
        "--meetings-time-limit",
        help="Seconds for the B2B meetings, after the programme [default: --time-limit, at most 60].",
        parser=read_seconds, callback=check_optional_time_limit, show_default=False)] = None,
) -> None:
    """Build the optimal programme and write schedule.json, calendars, itineraries and the overview."""

    def action() -> int:
        from planner.isolated import start_solver_process

        # The solver's process imports OR-Tools on the other core while this one reads the mission.
        start_solver_process()
        from planner.cli.solve_summary import run_solve
        from planner.mission.lint import mission_warnings
        from planner.mission.load import load_mission
        from planner.mission.output_folder import stage_folder
        from planner.pipeline import MEETINGS_TIME_LIMIT, PlanOptions
        from planner.solver.options import SolveOptions

        loaded = load_mission(mission)
        warn(mission_warnings(loaded))
        options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed, progress=not quiet)
        # The output folder is checked (and its staging folder made) before the solve, not after it.
        with stage_folder(out, "schedule.json") as staged:
            # One who asks for a quick answer waits for no minute of matchmaking after it.
            meetings = meetings_time_limit if meetings_time_limit is not None else min(
                time_limit, MEETINGS_TIME_LIMIT)
            return run_solve(loaded, PlanOptions(options, meetings), out, console, staged)

    run(action)
