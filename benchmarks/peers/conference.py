"""The mission translated to conference-scheduler (PuLP/CBC integer programming, PyCon UK's scheduler).

conference-scheduler places *events* into *slots* (a venue over a period of time), one event per slot,
every event exactly once; an event may be declared unavailable in given slots and during given other
events. The translation:

- a timetable grid: on every date of each leg, consecutive slots of one length (the longest activity,
  on the grain) from the start of the working day until midnight, separated by a break that stands for
  travel and protocol gaps (the largest travel time plus `min_gap` within the leg's city, at most 60 min,
  as a conference leaves a break between sessions); a slot that would straddle the start of an
  activity's window or fixed start moves to that start; a venue of `parallel` p has p slots at each time
  (all venues share the slot times, as conference-scheduler sees a clash only between slots one inside the
  other);
- an event per activity, unavailable in every slot where it may not lie (venue not a candidate, outside
  its fixed / windows / dates / working day / leg / opening hours, above the venue's capacity, while one
  of its attendees is unavailable) and during every other event that shares an attendee (a clash);
- activities with a fixed start are already decided: they keep their start, and the slots they overlap
  are closed to the events that share their venue or an attendee.

What conference-scheduler cannot express, and this translation leaves to the checker to catch:

- leaving an activity out (every event is scheduled exactly once): optional activities are offered, and
  when no schedule holds them all they are dropped and the model solved again with the required ones;
- optional attendees (nobody optional attends), hence objective 2 is not pursued;
- travel between venues and protocol gaps (only the uniform break between slots; longer trips fail);
- `after`, `max_per_day`, `lunch`;
- start times off the grid of slots, and activities shorter than a slot leave the rest of it empty;
- any objective of planner's: the model only looks for a feasible timetable.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from peers.timeline import Clock, allowed_spans, companions_of, delegate_gaps, separation
from planner.domain import Activity, Mission
from planner.domain.schedule import Schedule, ScheduledActivity, Unscheduled

CANNOT_EXPRESS = (
    "leaving an activity out (every event is scheduled exactly once)",
    "optional attendees",
    "travel and protocol gaps beyond one uniform break between slots",
    "after (precedence), max_per_day, lunch",
    "starts off a fixed grid of equal slots",
    "any of planner's objectives (it finds a feasible timetable)",
)

BREAK_CAP = 60


@dataclass
class ConferenceRun:
    schedule: Schedule
    translate_seconds: float
    build_seconds: float
    solve_seconds: float
    status: str
    events: int
    slots: int
    variables: int
    constraints: int
    dropped_optional: bool


def _grid(mission: Mission, clock: Clock, slot_length: int) -> list[tuple[str, int, int]]:
    """(venue id, start minute, copy) of every slot: each leg's dates, from the working day's start."""
    slots = []
    gaps = delegate_gaps(mission)
    largest_gap = max(gaps.values(), default=0)
    for leg in mission.legs:
        city_venues = [v for v in mission.venues.values() if v.city == leg.city]
        largest = max((separation(mission, a.id, b.id, largest_gap)
                       for a in city_venues for b in city_venues), default=largest_gap)
        pause = min(largest, BREAK_CAP)
        # An organiser lays sessions so that an activity's window can open one: a session that would
        # straddle the start of a window is moved to that start.
        anchors = sorted({clock.minute(w.start) for a in mission.activities.values() for w in a.windows
                          if mission.leg_of_activity(a.id) is leg}
                         | {clock.minute(a.fixed) for a in mission.activities.values()
                            if a.fixed is not None and mission.leg_of_activity(a.id) is leg})
        for day in leg.days():
            start = clock.minute(leg.local_instant(day, mission.day.start))
            midnight = clock.minute(leg.local_instant(day, 1440))
            while start + slot_length <= midnight:
                for venue in city_venues:
                    for copy in range(venue.parallel):
                        slots.append((venue.id, start, copy))
                start = clock.next_on_grain(start + slot_length + pause, leg, mission.grain)
                straddled = [a for a in anchors if start < a < start + slot_length]
                if straddled:
                    start = straddled[0]
    return slots


def _fits(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def solve_conference(mission: Mission, time_limit: float) -> ConferenceRun:
    """Translate, build the PuLP model as `conference_scheduler.scheduler.solution` does, solve with CBC."""
    import pulp
    from conference_scheduler import lp_problem as lp
    from conference_scheduler.resources import Event, Shape, Slot

    started = time.perf_counter()
    clock = Clock.of(mission)
    attendees = {a.id: set(a.attendees) | companions_of(mission, a, set(a.attendees))
                 for a in mission.activities.values()}
    fixed = [a for a in mission.activities.values() if a.fixed is not None]
    free = [a for a in mission.activities.values() if a.fixed is None]
    slot_length = max((a.duration for a in free), default=mission.grain)
    slot_length = -(-slot_length // mission.grain) * mission.grain
    grid = _grid(mission, clock, slot_length)
    slots = [Slot(venue=f"{venue_id}#{copy}",
                  starts_at=(clock.origin + timedelta(minutes=start)).replace(tzinfo=None),
                  duration=slot_length, capacity=mission.venues[venue_id].capacity or 10**6,
                  session=str(start))
             for venue_id, start, copy in grid]
    fixed_spans = {a.id: (clock.minute(a.fixed), clock.minute(a.fixed) + a.duration) for a in fixed}

    def possible(activity: Activity) -> list[int]:
        """Indices of the slots where the activity may be held."""
        headcount = sum(mission.delegates[d].size for d in attendees[activity.id])
        result = []
        spans = {v: allowed_spans(mission, clock, activity, v) for v in activity.venues}
        windows = [(clock.minute(w.start), clock.minute(w.end)) for d in attendees[activity.id]
                   for w in mission.delegates[d].unavailable]
        for index, (venue_id, start, copy) in enumerate(grid):
            end = start + activity.duration
            if venue_id not in spans or not _fits(spans[venue_id], start, end):
                continue
            capacity = mission.venues[venue_id].capacity
            if capacity is not None and headcount > capacity:
                continue
            if any(s < end and start < e for s, e in windows):
                continue
            if any(s < end and start < e and mission.activities[f].venues[0] == venue_id and copy == 0
                   for f, (s, e) in fixed_spans.items()):
                continue
            if any(attendees[f] & attendees[activity.id]
                   and s - separation(mission, venue_id, mission.activities[f].venues[0], largest_gap) < end
                   and start < e + separation(mission, mission.activities[f].venues[0], venue_id, largest_gap)
                   for f, (s, e) in fixed_spans.items()):
                continue
            result.append(index)
        return result

    largest_gap = max(delegate_gaps(mission).values(), default=0)
    candidates = {a.id: possible(a) for a in free}
    translate_seconds = time.perf_counter() - started

    def attempt(chosen: list[Activity]) -> tuple[list[tuple[int, int]] | None, float, float, int, int]:
        build_started = time.perf_counter()
        events = [Event(a.id, a.duration, sum(mission.delegates[d].size for d in attendees[a.id]))
                  for a in chosen]
        allowed_by_event = [set(candidates[a.id]) for a in chosen]
        for event, allowed in zip(events, allowed_by_event):
            event.add_unavailability(*[slot for index, slot in enumerate(slots) if index not in allowed])
        for i, first in enumerate(chosen):
            for j in range(i + 1, len(chosen)):
                if attendees[first.id] & attendees[chosen[j].id]:
                    events[i].add_unavailability(events[j])
                    events[j].add_unavailability(events[i])
        # As conference_scheduler.scheduler.solution does, split so that building and solving are timed apart.
        shape = Shape(len(events), len(slots))
        problem = pulp.LpProblem()
        variables = lp.utils.variables(shape)
        for constraint in lp.constraints.all_constraints(events, slots, variables, None, "lpsum"):
            problem += constraint.condition
        build = time.perf_counter() - build_started
        solve_started = time.perf_counter()
        status = problem.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=max(1, int(time_limit))))
        solve = time.perf_counter() - solve_started
        if status != 1:
            return None, build, solve, len(variables), len(problem.constraints)
        placed = [item for item, variable in variables.items() if (variable.value() or 0) > 0.5]
        return placed, build, solve, len(variables), len(problem.constraints)

    offered = [a for a in free if candidates[a.id] or a.required]
    placed, build, solve, n_variables, n_constraints = attempt(offered)
    dropped = False
    chosen = offered
    if placed is None and any(not a.required for a in offered):
        dropped = True
        chosen = [a for a in offered if a.required]
        placed, build_again, solve_again, n_variables, n_constraints = attempt(chosen)
        build, solve = build + build_again, solve + solve_again
    scheduled: list[ScheduledActivity] = []
    unscheduled: list[Unscheduled] = []
    if placed is not None:
        by_event = {event: slot for event, slot in placed}
        for index, activity in enumerate(chosen):
            venue_id, start, _ = grid[by_event[index]]
            leg = mission.leg_of_activity(activity.id)
            scheduled.append(ScheduledActivity(
                activity.id, activity.title, activity.kind, venue_id, clock.instant(start, leg),
                clock.instant(start + activity.duration, leg), tuple(sorted(attendees[activity.id]))))
        for activity in fixed:
            start, end = fixed_spans[activity.id]
            leg = mission.leg_of_activity(activity.id)
            scheduled.append(ScheduledActivity(
                activity.id, activity.title, activity.kind, activity.venues[0], clock.instant(start, leg),
                clock.instant(end, leg), tuple(sorted(attendees[activity.id]))))
        done = {a.id for a in scheduled}
        unscheduled = [Unscheduled(a.id, "left out: conference-scheduler schedules every event or none")
                       for a in mission.activities.values() if a.id not in done]
        verdict = "feasible"  # a timetable, not an optimum: the model has no objective
    else:
        verdict = "unknown"
        unscheduled = [Unscheduled(a.id, "conference-scheduler found no timetable")
                       for a in mission.activities.values()]
    schedule = Schedule(mission=mission.name, status=verdict, activities=scheduled, unscheduled=unscheduled,
                        solve_seconds=solve, extra={"solver": "conference-scheduler"})
    return ConferenceRun(schedule=schedule, translate_seconds=translate_seconds, build_seconds=build,
                         solve_seconds=solve, status=verdict, events=len(chosen), slots=len(slots),
                         variables=n_variables, constraints=n_constraints, dropped_optional=dropped)
