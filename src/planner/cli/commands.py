"""The `planner` command line: parses arguments and calls the library, nothing more.

Exit statuses: 0 success; 1 no valid programme (infeasible, unknown, or a schedule that fails the check);
2 invalid input (each error names file:line:column; nothing is written).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from planner.domain import Mission
from planner.domain.errors import InputError, InputErrors, SolverFailure
from planner.domain.schedule import Schedule

app = typer.Typer(
    name="planner",
    help="Plan trade and economic missions: from one mission file to a valid, optimised programme.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors_console = Console(stderr=True)

MissionArgument = Annotated[Path, typer.Argument(help="The mission file (mission.yaml).", show_default=False)]
ScheduleOption = Annotated[Path, typer.Option("--schedule", help="A schedule.json written by planner solve.")]


def _run(action: Callable[[], int | None]) -> None:
    """Turn every expected failure into a clear message and an exit status, never a traceback."""
    try:
        status = action() or 0
    except InputErrors as failure:
        for error in failure.errors:
            # escaped: messages quote YAML such as `[a, b, 25m]`, which rich would read as markup
            errors_console.print(f"[bold red]error[/]: {escape(str(error.source))}: {escape(error.message)}",
                                 highlight=False,
                                 soft_wrap=True)
        count = len(failure.errors)
        errors_console.print(f"{count} error{'s' if count != 1 else ''}; nothing was written.", highlight=False)
        status = 2
    except SolverFailure as failure:
        errors_console.print(f"[bold red]solver failure[/]: {failure}", highlight=False)
        status = 1
    except KeyboardInterrupt:
        errors_console.print("interrupted; nothing more was written.")
        status = 130
    raise typer.Exit(status)


def _warn(warnings: list[InputError]) -> None:
    """Print warnings like errors, in yellow; they change no exit status."""
    for warning in warnings:
        errors_console.print(f"[bold yellow]warning[/]: {escape(str(warning.source))}: {escape(warning.message)}",
                             highlight=False, soft_wrap=True)


def _programme(mission: Mission, schedule_path: Path, nothing_done: str) -> Schedule | None:
    """The schedule.json of this mission, or None (said on stderr) when it holds no programme."""
    from planner.mission.schedule_file import read_programme

    programme = read_programme(mission, schedule_path)
    if not programme.has_programme:
        errors_console.print(f"{schedule_path} holds no programme (status {programme.status}): {nothing_done}.",
                             highlight=False)
        return None
    return programme


@app.command()
def validate(mission: MissionArgument) -> None:
    """Load and validate a mission file; print a short summary."""

    def action() -> int:
        from planner.cli.summary import summary
        from planner.mission.lint import travel_warnings
        from planner.mission.load import load_mission

        loaded = load_mission(mission)
        console.print(summary(loaded))
        _warn(travel_warnings(loaded))
        return 0

    _run(action)


@app.command()
def check(mission: MissionArgument,
          schedule: Annotated[Path, typer.Argument(help="The schedule.json to check.", show_default=False)]) -> None:
    """Check a schedule against every hard rule of the mission (independently of the solver)."""

    def action() -> int:
        from planner.check import check_schedule
        from planner.cli.check_report import print_report
        from planner.mission.load import load_mission
        from planner.mission.schedule_file import read_schedule

        loaded = load_mission(mission)
        violations = check_schedule(loaded, read_schedule(schedule))
        print_report(loaded, violations, console)
        return 1 if violations else 0

    _run(action)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the mission format (for editors and the YAML language server)."""

    def action() -> int:
        from planner.mission.load import json_schema

        import json

        sys.stdout.write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")
        return 0

    _run(action)


@app.command()
def solve(
    mission: MissionArgument,
    out: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("out"),
    time_limit: Annotated[float, typer.Option("--time-limit", help="Seconds before stopping with the best found.")] = 60.0,
    workers: Annotated[int, typer.Option(
        "--workers", help="Solver threads (the same value gives the same schedule).")] = 2,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the solver.")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress display.")] = False,
) -> None:
    """Build the optimal programme and write schedule.json, calendars, itineraries and the overview."""

    def action() -> int:
        from planner.mission.lint import travel_warnings
        from planner.mission.load import load_mission
        from planner.solver.solve import SolveOptions, run_solve

        loaded = load_mission(mission)
        _warn(travel_warnings(loaded))
        options = SolveOptions(time_limit=time_limit, workers=workers, seed=seed, progress=not quiet)
        return run_solve(loaded, options, out, console)

    _run(action)


@app.command()
def calendars(mission: MissionArgument, schedule: ScheduleOption,
              out: Annotated[Path, typer.Option("--out", help="Folder for mission.ics, delegates/, groups/.")] = Path("out/calendars"),
              ) -> None:
    """Write .ics calendars (one per delegate, per group, and the whole mission) from a schedule."""

    def action() -> int:
        from planner.views.calendars import write_calendar_folder
        from planner.mission.load import load_mission

        loaded = load_mission(mission)
        programme = _programme(loaded, schedule, "no calendar written")
        if programme is None:
            return 1
        written = write_calendar_folder(loaded, programme, out)
        console.print(f"wrote {len(written)} calendars into {out}", highlight=False)
        return 0

    _run(action)


@app.command()
def publish(
    mission: MissionArgument,
    schedule: ScheduleOption,
    caldav: Annotated[str, typer.Option("--caldav", help="CalDAV server URL.")],
    user: Annotated[Optional[str], typer.Option("--user", help="CalDAV user name.")] = None,
) -> None:
    """Push each delegate's and group's calendar to a CalDAV server (password: PLANNER_CALDAV_PASSWORD or a prompt)."""

    def action() -> int:
        from planner.mission.load import load_mission
        from planner.views.publish import publish_calendars

        loaded = load_mission(mission)
        programme = _programme(loaded, schedule, "nothing published")
        if programme is None:
            return 1
        return publish_calendars(loaded, programme, caldav, user, console)

    _run(action)


@app.command()
def itinerary(
    mission: MissionArgument,
    schedule: ScheduleOption,
    delegate: Annotated[Optional[str], typer.Option("--delegate", help="A delegate id.")] = None,
    group: Annotated[Optional[str], typer.Option("--group", help="A group id: one itinerary per member.")] = None,
    format: Annotated[str, typer.Option("--format", help="text, html or pdf.")] = "text",
    out: Annotated[Optional[Path], typer.Option("--out", help="File to write (html, pdf).")] = None,
) -> None:
    """Print or write the itinerary of a delegate or of every member of a group."""

    def action() -> int:
        from planner.views.itinerary import run_itinerary
        from planner.mission.load import load_mission
        from planner.mission.schedule_file import read_programme

        loaded = load_mission(mission)
        return run_itinerary(loaded, read_programme(loaded, schedule), delegate, group, format, out, console)

    _run(action)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
