"""Travel: the great-circle formula that fills a mission's travel table, and travel counted the way the
solver's third objective counts it, in plain code (no model).

The travel objective (`planner.solver.objectives.TravelMinutes.evaluate`) and the per-day table
(`planner.views.overview`) both read it from here, so that the table's days add up to
`objectives.travel_minutes`. `planner.check` keeps its own count on purpose: it must stay independent of
what it checks.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime
from itertools import pairwise

from planner.domain import Mission, TravelSettings
from planner.domain.schedule import Schedule, ScheduledActivity

EARTH_RADIUS_KM = 6371.0


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance on a sphere of radius 6371.0 km (mission format, travel)."""
    latitude_a, longitude_a = map(math.radians, a)
    latitude_b, longitude_b = map(math.radians, b)
    half_chord = (
        math.sin((latitude_b - latitude_a) / 2) ** 2
        + math.cos(latitude_a) * math.cos(latitude_b) * math.sin((longitude_b - longitude_a) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(half_chord)))


def computed_travel_minutes(a: tuple[float, float], b: tuple[float, float], settings: TravelSettings) -> int:
    """`buffer + ceil(60 * haversine_km(a, b) * detour / speed_kmh)` (mission format, travel)."""
    return settings.buffer + math.ceil(60 * haversine_km(a, b) * settings.detour / settings.speed_kmh)


def travel_by_date(mission: Mission, schedule: Schedule) -> dict[date, int]:
    """Soft 3 per local date: minutes × size between consecutive activities of each delegate that start on
    the same local date, at different venues of one city (mission format, objectives); with `lodging`, also
    the day's first trip (hotel → first venue) and last (last venue → hotel) of each such date."""
    by_delegate: dict[str, list[ScheduledActivity]] = defaultdict(list)
    for scheduled in schedule.activities:
        for delegate_id in scheduled.attendees:
            by_delegate[delegate_id].append(scheduled)
    totals: dict[date, int] = defaultdict(int)
    for delegate_id in sorted(by_delegate):
        attended = sorted(by_delegate[delegate_id], key=lambda a: (a.start, a.id))
        delegate = mission.delegates.get(delegate_id)
        size = delegate.size if delegate is not None else 1
        days: dict[date, list[ScheduledActivity]] = defaultdict(list)
        for activity in attended:
            days[_local_date(mission, activity.venue, activity.start)].append(activity)
        for day, visits in days.items():
            # None between cities (the transfer between legs is not travel) and for unknown pairs
            minutes = sum(mission.travel_minutes(earlier.venue, later.venue) or 0
                          for earlier, later in pairwise(visits))
            minutes += sum(hotel_trips(mission, delegate_id, visits))
            if minutes:
                totals[day] += size * minutes
    return dict(sorted(totals.items()))


TRANSFER = "transfer"
"""The kind of the activity that moves people between legs (a flight, a coach): a day that ends with one
has no last trip back to the hotel (docs/mission-format.md, `lodging`)."""


def hotel_trips(mission: Mission, delegate_id: str, day: list[ScheduledActivity]) -> tuple[int, int]:
    """The minutes of a delegate's first trip of a day (hotel → first venue) and of the last (last venue →
    hotel, none after a `transfer`), `day` being the activities they attend starting on one local date, in
    time order; (0, 0) without a hotel on that leg (the night between two days is spent at the hotel, not
    on the road)."""
    if not mission.lodging or not day:
        return 0, 0
    first, last = day[0], day[-1]
    trips = []
    for activity, outward in ((first, True), (last, False)):
        if not outward and activity.kind == TRANSFER:
            trips.append(0)  # the flight or coach to the next leg takes them on: no way back tonight
            continue
        venue = mission.venues.get(activity.venue)
        lodging = mission.hotel(delegate_id, venue.city) if venue is not None else None
        if lodging is None:
            trips.append(0)
            continue
        pair = (lodging.venue, activity.venue) if outward else (activity.venue, lodging.venue)
        trips.append(mission.travel_minutes(*pair) or 0)
    return trips[0], trips[1]


def _local_date(mission: Mission, venue_id: str, instant: datetime) -> date:
    """The date in the zone of the venue's leg (the offset written in the schedule for an unknown venue)."""
    venue = mission.venues.get(venue_id)
    if venue is None:
        return instant.date()
    try:
        return instant.astimezone(mission.leg_of_city(venue.city).zone).date()
    except KeyError:
        return instant.date()
