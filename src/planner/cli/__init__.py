"""The command line: typer commands that parse arguments, call the library and render to the terminal."""

from planner.cli import replan as _replan  # noqa: F401 - registers diff, notify, replan
from planner.cli.commands import app, main

__all__ = ["app", "main"]
