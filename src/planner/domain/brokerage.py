"""A mission's B2B part, once its programme is scheduled, as the matchmaking's input (`Brokerage`).

The programme decides when each B2B session takes place and which delegates attend it; the counterparts
come to the sessions they list (every session when they list none). Shared by the pipeline, which
schedules the meetings, and the checker, which judges them: it translates data and decides nothing.
"""

from __future__ import annotations

from planner.domain.meetings import Brokerage, Participant, Request, Session
from planner.domain.mission import Mission
from planner.domain.schedule import Schedule


def b2b_sessions(mission: Mission) -> list[str]:
    """Ids of the activities that are B2B sessions, in the order of the file."""
    return [activity.id for activity in mission.activities.values() if activity.meetings is not None]


def has_b2b(mission: Mission) -> bool:
    return bool(mission.meeting_requests) or any(
        activity.meetings for activity in mission.activities.values()
    )


def brokerage_of(mission: Mission, schedule: Schedule) -> Brokerage:
    """The scheduled B2B sessions, the people of the requests, and the requests."""
    placed = schedule.by_id()
    sessions = []
    attending: dict[str, set[str]] = {}
    for activity_id in b2b_sessions(mission):
        scheduled = placed.get(activity_id)
        setting = mission.activities[activity_id].meetings
        if scheduled is None or setting is None:
            continue
        sessions.append(
            Session(
                activity_id,
                scheduled.start,
                scheduled.end,
                setting.slot,
                setting.tables,
                mission.activities[activity_id].title,
            )
        )
        for delegate_id in scheduled.attendees:
            attending.setdefault(delegate_id, set()).add(activity_id)
    named = {person for request in mission.meeting_requests for person in request.participants}
    participants = []
    for delegate in mission.delegates.values():
        if delegate.id in named:
            participants.append(
                Participant(
                    delegate.id,
                    "delegate",
                    delegate.name,
                    delegate.size,
                    frozenset(attending.get(delegate.id, ())),
                    tuple((window.start, window.end) for window in delegate.unavailable),
                )
            )
    for counterpart in mission.counterparts.values():
        participants.append(
            Participant(
                counterpart.id,
                "counterpart",
                counterpart.name,
                counterpart.size,
                None if counterpart.sessions is None else frozenset(counterpart.sessions),
                tuple((window.start, window.end) for window in counterpart.unavailable),
            )
        )
    requests = tuple(
        Request(
            request.id,
            request.participants,
            request.priority,
            None if request.sessions is None else frozenset(request.sessions),
            str(request.source),
        )
        for request in mission.meeting_requests
    )
    return Brokerage(tuple(sessions), tuple(participants), requests)
