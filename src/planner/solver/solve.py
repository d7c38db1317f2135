"""Running the CP-SAT model: time limit, workers and seed, progress as a callback, Ctrl-C, solver failures.

The stages (docs/solving.md) come from `planner.solver.stages`: first the placement objectives (1. priority
weight left out, 2. optional headcount not brought, weighted so that 1 always wins), then, with those held
at the value found, the travel objective (3) over the circuits that sequence each delegate class's day.
Nothing here prints: a caller that shows progress passes `SolveOptions.on_progress` (`planner.cli`).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Self

from ortools.sat.python import cp_model

from planner.domain import Mission
from planner.domain.errors import SolverFailure
from planner.domain.schedule import Conflict, Schedule, Unscheduled
from planner.domain.solve_info import SolverInfo
from planner.solver.model import MissionModel, build_model, extract_schedule, hint_solution, solution_values
from planner.solver.neighbourhoods import Neighbourhood, improve_by_neighbourhoods
from planner.solver.objectives import cost_of_values, evaluate
from planner.solver.options import Extension, Progress, SolveOptions
from planner.solver.sequencing import add_least_travel
from planner.solver.stages import (
    Stage,
    StageResult,
    StagesOutcome,
    all_proved,
    bounds,
    gaps,
    programme_stages,
    run_stages,
)
from planner.text.left_out import left_out_message

__all__ = ["Extension", "Progress", "SolveOptions", "StageResult", "build_model", "solve",
           "without_programme"]


DEFAULT_OPTIONS = SolveOptions()


class _Progress(cp_model.CpSolverSolutionCallback):
    """Keeps the best objective and bound of a running stage; tells the listener of each change."""

    def __init__(self, stage: str, started: float, listener: Callable[[Progress], None] | None = None):
        super().__init__()
        self.stage = stage
        self.started = started
        self.listener = listener
        self.objective: float | None = None
        self.bound: float | None = None

    def on_solution_callback(self) -> None:
        self.objective = self.objective_value
        self.bound = self.best_objective_bound
        self.report()

    def on_bound(self, bound: float) -> None:
        self.bound = bound
        self.report()

    def report(self) -> None:
        if self.listener is not None:
            self.listener(Progress(self.stage, self.objective, self.bound, time.monotonic() - self.started))


PORTFOLIO = ("default_lp", "core", "max_lp", "quick_restart", "no_lp", "pseudo_costs", "reduced_costs")
"""CP-SAT subsolvers interleaved with several workers, first ones first: `core` (core-based lower bounds)
closes the travel gap far faster than the default portfolio on 2 cores (docs/solving.md)."""
BOUND_PORTFOLIO = ("max_lp", "core", "default_lp", "quick_restart", "no_lp", "pseudo_costs", "reduced_costs")
"""The subsolvers of the travel stage's last part, which starts from the best schedule and is there for the
bound: `max_lp` (the full linear relaxation, circuits included, with its cuts) proves a far higher travel
bound at scale than `default_lp` or `core` (docs/solving.md, "The travel stage at scale")."""


def _parameters(solver: cp_model.CpSolver, options: SolveOptions, seconds: float, presolve: bool,
                portfolio: tuple[str, ...] = PORTFOLIO) -> None:
    parameters = solver.parameters
    workers = max(1, options.workers)
    parameters.num_workers = workers
    parameters.random_seed = options.seed
    parameters.max_time_in_seconds = max(seconds, 0.01)
    if workers > 1:
        # Deterministic parallel search: the subsolvers run in fixed batches, so that the same input and
        # options give the same schedule whenever the solve ends before the wall-clock limit. Not for the
        # bound (BOUND_PORTFOLIO): `max_lp`'s first batch (its root relaxation) runs for tens of seconds at
        # scale while the other worker waits, and the solve stops early when the next batch would not fit.
        parameters.interleave_search = portfolio is not BOUND_PORTFOLIO
        for name in portfolio[:workers]:
            parameters.subsolvers.append(name)
        parameters.use_lns = workers > 2
    elif portfolio[0] == "max_lp":
        parameters.linearization_level = 2  # the single worker as `max_lp`
    parameters.cp_model_presolve = presolve and options.presolve
    parameters.log_search_progress = False
    # planner's own handler stops the search and keeps the stage's best solution (see _Interrupt).
    parameters.catch_sigint_signal = False


class _Interrupt:
    """Ctrl-C during a solve stops the search and keeps the best solution found (main thread only)."""

    def __init__(self) -> None:
        self.solver: cp_model.CpSolver | None = None
        self.interrupted = False
        self.previous: Any = None

    def __enter__(self) -> Self:
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self.handle)
        return self

    def handle(self, number: int, frame: Any) -> None:
        self.interrupted = True
        if self.solver is not None:
            self.solver.stop_search()

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)


def _solve_in_thread(solver: cp_model.CpSolver, model: cp_model.CpModel,
                     callback: cp_model.CpSolverSolutionCallback | None) -> int:
    """Solve in a helper thread while the main thread waits in Python, where a SIGINT handler can run
    (a handler waits for the main thread to run Python code; inside `solve` it would wait to the end)."""
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["status"] = solver.solve(model, callback)
        except BaseException as error:  # noqa: BLE001  (handed to the caller's thread)
            outcome["error"] = error

    thread = threading.Thread(target=work, name="cp-sat", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.05)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["status"]


def _run_stage(built: MissionModel, options: SolveOptions, seconds: float, stage: str,
               interrupt: _Interrupt, portfolio: tuple[str, ...] = PORTFOLIO) -> StageResult:
    """One CP-SAT solve of the model's current objective; a crash of presolve is retried without it."""
    started = time.monotonic()
    for presolve in (True, False):
        solver = cp_model.CpSolver()
        _parameters(solver, options, seconds - (time.monotonic() - started), presolve, portfolio)
        progress = _Progress(stage, started, options.on_progress)
        watched = options.on_progress is not None
        if watched:
            solver.best_bound_callback = progress.on_bound
        interrupt.solver = solver
        try:
            status = _solve_in_thread(solver, built.model, progress if watched else None)
        except Exception as error:  # OR-Tools raises from C++ (e.g. IndexError in presolve)
            if presolve and options.presolve:
                continue
            raise SolverFailure(f"CP-SAT failed during the {stage} stage ({type(error).__name__}: {error}); "
                                "try again with other --workers or --seed, and report the mission file"
                                ) from error
        finally:
            interrupt.solver = None
        if status == cp_model.MODEL_INVALID:
            raise SolverFailure(f"CP-SAT rejected the model of the {stage} stage: {built.model.validate()}")
        result = StageResult(status, seconds=time.monotonic() - started, interrupted=interrupt.interrupted,
                             presolve_retried=not presolve, deterministic_time=solver.deterministic_time)
        if result.has_solution:
            result.objective = round(solver.objective_value)
            result.bound = round(solver.best_objective_bound)
            result.values = solution_values(built, solver)
            result.schedule = extract_schedule(built, solver, "feasible")
        return result
    raise AssertionError("unreachable")


FIRST_LOOK = 0.15
"""Share of the travel stage's time for a first look at the whole model: enough to prove a mission the size
of the flagship optimal, after which nothing else runs."""
NEIGHBOURHOOD_SHARE = 0.6
"""Most of the rest of the travel stage's time the neighbourhoods may take (they usually stop sooner: a round
that improves nothing ends them); the whole model gets what is left, for the bound."""


def _run_travel(built: MissionModel, options: SolveOptions, seconds: float,
                interrupt: _Interrupt) -> StageResult:
    """The travel stage (docs/solving.md, "The travel stage at scale"): a first look at the whole model;
    unless that proves the optimum, neighbourhoods by date, then by groups of venues, from its schedule
    (`planner.solver.neighbourhoods`) until neither improves or most of the time is spent, then the whole
    model again, hinted with the best schedule, for the rest: its proven bound and any last improvement.
    The better bound is kept."""
    started = time.monotonic()
    first = _run_stage(built, options, seconds * FIRST_LOOK, "travel", interrupt)
    if first.optimal or first.interrupted or len(built.axis.days) < 2 or not first.has_solution:
        return first

    def solve_one(model: cp_model.CpModel, limit: float, work: float) -> Neighbourhood:
        solver = cp_model.CpSolver()
        _parameters(solver, options, limit, True)
        solver.parameters.max_deterministic_time = work
        interrupt.solver = solver
        try:
            status = _solve_in_thread(solver, model, None)
        finally:
            interrupt.solver = None
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Neighbourhood(status)
        values = list(solver.response_proto.solution)
        return Neighbourhood(status, round(solver.objective_value), values, solver)

    def on_better(found: Neighbourhood) -> None:
        if options.on_progress is not None:
            options.on_progress(Progress("travel", found.objective, first.bound, time.monotonic() - started))

    deadline = started + seconds * (FIRST_LOOK + (1 - FIRST_LOOK) * NEIGHBOURHOOD_SHARE)
    found, neighbourhoods = improve_by_neighbourhoods(built, first.values, first.objective, solve_one,
                                                      deadline, on_better)
    best = first
    if found is not None and found.solver is not None and found.values is not None:
        best = replace(first, objective=found.objective, values=found.values,
                       schedule=extract_schedule(built, found.solver, "feasible"))
    last = None
    if not interrupt.interrupted and seconds - (time.monotonic() - started) > 0.5:
        add_least_travel(built)
        hint_solution(built, best.values)
        last = _run_stage(built, options, seconds - (time.monotonic() - started), "travel", interrupt,
                          BOUND_PORTFOLIO)
        if last.objective is not None and best.objective is not None and last.objective < best.objective:
            best = last
        elif last.optimal and last.objective == best.objective:
            # Proved optimal at the value the neighbourhoods reached: their schedule (found the same way
            # every time, where the last part's parallel search may return another of the same value).
            best = replace(best, status=int(cp_model.OPTIMAL))
    bounds_found = [r.bound for r in (first, last) if r is not None and r.bound is not None]
    bound = max(bounds_found, default=None)
    if bound is not None and best.objective is not None and bound >= best.objective:
        best = replace(best, status=int(cp_model.OPTIMAL))  # a proven bound the best schedule reaches
    work = first.deterministic_time + (last.deterministic_time if last is not None else 0.0)
    return replace(best, bound=bound, seconds=time.monotonic() - started,
                   interrupted=interrupt.interrupted, neighbourhoods=neighbourhoods, deterministic_time=work)


def solve(mission: Mission, options: SolveOptions = DEFAULT_OPTIONS, *, started: float | None = None,
          extension: Extension | None = None) -> Schedule:
    """The best programme found for `mission` within the options' limits (see docs/solving.md): the
    stages of `planner.solver.stages`, each term's value and bound. Without a programme, the status only
    (`planner.pipeline` adds pre-checks, the diagnosis and the reasons for what is left out).
    `started`: when the caller's clock started (the time limit counts from there)."""
    started = time.monotonic() if started is None else started
    built = build_model(mission)
    if extension is not None:
        extension.prepare(built)
    stages = programme_stages(extension.term if extension is not None else None)
    build_seconds = time.monotonic() - started
    # The model's size as built for the first stage (later stages count their circuits themselves).
    model_size = dict(built.statistics)

    def remaining() -> float:
        return options.time_limit - (time.monotonic() - started)

    with _Interrupt() as interrupt:
        def run_stage(model: MissionModel, seconds: float, stage: str) -> StageResult:
            if stage == "travel":
                return _run_travel(model, options, seconds, interrupt)
            return _run_stage(model, options, seconds, stage, interrupt)

        outcome = run_stages(built, stages, run_stage, remaining)
    info = SolverInfo(workers=options.workers, seed=options.seed, time_limit=options.time_limit,
                      build_seconds=round(build_seconds, 3), model=model_size, stages=tuple(outcome.figures))
    first = outcome.first
    if first.status == cp_model.INFEASIBLE:
        return without_programme(mission, "infeasible", [], started, info)
    if not first.has_solution:
        return without_programme(mission, "unknown", [], started, info)
    return _finish(mission, built, stages, outcome, started, info)


def _finish(mission: Mission, built: MissionModel, stages: tuple[Stage, ...], outcome: StagesOutcome,
            started: float, info: SolverInfo) -> Schedule:
    schedule = outcome.final.schedule
    assert schedule is not None
    terms = [term for stage in stages for term in stage.terms]
    values = evaluate(mission, schedule, terms)
    objective = cost_of_values(built, terms, values)
    bound, term_bounds = bounds(built, outcome, values)
    optimal = all_proved(built, outcome)
    schedule.status = "optimal" if optimal else "feasible"
    schedule.objective = objective
    schedule.bound = objective if optimal else bound
    schedule.solve_seconds = time.monotonic() - started
    scheduled = {a.id for a in schedule.activities}
    schedule.unscheduled = [left_out(a.id, a.priority) for a in mission.activities.values()
                            if a.id not in scheduled]
    schedule.objectives = values
    schedule.objective_bounds = term_bounds
    schedule.objective_gaps = gaps(terms, values, term_bounds)
    schedule.solver = replace(info, interrupted=any(result is not None and result.interrupted
                                                    for _, result in outcome.results))
    return schedule


def left_out(activity_id: str, priority: int | None) -> Unscheduled:
    """An activity the solver left out, before the diagnosis works out why."""
    params = {"priority": priority}
    return Unscheduled(activity_id, left_out_message("left-out", params), "left-out", params)


def without_programme(mission: Mission, status: str, conflicts: list[Conflict], started: float,
                      info: SolverInfo) -> Schedule:
    """A result with no programme: `infeasible` (with the conflicts found) or `unknown`."""
    return Schedule(mission=mission.name, status=status, conflicts=list(conflicts),
                    solve_seconds=time.monotonic() - started, solver=info)
