"""Who attends each activity (rule 2, attendees)."""

from __future__ import annotations

from planner.check.common import (
    Placed,
    Violation,
    delegate_name,
    source_suffix,
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
        activity, name = entry.activity, entry.name
        present = list(entry.attendees)

        def fail(delegate_id: str, message: str, activity_id: str = activity.id) -> None:
            violations.append(Violation("attendees", message, (activity_id,), (delegate_id,)))

        for delegate_id in activity.attendees:
            if delegate_id not in present:
                fail(delegate_id, f"{delegate_name(mission, delegate_id)} must attend {name} but is not among "
                                  f"its attendees{source_suffix(activity.source)}")
        allowed = set(activity.attendees) | set(activity.optional_attendees) | _companions(mission, entry)
        for delegate_id in sorted(set(present)):
            who = delegate_name(mission, delegate_id)
            if delegate_id not in mission.delegates:
                fail(delegate_id, f"{name} lists '{delegate_id}' among its attendees, but the mission has no "
                                  "delegate of that id")
            elif delegate_id not in allowed:
                fail(delegate_id, f"{who} attends {name} but is neither a required nor an optional attendee, "
                                  f"nor brought by an accompany rule{source_suffix(activity.source)}")
            if present.count(delegate_id) > 1:
                fail(delegate_id, f"{who} is listed {present.count(delegate_id)} times among the attendees "
                                  f"of {name}")
    return violations
