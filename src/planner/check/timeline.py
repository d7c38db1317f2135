"""Each delegate's day in time (rules 3 and 4): after, overlap, unavailable windows, travel."""

from __future__ import annotations

from datetime import timedelta

from planner.check.common import (
    Placed,
    Violation,
    consecutive,
    delegate_name,
    same_city,
    source_suffix,
    span_text,
    utc,
    venue_name,
    whole_minutes,
)
from planner.domain import (
    UNKNOWN_SOURCE,
    Mission,
)


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
                gap = f" plus {after.gap} min" if after.gap else ""
                message = (f"{entry.name} starts {entry.at(entry.start)}, before {before.name} ends "
                           f"({before.at(before.end)}){gap}: it may start at {entry.at(earliest)} at the "
                           f"earliest{source_suffix(after.source)}")
                violations.append(Violation("after", message, (entry.id, before.id)))
    return violations


def check_overlap(mission: Mission, attendance: dict[str, list[Placed]]) -> list[Violation]:
    """Rule 4: a delegate attends at most one activity at a time."""
    violations = []
    for delegate_id, activities in attendance.items():
        for index, earlier in enumerate(activities):
            for later in activities[index + 1:]:
                if later.start >= earlier.end:
                    break
                message = (f"{delegate_name(mission, delegate_id)} attends {earlier.name} {earlier.span} and "
                           f"{later.name} {later.span} at the same time")
                violations.append(Violation("overlap", message, (earlier.id, later.id), (delegate_id,)))
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
                    message = (f"{delegate_name(mission, delegate_id)} attends {entry.name} {entry.span}, inside "
                               f"their unavailable window {span_text(window.start, window.end, entry.zone)}"
                               f"{source_suffix(source)}")
                    violations.append(Violation("unavailable", message, (entry.id,), (delegate_id,)))
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
            who = delegate_name(mission, delegate_id)
            pair = (f"{earlier.name} at {venue_name(mission, earlier.venue)} (ends {earlier.at(earlier.end)}) "
                    f"and {later.name} at {venue_name(mission, later.venue)} (starts {later.at(later.start)})")
            if needed is None:
                message = f"{who} moves between {pair}, but no travel time between these venues is known"
            elif between < needed:
                message = f"{who} has {between} min between {pair}; the travel time is {needed} min"
            else:
                continue
            violations.append(Violation("travel", message, (earlier.id, later.id), (delegate_id,)))
    return violations
