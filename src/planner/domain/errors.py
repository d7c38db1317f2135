"""Errors that planner reports to a person, never as a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.domain import Source

if TYPE_CHECKING:
    from planner.domain.schedule import Schedule


@dataclass(frozen=True, slots=True)
class InputError:
    """One thing wrong in an input file: where, what, and what to write instead."""

    source: Source
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


class InputErrors(Exception):
    """All errors found in one input file; the CLI prints each and exits with status 2."""

    def __init__(self, errors: list[InputError]):
        self.errors = sorted(errors, key=lambda e: e.source.sort_key())
        super().__init__("\n".join(str(error) for error in self.errors))


class SolverFailure(Exception):
    """The solver itself failed (not: the mission is infeasible). Reported as a clear message, exit 1."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped the search: `schedule` is the best found by then. A command that writes it exits with
    status 130 all the same; one that does not catch this says that nothing more was written (also 130)."""

    def __init__(self, schedule: Schedule):
        super().__init__()
        self.schedule = schedule
