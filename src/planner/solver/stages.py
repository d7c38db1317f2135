"""The lexicographic stage runner: solve a stage's terms, hold their value, solve the next with a hint.

A stage is a list of objective terms (`planner.solver.objectives`), minimised together by weight. The
stages of a programme (docs/solving.md): `placement` (soft 1 and 2), then `travel` (soft 3), whose
circuits are built only once the first stage has a solution. A new preference is a term in a stage.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ortools.sat.python import cp_model

from planner.domain.solve_info import StageInfo
from planner.solver.extract import hint_solution
from planner.solver.objectives import PLACEMENT, TRAVEL_MINUTES, Term, weighted_cost, weights
from planner.solver.variables import MissionModel


@dataclass(frozen=True)
class Stage:
    name: str
    """`placement`, `travel`: the name in progress reports and in the solver info's keys."""
    terms: tuple[Term, ...]


STAGES: tuple[Stage, ...] = (Stage("placement", PLACEMENT), Stage("travel", (TRAVEL_MINUTES,)))


def programme_stages(second: Term | None = None) -> tuple[Stage, ...]:
    """The stages of a programme; `second` (re-planning's disruption) ranks right after the priority weight
    left out, before the optional attendees."""
    if second is None:
        return STAGES
    left_out, *rest = PLACEMENT
    return (Stage("placement", (left_out, second, *rest)), *STAGES[1:])


@dataclass
class StageResult:
    status: int
    objective: int | None = None
    bound: int | None = None
    values: list[int] = field(default_factory=list)
    schedule: Any = None
    """The `Schedule` of its solution (no reasons, objectives or bounds yet)."""
    seconds: float = 0.0
    interrupted: bool = False
    presolve_retried: bool = False
    deterministic_time: float = 0.0
    neighbourhoods: int = 0
    """Neighbourhoods solved by the travel stage's large-neighbourhood search (solver/neighbourhoods.py)."""

    @property
    def has_solution(self) -> bool:
        return self.status in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    @property
    def optimal(self) -> bool:
        return self.status == cp_model.OPTIMAL


RunStage = Callable[[MissionModel, float, str], StageResult]
"""One CP-SAT solve of the model's current objective: (model, seconds left, stage name) → result."""


@dataclass
class StagesOutcome:
    results: list[tuple[Stage, StageResult | None]]
    """Each stage and its result; None for a stage not run (nothing to optimise, no time, interrupted)."""
    figures: list[StageInfo] = field(default_factory=list)
    """What each stage reached did, for schedule.json's `solver`."""

    @property
    def first(self) -> StageResult:
        result = self.results[0][1]
        assert result is not None
        return result

    @property
    def final(self) -> StageResult:
        """The last stage with a solution."""
        return next(r for _, r in reversed(self.results) if r is not None and r.has_solution)


def run_stages(built: MissionModel, stages: Sequence[Stage], run_stage: RunStage,
               remaining: Callable[[], float]) -> StagesOutcome:
    """Run `stages` in order; stop after a stage without a solution. Each stage's figures go into the
    outcome's `figures`."""
    outcome = StagesOutcome([])
    previous: StageResult | None = None
    for index, stage in enumerate(stages):
        figures = StageInfo(stage.name)
        if index > 0:
            # The loop stops after a stage without a solution: the previous stage has a value.
            assert previous is not None and previous.objective is not None
            built_at = time.monotonic()
            most = sum(term.most(built) for term in stage.terms)  # builds the stage's terms
            figures = StageInfo(stage.name, build_seconds=round(time.monotonic() - built_at, 3),
                                circuits=built.statistics.get("circuits", 0))
            if most == 0 or previous.interrupted or remaining() <= 0.05:
                outcome.results.append((stage, None))
                outcome.figures.append(figures)
                continue
            before = stages[index - 1]
            # Hold the earlier stage at the value found.
            built.model.add(weighted_cost(built, before.terms) <= previous.objective)
            built.model.minimize(weighted_cost(built, stage.terms))
            hint_solution(built, previous.values)
        else:
            built.model.minimize(weighted_cost(built, stage.terms))
        result = run_stage(built, remaining(), stage.name)
        figures = replace(figures, seconds=round(result.seconds, 3),
                          deterministic_time=round(result.deterministic_time, 3))
        if index == 0:
            figures = replace(figures, presolve_retried=result.presolve_retried)
        else:
            figures = replace(figures, objective=result.objective, bound=result.bound,
                              neighbourhoods=result.neighbourhoods)
        outcome.figures.append(figures)
        outcome.results.append((stage, result))
        if not result.has_solution:
            break
        previous = result
    return outcome


def proved(built: MissionModel, stage: Stage, result: StageResult | None) -> bool:
    """Whether the stage's value is proved best: solved to optimality, or nothing to optimise."""
    if result is None or not result.has_solution:
        return sum(term.most(built) for term in stage.terms) == 0
    return result.optimal


def bounds(built: MissionModel, outcome: StagesOutcome,
           values: dict[str, int]) -> tuple[int, dict[str, int | None]]:
    """The bound of the whole objective and of each term, from what the stages proved.

    A proved stage gives its terms' values. The first stage not proved gives its bound (to its first term;
    its other terms stay unknown), and the stages after it add nothing to the whole bound (costs are never
    negative)."""
    all_terms = [term for stage, _ in outcome.results for term in stage.terms]
    scales = dict(zip([t.name for t in all_terms], weights(built, all_terms), strict=True))
    total = 0
    term_bounds: dict[str, int | None] = {}
    proved_so_far = True
    for stage, result in outcome.results:
        inner = weights(built, stage.terms)
        if proved(built, stage, result):
            for term in stage.terms:
                term_bounds[term.name] = values[term.name]
                cost = term.most(built) - values[term.name] if term.maximise else values[term.name]
                if proved_so_far:
                    total += scales[term.name] * cost
            continue
        if proved_so_far:
            stage_bound = 0 if result is None or result.bound is None else result.bound
            first = stage.terms[0]
            total += scales[first.name] // inner[0] * stage_bound
            term_bounds[first.name] = max(0, stage_bound // inner[0])
            for term in stage.terms[1:]:
                term_bounds[term.name] = None
            proved_so_far = False
            continue
        for term in stage.terms:
            term_bounds[term.name] = None
    return total, term_bounds


def all_proved(built: MissionModel, outcome: StagesOutcome) -> bool:
    return all(proved(built, stage, result) for stage, result in outcome.results)


def gaps(terms: Sequence[Term], values: dict[str, int],
         term_bounds: dict[str, int | None]) -> dict[str, float]:
    """Each term's gap between its value and its proven bound, as a fraction of the value (of the bound for a
    term to maximise); 0 when proved; terms without a bound are left out (schedule.json `objective_gaps`)."""
    result: dict[str, float] = {}
    for term in terms:
        bound = term_bounds.get(term.name)
        if bound is None or term.name not in values:
            continue
        value = values[term.name]
        missing = bound - value if term.maximise else value - bound
        result[term.name] = round(max(missing, 0) / max(bound if term.maximise else value, 1), 4)
    return result
