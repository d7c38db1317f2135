"""programme.xlsx's B2B sheets, when the mission has meeting requests (docs/b2b.md): "B2B meetings" (who
meets whom, when, at which table) and "B2B not scheduled" (each request no slot took, and why).

Rows only: `planner.views.workbook` writes them with the header, filters, widths and formats of its other
sheets. Times are in the local time of the session's leg, as on the "Programme" sheet. Names, headings and
the reasons speak the mission's language (`planner.views.workbook_words`, `planner.text.meetings`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from planner.domain import Mission
from planner.domain.meetings import Meeting, UnscheduledMeeting
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.text.i18n import SOURCE_LANGUAGE, Words
from planner.text.meetings import reason_sentence
from planner.views.common import local_start, title_of
from planner.views.meetings import reason_name
from planner.views.workbook_words import (
    ENGLISH,
    MEETING_COLUMNS,
    NOT_SCHEDULED_COLUMNS,
    headers,
    required,
    sheet_names,
)


@dataclass(frozen=True, slots=True)
class SheetRows:
    """A sheet's name, header and rows; `dates` and `times`: the indices of the columns that hold them."""

    name: str
    headers: list[str]
    rows: list[list[object]]
    dates: tuple[int, ...] = ()
    times: tuple[int, ...] = ()


MEETING_HEADERS = headers(ENGLISH, MEETING_COLUMNS)
NOT_SCHEDULED_HEADERS = headers(ENGLISH, NOT_SCHEDULED_COLUMNS)


def b2b_sheets(mission: Mission, schedule: Schedule, words: Words = ENGLISH) -> list[SheetRows]:
    """The B2B sheets, named and headed in `words`; none when the mission has no meeting requests (its
    workbook stays as it was)."""
    if not mission.meeting_requests or schedule.meetings is None:
        return []
    return [_meetings_sheet(mission, schedule, schedule.meetings, words),
            _not_scheduled_sheet(mission, schedule, words)]


def _sides(mission: Mission, participants: tuple[str, ...]) -> list[object]:
    """The `SIDES` columns (planner.views.workbook_words): each side's ids, names and organisations, joined
    (most sides are one person)."""
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


def _meetings_sheet(mission: Mission, schedule: Schedule, meetings: list[Meeting], words: Words) -> SheetRows:
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
    return SheetRows(sheet_names(words).b2b_meetings, headers(words, MEETING_COLUMNS), rows, dates=(2,),
                     times=(3, 4))


def _reason(mission: Mission, entry: UnscheduledMeeting, words: Words) -> str:
    """Why a request is not scheduled: schedule.json's sentence in English; worded afresh in another
    language, naming people and sessions by name and id as schedule.json's sentence does (the sheet's
    readers filter on ids), or as the file words it when planner does not know its code."""
    if words.language == SOURCE_LANGUAGE:
        return entry.reason_text
    named = partial(reason_name, mission, words, with_id=True)
    return reason_sentence(entry.reason, named, words) or entry.reason_text


def _not_scheduled_sheet(mission: Mission, schedule: Schedule, words: Words) -> SheetRows:
    requests = {request.id: request for request in mission.meeting_requests}
    rows: list[list[object]] = []
    for entry in schedule.unscheduled_meetings:
        request = requests.get(entry.request)
        priority: object = (None if request is None else required(words) if request.required
                            else request.priority)
        rows.append([entry.request, *_sides(mission, entry.participants), priority, entry.reason.code or None,
                     _reason(mission, entry, words)])
    return SheetRows(sheet_names(words).b2b_not_scheduled, headers(words, NOT_SCHEDULED_COLUMNS), rows)
