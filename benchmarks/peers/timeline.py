"""One clock for the whole mission, and where each activity may lie on it.

The peers (the greedy planner, PyJobShop, conference-scheduler) all work on integer minutes; this module
turns the mission's aware instants into minutes after a fixed origin (UTC midnight the day before the
first leg starts, so that every minute of the mission is positive) and back, and computes, for an activity
at one of its venues, the spans of the clock inside which it may lie: its `fixed` / `windows` / `dates` /
working day, the dates of its leg and the venue's opening hours (rule 2 of the spec), intersected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from planner.domain import Activity, Leg, Mission, TimeOfDayRange

Span = tuple[int, int]
"""A half-open range [start, end) of minutes on the mission's clock."""


@dataclass(frozen=True)
class Clock:
    """Minutes after `origin` (an aware UTC instant)."""

    origin: datetime

    @classmethod
    def of(cls, mission: Mission) -> Clock:
        first = min(leg.first_day for leg in mission.legs)
        return cls(datetime(first.year, first.month, first.day, tzinfo=UTC) - timedelta(days=1))

    def minute(self, instant: datetime) -> int:
        return int((instant.astimezone(UTC) - self.origin) // timedelta(minutes=1))

    def instant(self, minute: int, leg: Leg) -> datetime:
        """The aware instant `minute`, written in the zone of `leg` (as schedule.json wants it)."""
        return (self.origin + timedelta(minutes=minute)).astimezone(leg.zone)

    def local_date(self, minute: int, leg: Leg) -> date:
        return self.instant(minute, leg).date()

    def next_on_grain(self, minute: int, leg: Leg, grain: int) -> int:
        """The first minute at or after `minute` that lies on the grain of local midnight in `leg`."""
        offset = self.instant(minute, leg).utcoffset()
        offset_minutes = int(offset // timedelta(minutes=1)) if offset is not None else 0
        return minute + (-(minute + offset_minutes)) % grain


def _daily(clock: Clock, leg: Leg, day: date, hours: TimeOfDayRange) -> Span:
    """`hours` on local `day` of `leg`; an end before the start lies on the next day."""
    end = hours.end if hours.end > hours.start else hours.end + 1440
    return clock.minute(leg.local_instant(day, hours.start)), clock.minute(leg.local_instant(day, end))


def _intersect(spans_a: list[Span], spans_b: list[Span], duration: int) -> list[Span]:
    """Pairwise intersections long enough for `duration`: lying inside one of each list, never a union."""
    result = []
    for start_a, end_a in spans_a:
        for start_b, end_b in spans_b:
            start, end = max(start_a, start_b), min(end_a, end_b)
            if end - start >= duration:
                result.append((start, end))
    return sorted(set(result))


def placement_spans(mission: Mission, clock: Clock, activity: Activity) -> list[Span]:
    """Where `fixed` / `windows` / `dates` / the working day of the leg put the activity (rule 2)."""
    leg = mission.leg_of_activity(activity.id)
    if activity.fixed is not None:
        start = clock.minute(activity.fixed)
        spans = [(start, start + activity.duration)]
    elif activity.windows:
        spans = [(clock.minute(w.start), clock.minute(w.end)) for w in activity.windows]
    elif activity.dates:
        spans = [_daily(clock, leg, day, mission.day) for day in activity.dates]
    else:
        spans = [_daily(clock, leg, day, mission.day) for day in leg.days()]
    if activity.dates and (activity.fixed is not None or activity.windows):
        whole_days = [_daily(clock, leg, day, TimeOfDayRange(0, 1440)) for day in activity.dates]
        spans = _intersect(spans, whole_days, activity.duration)
    leg_span = [(clock.minute(leg.local_instant(leg.first_day, 0)),
                 clock.minute(leg.local_instant(leg.last_day + timedelta(days=1), 0)))]
    return _intersect(spans, leg_span, activity.duration)


def venue_spans(mission: Mission, clock: Clock, venue_id: str, duration: int) -> list[Span] | None:
    """The venue's opening hours on every date of its leg (None: no hours of its own)."""
    venue = mission.venues[venue_id]
    if not venue.open_hours:
        return None
    leg = mission.leg_of_venue(venue_id)
    days = [leg.first_day - timedelta(days=1), *leg.days()]
    return [_daily(clock, leg, day, hours) for day in days for hours in venue.open_hours]


def allowed_spans(mission: Mission, clock: Clock, activity: Activity, venue_id: str) -> list[Span]:
    """Spans inside which `activity` may lie at `venue_id`: placement, leg dates and opening hours."""
    spans = placement_spans(mission, clock, activity)
    opening = venue_spans(mission, clock, venue_id, activity.duration)
    if opening is not None:
        spans = _intersect(spans, opening, activity.duration)
    return spans


def separation(mission: Mission, venue_a: str, venue_b: str, gap: int) -> int:
    """Minutes needed between an activity at `venue_a` and the next one of the same delegate at `venue_b`:
    the travel time within one city (none between cities), plus the delegate's `min_gap`."""
    if venue_a == venue_b or mission.venues[venue_a].city != mission.venues[venue_b].city:
        return gap
    return (mission.travel_minutes(venue_a, venue_b) or 0) + gap


def delegate_gaps(mission: Mission) -> dict[str, int]:
    """Each delegate's protocol gap: the largest `min_gap` that applies to them (0 when none)."""
    from planner.domain import MinGap

    gaps = {delegate_id: 0 for delegate_id in mission.delegates}
    for rule in mission.rules:
        if isinstance(rule, MinGap):
            for delegate_id in rule.delegates:
                gaps[delegate_id] = max(gaps[delegate_id], rule.gap)
    return gaps


def companions_of(mission: Mission, activity: Activity, present: set[str]) -> set[str]:
    """Everyone the `accompany` rules bring to `activity` once `present` attend it, rules applied until
    nobody new comes (the checker reads the rule on the attendees as scheduled, so chains count)."""
    from planner.domain import Accompany

    rules = [r for r in mission.rules if isinstance(r, Accompany)
             and (r.kinds is None or activity.kind in r.kinds)]
    result = set(present)
    changed = True
    while changed:
        changed = False
        for rule in rules:
            if result.intersection(rule.principal_delegates):
                for companion in rule.delegates:
                    if companion not in result:
                        result.add(companion)
                        changed = True
    return result - set(present)
