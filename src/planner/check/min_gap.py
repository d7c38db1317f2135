"""The `min_gap` rule kind."""

from __future__ import annotations

from planner.check.common import (
    Placed,
    Violation,
    consecutive,
    delegate_name,
    rule_name,
    same_city,
    source_suffix,
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
                parts = f"{travel} min travel + {rule.gap} min gap" if travel else f"a gap of {rule.gap} min"
                message = (f"{delegate_name(mission, delegate_id)} has {between} min between {earlier.name} "
                           f"(ends {earlier.at(earlier.end)}) and {later.name} "
                           f"(starts {later.at(later.start)}); "
                           f"{rule_name(rule.id, 'min_gap')} needs {needed} min ({parts})"
                           f"{source_suffix(rule.source)}")
                violations.append(Violation("min_gap", message, (earlier.id, later.id), (delegate_id,)))
    return violations
