"""Placement (spec rule 2): when and where an activity may start — its timing, the leg's dates, venue hours.

Timing and venue hours are each a plain ranges function, handed to `add_placement` by the model's
composition (`planner.solver.model.build_model`), so that either can be replaced (re-planning restricts
timing before its cut-off) or switched off on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from ortools.sat.python.cp_model import Domain

from planner.domain import Activity, Leg, Mission
from planner.solver.axis import Ranges, TimeAxis, domain_of, intersect
from planner.solver.variables import MissionModel, PlacedActivity

TimingRanges = Callable[[Mission, TimeAxis, Activity, Leg], Ranges]
VenueRanges = Callable[[Mission, TimeAxis, str, Leg], Ranges]


def timing_ranges(mission: Mission, axis: TimeAxis, activity: Activity, leg: Leg) -> Ranges:
    """Spec rule 2: where `fixed` / `windows` / `dates` / the working day put the activity."""
    if activity.fixed is not None:
        start = axis.minute(activity.fixed)
        ranges = [(start, start + activity.duration)]
    elif activity.windows:
        ranges = [(axis.minute(w.start), axis.minute(w.end)) for w in activity.windows]
    elif activity.dates:
        return axis.daily(leg, mission.day, activity.dates)
    else:
        return axis.daily(leg, mission.day, leg.days())
    if activity.dates:
        # With fixed or windows the working day does not apply, but the listed dates still do.
        spans: Ranges = []
        for day in axis.days:
            if day.leg is leg and day.date in activity.dates:
                if spans and spans[-1][1] == day.start_minute:
                    spans[-1] = (spans[-1][0], day.end_minute)
                else:
                    spans.append((day.start_minute, day.end_minute))
        ranges = intersect(ranges, spans)
    return ranges


def venue_hours(mission: Mission, axis: TimeAxis, venue_id: str, leg: Leg) -> Ranges:
    """Spec rule 2 (`open`): the venue's open hours on the leg's dates (and the night before its first), or
    the whole leg."""
    venue = mission.venues[venue_id]
    if not venue.open_hours:
        return [axis.leg_span(leg)]
    days = [leg.first_day - timedelta(days=1), *leg.days()]
    return [r for hours in venue.open_hours for r in axis.daily(leg, hours, days)]


def add_placement(built: MissionModel, timing_ranges: TimingRanges = timing_ranges,
                  venue_hours: VenueRanges = venue_hours) -> None:
    """Spec rule 2: duration, grain, fixed / windows / dates / working day, leg dates and venue `open`
    hours."""
    mission, axis, model = built.mission, built.axis, built.model
    for activity in mission.activities.values():
        leg = mission.leg_of_activity(activity.id)
        timing_guard = built.statement("timing", (activity.id,), activity.source)
        timing = timing_ranges(mission, axis, activity, leg)
        leg_span = [axis.leg_span(leg)]
        domains: dict[str, Domain] = {}
        bounds: list[int] = []
        for venue_id in activity.venues:
            ranges = intersect(intersect(timing, leg_span), venue_hours(mission, axis, venue_id, leg))
            values = axis.start_domain(ranges, activity.duration, leg)
            domains[venue_id] = domain_of(values)
            if values:
                bounds += ([values[0][0], values[-1][1]] if isinstance(values[0], tuple)
                           else [values[0], values[-1]])
        whole_leg = domain_of(axis.start_domain(leg_span, activity.duration, leg))
        if timing_guard:
            domain = whole_leg  # the timing statement may be switched off: anywhere on the leg
        else:
            union = Domain.FromValues([])
            for venue_domain in domains.values():
                union = union.union_with(venue_domain)
            domain = union
        duration = axis.units_up(activity.duration)
        presence = (built.true if activity.required and built.simplified and built.true is not None
                    else model.new_bool_var(f"present:{activity.id}"))
        if domain.is_empty():
            model.add(presence == 0)
            domain = Domain(0, 0)
        if activity.required and not built.simplified:
            required = built.statement("required", (activity.id,), activity.source)
            model.add(presence == 1).only_enforce_if(required)
        start = model.new_int_var_from_domain(domain, f"start:{activity.id}")
        interval = model.new_optional_fixed_size_interval_var(start, duration, presence,
                                                              f"interval:{activity.id}")
        placed = PlacedActivity(activity, leg, presence, start, duration, interval, venue_domains=domains)
        placed.timing_guard = timing_guard
        lows = [v for v in domain.flattened_intervals()[0::2]]
        highs = [v for v in domain.flattened_intervals()[1::2]]
        placed.earliest, placed.latest_end = min(lows), max(highs) + duration
        placed.days = [d.index for d in axis.days_of_leg[leg.city]
                       if axis.units_up(d.start_minute) <= max(highs)
                       and min(lows) < axis.units_up(d.end_minute)
                       and domain.intersection_with(Domain(axis.units_up(d.start_minute),
                                                           axis.units_up(d.end_minute) - 1)).size() > 0]
        if not placed.days:
            placed.days = [axis.days_of_leg[leg.city][0].index]
        built.activities[activity.id] = placed


