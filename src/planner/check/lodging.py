"""Lodging (planner addition): nobody reaches a venue before they could have come from their hotel."""

from __future__ import annotations

from datetime import timedelta

from planner.check.common import Placed, Violation, delegate_ref, local_date, venue_ref
from planner.domain import Mission


def check_lodging(mission: Mission, attendance: dict[str, list[Placed]]) -> list[Violation]:
    """lodging: an activity a delegate attends at a venue other than their hotel on its leg starts no earlier
    than the hotel's `leave` time of that date plus the travel time from the hotel
    (docs/mission-format.md)."""
    if not mission.lodging:
        return []
    violations = []
    for delegate_id, activities in attendance.items():
        for entry in activities:
            venue = mission.venues.get(entry.venue)
            lodging = mission.hotel(delegate_id, venue.city) if venue is not None else None
            if lodging is None or entry.venue == lodging.venue:
                continue
            travel = mission.travel_minutes(lodging.venue, entry.venue) or 0
            day = local_date(entry.start, entry.zone)
            leave = entry.leg.local_instant(day, lodging.leave)
            earliest = leave + timedelta(minutes=travel)
            if entry.start >= earliest:
                continue
            params = {"delegate": delegate_ref(mission, delegate_id), "activity": entry.ref,
                      "start": entry.local(entry.start), "hotel": venue_ref(mission, lodging.venue),
                      "leave": entry.local(leave), "travel": travel, "earliest": entry.local(earliest)}
            violations.append(Violation("lodging", params, (lodging.source,), (entry.id,), (delegate_id,)))
    return violations
