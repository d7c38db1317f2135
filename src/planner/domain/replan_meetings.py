"""Re-planning's frozen past, for B2B meetings: a meeting of the baseline that starts before `now + notice`
took place (or is under way, or was announced too late to move) as it was, so it stays in the re-plan.

Its session is a frozen activity (planner.domain.replan), so the session keeps its time and attendees; what
the updated mission may still contradict is the meeting itself. As for a frozen activity, the meeting stays
and a warning says so:

- its request is no longer in the mission file: the request is kept, written after the file's own (a
  request's id is its position in the file, so the file's requests keep theirs);
- one of its counterparts is now unavailable then: that unavailability is lifted for the meeting (a
  delegate's is lifted for the whole session, a frozen activity);
- its request now names other `sessions`: the meeting's session is added to them.

Which request a baseline meeting answers is found by who meets (`requests_of`), never by its id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from planner.domain.errors import InputError
from planner.domain.meetings import Counterpart, Meeting, MeetingRequest, requests_of
from planner.domain.mission import Mission, Source

KEPT = "kept from the baseline"
"""How a frozen activity or meeting is named in warnings and conflicts (the contract's words)."""


@dataclass(frozen=True)
class FrozenMeetings:
    """What the effective mission of a re-plan takes from the baseline's frozen meetings."""

    requests: tuple[MeetingRequest, ...]
    """The file's requests, then one for each frozen meeting that no request of the file asks for."""
    counterparts: dict[str, Counterpart]
    """The file's counterparts, each free during the frozen meetings they were in."""
    warnings: tuple[InputError, ...]


def frozen_meetings(updated: Mission, meetings: tuple[Meeting, ...], cutoff: datetime,
                    locate: Callable[[str | None], Source]) -> FrozenMeetings:
    """Keep each baseline meeting starting before `cutoff` in the mission `updated` (see the module)."""
    frozen = tuple(meeting for meeting in meetings if meeting.start < cutoff)
    requests = list(updated.meeting_requests)
    answered = requests_of(frozen, requests)
    warnings: list[InputError] = []
    for index, meeting in enumerate(frozen):
        if index in answered:
            request = answered[index]
            if request.sessions is not None and meeting.session not in request.sessions:
                widened = replace(request, sessions=(*request.sessions, meeting.session))
                requests[requests.index(request)] = widened
                warnings.append(InputError(request.source, (
                    f"the mission file now sends the B2B meeting of {', '.join(request.participants)} to "
                    f"{', '.join(request.sessions)}, but it took place in {meeting.session} at "
                    f"{moment(meeting.start)}, before now + notice: it is {KEPT}")))
            continue
        people = tuple(sorted(meeting.participants))
        requests.append(MeetingRequest(
            id=f"meeting-{len(requests) + 1}", refs=people, participants=people, priority=None,
            sessions=(meeting.session,), source=locate(f'"{meeting.request}"')))
        warnings.append(InputError(locate(f'"{meeting.request}"'), (
            f"the B2B meeting of {', '.join(people)} ({meeting.session}, {moment(meeting.start)}) is no "
            f"longer asked for in the mission file, but it starts before now + notice: it is {KEPT}")))
    counterparts = dict(updated.counterparts)
    for meeting in frozen:
        for person in meeting.participants:
            counterpart = counterparts.get(person)
            if counterpart is None:
                continue
            clashing = [window for window in counterpart.unavailable
                        if window.overlaps(meeting.start, meeting.end)]
            if not clashing:
                continue
            for window in clashing:
                warnings.append(InputError(window.source, (
                    f"{counterpart.name} ({person}) is now unavailable during their B2B meeting in "
                    f"{meeting.session} at {moment(meeting.start)}, which is {KEPT}: it stays")))
            counterparts[person] = replace(counterpart, unavailable=tuple(
                piece for window in counterpart.unavailable
                for piece in window.without(meeting.start, meeting.end)))
    return FrozenMeetings(tuple(requests), counterparts, tuple(warnings))


def moment(instant: datetime) -> str:
    """'Tue 07 Oct 09:00': when something frozen happened, as re-planning's warnings say it."""
    return f"{instant:%a %d %b %H:%M}"
