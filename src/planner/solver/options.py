"""What a solve is asked for and what it reports as it goes: apart from `planner.solver.solve`, so that a
process that only starts a solve elsewhere (the command line, whose solver runs in a child process:
planner.isolated) or reads its progress never imports OR-Tools (half a second)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.solver.model import MissionModel
    from planner.solver.objectives import Term


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float = 60
    """Wall-clock seconds for the whole solve (both stages)."""
    workers: int = 2
    """Solver threads. 1: CP-SAT's single full worker. More: a deterministic interleaved portfolio whose
    second member (core-based search) proves travel bounds far faster (docs/solving.md)."""
    seed: int = 0
    progress: bool = True
    presolve: bool = True
    on_progress: Callable[[Progress], None] | None = None
    """Called at each better schedule and each tighter bound (a dashboard, a benchmark, a log)."""


@dataclass(frozen=True)
class Extension:
    """What a caller adds to the model `solve` builds: constraint families and a hint (`prepare`, run once
    the model is built), and an objective term ranked second, between the priority weight left out and the
    optional attendees (re-planning's disruption)."""

    prepare: Callable[[MissionModel], None]
    term: Term


@dataclass(frozen=True)
class Progress:
    """One improvement during a solve."""

    stage: str
    """`placement` (objectives 1–2) or `travel` (objective 3)."""
    objective: float | None
    bound: float | None
    seconds: float
    """Since the stage started."""
