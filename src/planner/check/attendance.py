"""Who attends each activity (rule 2, attendees)."""

from __future__ import annotations

from planner.check.common import (
    Placed,
    Violation,
    delegate_ref,
)
from planner.domain import (
    Accompany,
    Mission,
)


def _companions(mission: Mission, entry: Placed) -> set[str]:
    """Delegates an `accompany` rule brings to this activity, given who actually attends it."""
    present = set(entry.attendees)
    brought: set[str] = set()
    for rule in mission.rules:
        if not isinstance(rule, Accompany):
            continue
        if rule.kinds is not None and entry.activity.kind not in rule.kinds:
            continue
        if present.intersection(rule.principal_delegates):
            brought.update(rule.delegates)
    return brought


def check_attendees(mission: Mission, placed: list[Placed]) -> list[Violation]:
    """Rule 2 (attendees): the required attend; nobody else but optional ones and those `accompany` brings."""
    violations = []
    for entry in placed:
        activity = entry.activity
        present = list(entry.attendees)
        failures: list[tuple[str, dict[str, object]]] = []
        for delegate_id in activity.attendees:
            if delegate_id not in present:
                failures.append((delegate_id, {"case": "missing"}))
        allowed = set(activity.attendees) | set(activity.optional_attendees) | _companions(mission, entry)
        for delegate_id in sorted(set(present)):
            if delegate_id not in mission.delegates:
                failures.append((delegate_id, {"case": "unknown-delegate"}))
            elif delegate_id not in allowed:
                failures.append((delegate_id, {"case": "not-allowed"}))
            if present.count(delegate_id) > 1:
                failures.append((delegate_id, {"case": "repeated", "times": present.count(delegate_id)}))
        for delegate_id, failure in failures:
            params = {"delegate": delegate_ref(mission, delegate_id), "activity": entry.ref, **failure}
            violations.append(Violation("attendees", params, (activity.source,), (activity.id,),
                                        (delegate_id,)))
    return violations
