"""How a schedule was found: the solver's figures (schedule.json `solver`) and the matchmaking's
(`meetings_status`, `meeting_objectives`, `meetings_seconds`); docs/schedule-format.md.

Typed here so that readers ask `schedule.solver.time_limit` instead of digging in a dictionary; written
under exactly the keys planner always wrote, in the same order, so that schedule.json does not change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_STAGE_KEY = re.compile(
    r"^([a-z]+)_(build_seconds|seconds|deterministic_time|objective|bound|neighbourhoods)$")
"""`travel_seconds`, `placement_deterministic_time`…: a figure of one stage, prefixed by its name."""


@dataclass(frozen=True, slots=True)
class StageInfo:
    """What one stage of the solve did (planner.solver.stages: `placement`, then `travel`)."""

    name: str
    build_seconds: float | None = None
    """Building the stage's terms when it was reached: every stage after the first."""
    circuits: int | None = None
    """Circuit constraints in the model once the stage's terms were built: every stage after the first."""
    seconds: float | None = None
    """Wall-clock seconds of its solve; None when it was not run (nothing to optimise, no time left)."""
    deterministic_time: float | None = None
    presolve_retried: bool | None = None
    """The first stage only: CP-SAT failed with presolve and was run again without it."""
    objective: int | None = None
    """The stages after the first: the stage's own objective found, and its bound."""
    bound: int | None = None
    neighbourhoods: int = 0
    """Neighbourhoods solved by the travel stage's large-neighbourhood search (0: none written)."""

    @property
    def ran(self) -> bool:
        return self.seconds is not None


@dataclass(frozen=True, slots=True)
class SolverInfo:
    """The solver's figures: its options, the model's size, each stage's solve, whether Ctrl-C stopped it."""

    workers: int | None = None
    seed: int | None = None
    time_limit: float | None = None
    build_seconds: float | None = None
    """Building the model (the first stage's terms included)."""
    model: Mapping[str, Any] = field(default_factory=dict)
    """The model's size as the builder counted it: `variables`, `constraints`, `order_pairs`…"""
    stages: tuple[StageInfo, ...] = ()
    interrupted: bool | None = None
    """Ctrl-C stopped the solve (None: no programme was found, so the question was not asked)."""
    stopped_at: str | None = None
    """The phase that ended planning before the solver ran: `precheck` (written as `stage`)."""

    def stage(self, name: str) -> StageInfo | None:
        return next((stage for stage in self.stages if stage.name == name), None)

    @property
    def presolve_retried(self) -> bool | None:
        return self.stages[0].presolve_retried if self.stages else None

    @property
    def travel_objective(self) -> int | None:
        """The travel stage's objective (travel minutes), when it ran."""
        travel = self.stage("travel")
        return travel.objective if travel is not None and travel.ran else None

    def to_json(self) -> dict[str, Any]:
        """schedule.json's `solver`: flat keys, in the order the solve came to know them."""
        document: dict[str, Any] = {}
        if self.stopped_at is not None:
            document["stage"] = self.stopped_at
        for key in ("workers", "seed", "time_limit", "build_seconds"):
            value = getattr(self, key)
            if value is not None:
                document[key] = value
        document.update(self.model)
        for index, stage in enumerate(self.stages):
            name = stage.name
            if stage.build_seconds is not None:
                document[f"{name}_build_seconds"] = stage.build_seconds
            if stage.circuits is not None:
                # Counted again once the stage's circuits exist (in place when the model already had some).
                document["circuits"] = stage.circuits
            if not stage.ran:
                continue
            document[f"{name}_seconds"] = stage.seconds
            document[f"{name}_deterministic_time"] = stage.deterministic_time
            if index == 0:
                document["presolve_retried"] = stage.presolve_retried
            else:
                document[f"{name}_objective"] = stage.objective
                document[f"{name}_bound"] = stage.bound
                if stage.neighbourhoods:
                    document[f"{name}_neighbourhoods"] = stage.neighbourhoods
        if self.interrupted is not None:
            document["interrupted"] = self.interrupted
        return document

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> SolverInfo:
        """The `solver` of a schedule.json read back; a key planner does not know counts as a model figure."""
        fixed: dict[str, Any] = {}
        model: dict[str, Any] = {}
        stages: dict[str, dict[str, Any]] = {}
        last_stage: str | None = None
        for key, value in document.items():
            if key in ("workers", "seed", "time_limit", "build_seconds", "interrupted"):
                fixed[key] = value
            elif key == "stage":
                fixed["stopped_at"] = value
            elif key == "presolve_retried" and stages:
                next(iter(stages.values()))["presolve_retried"] = value
            elif key == "circuits" and last_stage is not None:
                stages[last_stage]["circuits"] = value
            elif (match := _STAGE_KEY.match(key)) is not None and key != "build_seconds":
                last_stage = match.group(1)
                stages.setdefault(last_stage, {})[match.group(2)] = value
            else:
                model[key] = value
        return cls(**fixed, model=model,
                   stages=tuple(StageInfo(name, **figures) for name, figures in stages.items()))


@dataclass(frozen=True, slots=True)
class MatchingInfo:
    """How the B2B matchmaking went (docs/b2b.md): its own status, its objectives and its time."""

    status: str
    """`optimal` only when proved."""
    objectives: Mapping[str, int] = field(default_factory=dict)
    """`required`, `priority`, `idle`, `worst_idle`, `table_changes`."""
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"meetings_status": self.status, "meeting_objectives": dict(self.objectives),
                "meetings_seconds": self.seconds}

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> MatchingInfo | None:
        if "meetings_status" not in document:
            return None
        return cls(str(document["meetings_status"]), dict(document.get("meeting_objectives") or {}),
                   float(document.get("meetings_seconds") or 0.0))
