"""The command line: typer commands that parse arguments, call the library and render to the terminal."""

from planner.cli.commands import app, main

__all__ = ["app", "main"]
