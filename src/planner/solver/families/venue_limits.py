"""Venue limits (spec rule 5): at most `parallel` activities at once at a venue, no headcount above its
`capacity`."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python.cp_model import IntervalVar

from planner.solver.variables import Literal, MissionModel, PlacedActivity


def add_venue_limits(built: MissionModel) -> None:
    """Spec rule 5: at most `parallel` activities at once at a venue; no headcount above its `capacity`."""
    model, mission = built.model, built.mission
    by_venue: dict[str, list[tuple[PlacedActivity, Literal, IntervalVar]]] = defaultdict(list)
    for placed in built.activities.values():
        for venue_id, literal in placed.venues.items():
            by_venue[venue_id].append((placed, literal, placed.venue_intervals[venue_id]))
    for venue_id, hosted in by_venue.items():
        venue = mission.venues[venue_id]
        if len(hosted) > venue.parallel:
            guard = built.statement("venue-parallel", (venue_id,), venue.source)
            intervals = [interval for _, _, interval in hosted]
            if guard:
                intervals = []
                for placed, literal, _ in hosted:
                    both = model.new_bool_var(f"hosted:{venue_id}:{placed.activity.id}")
                    model.add_bool_and([literal, guard[0]]).only_enforce_if(both)
                    model.add_bool_or([literal.Not(), guard[0].Not(), both])
                    intervals.append(model.new_optional_fixed_size_interval_var(
                        placed.start, placed.duration, both, f"hosted:{venue_id}:{placed.activity.id}"))
            if venue.parallel == 1:
                model.add_no_overlap(intervals)
            else:
                model.add_cumulative(intervals, [1] * len(intervals), venue.parallel)
        if venue.capacity is None:
            continue
        for placed, literal, _ in hosted:
            terms = [(mission.delegates[d].size, built.attendance[(placed.activity.id, d)])
                     for d in _possible_attendees(built, placed.activity.id)]
            if sum(size for size, _ in terms) <= venue.capacity:
                continue
            guard = built.statement("venue-capacity", (venue_id,), venue.source)
            headcount = sum(size * attends for size, attends in terms)
            model.add(headcount <= venue.capacity).only_enforce_if([literal, *guard])


def _possible_attendees(built: MissionModel, activity_id: str) -> list[str]:
    return sorted(d for (a, d) in built.attendance if a == activity_id)
