"""`planner solve`: the programme, everything written from it, and its summary on the terminal."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from planner.cli.app import MissionArgument, app, console, run, warn

MAX_TIME_LIMIT = 7 * 24 * 3600.0
"""A week: a longer --time-limit is a typing mistake (docs/limits.md)."""
MAX_WORKERS = 64
MAX_SEED = 2**31 - 1
"""CP-SAT's random_seed is a 32-bit signed integer."""


def _time_limit(value: float) -> float:
    """Usage error, before anything runs, unless a finite number of seconds above 0 and up to a week."""
    if not (math.isfinite(value) and 0 < value <= MAX_TIME_LIMIT):
        raise typer.BadParameter(f"{value} is not a number of seconds above 0 and up to "
                                 f"{MAX_TIME_LIMIT:,.0f} (a week); write e.g. 60")
    return value


def _workers(value: int) -> int:
    if not 1 <= value <= MAX_WORKERS:
        raise typer.BadParameter(f"{value} is not a number of solver threads from 1 to {MAX_WORKERS}; "
                                 "write e.g. 2 (one per core)")
    return value


def _seed(value: int) -> int:
    if not 0 <= value <= MAX_SEED:
        raise typer.BadParameter(f"{value} is not a seed from 0 to {MAX_SEED:,}; write e.g. 0")
    return value


@app.command()
def solve(
    mission: MissionArgument,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("out"),
    time_limit: Annotated[float, typer.Option(
        "--time-limit", help="Seconds before stopping with the best found.", callback=_time_limit)] = 60.0,
    workers: Annotated[int, typer.Option(
        "--workers", help="Solver threads (the same value gives the same schedule).", callback=_workers)] = 2,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the solver.", callback=_seed)] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress display.")] = False,
    meetings_time_limit: Annotated[float, typer.Option(
        "--meetings-time-limit", help="Seconds for the B2B meetings, after the programme.",
        callback=_time_limit)] = 60.0,
) -> None:
    """Build the optimal programme and write schedule.json, calendars, itineraries and the overview."""

    def action() -> int:
        from planner.cli.solve_summary import run_solve
        from planner.mission.lint import travel_warnings
        from planner.mission.load import load_mission
        from planner.mission.output_folder import stage_folder
        from planner.pipeline import PlanOptions
        from planner.solver.solve import SolveOptions

        loaded = load_mission(mission)
        warn(travel_warnings(loaded))
        options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed, progress=not quiet)
        # The output folder is checked (and its staging folder made) before the solve, not after it.
        with stage_folder(out, "schedule.json") as staged:
            return run_solve(loaded, PlanOptions(options, meetings_time_limit), out, console, staged)

    run(action)
