"""The `max_per_day` rule kind."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from planner.check.common import (
    Placed,
    Violation,
    delegate_name,
    listing_text,
    local_date,
    rule_name,
    source_suffix,
)
from planner.domain import (
    MaxPerDay,
    Mission,
)


def check_max_per_day(mission: Mission, attendance: dict[str, list[Placed]]) -> list[Violation]:
    """max_per_day: a delegate attends at most `count` activities (of `kinds`) starting on one local date."""
    violations = []
    for rule in mission.rules:
        if not isinstance(rule, MaxPerDay):
            continue
        kinds = f" of kind {', '.join(rule.kinds)}" if rule.kinds else ""
        for delegate_id in rule.delegates:
            by_date: dict[date, list[Placed]] = defaultdict(list)
            for entry in attendance.get(delegate_id, []):
                if rule.kinds is None or entry.activity.kind in rule.kinds:
                    by_date[local_date(entry.start, entry.zone)].append(entry)
            for day, counted in sorted(by_date.items()):
                if len(counted) > rule.count:
                    message = (f"{delegate_name(mission, delegate_id)} attends {len(counted)} activities{kinds} "
                               f"on {day}, more than the {rule.count} that "
                               f"{rule_name(rule.id, 'max_per_day')} allows: {listing_text(counted)}"
                               f"{source_suffix(rule.source)}")
                    violations.append(Violation("max_per_day", message, tuple(e.id for e in counted),
                                                (delegate_id,)))
    return violations
