"""What a re-planned programme's calendars keep from the baseline: the events to cancel, and where the
previous version of each calendar is (so that a changed event's SEQUENCE follows the one delegates hold).

Read from the re-plan's schedule.json alone: its `changes` say what each delegate, group and the mission
held before (`planner.domain.change`), and its `baseline` says where the calendars of the baseline lie.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from planner.domain import Mission
from planner.domain.change import ActivityChange
from planner.domain.schedule import Schedule, ScheduledActivity


def _changes(schedule: Schedule) -> list[ActivityChange]:
    entries = schedule.extra.get("changes")
    if not isinstance(entries, list):
        return []
    found = []
    for entry in entries:
        try:
            found.append(ActivityChange.from_json(entry))
        except (KeyError, TypeError, ValueError):
            continue  # a hand-edited entry: its event is simply not cancelled
    return found


def cancelled_activities(mission: Mission, schedule: Schedule, delegate_ids: Sequence[str]
                         ) -> list[ScheduledActivity]:
    """Activities that the calendar of `delegate_ids` (all of them attend; none: the mission's) held in the
    baseline and no longer holds: removed, or no longer attended by all of them. As they were, by start."""
    now = schedule.by_id()
    cancelled = []
    for change in _changes(schedule):
        if change.before is None:
            continue
        after = now.get(change.activity)
        after_attendees = set(after.attendees) if after is not None else set()
        before_attendees = set(change.left) | (after_attendees - set(change.joined))
        held_before = all(d in before_attendees for d in delegate_ids)
        held_now = after is not None and all(d in after_attendees for d in delegate_ids)
        if not held_before or held_now:
            continue
        planned = mission.activities.get(change.activity)
        cancelled.append(ScheduledActivity(
            id=change.activity,
            title=change.title or (planned.title if planned is not None else change.activity),
            kind=planned.kind if planned is not None else "meeting",
            venue=change.before.venue, start=change.before.start, end=change.before.end,
            attendees=tuple(sorted(before_attendees))))
    return sorted(cancelled, key=lambda a: (a.start, a.id))


def baseline_calendars(schedule: Schedule) -> Path | None:
    """The calendars folder beside the baseline of a re-plan (None when not a re-plan or not there)."""
    baseline = schedule.extra.get("baseline")
    if not isinstance(baseline, dict) or not isinstance(baseline.get("path"), str):
        return None
    folder = Path(baseline["path"]).parent / "calendars"
    return folder if folder.is_dir() else None


def baseline_schedule(mission: Mission, schedule: Schedule) -> Schedule | None:
    """The baseline of a re-plan, read again from its path, when it is there, unchanged (its sha256) and
    of this mission's venues; None otherwise (its events then start again at SEQUENCE 0)."""
    import hashlib

    from planner.domain.errors import InputErrors
    from planner.mission.schedule_file import read_schedule

    baseline = schedule.extra.get("baseline")
    if not isinstance(baseline, dict) or not isinstance(baseline.get("path"), str):
        return None
    path = Path(baseline["path"])
    try:
        if hashlib.sha256(path.read_bytes()).hexdigest() != baseline.get("sha256"):
            return None
        found = read_schedule(path)
    except (OSError, InputErrors):
        return None
    if not found.has_programme or any(a.venue not in mission.venues for a in found.activities):
        return None
    return found
