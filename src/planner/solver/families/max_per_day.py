"""The `max_per_day` rule (spec rules table): each delegate in A attends at most N activities (of those
kinds, or any) on any one date."""

from __future__ import annotations

from collections import defaultdict

from planner.domain import MaxPerDay
from planner.solver.variables import Literal, MissionModel, literal_key


def add_max_per_day(built: MissionModel, rule: MaxPerDay) -> None:
    """Spec rule `max_per_day`: each delegate attends at most `count` activities (of `kinds`) starting on
    one date."""
    seen: set[tuple] = set()
    attendance = built.attendance_by_delegate()
    for delegate_id in rule.delegates:
        attended = [(a, literal) for a, literal in attendance.get(delegate_id, [])
                    if rule.kinds is None or built.mission.activities[a].kind in rule.kinds]
        if len(attended) <= rule.count:
            continue
        signature = tuple(sorted((a, literal_key(literal)) for a, literal in attended))
        if built.repeats(signature, seen):
            continue
        guard = built.statement("rule", (rule.id, delegate_id), rule.source)
        by_day: dict[int, list[tuple[str, Literal]]] = defaultdict(list)
        for activity_id, literal in attended:
            for day in built.activities[activity_id].days:
                by_day[day].append((activity_id, literal))
        for day, entries in sorted(by_day.items()):
            if len(entries) <= rule.count:
                continue
            terms = [built.on_day(built.activities[a], literal, day) for a, literal in entries]
            built.model.add(sum(terms) <= rule.count).only_enforce_if(guard)
