"""The `planner` command's entry point: a command that solves starts the solver's process before anything
else, then the command line (planner.cli) takes over; at the end, the process ends without tearing down
what it built.

The solver runs in a child process forked from a fork server that imports OR-Tools and the solver (about
half a second: planner.isolated). Started here, that import runs on the other core while this process
imports the command line (typer, rich, the views: a quarter of a second) and reads the mission; started by
the command itself, after those imports, the solver's first fork waited for it. Before either, the command
asks numpy's OpenBLAS for one thread (`SINGLE_THREADED_LIBRARIES`).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys

from planner import INTERRUPTED

SOLVING_COMMANDS = frozenset({"solve", "replan"})
"""The commands that run the solver (each through planner.isolated)."""

SINGLE_THREADED_LIBRARIES = ("OPENBLAS_NUM_THREADS",)
"""numpy (which OR-Tools and matplotlib import) loads OpenBLAS, whose threads spin on a core for a tenth of
a second after the import in every process that imports it; planner does no linear algebra, so the command
asks for one thread, unless the environment already says how many."""

OUTPUT_CLOSED = 141
"""The exit status of a command whose reader stopped reading (`planner itinerary … | head -3`): 128 +
SIGPIPE, what the shell shows for cat, grep or git ended so. Not 0: the reader saw only the start, and a
`planner check` cut short must not pass for a valid schedule under `set -o pipefail`; not 1 or 2, which say
that no programme exists or that the input is wrong. Given as an exit status, as Ctrl-C's 130 is, not by
dying of SIGPIPE, whose default action the Python documentation warns against (it would also end planner
when a server's socket closes mid-write). docs/limits.md."""


def solves(arguments: list[str]) -> bool:
    """Whether `arguments` (the command line after the program's name) run a solving command: its name
    first, and no request for help."""
    return (bool(arguments) and arguments[0] in SOLVING_COMMANDS
            and not any(argument in ("--help", "-h") for argument in arguments))


def exit_status(code: object) -> int:
    """The exit status Python gives `SystemExit(code)`: None is 0, an integer itself, anything else (a
    message, which Python prints) 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    return 1


def main() -> None:
    ending = {"status": 1}  # an uncaught exception: Python prints its traceback, and the status is 1
    # Registered first, so run last, after every exit handler that the modules imported below register
    # (multiprocessing's, which ends the fork server, among them): see `_end_now`.
    atexit.register(_end_now, ending)
    for variable in SINGLE_THREADED_LIBRARIES:  # before anything imports numpy, here or in the fork server
        os.environ.setdefault(variable, "1")
    try:
        if solves(sys.argv[1:]):
            from planner.isolated import start_solver_process

            start_solver_process()
        from planner.cli import main as command_line

        command_line()
        ending["status"] = 0
    except SystemExit as exit_:
        ending["status"] = exit_status(exit_.code)
        if output_closed(exit_):
            ending["status"] = OUTPUT_CLOSED
            _discard_output()
        raise
    except KeyboardInterrupt:
        # Ctrl-C before the command's own handler (planner.cli.app.run) is in place: while Python imports
        # the command line or reads the arguments. Nothing was written yet; no traceback to show.
        ending["status"] = INTERRUPTED
        with contextlib.suppress(OSError, ValueError):
            print("interrupted; nothing was written.", file=sys.stderr)


def output_closed(exit_: SystemExit) -> bool:
    """Whether the command ended because the reader of its output closed the pipe: rich (a console's
    `on_broken_pipe`) and click (its EPIPE handler) both end the program with SystemExit(1) while handling
    the BrokenPipeError, which planner.cli.app.run lets through to them."""
    return isinstance(exit_.__context__, BrokenPipeError)


def _discard_output() -> None:
    """Send what is still to print to /dev/null, as the Python documentation advises for SIGPIPE
    (library/signal.html, "Note on SIGPIPE"): the flush before the process ends then fails on nothing, and
    no "Exception ignored … BrokenPipeError" reaches the terminal."""
    with contextlib.suppress(AttributeError, OSError, ValueError):  # no stdout at all: nothing to send
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _end_now(ending: dict[str, int]) -> None:
    """End the process with its exit status at once, its output flushed, once every other exit handler has
    run: Python would otherwise free what the command built one object at a time (the mission, the
    schedule, the modules of OR-Tools and matplotlib: a third of a second after `planner solve` on the
    flagship), for nothing, since the process is ending. The outputs are written and swapped in by then.
    Instagram ends its processes so ("Dismissing Python Garbage Collection at Instagram", 2017)."""
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe or stream: nothing more can reach it anyway.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(ending["status"])
