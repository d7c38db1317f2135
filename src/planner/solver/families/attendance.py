"""Attendance (spec rule 1 and each activity's attendees): required attendees attend a scheduled activity,
optional ones may."""

from __future__ import annotations

from planner.solver.variables import MissionModel


def add_attendance(built: MissionModel) -> None:
    """Spec rule 1 and `attendees` / `optional_attendees`: required attendees attend, optional ones may."""
    model = built.model
    for placed in built.activities.values():
        activity = placed.activity
        for delegate_id in activity.attendees:
            guard = built.statement("attendance", (activity.id, delegate_id), activity.source)
            if not guard:
                built.attendance[(activity.id, delegate_id)] = placed.presence
                continue
            literal = model.new_bool_var(f"attends:{activity.id}:{delegate_id}")
            model.add_implication(literal, placed.presence)
            model.add_implication(placed.presence, literal).only_enforce_if(guard)
            built.attendance[(activity.id, delegate_id)] = literal
        for delegate_id in activity.optional_attendees:
            literal = model.new_bool_var(f"attends:{activity.id}:{delegate_id}")
            model.add_implication(literal, placed.presence)
            built.attendance[(activity.id, delegate_id)] = literal
