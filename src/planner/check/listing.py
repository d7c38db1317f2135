"""The schedule as a whole: its status, its mission, and the listing of every activity once."""

from __future__ import annotations

from planner.check.common import (
    PROGRAMME_STATUSES,
    Violation,
    activity_name,
    source_suffix,
)
from planner.domain import (
    Mission,
)
from planner.domain.schedule import Schedule


def check_status(mission: Mission, schedule: Schedule) -> list[Violation]:
    """Only an `optimal` or `feasible` schedule holds a programme (schedule-format.md, status)."""
    violations = []
    if schedule.status not in PROGRAMME_STATUSES:
        count = len(schedule.activities)
        held = (f"yet lists {count} scheduled activit{'y' if count == 1 else 'ies'}" if count
                else "and holds no programme")
        message = (f"the schedule's status is '{schedule.status}' {held}: only an 'optimal' or 'feasible' "
                   "schedule is a valid programme")
        violations.append(Violation("status", message, tuple(sorted({a.id for a in schedule.activities}))))
    if schedule.mission != mission.name:
        message = f"the schedule is for the mission '{schedule.mission}', not '{mission.name}'"
        violations.append(Violation("mission", message + source_suffix(mission.source)))
    return violations


def check_listing(mission: Mission, schedule: Schedule) -> list[Violation]:
    """Rule 1: every required activity scheduled; any other scheduled or listed unscheduled, once."""
    violations = []
    scheduled_ids = [a.id for a in schedule.activities]
    unscheduled_ids = [u.id for u in schedule.unscheduled]
    for activity_id in dict.fromkeys(scheduled_ids + unscheduled_ids):
        if activity_id not in mission.activities:
            where = "scheduled" if activity_id in scheduled_ids else "listed as unscheduled"
            message = f"'{activity_id}' is {where} but the mission has no activity of that id"
            violations.append(Violation("unknown-activity", message, (activity_id,)))
    for activity in mission.activities.values():
        name, ids = activity_name(activity), (activity.id,)
        times_scheduled = scheduled_ids.count(activity.id)
        times_unscheduled = unscheduled_ids.count(activity.id)
        if activity.required and times_scheduled == 0:
            listed = " (it is listed as unscheduled)" if times_unscheduled else ""
            message = f"{name} is required but not scheduled{listed}{source_suffix(activity.source)}"
            violations.append(Violation("required", message, ids))
        elif not activity.required and times_scheduled == 0 and times_unscheduled == 0:
            message = f"{name} is neither scheduled nor listed as unscheduled"
            violations.append(Violation("unlisted", message, ids))
        if times_scheduled > 1:
            message = f"{name} is scheduled {times_scheduled} times; the first entry is checked"
            violations.append(Violation("duplicate", message, ids))
        if times_scheduled and times_unscheduled:
            message = f"{name} is both scheduled and listed as unscheduled"
            violations.append(Violation("duplicate", message, ids))
        elif times_unscheduled > 1:
            message = f"{name} is listed as unscheduled {times_unscheduled} times"
            violations.append(Violation("duplicate", message, ids))
    return violations
