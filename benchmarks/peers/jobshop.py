"""The mission translated to PyJobShop (a CP-SAT scheduling library), as far as it can express it.

Translation (one clock unit = the largest number of minutes dividing the grain and every duration):

- each delegate who may attend anything is a `Machine` (one task at a time) whose breaks are their
  `unavailable` windows; sequence-dependent setup times on it stand for travel plus the delegate's
  `min_gap` between consecutive activities;
- each venue is a `Renewable` resource of capacity `parallel`;
- each activity is a `Task` with one `Mode` per candidate venue whose capacity holds the required
  headcount: the venue, the machines of its required attendees (and of the companions an `accompany`
  rule brings with them), and a calendar resource whose breaks are everything outside the spans where
  the activity may lie at that venue (fixed / windows / dates / working day / leg / opening hours);
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
- travel when an activity has several candidate venues: setup times belong to task pairs, not to the
  modes chosen, so the shortest travel among the candidate venues is used;
- travel weighted by delegation `size` (total setup time counts every machine alike).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from functools import reduce

from planner.domain import Activity, Mission
from planner.schedule import Schedule, ScheduledActivity, Unscheduled

from peers.timeline import Clock, Span, allowed_spans, companions_of, delegate_gaps, separation

CANNOT_EXPRESS = (
    "lunch (a free stretch inside a daily range): a lunch task would break the travel chain",
    "max_per_day (counting tasks by the date their start falls on)",
    "capacity counted with the optional attendees who come (modes see the required headcount only)",
    "travel between activities with several candidate venues (setup times belong to task pairs, not modes)",
    "travel weighted by delegation size (total setup time counts every machine alike)",
)


@dataclass
class Translation:
    """The PyJobShop model of a mission and the bookkeeping to read its answer back."""

    data: object
    unit: int
    clock: Clock
    main: dict[str, int] = field(default_factory=dict)
    """activity id → its task index."""
    modes: dict[int, tuple[str, int]] = field(default_factory=dict)
    """mode index → (activity id, venue index in the activity's `venues`)."""
    shadows: dict[tuple[str, str], int] = field(default_factory=dict)
    """(activity id, delegate id) → the shadow task of a delegate who attends only if chosen."""
    static_attendees: dict[str, tuple[str, ...]] = field(default_factory=dict)
    venue_of_mode: dict[int, str] = field(default_factory=dict)
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
            spans = [(units_up(s), units_down(e)) for s, e in allowed_spans(mission, clock, activity, venue_id)]
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
                                                 breaks=_complement(spans, horizon), name=f"calendar-{len(calendars)}")
        return calendars[key]

    counts = sum(1 for a in mission.activities.values() if not a.required)
    weights_travel = 1
    largest_travel = max((units_up(t) for t in mission.travel.values()), default=0) + units_up(max(gaps.values(), default=0))
    travel_bound = 1 + sum((largest_travel + 1) * (len(a.attendees) + len(a.optional_attendees) + 1)
                           for a in mission.activities.values())
    optional_bound = 1 + sum(mission.delegates[d].size for a in mission.activities.values()
                             for d in a.optional_attendees)
    weight_attendance = travel_bound * weights_travel
    weight_priority = weight_attendance * optional_bound
    del counts

    def skipped_twin(task, weight: int) -> None:
        """A task that is present exactly when `task` is not, and then always tardy with `weight`."""
        job = model.add_job(weight=weight, due_date=0, name=f"skip-{task.name}")
        twin = model.add_task(job, earliest_start=1, optional=True, name=f"skip-{task.name}")
        model.add_mode(twin, [], 1)
        model.add_select_exactly_one([task, twin])

    tasks_on: dict[str, list[tuple[object, Activity]]] = {}
    for activity in mission.activities.values():
        required = set(activity.attendees)
        static = required | companions_of(mission, activity, required)
        translation.static_attendees[activity.id] = tuple(sorted(static))
        headcount = sum(mission.delegates[d].size for d in static)
        usable = [(rank, v) for rank, v in enumerate(activity.venues) if spans_of[activity.id, v] and (
            mission.venues[v].capacity is None or headcount <= mission.venues[v].capacity)]
        if not usable:
            continue  # no venue can take it: PyJobShop has no task to offer, it is left out
        all_spans = [span for _, v in usable for span in spans_of[activity.id, v]]
        hull = (min((s for s, _ in all_spans), default=0), max((e for _, e in all_spans), default=1))
        task = model.add_task(None, earliest_start=hull[0], latest_end=hull[1], optional=not activity.required,
                              name=activity.id)
        translation.main[activity.id] = len(model.tasks) - 1
        for venue_rank, venue_id in usable:
            resources = [venues[venue_id], calendar(spans_of[activity.id, venue_id])]
            resources += [machine(d) for d in sorted(static)]
            demands = [1, 0] + [0] * len(static)  # PyJobShop: machines take demand 0
            model.add_mode(task, resources, activity.duration // unit, demands, name=f"{activity.id}@{venue_id}")
            translation.modes[len(model.modes) - 1] = (activity.id, venue_rank)
        for delegate_id in static:
            tasks_on.setdefault(delegate_id, []).append((task, activity))
        if not activity.required:
            skipped_twin(task, weight_priority * (activity.priority or 1))
        shadow_tasks: dict[str, object] = {}
        for delegate_id in activity.optional_attendees:
            if delegate_id in static:
                continue
            shadow = model.add_task(None, earliest_start=hull[0], latest_end=hull[1], optional=True,
                                    name=f"{activity.id}+{delegate_id}")
            model.add_mode(shadow, [machine(delegate_id)], activity.duration // unit, [0])
            translation.shadows[activity.id, delegate_id] = len(model.tasks) - 1
            model.add_start_at_start(task, shadow)
            model.add_select_at_least_one([task], condition_task=shadow)
            skipped_twin(shadow, weight_attendance * mission.delegates[delegate_id].size)
            shadow_tasks[delegate_id] = shadow
            tasks_on.setdefault(delegate_id, []).append((shadow, activity))
        for principal_id, shadow in list(shadow_tasks.items()):
            for companion_id in sorted(companions_of(mission, activity, static | {principal_id}) - static):
                if companion_id == principal_id:
                    continue
                if companion_id not in shadow_tasks:
                    companion = model.add_task(None, earliest_start=hull[0], latest_end=hull[1], optional=True,
                                               name=f"{activity.id}+{companion_id}")
                    model.add_mode(companion, [machine(companion_id)], activity.duration // unit, [0])
                    translation.shadows[activity.id, companion_id] = len(model.tasks) - 1
                    model.add_start_at_start(task, companion)
                    model.add_select_at_least_one([task], condition_task=companion)
                    shadow_tasks[companion_id] = companion
                    tasks_on.setdefault(companion_id, []).append((companion, activity))
                model.add_select_at_least_one([shadow_tasks[companion_id]], condition_task=shadow)

    for activity in mission.activities.values():
        for after in activity.after:
            if after.activity in translation.main and activity.id in translation.main:
                model.add_end_before_start(model.tasks[translation.main[after.activity]],
                                           model.tasks[translation.main[activity.id]], units_up(after.gap))

    def shortest_separation(first: Activity, second: Activity, gap: int) -> int:
        return min(separation(mission, a, b, gap) for a in first.venues for b in second.venues)

    any_setup = False
    for delegate_id in sorted(tasks_on):
        entries = tasks_on[delegate_id]
        gap = gaps[delegate_id]
        for task_a, activity_a in entries:
            for task_b, activity_b in entries:
                if task_a is task_b:
                    continue
                setup = units_up(shortest_separation(activity_a, activity_b, gap))
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
            task = solution.tasks[translation.main[activity.id]] if activity.id in translation.main else None
            if task is None or not task.present:
                unscheduled.append(Unscheduled(activity.id, "left out by PyJobShop"))
                continue
            activity_id, venue_rank = translation.modes[task.mode]
            venue_id = activity.venues[venue_rank]
            attendees = set(translation.static_attendees[activity.id])
            attendees |= {d for (a, d), index in translation.shadows.items()
                          if a == activity.id and solution.tasks[index].present}
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
