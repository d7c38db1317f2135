"""Each venue (rule 5): parallel activities and capacity."""

from __future__ import annotations

from collections import defaultdict

from planner.check.common import (
    Placed,
    Violation,
    venue_ref,
)
from planner.domain import (
    Mission,
)


def check_parallel(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """Rule 5: a venue hosts at most `parallel` activities at once."""
    violations = []
    by_venue: dict[str, list[Placed]] = defaultdict(list)
    for entry in placed:
        by_venue[entry.venue].append(entry)
    for venue_id, entries in by_venue.items():
        venue = mission.venues.get(venue_id)
        if venue is None:
            continue
        # Half-open intervals: at one instant an ending activity leaves before a starting one enters.
        events = sorted([(e.start, 1, e.id) for e in entries] + [(e.end, 0, e.id) for e in entries])
        by_id = {e.id: e for e in entries}
        running: dict[str, Placed] = {}
        reported: set[frozenset[str]] = set()
        for instant, starts, activity_id in events:
            if not starts:
                running.pop(activity_id, None)
                continue
            running[activity_id] = by_id[activity_id]
            if len(running) > venue.parallel and frozenset(running) not in reported:
                reported.add(frozenset(running))
                together = sorted(running.values(), key=lambda p: (p.start, p.id))
                params = {"venue": venue_ref(mission, venue_id), "instant": together[0].local(instant),
                          "parallel": venue.parallel, "together": [p.listed for p in together]}
                violations.append(Violation("parallel", params, (venue.source,),
                                            tuple(p.id for p in together)))
    return violations


def check_capacity(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """Rule 5: an activity's headcount (sum of its attendees' `size`) is at most its venue's `capacity`."""
    violations = []
    for entry in placed:
        venue = mission.venues.get(entry.venue)
        if venue is None or venue.capacity is None:
            continue
        attendees = [d for d in dict.fromkeys(entry.attendees) if d in mission.delegates]
        headcount = sum(mission.delegates[d].size for d in attendees)
        if headcount > venue.capacity:
            params = {"activity": entry.ref, "headcount": headcount, "venue": venue_ref(mission, venue.id),
                      "capacity": venue.capacity}
            violations.append(Violation("capacity", params, (venue.source,), (entry.id,),
                                        tuple(sorted(attendees))))
    return violations
