"""The typer application and what every command shares: the consoles, the arguments, and `run`, which turns
each expected failure into a message and an exit status.

Exit statuses: 0 success; 1 no valid programme (infeasible, unknown, or a schedule that fails the check);
2 invalid input (each error names file:line:column; nothing is written).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from planner import INTERRUPTED, __version__
from planner.cli.usage import PlannerGroup
from planner.domain import Mission
from planner.domain.errors import InputError, InputErrors, SolverFailure
from planner.domain.schedule import Schedule
from planner.text.control import shortened, visible
from planner.views.terminal import literal_console

app = typer.Typer(
    name="planner",
    # Usage errors in planner's style (error: WHERE: WHAT, and a hint) instead of click's box.
    cls=PlannerGroup,
    help="Plan trade and economic missions: from one mission file to a valid, optimised programme.",
    no_args_is_help=True,
    # click's plain help: a flag reads `--quiet`, not `--quiet <bool>` as typer's rich panels print it.
    rich_markup_mode=None,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = literal_console()
errors_console = literal_console(stderr=True)

MissionArgument = Annotated[Path, typer.Argument(help="The mission file (mission.yaml or mission.xlsx).",
                                                 show_default=False)]
ScheduleOption = Annotated[Path, typer.Option("--schedule", help="A schedule.json written by planner solve.")]


def print_version(asked: bool) -> None:
    """`planner --version`: the version, then exit 0 before any command runs."""
    if asked:
        console.print(f"planner {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def program_options(version: Annotated[bool, typer.Option(
        "--version", help="Print planner's version and exit.", callback=print_version,
        # answered as soon as it is read: `planner --version` needs no command after it
        is_eager=True)] = False) -> None:
    """The options of `planner` itself, before the command (the solver's process is started by
    planner.launch for solve and replan only, so `--version` costs the command line's import alone)."""


# --- options every solving command shares, checked before anything runs (docs/limits.md) ---------------


MAX_TIME_LIMIT = 7 * 24 * 3600.0
"""A week: a longer --time-limit is a typing mistake (docs/limits.md)."""
MAX_WORKERS = 64
MAX_SEED = 2**31 - 1
"""CP-SAT's random_seed is a 32-bit signed integer."""


def _written(value: object) -> str:
    """An option's value as typed, in quotes, short and with control characters made visible."""
    text = visible(str(value).strip())
    return f'"{shortened(text)}"'


def read_whole_number(example: str) -> Callable[[object], int]:
    """The parser of an option that takes a whole number: typer's own says "Input should be a valid
    integer, unable to parse string as an integer", in pydantic's words rather than the option's."""

    def read(value: object) -> int:
        if isinstance(value, int):  # the default, not typed
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise typer.BadParameter(f"{_written(value)} is not a whole number; write one such as {example}"
                                     ) from None

    return read


def read_seconds(value: object) -> float:
    """The parser of an option that takes a number of seconds (`check_time_limit` bounds it)."""
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        raise typer.BadParameter(f"{_written(value)} is not a number of seconds; write one such as 60"
                                 ) from None


def check_time_limit(value: float) -> float:
    """Usage error, before anything runs, unless a finite number of seconds above 0 and up to a week."""
    if not (math.isfinite(value) and 0 < value <= MAX_TIME_LIMIT):
        raise typer.BadParameter(f"{value} is not a number of seconds above 0 and up to "
                                 f"{MAX_TIME_LIMIT:,.0f} (a week); write e.g. 60")
    return value


def check_optional_time_limit(value: float | None) -> float | None:
    """`check_time_limit` for an option that may be left out."""
    return None if value is None else check_time_limit(value)


def check_workers(value: int) -> int:
    """Usage error unless a number of solver threads from 1 to MAX_WORKERS."""
    if not 1 <= value <= MAX_WORKERS:
        raise typer.BadParameter(f"{value} is not a number of solver threads from 1 to {MAX_WORKERS}; "
                                 "write e.g. 2 (one per core)")
    return value


def check_seed(value: int) -> int:
    """Usage error unless a seed CP-SAT takes (0 to 2^31 - 1)."""
    if not 0 <= value <= MAX_SEED:
        raise typer.BadParameter(f"{value} is not a seed from 0 to {MAX_SEED:,}; write e.g. 0")
    return value


def refused_password(variable: Callable[[], str]) -> Any:
    """A hidden `--password` that refuses: without it, click answers "No such option: --password" and
    leaves the person guessing how a password is given. Eager, so that it is said before anything else is
    checked or sent. `variable` names the environment variable to set (looked up only when refused, so
    the command's module is imported only then)."""

    def refuse(value: str | None) -> None:
        if value is None:
            return
        errors_console.print(
            "[bold red]error[/]: command line: --password: secrets are never read from the command line "
            "(they would stay in the shell's history and the process list): set "
            f"{variable()}, or leave it unset and type the password when asked; nothing was sent.",
            highlight=False, soft_wrap=True)
        raise typer.Exit(2)

    return typer.Option("--password", hidden=True, is_eager=True, callback=refuse, show_default=False)


def written_after_ctrl_c(console: Console) -> int:
    """Say that Ctrl-C stopped the search and that what it had found is written; the exit status."""
    console.print("interrupted: what was found by then is written, as the status above says; run again "
                  "without Ctrl-C for the best", highlight=False)
    return INTERRUPTED


def run(action: Callable[[], int | None]) -> None:
    """Turn every expected failure into a clear message and an exit status, never a traceback."""
    try:
        status = action() or 0
    except InputErrors as failure:
        for error in failure.errors:
            # escaped and made visible: messages quote the input, which may hold `[x]` or control characters
            errors_console.print(f"[bold red]error[/]: {escape(visible(str(error.source)))}: "
                                 f"{escape(visible(error.message))}",
                                 highlight=False,
                                 soft_wrap=True)
        count = len(failure.errors)
        errors_console.print(f"{count} error{'s' if count != 1 else ''}; nothing was written.",
                             highlight=False)
        status = 2
    except SolverFailure as failure:
        errors_console.print(f"[bold red]solver failure[/]: {escape(visible(str(failure)))}", highlight=False)
        status = 1
    except BrokenPipeError:
        # The reader of the output stopped reading (`| head`): no file is at fault. planner.launch ends the
        # process quietly, with the status a closed pipe gives.
        raise
    except OSError as failure:  # a file or folder the system refuses (full disk, permissions) mid-command
        where = f" {failure.filename}" if failure.filename else ""
        errors_console.print(f"[bold red]error[/]: cannot read or write{escape(visible(str(where)))}: "
                             f"{escape(failure.strerror or str(failure))}", highlight=False, soft_wrap=True)
        status = 2
    except KeyboardInterrupt:
        errors_console.print("interrupted; nothing more was written.")
        status = INTERRUPTED
    raise typer.Exit(status)


def warn(warnings: list[InputError]) -> None:
    """Print warnings like errors, in yellow; they change no exit status."""
    for warning in warnings:
        errors_console.print(
            f"[bold yellow]warning[/]: {escape(str(warning.source))}: {escape(warning.message)}",
            highlight=False, soft_wrap=True)


def programme_or_none(mission: Mission, schedule_path: Path, nothing_done: str) -> Schedule | None:
    """The schedule.json of this mission, or None (said on stderr) when it holds no programme."""
    from planner.mission.schedule_file import read_programme

    programme = read_programme(mission, schedule_path)
    if not programme.has_programme:
        errors_console.print(
            f"{schedule_path} holds no programme (status {programme.status}): {nothing_done}.",
            highlight=False)
        return None
    return programme
