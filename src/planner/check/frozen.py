"""The rules of a re-plan (`shared/spec/replan.md`), checked from the baseline and the new schedule alone.

Shares no code with the model nor with `planner.domain.replan`, which writes these rules into the mission
the solver reads: a re-plan that moved something frozen, or put something new into the frozen period,
shows up here.
"""

from __future__ import annotations

from datetime import UTC, datetime

from planner.check.common import Violation
from planner.domain import Mission
from planner.domain.meetings import Meeting
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.text.messages import Named


def _utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC)


def _local(kept: ScheduledActivity, instant: datetime) -> datetime:
    """In the offset schedule.json wrote for the activity (its leg's local time)."""
    return instant.astimezone(kept.start.tzinfo)


def _named(activity: ScheduledActivity) -> Named:
    return Named("activity", activity.id, activity.title)


def check_frozen_past(baseline: Schedule, schedule: Schedule, cutoff: datetime) -> list[Violation]:
    """Re-planning rule 1 (replan.md): each baseline activity starting before now + notice keeps its start,
    end, venue and attendees."""
    violations = []
    new = {a.id: a for a in schedule.activities}
    for kept in baseline.activities:
        if _utc(kept.start) >= _utc(cutoff):
            continue
        now = new.get(kept.id)
        if now is None:
            violations.append(Violation("frozen-missing", {"activity": _named(kept), "start": kept.start},
                                        activities=(kept.id,)))
            continue
        joined = sorted(set(now.attendees) - set(kept.attendees))
        left = sorted(set(kept.attendees) - set(now.attendees))
        same_time = _utc(now.start) == _utc(kept.start) and _utc(now.end) == _utc(kept.end)
        if same_time and now.venue == kept.venue and not joined and not left:
            continue
        after = (kept.start, kept.end) if same_time else (_local(kept, now.start), _local(kept, now.end))
        violations.append(Violation("frozen-changed", {
            "activity": _named(kept), "before": (kept.start, kept.end), "after": after,
            "venue_before": kept.venue, "venue_after": now.venue, "joined": joined, "left": left,
        }, activities=(kept.id,), delegates=tuple(joined + left)))
    return violations


def check_nothing_into_frozen_period(baseline: Schedule, schedule: Schedule,
                                     cutoff: datetime) -> list[Violation]:
    """Re-planning rule 2 (replan.md): every scheduled activity not frozen starts at or after now + notice."""
    frozen = {a.id for a in baseline.activities if _utc(a.start) < _utc(cutoff)}
    return [
        Violation("frozen-period", {"activity": _named(a), "start": a.start, "cutoff": _local(a, cutoff)},
                  activities=(a.id,))
        for a in schedule.activities
        if a.id not in frozen and _utc(a.start) < _utc(cutoff)
    ]


def check_pinned(mission: Mission, baseline: Schedule, schedule: Schedule) -> list[Violation]:
    """`pinned: true` (docs/replanning.md): a pinned activity of the baseline stays at its baseline start."""
    new = {a.id: a for a in schedule.activities}
    violations = []
    for kept in baseline.activities:
        activity = mission.activities.get(kept.id)
        if activity is None or not activity.pinned:
            continue
        now = new.get(kept.id)
        params = {"activity": _named(kept), "start": kept.start}
        if now is None:
            violations.append(Violation("pinned-missing", params, (activity.source,), activities=(kept.id,)))
        elif _utc(now.start) != _utc(kept.start):
            violations.append(Violation("pinned-moved", {**params, "moved_to": _local(kept, now.start)},
                                        (activity.source,), activities=(kept.id,)))
    return violations


def check_frozen_meetings(baseline: Schedule, schedule: Schedule, cutoff: datetime) -> list[Violation]:
    """Re-planning rule 1 (replan.md), for B2B meetings: each baseline meeting starting before now + notice
    is in the re-plan with the same people, session, slot and table. Compared by who meets, not by request
    id: an id is the request's position in the mission file, which removing another request changes."""
    def held(meeting: Meeting) -> tuple[object, ...]:
        return (tuple(sorted(meeting.participants)), meeting.session, _utc(meeting.start), _utc(meeting.end),
                meeting.table)

    now: dict[tuple[object, ...], int] = {}
    for meeting in schedule.meetings or ():
        now[held(meeting)] = now.get(held(meeting), 0) + 1
    violations = []
    for kept in sorted(baseline.meetings or (), key=lambda meeting: (meeting.start, meeting.table)):
        if _utc(kept.start) >= _utc(cutoff):
            continue
        if now.get(held(kept), 0) > 0:
            now[held(kept)] -= 1
            continue
        people = sorted(kept.participants)
        moved = [meeting for meeting in schedule.meetings or ()
                 if sorted(meeting.participants) == people and meeting.session == kept.session]
        params = {"people": people, "session": kept.session, "start": kept.start, "table": kept.table}
        if moved:
            violations.append(Violation("frozen-meeting-changed", {
                **params, "moved_to": moved[0].start.astimezone(kept.start.tzinfo),
                "moved_table": moved[0].table}, activities=(kept.session,), delegates=tuple(people)))
        else:
            violations.append(Violation("frozen-meeting-missing", params, activities=(kept.session,),
                                        delegates=tuple(people)))
    return violations


def check_no_meeting_into_frozen_period(baseline: Schedule, schedule: Schedule,
                                        cutoff: datetime) -> list[Violation]:
    """Re-planning rule 2 (replan.md), for B2B meetings: a meeting of the re-plan that starts before now +
    notice is one the baseline held there; a new one is not (a session under way takes new meetings only
    in its slots after the cut-off). Paired by who meets in which session, so that a frozen meeting moved
    to another slot or table is told once, by `check_frozen_meetings`."""
    def who(meeting: Meeting) -> tuple[object, ...]:
        return tuple(sorted(meeting.participants)), meeting.session

    frozen: dict[tuple[object, ...], int] = {}
    for meeting in baseline.meetings or ():
        if _utc(meeting.start) < _utc(cutoff):
            frozen[who(meeting)] = frozen.get(who(meeting), 0) + 1
    violations = []
    for meeting in sorted(schedule.meetings or (), key=lambda meeting: (meeting.start, meeting.table)):
        if _utc(meeting.start) >= _utc(cutoff):
            continue
        if frozen.get(who(meeting), 0) > 0:
            frozen[who(meeting)] -= 1
            continue
        people = sorted(meeting.participants)
        violations.append(Violation("frozen-meeting-period", {
            "people": people, "session": meeting.session, "start": meeting.start, "table": meeting.table,
            "cutoff": cutoff.astimezone(meeting.start.tzinfo)}, activities=(meeting.session,),
            delegates=tuple(people)))
    return violations


def check_replan(mission: Mission, baseline: Schedule, schedule: Schedule,
                 cutoff: datetime) -> list[Violation]:
    """Every rule of re-planning that `schedule` breaks (beside the mission's own: `check_schedule`)."""
    return (check_frozen_past(baseline, schedule, cutoff)
            + check_frozen_meetings(baseline, schedule, cutoff)
            + check_nothing_into_frozen_period(baseline, schedule, cutoff)
            + check_no_meeting_into_frozen_period(baseline, schedule, cutoff)
            + check_pinned(mission, baseline, schedule))
