"""`planner check`'s report on the terminal: one line per violation, grouped by rule."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from planner.check import Violation
from planner.domain import Mission


def print_report(mission: Mission, violations: list[Violation], console: Console) -> None:
    """Print each violation on one line, grouped by rule, or one line saying the schedule is valid."""
    name = escape(mission.name)
    if not violations:
        console.print(f"[bold green]valid[/]: the schedule satisfies every hard rule of '{name}'",
                      highlight=False, soft_wrap=True)
        return
    count = len(violations)
    console.print(f"[bold red]invalid[/]: {count} violation{'s' if count != 1 else ''} of the hard rules of "
                  f"'{name}'", highlight=False, soft_wrap=True)
    for rule in dict.fromkeys(v.rule for v in violations):
        for violation in violations:
            if violation.rule == rule:
                console.print(f"  [bold red]{escape(rule)}[/]: {escape(violation.message)}", highlight=False,
                              soft_wrap=True)
