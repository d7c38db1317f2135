"""The `max_per_day` rule kind."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from planner.check.common import (
    Placed,
    Violation,
    delegate_ref,
    local_date,
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
        for delegate_id in rule.delegates:
            by_date: dict[date, list[Placed]] = defaultdict(list)
            for entry in attendance.get(delegate_id, []):
                if rule.kinds is None or entry.activity.kind in rule.kinds:
                    by_date[local_date(entry.start, entry.zone)].append(entry)
            for day, counted in sorted(by_date.items()):
                if len(counted) > rule.count:
                    params = {"delegate": delegate_ref(mission, delegate_id),
                              "counted": [e.listed for e in counted], "kinds": rule.kinds, "day": day,
                              "count": rule.count, "rule": rule.id}
                    violations.append(Violation("max_per_day", params, (rule.source,),
                                                tuple(e.id for e in counted), (delegate_id,)))
    return violations
