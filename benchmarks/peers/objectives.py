"""planner's three soft objectives, measured on any schedule by the same yardstick.

Whatever produced a schedule — planner, the greedy planner, PyJobShop, conference-scheduler — it is judged
here from the schedule alone, in the order of importance of the spec ("What the solver prefers"):

1. left-out priority weight (the sum of `priority` of optional activities not scheduled);
2. optional attendance (the headcount, by `size`, of optional attendees who attend);
3. travel minutes (over all delegates, weighted by `size`, between consecutive activities on one date at
   different venues of one city).

and by `planner.check.check_schedule`, which counts the hard rules it breaks (a required activity left
out is one of them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timezone

from planner.check import check_schedule
from planner.domain import Mission
from planner.domain.schedule import Schedule


@dataclass(frozen=True)
class Measures:
    left_out_weight: int
    required_left_out: int
    optional_attendance: int
    optional_offered: int
    """The headcount of every optional attendee of every activity: the most objective 2 could reach."""
    travel_minutes: int
    violations: int
    violated_rules: tuple[str, ...]

    def as_row(self) -> dict[str, object]:
        return {
            "left_out_weight": self.left_out_weight,
            "required_left_out": self.required_left_out,
            "optional_attendance": self.optional_attendance,
            "optional_offered": self.optional_offered,
            "travel_minutes": self.travel_minutes,
            "violations": self.violations,
            "violated_rules": ",".join(self.violated_rules),
        }


def travel_minutes(mission: Mission, schedule: Schedule) -> int:
    """Objective 3 as docs/solving.md defines it: size-weighted travel minutes between consecutive
    activities of each delegate that start on the same local date, at different venues of one city (the
    night's move from the hotel is nobody's choice)."""
    per_delegate: dict[str, list[tuple[object, str, object]]] = defaultdict(list)
    for scheduled in schedule.activities:
        if scheduled.id not in mission.activities or scheduled.venue not in mission.venues:
            continue
        zone = mission.leg_of_activity(scheduled.id).zone
        day = scheduled.start.astimezone(zone).date()
        for delegate_id in scheduled.attendees:
            per_delegate[delegate_id].append((scheduled.start.astimezone(timezone.utc), scheduled.venue, day))
    total = 0
    for delegate_id, visits in per_delegate.items():
        delegate = mission.delegates.get(delegate_id)
        if delegate is None:
            continue
        visits.sort(key=lambda visit: (visit[0], visit[1]))
        for (_, venue_a, day_a), (_, venue_b, day_b) in zip(visits, visits[1:]):
            if venue_a == venue_b or day_a != day_b:
                continue
            if mission.venues[venue_a].city != mission.venues[venue_b].city:
                continue
            total += (mission.travel_minutes(venue_a, venue_b) or 0) * delegate.size
    return total


def measure(mission: Mission, schedule: Schedule) -> Measures:
    """The three objectives and the checker's verdict for one schedule of `mission`."""
    scheduled = {a.id: a for a in schedule.activities}
    left_out = [a for a in mission.activities.values() if a.id not in scheduled]
    attendance = 0
    offered = 0
    for activity in mission.activities.values():
        offered += sum(mission.delegates[d].size for d in activity.optional_attendees)
        if activity.id in scheduled:
            present = set(scheduled[activity.id].attendees)
            attendance += sum(mission.delegates[d].size for d in activity.optional_attendees if d in present)
    violations = check_schedule(mission, schedule)
    return Measures(
        left_out_weight=sum(a.priority or 0 for a in left_out if not a.required),
        required_left_out=sum(1 for a in left_out if a.required),
        optional_attendance=attendance,
        optional_offered=offered,
        travel_minutes=travel_minutes(mission, schedule),
        violations=len(violations),
        violated_rules=tuple(sorted({v.rule for v in violations})),
    )
