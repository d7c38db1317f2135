"""The B2B rules of a valid meeting schedule, checked again in plain Python (../shared/spec/b2b.md,
"What a valid schedule satisfies").

Reads only the domain (`planner.domain.meetings`): the brokerage and the meeting schedule. It shares no
code with the matchmaking (`planner.b2b`): it recomputes slot times from the session's start and slot
length, compares instants rather than slot numbers when people could be in two sessions at once, and
looks unavailability up in the participants' own windows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from planner.check.common import Violation
from planner.domain.meetings import Brokerage, Meeting, MeetingSchedule, Session


def check_meetings(brokerage: Brokerage, schedule: MeetingSchedule) -> list[Violation]:
    """Every B2B rule the meeting schedule breaks; an empty list when it is valid."""
    violations = check_meeting_listing(brokerage, schedule)
    known = [meeting for meeting in schedule.meetings if meeting.request in _requests(brokerage)]
    violations += check_meeting_place(brokerage, known)
    violations += check_meeting_tables(brokerage, known)
    violations += check_meeting_participants(brokerage, known)
    return violations


def _requests(brokerage: Brokerage) -> dict:
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
            violations.append(Violation("b2b-unknown-request", f"meeting request {request_id} is not in the mission"))
    for request in brokerage.requests:
        times, left = scheduled[request.id], listed[request.id]
        if times > 1:
            violations.append(Violation("b2b-scheduled-twice", f"request {request.id} ({_with(request.participants)}) "
                                        f"is scheduled {times} times", delegates=request.participants))
        if times and left:
            violations.append(Violation("b2b-listing", f"request {request.id} is both scheduled and listed as "
                                        "unscheduled", delegates=request.participants))
        if not times and request.priority is None:
            violations.append(Violation("b2b-required", f"required request {request.id} ({_with(request.participants)}) "
                                        "is not scheduled", delegates=request.participants))
        elif not times and not left:
            violations.append(Violation("b2b-listing", f"request {request.id} is neither scheduled nor listed as "
                                        "unscheduled with a reason", delegates=request.participants))
        elif left > 1:
            violations.append(Violation("b2b-listing", f"request {request.id} is listed {left} times as unscheduled"))
    for entry in schedule.unscheduled:
        if not entry.reason.code:
            violations.append(Violation("b2b-listing", f"unscheduled request {entry.request} has no reason"))
    return violations


def check_meeting_place(brokerage: Brokerage, meetings: list[Meeting]) -> list[Violation]:
    """Rule 2: one slot of one session the request may go to, with the slot's own times."""
    violations = []
    requests, sessions = _requests(brokerage), _sessions(brokerage)
    for meeting in meetings:
        request = requests[meeting.request]
        session = sessions.get(meeting.session)
        if session is None:
            violations.append(Violation("b2b-session", f"request {request.id} meets in {meeting.session}, "
                                        "which is not a B2B session"))
            continue
        if request.sessions is not None and session.id not in request.sessions:
            violations.append(Violation("b2b-session", f"request {request.id} meets in {session.id}; it may only go "
                                        f"to {', '.join(sorted(request.sessions))}", delegates=request.participants))
        slot_count = int((session.end - session.start) / timedelta(minutes=session.slot))
        start = session.start + timedelta(minutes=session.slot * meeting.slot)
        if not 0 <= meeting.slot < slot_count:
            violations.append(Violation("b2b-slot", f"request {request.id} is in slot {meeting.slot + 1} of "
                                        f"{session.id}, which has {slot_count} slots"))
        elif meeting.start != start or meeting.end != start + timedelta(minutes=session.slot):
            violations.append(Violation("b2b-slot", f"request {request.id} runs {_clock(meeting.start)}–"
                                        f"{_clock(meeting.end)}, not the times of slot {meeting.slot + 1} of {session.id}"))
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
            violations.append(Violation("b2b-table", f"request {meeting.request} is at table {meeting.table} of "
                                        f"{session.id}, which has tables 1 to {session.tables}"))
        at_table[session.id, meeting.slot, meeting.table].append(meeting.request)
    for (session_id, slot, table), requests in sorted(at_table.items()):
        if len(requests) > 1:
            violations.append(Violation("b2b-table", f"table {table} of {session_id} holds {len(requests)} meetings "
                                        f"in slot {slot + 1}: {', '.join(sorted(requests))}"))
    return violations


def check_meeting_participants(brokerage: Brokerage, meetings: list[Meeting]) -> list[Violation]:
    """Rule 3: the request's participants, each there (session attended), available, in one meeting at a time."""
    violations = []
    requests = _requests(brokerage)
    people = {person.id: person for person in brokerage.participants}
    timeline: dict[str, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        request = requests[meeting.request]
        if sorted(meeting.participants) != sorted(request.participants):
            violations.append(Violation("b2b-participants", f"request {request.id} is for {_with(request.participants)}"
                                        f" but its meeting lists {_with(meeting.participants)}"))
        for person_id in request.participants:
            person = people.get(person_id)
            if person is None:
                violations.append(Violation("b2b-participants", f"request {request.id} names {person_id}, who is "
                                            "neither a delegate nor a counterpart"))
                continue
            timeline[person_id].append(meeting)
            if person.sessions is not None and meeting.session not in person.sessions:
                role = "attend" if person.kind == "delegate" else "come to"
                violations.append(Violation("b2b-attendance", f"{person_id} meets in {meeting.session} "
                                            f"(request {request.id}) but does not {role} it", delegates=(person_id,)))
            for window_start, window_end in person.unavailable:
                if meeting.start < window_end and window_start < meeting.end:
                    violations.append(Violation("b2b-unavailable", f"{person_id} is unavailable "
                                                f"{_clock(window_start)}–{_clock(window_end)} but meets "
                                                f"{_clock(meeting.start)}–{_clock(meeting.end)} (request {request.id})",
                                                delegates=(person_id,)))
    for person_id, held in sorted(timeline.items()):
        held.sort(key=lambda meeting: (meeting.start, meeting.end))
        latest = held[0]  # of the meetings so far, the one that ends last
        for later in held[1:]:
            if later.start < latest.end:
                violations.append(Violation("b2b-overlap", f"{person_id} has two meetings at once: request "
                                            f"{latest.request} and request {later.request} at {_clock(later.start)}",
                                            delegates=(person_id,)))
            if later.end > latest.end:
                latest = later
    return violations


def _with(participants: tuple[str, ...]) -> str:
    return " + ".join(participants)


def _clock(instant: datetime) -> str:
    return instant.isoformat(timespec="minutes")
