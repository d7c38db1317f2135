"""The `lunch` rule kind."""

from __future__ import annotations

from datetime import date

from planner.check.common import (
    Placed,
    Violation,
    clock_text,
    daily,
    dates_touched,
    delegate_name,
    leg_of_date,
    listing_text,
    source_suffix,
    whole_minutes,
)
from planner.domain import (
    Leg,
    Lunch,
    Mission,
)


def check_lunch(mission: Mission, attendance: dict[str, list[Placed]]) -> list[Violation]:
    """lunch: on every date a delegate attends anything, a free stretch of `duration` inside `between`."""
    violations = []
    for rule in mission.rules:
        if not isinstance(rule, Lunch):
            continue
        between = f"{clock_text(rule.between.start)} and {clock_text(rule.between.end % 1440)}"
        for delegate_id in rule.delegates:
            activities = attendance.get(delegate_id, [])
            legs_by_date: dict[date, Leg] = {}
            for entry in activities:
                for day in dates_touched(entry):
                    legs_by_date.setdefault(day, leg_of_date(mission, day) or entry.leg)
            for day, leg in sorted(legs_by_date.items()):
                window_start, window_end = daily(leg, day, rule.between)
                busy = [e for e in activities if e.start < window_end and window_start < e.end]
                longest, free_from = 0, window_start
                for entry in busy:  # sorted by start
                    longest = max(longest, whole_minutes(entry.start - free_from))
                    free_from = max(free_from, entry.end)
                longest = max(longest, whole_minutes(window_end - free_from))
                if longest < rule.duration:
                    message = (f"{delegate_name(mission, delegate_id)} has no free {rule.duration} min between "
                               f"{between} on {day} (longest free stretch: {longest} min; busy with "
                               f"{listing_text(busy)}){source_suffix(rule.source)}")
                    violations.append(Violation("lunch", message, tuple(e.id for e in busy), (delegate_id,)))
    return violations
