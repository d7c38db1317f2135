"""Running the CP-SAT model: stages, time limit, workers and seed, progress, Ctrl-C, solver failures.

Two stages (docs/solving.md): first the placement objectives (1. priority weight left out, 2. optional
headcount not brought, weighted so that 1 always wins), then, with those held at the value found, the
travel objective (3) over the circuits that sequence each delegate class's day.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ortools.sat.python import cp_model
from ortools.sat.python.cp_model import LinearExpr
from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from planner.domain import Mission
from planner.domain.errors import SolverFailure
from planner.domain.schedule import Conflict, Schedule, Unscheduled
from planner.solver.model import (
    MissionModel,
    add_travel_objective,
    build_model,
    extract_schedule,
    hint_solution,
    placement_objective,
    placement_weight,
    solution_values,
)
from planner.views.overview import day_table


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


class SecondTerm(Protocol):
    """An objective ranked right after the priority weight left out (re-planning's disruption)."""

    name: str

    def expression(self, built: MissionModel) -> LinearExpr | int: ...

    def most(self, built: MissionModel) -> int: ...

    def evaluate(self, mission: Mission, schedule: Schedule) -> int: ...


@dataclass(frozen=True)
class Extension:
    """What a caller adds to the model `solve` builds: constraint families and a hint (`prepare`), and an
    objective term ranked second, between the priority weight left out and the optional attendees."""

    prepare: Callable[[MissionModel], None]
    term: SecondTerm


@dataclass(frozen=True)
class Progress:
    """One improvement during a solve."""

    stage: str
    """`placement` (objectives 1–2) or `travel` (objective 3)."""
    objective: float | None
    bound: float | None
    seconds: float
    """Since the stage started."""


@dataclass
class StageResult:
    status: int
    objective: int | None = None
    bound: int | None = None
    values: list[int] = field(default_factory=list)
    schedule: Schedule | None = None
    seconds: float = 0.0
    interrupted: bool = False
    presolve_retried: bool = False
    deterministic_time: float = 0.0

    @property
    def has_solution(self) -> bool:
        return self.status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


class _Progress(cp_model.CpSolverSolutionCallback):
    """Keeps the best objective and bound of a running stage; draws them on a live line."""

    def __init__(self, live: Live | None, stage: str, started: float,
                 listener: Callable[[Progress], None] | None = None):
        super().__init__()
        self.live = live
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
        self.draw()

    def draw(self) -> None:
        if self.live is None:
            return
        text = Text(f"{self.stage}: ", style="bold")
        text.append(f"best {_number(self.objective)}  bound {_number(self.bound)}  gap {_gap(self.objective, self.bound)}"
                    f"  {time.monotonic() - self.started:5.1f} s")
        self.live.update(text)


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _gap(objective: float | None, bound: float | None) -> str:
    if objective is None or bound is None:
        return "—"
    if objective == bound:
        return "0%"
    return f"{abs(objective - bound) / max(abs(objective), 1):.1%}"


PORTFOLIO = ("default_lp", "core", "max_lp", "quick_restart", "no_lp", "pseudo_costs", "reduced_costs")
"""CP-SAT subsolvers interleaved with several workers, first ones first: `core` (core-based lower bounds)
closes the travel gap far faster than the default portfolio on 2 cores (docs/solving.md)."""


def _parameters(solver: cp_model.CpSolver, options: SolveOptions, seconds: float, presolve: bool) -> None:
    parameters = solver.parameters
    workers = max(1, options.workers)
    parameters.num_workers = workers
    parameters.random_seed = options.seed
    parameters.max_time_in_seconds = max(seconds, 0.01)
    if workers > 1:
        # Deterministic parallel search: the subsolvers run in fixed batches, so that the same input and
        # options give the same schedule whenever the solve ends before the wall-clock limit.
        parameters.interleave_search = True
        for name in PORTFOLIO[:workers]:
            parameters.subsolvers.append(name)
        parameters.use_lns = workers > 2
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

    def __enter__(self) -> _Interrupt:
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
        except BaseException as error:  # handed to the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=work, name="cp-sat", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.05)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["status"]


def _run_stage(built: MissionModel, options: SolveOptions, seconds: float, stage: str,
               live: Live | None, interrupt: _Interrupt) -> StageResult:
    """One CP-SAT solve of the model's current objective; a crash of presolve is retried without it."""
    started = time.monotonic()
    for presolve in (True, False):
        solver = cp_model.CpSolver()
        _parameters(solver, options, seconds - (time.monotonic() - started), presolve)
        progress = _Progress(live, stage, started, options.on_progress)
        watched = live is not None or options.on_progress is not None
        if watched:
            solver.best_bound_callback = progress.on_bound
        interrupt.solver = solver
        try:
            status = _solve_in_thread(solver, built.model, progress if watched else None)
        except Exception as error:  # OR-Tools raises from C++ (e.g. IndexError in presolve)
            if presolve and options.presolve:
                continue
            raise SolverFailure(f"CP-SAT failed during the {stage} stage ({type(error).__name__}: {error}); "
                                "try again with other --workers or --seed, and report the mission file") from error
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


def _placement(built: MissionModel, extension: Extension | None) -> LinearExpr:
    """The first stage's objective: soft 1 and 2, with the extension's term between them."""
    if extension is None:
        return placement_objective(built)
    inner = placement_weight(built)
    return ((extension.term.most(built) + 1) * inner * built.left_out_weight
            + inner * extension.term.expression(built) + (built.optional_headcount - built.brought))


def solve(mission: Mission, options: SolveOptions = SolveOptions(), *, console: Console | None = None,
          extension: Extension | None = None) -> Schedule:
    """The best programme found for `mission` within the options' limits (see docs/solving.md)."""
    started = time.monotonic()
    from planner.diagnosis import precheck

    conflicts = precheck(mission)
    if conflicts:
        return _without_programme(mission, "infeasible", conflicts, started, {"stage": "precheck"})
    built = build_model(mission)
    if extension is not None:
        extension.prepare(built)
    build_seconds = time.monotonic() - started
    show = options.progress and console is not None and console.is_terminal
    live = Live(Text("building the model…"), console=console, transient=True) if show else None
    info: dict[str, Any] = {"workers": options.workers, "seed": options.seed, "time_limit": options.time_limit,
                            "build_seconds": round(build_seconds, 3), **built.statistics}

    def remaining() -> float:
        return options.time_limit - (time.monotonic() - started)

    with _Interrupt() as interrupt:
        if live is not None:
            live.start()
        try:
            built.model.minimize(_placement(built, extension))
            first = _run_stage(built, options, remaining(), "placement", live, interrupt)
            info["placement_seconds"] = round(first.seconds, 3)
            info["placement_deterministic_time"] = round(first.deterministic_time, 3)
            info["presolve_retried"] = first.presolve_retried
            if first.status == cp_model.INFEASIBLE:
                if live is not None:
                    live.update(Text("no programme exists: finding out why…"))
                from planner.diagnosis import diagnose

                return _without_programme(mission, "infeasible", diagnose(mission, options), started, info)
            if not first.has_solution:
                return _without_programme(mission, "unknown", [], started, info)
            final, second = first, None
            placement_optimal = first.status == cp_model.OPTIMAL
            build_travel_started = time.monotonic()
            add_travel_objective(built)
            info["travel_build_seconds"] = round(time.monotonic() - build_travel_started, 3)
            info["circuits"] = built.statistics.get("circuits", 0)
            if built.travel_upper_bound > 0 and not first.interrupted and remaining() > 0.05:
                built.model.add(_placement(built, extension) <= first.objective)
                built.model.minimize(built.travel)
                hint_solution(built, first.values)
                second = _run_stage(built, options, remaining(), "travel", live, interrupt)
                info["travel_seconds"] = round(second.seconds, 3)
                info["travel_deterministic_time"] = round(second.deterministic_time, 3)
                info["travel_objective"] = second.objective
                if second.has_solution:
                    final = second
        finally:
            if live is not None:
                live.stop()
    return _finish(mission, built, first, second, final, placement_optimal, started, info, extension)


def _finish(mission: Mission, built: MissionModel, first: StageResult, second: StageResult | None,
            final: StageResult, placement_optimal: bool, started: float, info: dict[str, Any],
            extension: Extension | None = None) -> Schedule:
    from planner.diagnosis import unscheduled_reasons
    from planner.solver.model import travel_of_schedule

    schedule = final.schedule
    assert schedule is not None
    scheduled = {a.id for a in schedule.activities}
    left_out = sum(a.priority or 0 for a in mission.activities.values() if not a.required and a.id not in scheduled)
    brought = sum(mission.delegates[d].size for a in schedule.activities
                  for d in a.attendees if d in mission.activities[a.id].optional_attendees)
    travel = travel_of_schedule(mission, schedule)
    travel_optimal = built.travel_upper_bound == 0 or (second is not None and second.status == cp_model.OPTIMAL)
    travel_bound = 0 if second is None or second.bound is None else second.bound
    if built.travel_upper_bound == 0:
        travel_bound = 0
    optimal = placement_optimal and travel_optimal
    scale = built.travel_upper_bound + 1
    placement = placement_weight(built) * left_out + (built.optional_headcount - brought)
    second_term = extension.term.evaluate(mission, schedule) if extension is not None else None
    if extension is not None:
        placement += placement_weight(built) * (extension.term.most(built) * left_out + second_term)
    schedule.status = "optimal" if optimal else "feasible"
    schedule.objective = placement * scale + travel
    placement_bound = first.bound if first.bound is not None else 0
    schedule.bound = (placement * scale + travel_bound) if placement_optimal else placement_bound * scale
    if optimal:
        schedule.bound = schedule.objective
    schedule.solve_seconds = time.monotonic() - started
    reasons = unscheduled_reasons(mission, schedule)
    schedule.unscheduled = [
        Unscheduled(a.id, reasons.get(a.id, f"priority {a.priority}: left out"))
        for a in mission.activities.values() if a.id not in scheduled
    ]
    schedule.extra["objectives"] = {
        "left_out_priority": left_out,
        "optional_attendees": brought,
        "travel_minutes": travel,
    }
    schedule.extra["objective_bounds"] = {
        "left_out_priority": (left_out if placement_optimal
                              else _left_out_bound(built, placement_bound, extension)),
        "optional_attendees": brought if placement_optimal else None,
        "travel_minutes": travel if travel_optimal else (travel_bound if placement_optimal else None),
    }
    if extension is not None:
        name = extension.term.name
        schedule.extra["objectives"] = {"left_out_priority": left_out, name: second_term,
                                        **schedule.extra["objectives"]}
        schedule.extra["objective_bounds"] = {
            "left_out_priority": schedule.extra["objective_bounds"]["left_out_priority"],
            name: second_term if placement_optimal else None, **schedule.extra["objective_bounds"]}
    info["interrupted"] = first.interrupted or (second is not None and second.interrupted)
    schedule.extra["solver"] = info
    return schedule


def _left_out_bound(built: MissionModel, placement_bound: int, extension: Extension | None = None) -> int:
    weight = placement_weight(built)
    if extension is not None:
        weight *= extension.term.most(built) + 1
    return max(0, placement_bound // weight)


def _without_programme(mission: Mission, status: str, conflicts: list[Conflict], started: float,
                       info: dict[str, Any]) -> Schedule:
    schedule = Schedule(mission=mission.name, status=status, conflicts=list(conflicts),
                        solve_seconds=time.monotonic() - started)
    schedule.unscheduled = []
    schedule.extra["solver"] = info
    return schedule


# --- the command ---------------------------------------------------------------------------------------


def run_solve(mission: Mission, options: SolveOptions, out_dir: Path, console: Console,
              then: Callable[[Schedule], Schedule] | None = None) -> int:
    """`planner solve`: solve, write the outputs, print a summary; 0 with a programme, 1 without. `then`
    completes the schedule before it is written (the pipeline's B2B meetings)."""
    from planner.views.outputs import write_outputs

    schedule = solve(mission, options, console=console)
    if then is not None:
        schedule = then(schedule)
    written = write_outputs(mission, schedule, out_dir)
    print_summary(mission, schedule, console)
    if schedule.has_programme:
        console.print(day_table(mission, schedule))
    console.print(f"wrote {len(written)} file{'s' if len(written) != 1 else ''} to {out_dir}", highlight=False)
    return 0 if schedule.has_programme else 1


def print_summary(mission: Mission, schedule: Schedule, console: Console) -> None:
    colour = {"optimal": "green", "feasible": "yellow"}.get(schedule.status, "red")
    table = Table(title=f"{escape(mission.name)}: [{colour}]{schedule.status}[/]", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("objective", _number(schedule.objective))
    table.add_row("bound", _number(schedule.bound))
    table.add_row("gap", _gap(schedule.objective, schedule.bound))
    for name, value in schedule.extra.get("objectives", {}).items():
        bound = schedule.extra.get("objective_bounds", {}).get(name)
        shown = f"{value:,}" + ("" if bound is None or bound == value else f" (bound {bound:,})")
        table.add_row(name.replace("_", " "), shown)
    table.add_row("time", f"{schedule.solve_seconds:.1f} s")
    if schedule.has_programme:
        table.add_row("placed", f"{len(schedule.activities)} of {len(mission.activities)} activities")
    if schedule.meetings is not None:
        left = len(schedule.unscheduled_meetings)
        status = schedule.extra.get("meetings_status", "unknown")
        table.add_row("B2B meetings", f"{len(schedule.meetings)} scheduled, {left} left out ({status})")
    console.print(table)
    if schedule.status == "unknown":
        console.print("  no schedule was found within the time limit: give it more with --time-limit",
                      highlight=False)
    for entry in schedule.unscheduled:
        console.print(f"  left out [bold]{escape(entry.id)}[/]: {escape(entry.reason)}", highlight=False)
    for conflict in schedule.conflicts:
        # Messages quote the mission's own titles, which may hold brackets that rich would take for markup.
        console.print(f"  [red]conflict[/]: {escape(conflict.message)}", highlight=False)
