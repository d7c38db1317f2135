"""The schedule as a whole: its status, its mission, and the listing of every activity once."""

from __future__ import annotations

from planner.check.common import PROGRAMME_STATUSES, Violation, activity_ref
from planner.domain import Mission
from planner.domain.schedule import Schedule


def check_status(mission: Mission, schedule: Schedule) -> list[Violation]:
    """Only an `optimal` or `feasible` schedule holds a programme (schedule-format.md, status)."""
    violations = []
    if schedule.status not in PROGRAMME_STATUSES:
        params = {"status": schedule.status, "count": len(schedule.activities)}
        listed = tuple(sorted({a.id for a in schedule.activities}))
        violations.append(Violation("status", params, activities=listed))
    if schedule.mission != mission.name:
        params = {"schedule_mission": schedule.mission, "mission": mission.name}
        violations.append(Violation("mission", params, (mission.source,)))
    return violations


def check_listing(mission: Mission, schedule: Schedule) -> list[Violation]:
    """Rule 1: every required activity scheduled; any other scheduled or listed unscheduled, once."""
    violations = []
    scheduled_ids = [a.id for a in schedule.activities]
    unscheduled_ids = [u.id for u in schedule.unscheduled]
    for activity_id in dict.fromkeys(scheduled_ids + unscheduled_ids):
        if activity_id not in mission.activities:
            listed_as = "scheduled" if activity_id in scheduled_ids else "listed as unscheduled"
            violations.append(Violation("unknown-activity", {"activity": activity_id, "listed_as": listed_as},
                                        activities=(activity_id,)))
    for activity in mission.activities.values():
        name, ids = activity_ref(activity), (activity.id,)
        times_scheduled = scheduled_ids.count(activity.id)
        times_unscheduled = unscheduled_ids.count(activity.id)
        if activity.required and times_scheduled == 0:
            violations.append(Violation("required", {"activity": name, "listed": bool(times_unscheduled)},
                                        (activity.source,), ids))
        elif not activity.required and times_scheduled == 0 and times_unscheduled == 0:
            violations.append(Violation("unlisted", {"activity": name}, (activity.source,), ids))
        if times_scheduled > 1:
            violations.append(Violation("duplicate", {"case": "scheduled", "activity": name,
                                                      "times": times_scheduled}, (activity.source,), ids))
        if times_scheduled and times_unscheduled:
            violations.append(Violation("duplicate", {"case": "both", "activity": name}, (activity.source,),
                                        ids))
        elif times_unscheduled > 1:
            violations.append(Violation("duplicate", {"case": "unscheduled", "activity": name,
                                                      "times": times_unscheduled}, (activity.source,), ids))
    return violations
