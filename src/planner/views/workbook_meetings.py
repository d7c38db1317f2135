"""programme.xlsx's B2B sheets, when the mission has meeting requests (docs/b2b.md): "B2B meetings" (who
meets whom, when, at which table) and "B2B not scheduled" (each request no slot took, and why).

Rows only: `planner.views.workbook` writes them with the header, filters, widths and formats of its other
sheets. Times are in the local time of the session's leg, as on the "Programme" sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from planner.domain import Mission
from planner.domain.meetings import Meeting
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.views.common import local_start, title_of


@dataclass(frozen=True, slots=True)
class SheetRows:
    """A sheet's name, header and rows; `dates` and `times`: the indices of the columns that hold them."""

    name: str
    headers: list[str]
    rows: list[list[object]]
    dates: tuple[int, ...] = ()
    times: tuple[int, ...] = ()


SIDES = ["delegates", "delegate names", "delegate organisations",
         "counterparts", "counterpart names", "counterpart organisations"]
"""Whom a meeting or a request brings together, on both sheets alike (so that one filters both the same)."""
MEETING_HEADERS = ["session", "session title", "date", "start", "end", "time zone", "table", "meeting",
                   *SIDES]
NOT_SCHEDULED_HEADERS = ["meeting", *SIDES, "priority", "code", "reason"]


def b2b_sheets(mission: Mission, schedule: Schedule) -> list[SheetRows]:
    """The B2B sheets; none when the mission has no meeting requests (its workbook stays as it was)."""
    if not mission.meeting_requests or schedule.meetings is None:
        return []
    return [_meetings_sheet(mission, schedule, schedule.meetings), _not_scheduled_sheet(mission, schedule)]


def _sides(mission: Mission, participants: tuple[str, ...]) -> list[object]:
    """The `SIDES` columns: each side's ids, names and organisations, joined (most sides are one person)."""
    delegates: list[tuple[str, str, str | None]] = []
    counterparts: list[tuple[str, str, str | None]] = []
    for person in participants:
        delegate = mission.delegates.get(person)
        counterpart = mission.counterparts.get(person)
        if delegate is not None:
            delegates.append((person, delegate.name, delegate.organisation))
        elif counterpart is not None:
            counterparts.append((person, counterpart.name, counterpart.organisation))
        else:  # not in the mission (a schedule.json of another version of it): the id, not nothing
            counterparts.append((person, person, None))
    return [*_side(delegates), *_side(counterparts)]


def _side(people: list[tuple[str, str, str | None]]) -> list[object]:
    if not people:
        return [None, None, None]
    organisations = ", ".join(dict.fromkeys(organisation for _, _, organisation in people if organisation))
    return [", ".join(person for person, _, _ in people), ", ".join(name for _, name, _ in people),
            organisations or None]


def _local(mission: Mission, session: ScheduledActivity | None, instant: datetime) -> datetime:
    """In the zone of the session's leg, as the Programme sheet shows the session itself."""
    return instant.astimezone(local_start(mission, session).tzinfo) if session is not None else instant


def _meetings_sheet(mission: Mission, schedule: Schedule, meetings: list[Meeting]) -> SheetRows:
    # One row per meeting, its delegates and its counterparts in columns of their own: a meeting is most
    # often one delegate and one counterpart, so each column's filter lists each of them once and choosing
    # one gives their meetings, and a row stays one table taken in one slot (what the staff count). A row
    # per participant would filter a meeting of three as well, but writes twice the cells on the critical
    # path of `planner solve` (the flagship: 9,300 against 4,900, 0.04 s more).
    sessions = schedule.by_id()

    def order(meeting: Meeting) -> tuple[datetime, str, datetime, int]:
        session = sessions.get(meeting.session)
        return session.start if session else meeting.start, meeting.session, meeting.start, meeting.table

    rows: list[list[object]] = []
    for meeting in sorted(meetings, key=order):
        session = sessions.get(meeting.session)
        start, end = _local(mission, session, meeting.start), _local(mission, session, meeting.end)
        planned = mission.activities.get(meeting.session)
        title = title_of(mission, session) if session else planned.title if planned else meeting.session
        rows.append([
            meeting.session, title, start.date(), start.time().replace(tzinfo=None),
            end.time().replace(tzinfo=None), start.tzname(), meeting.table, meeting.request,
            *_sides(mission, meeting.participants),
        ])
    return SheetRows("B2B meetings", MEETING_HEADERS, rows, dates=(2,), times=(3, 4))


def _not_scheduled_sheet(mission: Mission, schedule: Schedule) -> SheetRows:
    requests = {request.id: request for request in mission.meeting_requests}
    rows: list[list[object]] = []
    for entry in schedule.unscheduled_meetings:
        request = requests.get(entry.request)
        priority: object = None if request is None else "required" if request.required else request.priority
        rows.append([entry.request, *_sides(mission, entry.participants), priority, entry.reason.code or None,
                     entry.reason_text])
    return SheetRows("B2B not scheduled", NOT_SCHEDULED_HEADERS, rows)
