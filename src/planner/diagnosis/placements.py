"""Where and when an activity may lie, and who must attend it: what the pre-checks and the left-out reasons
reason about, from the mission alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from planner.domain import Accompany, Activity, Leg, MinGap, Mission
from planner.domain.spans import (
    Span,
    day_span,
    first_start_on_grain,
    intersect,
    last_start_on_grain,
    leg_span,
    minutes,
    window_span,
)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one activity may lie at one candidate venue, from its own statements alone."""

    venue: str
    spans: tuple[Span, ...]
    """Stretches the whole activity must lie inside."""
    starts: tuple[Span, ...]
    """Closed ranges [earliest, latest] of starts on the grain with room for the duration."""


def statement_spans(mission: Mission, activity: Activity, leg: Leg) -> list[Span]:
    """Where fixed/windows/dates/leg/working day put the activity, before venue hours (spec: activities)."""
    spans = [leg_span(leg)]
    if activity.windows:
        spans = intersect(spans, [window_span(w) for w in activity.windows])
    if activity.dates:
        # With fixed or windows the working day does not apply; the date still does (permissive reading).
        if activity.fixed or activity.windows:
            start, end = 0, 1440
        else:
            start, end = mission.day.start, mission.day.end
        spans = intersect(spans, [day_span(leg, day, start, end)
                                  for day in activity.dates if leg.contains(day)])
    elif not activity.windows and activity.fixed is None:
        spans = intersect(spans, [day_span(leg, day, mission.day.start, mission.day.end)
                                  for day in leg.days()])
    if activity.fixed is not None:
        fixed = minutes(activity.fixed)
        spans = intersect(spans, [(fixed, fixed + activity.duration)])
    return spans


def open_spans(mission: Mission, venue_id: str, leg: Leg) -> list[Span] | None:
    """Each opening range of the venue on each day of its leg, or None when it sets no limit of its own.

    Not merged: an activity lies inside one range (spec: venues; the checker's open-hours rule), so
    ranges that touch (09:00–11:00 and 11:00–13:00, or a day's 24:00 and the next day's 00:00) do not chain.
    """
    venue = mission.venues[venue_id]
    if not venue.open_hours:
        return None
    return sorted(day_span(leg, day, hours.start, hours.end)
                  for day in leg.days() for hours in venue.open_hours)


def placement(mission: Mission, activity: Activity, venue_id: str) -> Placement:
    leg = mission.leg_of_venue(venue_id)
    spans = statement_spans(mission, activity, leg)
    hours = open_spans(mission, venue_id, leg)
    if hours is not None:
        spans = [piece for opening in hours for piece in intersect(spans, [opening])]
    starts = start_ranges(spans, activity.duration, mission.grain, leg.zone)
    return Placement(venue_id, tuple(spans), tuple(starts))


def start_ranges(spans: Sequence[Span], duration: int, grain: int, zone: ZoneInfo) -> list[Span]:
    ranges = []
    for start, end in spans:
        earliest = first_start_on_grain(start, grain, zone)
        latest = last_start_on_grain(end - duration, grain, zone)
        if earliest <= latest:
            ranges.append((earliest, latest))
    return ranges


def placements(mission: Mission, activity: Activity) -> list[Placement]:
    return [placement(mission, activity, venue_id) for venue_id in activity.venues]


def has_room(places: Sequence[Placement]) -> bool:
    return any(place.starts for place in places)


def required_attendance(mission: Mission, activity: Activity) -> dict[str, str | None]:
    """Delegates who must attend the activity → the id of the accompany rule that brings them (None: listed).

    A companion is brought for certain where one of its principals must attend: a required attendee, or a
    companion brought so (a chain: a brings b, b brings c), as the model and the checker read accompany.
    """
    result: dict[str, str | None] = {delegate: None for delegate in activity.attendees}
    rules = [rule for rule in mission.rules if isinstance(rule, Accompany)
             and (rule.kinds is None or activity.kind in rule.kinds)]
    grown = True
    while grown:
        grown = False
        for rule in rules:
            if not any(principal in result for principal in rule.principal_delegates):
                continue
            for companion in rule.delegates:
                if companion not in result:
                    result[companion] = rule.id
                    grown = True
    return result


def gap_rules(mission: Mission) -> dict[str, MinGap]:
    """Each delegate → the min_gap rule with the largest gap applying to them."""
    result: dict[str, MinGap] = {}
    for rule in mission.rules:
        if isinstance(rule, MinGap):
            for delegate in rule.delegates:
                if delegate not in result or rule.gap > result[delegate].gap:
                    result[delegate] = rule
    return result


def fixed_span(activity: Activity) -> Span | None:
    if activity.fixed is None:
        return None
    start = minutes(activity.fixed)
    return start, start + activity.duration


def certain_day(mission: Mission, activity: Activity) -> date | None:
    """The local date of the activity's start when the input leaves only one: fixed, one date, or windows
    within one date."""
    zone = mission.leg_of_activity(activity.id).zone
    if activity.fixed is not None:
        return activity.fixed.astimezone(zone).date()
    if len(activity.dates) == 1:
        return activity.dates[0]
    if activity.windows:
        days = {w.start.astimezone(zone).date() for w in activity.windows}
        if len(days) == 1:
            return days.pop()
    return None


def topological(activities: dict[str, Activity]) -> list[str]:
    """File order, each activity after those it must follow (the graph is acyclic here)."""
    remaining = {a: {after.activity for after in act.after if after.activity in activities}
                 for a, act in activities.items()}
    order: list[str] = []
    done: set[str] = set()
    while remaining:
        ready = [a for a, before in remaining.items() if before <= done]
        if not ready:  # should not happen: cycles are removed before
            ready = list(remaining)
        for a in ready:
            order.append(a)
            done.add(a)
            del remaining[a]
    return order
