"""The mission translated to PyJobShop (a CP-SAT scheduling library), as far as it can express it.

Translation (one clock unit = the largest number of minutes dividing the grain and every duration):

- each delegate who may attend anything is a `Machine` (one task at a time) whose breaks are their
  `unavailable` windows; sequence-dependent setup times on it stand for travel plus the delegate's
  `min_gap` between consecutive activities;
- each venue is a `Renewable` resource of capacity `parallel`;
- each activity is one `Task` per candidate venue whose capacity holds the required headcount (exactly
  one of them present, by select-exactly-one), needing the venue, the machines of its required
  attendees (and of the companions an `accompany` rule brings with them), and a calendar resource whose
  breaks are everything outside the spans where the activity may lie at that venue (fixed / windows /
  dates / working day / leg / opening hours); one task per venue rather than one mode per venue because
  setup times belong to task pairs, not to the modes chosen, and travel depends on the venue;
- `after` is an end-before-start constraint with the gap as delay;
- an optional activity is an optional task paired, by select-exactly-one, with a "skipped" twin that is
  always tardy, in a job whose weight is the priority: minimising weighted tardy jobs is then minimising
  the left-out priority weight (objective 1);
- an optional attendee is an optional "shadow" task on their machine, starting with the activity, again
  paired with a tardy skipped twin weighted by size (objective 2); companions brought by an optional
  principal are shadows tied to the principal's;
- objective 3 is PyJobShop's total setup time, with the weights chosen so that the three are ordered.

What PyJobShop cannot express, and this translation therefore leaves to the checker to catch:

- `lunch` (a free stretch of some length inside a daily range on every date a delegate attends anything):
  a lunch task on each delegate's machine would also break the travel chain, as setup times apply only
  between consecutive tasks;
- `max_per_day` (a count of tasks by the date a start variable falls on);
- venue capacity counted with the optional attendees who come (modes are filtered on required headcount);
- travel weighted by delegation `size` (total setup time counts every machine alike).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from functools import reduce

from peers.timeline import Clock, Span, allowed_spans, companions_of, delegate_gaps, separation
from planner.domain import Activity, Mission
from planner.domain.schedule import Schedule, ScheduledActivity, Unscheduled

CANNOT_EXPRESS = (
    "lunch (a free stretch inside a daily range): a lunch task would break the travel chain",
    "max_per_day (counting tasks by the date their start falls on)",
    "capacity counted with the optional attendees who come (modes see the required headcount only)",
    "several candidate venues only at the cost of one task per venue (setup times ignore the mode chosen)",
    "travel weighted by delegation size (total setup time counts every machine alike)",
)


@dataclass
class Translation:
    """The PyJobShop model of a mission and the bookkeeping to read its answer back."""

    data: object
    unit: int
    clock: Clock
    main: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    """activity id → (task index, venue id) of each of its alternatives, one per candidate venue."""
    shadows: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    """(activity id, delegate id) → the shadow tasks (one per alternative) of a delegate who attends only
    if chosen."""
    static_attendees: dict[str, tuple[str, ...]] = field(default_factory=dict)
    build_seconds: float = 0.0


def _unit(mission: Mission) -> int:
    values = [mission.grain] + [a.duration for a in mission.activities.values()]
    values += [after.gap for a in mission.activities.values() for after in a.after]
    return reduce(math.gcd, values) or 1


def _complement(spans: list[Span], horizon: int) -> list[tuple[int, int]]:
    """Breaks: everything in [0, horizon) outside the union of `spans`."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    breaks, cursor = [], 0
    for start, end in merged:
        if start > cursor:
            breaks.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < horizon:
        breaks.append((cursor, horizon))
    return breaks


def translate(mission: Mission) -> Translation:
    """Build the PyJobShop `ProblemData` of `mission` (see the module docstring for what maps to what)."""
    from pyjobshop import Model

    started = time.perf_counter()
    clock = Clock.of(mission)
    unit = _unit(mission)
    gaps = delegate_gaps(mission)

    def units_down(minute: int) -> int:
        return minute // unit

    def units_up(minute: int) -> int:
        return -(-minute // unit)

    spans_of: dict[tuple[str, str], list[Span]] = {}
    for activity in mission.activities.values():
        for venue_id in activity.venues:
            spans = [(units_up(s), units_down(e))
                     for s, e in allowed_spans(mission, clock, activity, venue_id)]
            spans_of[activity.id, venue_id] = [(s, e) for s, e in spans if e - s >= activity.duration // unit]
    horizon = 1 + max((e for spans in spans_of.values() for _, e in spans), default=1)

    model = Model()
    translation = Translation(data=None, unit=unit, clock=clock)
    venues = {v: model.add_renewable(mission.venues[v].parallel, name=v) for v in mission.venues}
    calendars: dict[tuple[Span, ...], object] = {}
    machines: dict[str, object] = {}

    def machine(delegate_id: str):
        if delegate_id not in machines:
            delegate = mission.delegates[delegate_id]
            breaks = [(max(0, units_down(clock.minute(w.start))), min(horizon, units_up(clock.minute(w.end))))
                      for w in delegate.unavailable]
            merged = _complement(_complement([b for b in breaks if b[0] < b[1]], horizon), horizon)
            machines[delegate_id] = model.add_machine(breaks=merged, name=delegate_id)
        return machines[delegate_id]

    def calendar(spans: list[Span]):
        key = tuple(spans)
        if key not in calendars:
            calendars[key] = model.add_renewable(len(mission.activities) + 1,
                                                 breaks=_complement(spans, horizon),
                                                 name=f"calendar-{len(calendars)}")
        return calendars[key]

    weights_travel = 1
    largest_travel = (max((units_up(t) for t in mission.travel.values()), default=0)
                      + units_up(max(gaps.values(), default=0)))
    travel_bound = 1 + sum((largest_travel + 1) * (len(a.attendees) + len(a.optional_attendees) + 1)
                           for a in mission.activities.values())
    optional_bound = 1 + sum(mission.delegates[d].size for a in mission.activities.values()
                             for d in a.optional_attendees)
    weight_attendance = travel_bound * weights_travel
    weight_priority = weight_attendance * optional_bound

    def skipped_twin(tasks: list, weight: int, name: str) -> None:
        """A task present exactly when none of `tasks` is, and then always tardy with `weight`."""
        job = model.add_job(weight=weight, due_date=0, name=f"skip-{name}")
        twin = model.add_task(job, earliest_start=1, optional=True, name=f"skip-{name}")
        model.add_mode(twin, [], 1)
        model.add_select_exactly_one([*tasks, twin])

    # (task, venue id, activity) on each delegate's machine: the venue makes the setup time exact.
    tasks_on: dict[str, list[tuple[object, str, Activity]]] = {}
    alternatives_of: dict[str, list[object]] = {}
    for activity in mission.activities.values():
        required = set(activity.attendees)
        static = required | companions_of(mission, activity, required)
        translation.static_attendees[activity.id] = tuple(sorted(static))
        headcount = sum(mission.delegates[d].size for d in static)
        usable = [v for v in activity.venues if spans_of[activity.id, v] and (
            mission.venues[v].capacity is None or headcount <= mission.venues[v].capacity)]
        if not usable:
            continue  # no venue can take it: PyJobShop has no task to offer, it is left out
        # One task per candidate venue, exactly one of them present (or the skipped twin): setup times
        # belong to task pairs, so a task that knows its venue knows its travel.
        alternatives = []
        for venue_id in usable:
            spans = spans_of[activity.id, venue_id]
            task = model.add_task(None, earliest_start=spans[0][0], latest_end=spans[-1][1],
                                  optional=len(usable) > 1 or not activity.required,
                                  name=f"{activity.id}@{venue_id}")
            resources = [venues[venue_id], calendar(spans)] + [machine(d) for d in sorted(static)]
            demands = [1, 0] + [0] * len(static)  # PyJobShop: machines take demand 0
            model.add_mode(task, resources, activity.duration // unit, demands)
            translation.main.setdefault(activity.id, []).append((len(model.tasks) - 1, venue_id))
            alternatives.append(task)
            for delegate_id in static:
                tasks_on.setdefault(delegate_id, []).append((task, venue_id, activity))
        alternatives_of[activity.id] = alternatives
        if not activity.required:
            skipped_twin(alternatives, weight_priority * (activity.priority or 1), activity.id)
        elif len(alternatives) > 1:
            model.add_select_exactly_one(alternatives)

        def shadow_of(delegate_id: str, task, venue_id: str, activity=activity):
            shadow = model.add_task(None, optional=True, name=f"{task.name}+{delegate_id}")
            model.add_mode(shadow, [machine(delegate_id)], activity.duration // unit, [0])
            translation.shadows.setdefault((activity.id, delegate_id), []).append(len(model.tasks) - 1)
            model.add_start_at_start(task, shadow)
            model.add_select_at_least_one([task], condition_task=shadow)
            tasks_on.setdefault(delegate_id, []).append((shadow, venue_id, activity))
            return shadow

        for task, venue_id in zip(alternatives, usable):
            shadows: dict[str, object] = {}
            for delegate_id in activity.optional_attendees:
                if delegate_id not in static:
                    shadows[delegate_id] = shadow_of(delegate_id, task, venue_id)
            for principal_id, shadow in list(shadows.items()):
                companions = companions_of(mission, activity, static | {principal_id}) - static
                for companion_id in sorted(companions):
                    if companion_id == principal_id:
                        continue
                    if companion_id not in shadows:
                        shadows[companion_id] = shadow_of(companion_id, task, venue_id)
                        brought_by = [shadows[p] for p in shadows if p in activity.optional_attendees]
                        model.add_select_at_least_one(brought_by, condition_task=shadows[companion_id])
                    model.add_select_at_least_one([shadows[companion_id]], condition_task=shadow)
        for delegate_id in activity.optional_attendees:
            if (activity.id, delegate_id) in translation.shadows:
                indices = translation.shadows[activity.id, delegate_id]
                skipped_twin([model.tasks[i] for i in indices],
                             weight_attendance * mission.delegates[delegate_id].size,
                             f"{activity.id}+{delegate_id}")

    for activity in mission.activities.values():
        for after in activity.after:
            for before in alternatives_of.get(after.activity, []):
                for later in alternatives_of.get(activity.id, []):
                    model.add_end_before_start(before, later, units_up(after.gap))

    any_setup = False
    for delegate_id in sorted(tasks_on):
        entries = tasks_on[delegate_id]
        gap = gaps[delegate_id]
        for task_a, venue_a, activity_a in entries:
            for task_b, venue_b, activity_b in entries:
                if activity_a is activity_b:
                    continue  # alternatives of one activity are never both present
                setup = units_up(separation(mission, venue_a, venue_b, gap))
                if setup > 0:
                    model.add_setup_time(machines[delegate_id], task_a, task_b, setup)
                    any_setup = True
    has_jobs = bool(model.jobs)
    model.set_objective(weight_tardy_jobs=1 if has_jobs else 0, weight_total_setup_time=1 if any_setup else 0,
                        weight_makespan=0 if (has_jobs or any_setup) else 1)
    translation.data = model.data()
    translation.build_seconds = time.perf_counter() - started
    return translation


@dataclass
class JobshopRun:
    schedule: Schedule
    build_seconds: float
    translate_seconds: float
    first_solution_seconds: float | None
    solve_seconds: float
    status: str
    objective: float | None
    bound: float | None
    variables: int
    constraints: int


def solve_jobshop(mission: Mission, time_limit: float, workers: int = 2, seed: int = 0) -> JobshopRun:
    """Translate, build PyJobShop's CP-SAT model, solve it, and read the answer back as a `Schedule`."""
    from ortools.sat.python import cp_model
    from pyjobshop.solvers.ortools import CPModel

    translation = translate(mission)
    started = time.perf_counter()
    model = CPModel(translation.data)
    build_seconds = time.perf_counter() - started
    proto = model.model.proto

    class FirstSolution(cp_model.CpSolverSolutionCallback):
        def __init__(self) -> None:
            super().__init__()
            self.first: float | None = None

        def on_solution_callback(self) -> None:
            if self.first is None:
                self.first = self.wall_time

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    callback = FirstSolution()
    status = solver.solve(model.model, callback)
    name = solver.status_name(status)
    clock, unit = translation.clock, translation.unit
    scheduled, unscheduled = [], []
    if name in ("OPTIMAL", "FEASIBLE"):
        solution = model._convert_to_solution(solver)
        for activity in mission.activities.values():
            present = [(solution.tasks[index], venue_id)
                       for index, venue_id in translation.main.get(activity.id, [])
                       if solution.tasks[index].present]
            if not present:
                unscheduled.append(Unscheduled(activity.id, "left out by PyJobShop"))
                continue
            task, venue_id = present[0]
            attendees = set(translation.static_attendees[activity.id])
            attendees |= {d for (a, d), indices in translation.shadows.items()
                          if a == activity.id and any(solution.tasks[i].present for i in indices)}
            leg = mission.leg_of_activity(activity.id)
            scheduled.append(ScheduledActivity(
                activity.id, activity.title, activity.kind, venue_id, clock.instant(task.start * unit, leg),
                clock.instant(task.end * unit, leg), tuple(sorted(attendees))))
        verdict = "optimal" if name == "OPTIMAL" else "feasible"
    else:
        verdict = "infeasible" if name == "INFEASIBLE" else "unknown"
        unscheduled = [Unscheduled(a.id, "PyJobShop found no schedule") for a in mission.activities.values()]
    schedule = Schedule(mission=mission.name, status=verdict, activities=scheduled, unscheduled=unscheduled,
                        solve_seconds=solver.wall_time, extra={"solver": "pyjobshop"})
    has_solution = name in ("OPTIMAL", "FEASIBLE")
    return JobshopRun(
        schedule=schedule, build_seconds=build_seconds, translate_seconds=translation.build_seconds,
        first_solution_seconds=callback.first, solve_seconds=solver.wall_time, status=verdict,
        objective=solver.objective_value if has_solution else None,
        bound=solver.best_objective_bound if has_solution else None,
        variables=len(proto.variables), constraints=len(proto.constraints),
    )
