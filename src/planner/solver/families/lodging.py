"""Lodging (planner addition, docs/mission-format.md): nobody reaches a venue before they could have come
from their hotel, leaving it no earlier than its `leave` time."""

from __future__ import annotations

from ortools.sat.python.cp_model import Domain

from planner.solver.variables import MissionModel, PlacedActivity, literal_key, venue_condition


def add_lodging(built: MissionModel) -> None:
    """lodging: an activity a delegate attends at a venue other than their hotel on its leg starts no
    earlier than the hotel's `leave` time of its date plus the travel time from the hotel."""
    mission, model = built.mission, built.model
    if not mission.lodging:
        return
    seen: set[tuple] = set()
    for delegate_id, attended in built.attendance_by_delegate().items():
        for activity_id, literal in attended:
            placed = built.activities[activity_id]
            lodging = mission.hotel(delegate_id, placed.leg.city)
            if lodging is None:
                continue
            guard = built.statement("lodging", (delegate_id, lodging.city), lodging.source)
            for venue_id in placed.venues:
                if venue_id == lodging.venue:
                    continue  # at the hotel itself: no trip
                arrival = lodging.leave + (mission.travel_minutes(lodging.venue, venue_id) or 0)
                guards = tuple(g.index for g in guard)
                signature = (activity_id, literal_key(literal), venue_id, arrival, guards)
                if built.repeats(signature, seen):
                    continue  # another delegate's hotel at the same distance: the same constraint
                condition = [literal, *venue_condition(placed, venue_id), *guard]
                model.add_linear_expression_in_domain(placed.start, _starts_after(built, placed, arrival)) \
                    .only_enforce_if(condition)


def _starts_after(built: MissionModel, placed: PlacedActivity, arrival: int) -> Domain:
    """Unit starts on the activity's leg dates at or after `arrival` minutes after local midnight."""
    axis = built.axis
    intervals = []
    for day in axis.days_of_leg[placed.leg.city]:
        earliest = axis.units_up(axis.minute(day.leg.local_instant(day.date, arrival)))
        last = axis.units_up(day.end_minute) - 1
        if earliest <= last:
            intervals.append([earliest, last])
    return Domain.FromIntervals(intervals)
