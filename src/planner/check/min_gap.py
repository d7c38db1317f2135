"""The `min_gap` rule kind."""

from __future__ import annotations

from planner.check.common import (
    Placed,
    Violation,
    consecutive,
    delegate_ref,
    same_city,
    whole_minutes,
)
from planner.domain import (
    MinGap,
    Mission,
)


def check_min_gap(mission: Mission, attendance: dict[str, list[Placed]]) -> list[Violation]:
    """min_gap: consecutive activities of a delegate lie the travel time (within a city) plus `gap` apart."""
    violations = []
    for rule in mission.rules:
        if not isinstance(rule, MinGap):
            continue
        for delegate_id in rule.delegates:
            for earlier, later in consecutive(attendance.get(delegate_id, [])):
                travel = 0
                if same_city(mission, earlier.venue, later.venue):
                    travel = mission.travel_minutes(earlier.venue, later.venue) or 0
                needed = travel + rule.gap
                between = whole_minutes(later.start - earlier.end)
                if between >= needed:
                    continue
                params = {"delegate": delegate_ref(mission, delegate_id), "between": between,
                          "earlier": earlier.ref, "earlier_end": earlier.local(earlier.end),
                          "later": later.ref, "later_start": later.local(later.start), "rule": rule.id,
                          "travel": travel, "gap": rule.gap}
                violations.append(Violation("min_gap", params, (rule.source,), (earlier.id, later.id),
                                            (delegate_id,)))
    return violations
