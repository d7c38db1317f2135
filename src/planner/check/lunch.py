"""The `lunch` rule kind: a stretch off the road, or a working lunch (an activity of kind `meal`)."""

from __future__ import annotations

from datetime import date, datetime

from planner.check.common import (
    Placed,
    Violation,
    daily,
    dates_touched,
    delegate_ref,
    leg_of_date,
    same_city,
    whole_minutes,
)
from planner.domain import (
    Leg,
    Lunch,
    MinGap,
    Mission,
)

MEAL = "meal"
"""The kind of activity that is a lunch in itself (a working lunch), when it fills the lunch's time."""


def check_lunch(mission: Mission, attendance: dict[str, list[Placed]]) -> list[Violation]:
    """lunch: on every date a delegate attends anything, a stretch of `duration` inside `between` in which
    they attend nothing and are not on the road (the travel time and `min_gap` between the activities
    around it lie outside it), or a `meal` activity of theirs with `duration` inside `between`."""
    violations = []
    for rule in mission.rules:
        if not isinstance(rule, Lunch):
            continue
        for delegate_id in rule.delegates:
            activities = attendance.get(delegate_id, [])
            gap = max((r.gap for r in mission.rules if isinstance(r, MinGap) and delegate_id in r.delegates),
                      default=0)
            legs_by_date: dict[date, Leg] = {}
            for entry in activities:
                for day in dates_touched(entry):
                    legs_by_date.setdefault(day, leg_of_date(mission, day) or entry.leg)
            for day, leg in sorted(legs_by_date.items()):
                window_start, window_end = daily(leg, day, rule.between)
                if any(entry.activity.kind == MEAL and rule.duration
                       <= whole_minutes(min(entry.end, window_end) - max(entry.start, window_start))
                       for entry in activities):
                    continue  # a working lunch
                longest = longest_off_road(mission, activities, window_start, window_end, gap)
                if longest < rule.duration:
                    busy = [e for e in activities if e.start < window_end and window_start < e.end]
                    params = {"delegate": delegate_ref(mission, delegate_id), "duration": rule.duration,
                              "between": rule.between, "day": day, "longest": longest,
                              "busy": [e.listed for e in busy]}
                    violations.append(Violation("lunch", params, (rule.source,), tuple(e.id for e in busy),
                                                (delegate_id,)))
    return violations


def longest_off_road(mission: Mission, activities: list[Placed], window_start: datetime, window_end: datetime,
                     gap: int) -> int:
    """Minutes of the longest stretch inside [window_start, window_end) in which the delegate attends
    nothing and that leaves, in the time between the activities around it, room for the travel between
    their venues (within a city) and the delegate's `min_gap`."""
    longest = 0
    before: Placed | None = None  # the activity that ends last among those started so far
    for after in [*activities, None]:  # sorted by start
        free_from = before.end if before is not None else window_start
        free_to = after.start if after is not None else window_end
        inside = whole_minutes(min(free_to, window_end) - max(free_from, window_start))
        if before is not None and after is not None:
            road = gap
            if before.venue != after.venue and same_city(mission, before.venue, after.venue):
                road += mission.travel_minutes(before.venue, after.venue) or 0
            inside = min(inside, whole_minutes(free_to - free_from) - road)
        longest = max(longest, inside)
        if after is not None and (before is None or after.end > before.end):
            before = after
    return max(longest, 0)
