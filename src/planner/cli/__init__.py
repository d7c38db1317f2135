"""The command line: typer commands that parse arguments, call the library and render to the terminal.

`app.py` holds the typer app and what every command shares; each other module is one family of commands,
registered on the app when imported.
"""

from planner.cli import (  # noqa: F401 - registers
    calendars,
    check,
    itinerary,
    replan,
    schema,
    solve,
    spreadsheets,
    validate,
)
from planner.cli.app import app, errors_console
from planner.cli.help import add_examples_and_statuses

HELP_ORDER = ("validate", "check", "schema", "solve", "calendars", "publish", "itinerary")
"""The order `planner --help` lists the commands in (the rest follow, as registered)."""


def _help_rank(command: object) -> int:
    name = getattr(getattr(command, "callback", None), "__name__", "")
    return HELP_ORDER.index(name) if name in HELP_ORDER else len(HELP_ORDER)


app.registered_commands.sort(key=_help_rank)
add_examples_and_statuses(app)


def main() -> None:
    try:
        app()
    except SystemExit as exit_:
        # typer turns a Ctrl-C that comes while it reads the arguments (before the command's own handler,
        # planner.cli.app.run) into exit 130 without a word.
        ending = exit_.__context__
        if ending is not None and isinstance(ending.__cause__, KeyboardInterrupt):
            errors_console.print("interrupted; nothing was written.")
        raise


__all__ = ["app", "main"]
