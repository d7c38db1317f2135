"""The `lunch` rule kind."""

from __future__ import annotations

from datetime import date

from planner.check.common import (
    Placed,
    Violation,
    daily,
    dates_touched,
    delegate_ref,
    leg_of_date,
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
                    params = {"delegate": delegate_ref(mission, delegate_id), "duration": rule.duration,
                              "between": rule.between, "day": day, "longest": longest,
                              "busy": [e.listed for e in busy]}
                    violations.append(Violation("lunch", params, (rule.source,), tuple(e.id for e in busy),
                                                (delegate_id,)))
    return violations
