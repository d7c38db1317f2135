"""Each delegate's day in time (rules 3 and 4): after, overlap, unavailable windows, travel."""

from __future__ import annotations

from datetime import timedelta

from planner.check.common import (
    Placed,
    Violation,
    consecutive,
    delegate_ref,
    same_city,
    utc,
    venue_ref,
    whole_minutes,
)
from planner.domain import UNKNOWN_SOURCE, Mission


def check_after(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """Rule 3: an activity starts at least `gap` after each scheduled activity of its `after` ends."""
    violations = []
    by_id = {entry.id: entry for entry in placed}
    for entry in placed:
        for after in entry.activity.after:
            before = by_id.get(after.activity)
            if before is None:
                continue
            earliest = before.end + timedelta(minutes=after.gap)
            if entry.start < earliest:
                params = {"activity": entry.ref, "start": entry.local(entry.start), "before": before.ref,
                          "before_end": before.local(before.end), "gap": after.gap,
                          "earliest": entry.local(earliest)}
                violations.append(Violation("after", params, (after.source,), (entry.id, before.id)))
    return violations


def check_overlap(mission: Mission, attendance: dict[str, list[Placed]]) -> list[Violation]:
    """Rule 4: a delegate attends at most one activity at a time."""
    violations = []
    for delegate_id, activities in attendance.items():
        for index, earlier in enumerate(activities):
            for later in activities[index + 1:]:
                if later.start >= earlier.end:
                    break
                params = {"delegate": delegate_ref(mission, delegate_id), "earlier": earlier.ref,
                          "earlier_span": earlier.span, "later": later.ref, "later_span": later.span}
                sources = (earlier.activity.source, later.activity.source)
                violations.append(Violation("overlap", params, sources, (earlier.id, later.id),
                                            (delegate_id,)))
    return violations


def check_unavailable(mission: Mission, attendance: dict[str, list[Placed]]) -> list[Violation]:
    """Rule 4: a delegate attends nothing inside their `unavailable` windows."""
    violations = []
    for delegate_id, activities in attendance.items():
        delegate = mission.delegates[delegate_id]
        for window in delegate.unavailable:
            source = window.source if window.source != UNKNOWN_SOURCE else delegate.source
            for entry in activities:
                if entry.start < utc(window.end) and utc(window.start) < entry.end:
                    params = {"delegate": delegate_ref(mission, delegate_id), "activity": entry.ref,
                              "span": entry.span,
                              "window": (entry.local(window.start), entry.local(window.end))}
                    violations.append(Violation("unavailable", params, (source,), (entry.id,),
                                                (delegate_id,)))
    return violations


def check_travel(mission: Mission, attendance: dict[str, list[Placed]]) -> list[Violation]:
    """Rule 4: consecutive activities at different venues of one city lie at least the travel time apart."""
    violations = []
    for delegate_id, activities in attendance.items():
        for earlier, later in consecutive(activities):
            if earlier.venue == later.venue or not same_city(mission, earlier.venue, later.venue):
                continue
            needed = mission.travel_minutes(earlier.venue, later.venue)
            between = whole_minutes(later.start - earlier.end)
            if needed is not None and between >= needed:
                continue
            params = {"delegate": delegate_ref(mission, delegate_id), "between": between, "needed": needed,
                      "earlier": earlier.ref, "earlier_venue": venue_ref(mission, earlier.venue),
                      "earlier_end": earlier.local(earlier.end), "later": later.ref,
                      "later_venue": venue_ref(mission, later.venue), "later_start": later.local(later.start)}
            source = mission.travel_sources.get((earlier.venue, later.venue))
            violations.append(Violation("travel", params, (source,) if source else (), (earlier.id, later.id),
                                        (delegate_id,)))
    return violations
