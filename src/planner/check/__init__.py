"""The independent checker: every hard rule of a valid schedule, in plain Python.

It imports the domain only, never the solver, so that a mistake in the CP-SAT model shows up here.
"""

from planner.check.rules import PROGRAMME_STATUSES, Violation, check_schedule, print_report

__all__ = ["PROGRAMME_STATUSES", "Violation", "check_schedule", "print_report"]
