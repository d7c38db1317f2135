"""The B2B rules of a valid meeting schedule, checked again in plain Python (../shared/spec/b2b.md,
"What a valid schedule satisfies").

Reads only the domain (`planner.domain.meetings`): the brokerage and the meeting schedule. It shares no
code with the matchmaking (`planner.b2b`): it recomputes slot times from the session's start and slot
length, compares instants rather than slot numbers (people may be in two sessions at once), and looks
unavailability up in the participants' own windows. Violations are structured (code and parameters);
`planner.text.meetings` words them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

from planner.check.common import Violation
from planner.domain.brokerage import brokerage_of, has_b2b
from planner.domain.meetings import Brokerage, Meeting, MeetingSchedule, Request, Session
from planner.domain.mission import Mission
from planner.domain.schedule import Schedule


def check_b2b(mission: Mission, schedule: Schedule) -> list[Violation]:
    """The B2B rules for a mission's schedule (nothing to check when the mission has no B2B part)."""
    if not has_b2b(mission) or not schedule.has_programme:
        return []
    if schedule.meetings is None:
        return [Violation("b2b-no-meetings", {"requests": len(mission.meeting_requests)})]
    meetings = MeetingSchedule(
        schedule.status, tuple(schedule.meetings), tuple(schedule.unscheduled_meetings)
    )
    return check_meetings(brokerage_of(mission, schedule), meetings)


def check_meetings(brokerage: Brokerage, schedule: MeetingSchedule) -> list[Violation]:
    """Every B2B rule the meeting schedule breaks; an empty list when it is valid."""
    requests = _requests(brokerage)
    known = [meeting for meeting in schedule.meetings if meeting.request in requests]
    violations = check_meeting_listing(brokerage, schedule)
    violations += check_meeting_place(brokerage, known)
    violations += check_meeting_tables(brokerage, known)
    violations += check_meeting_participants(brokerage, known)
    return violations


def _requests(brokerage: Brokerage) -> dict[str, Request]:
    return {request.id: request for request in brokerage.requests}


def _sessions(brokerage: Brokerage) -> dict[str, Session]:
    return {session.id: session for session in brokerage.sessions}


def check_meeting_listing(brokerage: Brokerage, schedule: MeetingSchedule) -> list[Violation]:
    """Rule 1: every required request scheduled; every other one scheduled once or listed with a reason."""
    violations = []
    requests = _requests(brokerage)
    scheduled = Counter(meeting.request for meeting in schedule.meetings)
    listed = Counter(entry.request for entry in schedule.unscheduled)
    for request_id in sorted(set(scheduled) | set(listed)):
        if request_id not in requests:
            violations.append(Violation("b2b-unknown-request", {"request": request_id}))
    for request in brokerage.requests:
        times, left = scheduled[request.id], listed[request.id]
        about = {"request": request.id, "with": request.participants}
        if times > 1:
            violations.append(
                Violation("b2b-scheduled-twice", {**about, "times": times}, delegates=request.participants)
            )
        if times and left:
            violations.append(
                Violation("b2b-listing", {**about, "problem": "both"}, delegates=request.participants)
            )
        if not times and request.required:
            violations.append(Violation("b2b-required", about, delegates=request.participants))
        elif not times and not left:
            violations.append(
                Violation("b2b-listing", {**about, "problem": "missing"}, delegates=request.participants)
            )
        elif left > 1:
            violations.append(Violation("b2b-listing", {**about, "problem": "listed twice"}))
    for entry in schedule.unscheduled:
        if not entry.reason.code:
            violations.append(
                Violation(
                    "b2b-listing",
                    {"request": entry.request, "with": entry.participants, "problem": "no reason"},
                )
            )
    return violations


def check_meeting_place(brokerage: Brokerage, meetings: list[Meeting]) -> list[Violation]:
    """Rule 2: one slot of one session the request may go to, with the slot's own times."""
    violations = []
    requests, sessions = _requests(brokerage), _sessions(brokerage)
    for meeting in meetings:
        request = requests[meeting.request]
        session = sessions.get(meeting.session)
        about = {"request": request.id, "session": meeting.session}
        if session is None:
            violations.append(Violation("b2b-session", {**about, "allowed": None}))
            continue
        if request.sessions is not None and session.id not in request.sessions:
            violations.append(
                Violation(
                    "b2b-session",
                    {**about, "allowed": tuple(sorted(request.sessions))},
                    delegates=request.participants,
                )
            )
        slot_count = (session.end - session.start) // timedelta(minutes=session.slot)
        start = session.start + timedelta(minutes=session.slot * meeting.slot)
        end = start + timedelta(minutes=session.slot)
        if not 0 <= meeting.slot < slot_count:
            violations.append(Violation("b2b-slot", {**about, "slot": meeting.slot, "slots": slot_count}))
        elif meeting.start != start or meeting.end != end:
            violations.append(
                Violation(
                    "b2b-slot-times",
                    {
                        **about,
                        "slot": meeting.slot,
                        "span": (meeting.start, meeting.end),
                        "expected": (start, end),
                    },
                )
            )
    return violations


def check_meeting_tables(brokerage: Brokerage, meetings: list[Meeting]) -> list[Violation]:
    """Rule 2: a table numbered 1..tables, at most one meeting per table per slot."""
    violations = []
    sessions = _sessions(brokerage)
    at_table: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for meeting in meetings:
        session = sessions.get(meeting.session)
        if session is None:
            continue
        if not 1 <= meeting.table <= session.tables:
            violations.append(
                Violation(
                    "b2b-table-number",
                    {
                        "request": meeting.request,
                        "session": session.id,
                        "table": meeting.table,
                        "tables": session.tables,
                    },
                )
            )
        at_table[session.id, meeting.slot, meeting.table].append(meeting.request)
    for (session_id, slot, table), requests in sorted(at_table.items()):
        if len(requests) > 1:
            violations.append(
                Violation(
                    "b2b-table",
                    {
                        "session": session_id,
                        "slot": slot,
                        "table": table,
                        "requests": tuple(sorted(requests)),
                    },
                )
            )
    return violations


def check_meeting_participants(brokerage: Brokerage, meetings: list[Meeting]) -> list[Violation]:
    """Rule 3: the request's participants, each attending the session, available, one meeting at a time."""
    violations = []
    requests = _requests(brokerage)
    people = {person.id: person for person in brokerage.participants}
    timeline: dict[str, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        request = requests[meeting.request]
        if sorted(meeting.participants) != sorted(request.participants):
            violations.append(
                Violation(
                    "b2b-participants",
                    {"request": request.id, "with": request.participants, "listed": meeting.participants},
                )
            )
        for person_id in request.participants:
            person = people.get(person_id)
            if person is None:
                violations.append(
                    Violation("b2b-unknown-participant", {"request": request.id, "participant": person_id})
                )
                continue
            timeline[person_id].append(meeting)
            if person.sessions is not None and meeting.session not in person.sessions:
                violations.append(
                    Violation(
                        "b2b-attendance",
                        {
                            "participant": person_id,
                            "kind": person.kind,
                            "session": meeting.session,
                            "request": request.id,
                        },
                        delegates=(person_id,),
                    )
                )
            for window in person.unavailable:
                if meeting.start < window[1] and window[0] < meeting.end:
                    violations.append(
                        Violation(
                            "b2b-unavailable",
                            {
                                "participant": person_id,
                                "window": window,
                                "span": (meeting.start, meeting.end),
                                "request": request.id,
                            },
                            delegates=(person_id,),
                        )
                    )
    for person_id, held in sorted(timeline.items()):
        held.sort(key=lambda meeting: (meeting.start, meeting.end))
        latest = held[0]  # of the meetings so far, the one that ends last
        for later in held[1:]:
            if later.start < latest.end:
                violations.append(
                    Violation(
                        "b2b-overlap",
                        {
                            "participant": person_id,
                            "earlier": latest.request,
                            "later": later.request,
                            "instant": later.start,
                        },
                        delegates=(person_id,),
                    )
                )
            if later.end > latest.end:
                latest = later
    return violations
