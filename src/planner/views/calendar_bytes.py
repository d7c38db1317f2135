"""Calendar files serialised once per shape: thousands of delegate calendars share a few hundred events.

icalendar serialises each component the same way wherever it stands, so a calendar's bytes are the
calendar's own lines, then each component's bytes, then its end: a VTIMEZONE is serialised once per zone, a
VEVENT once per (activity, what it says to the delegates of the file, SEQUENCE), the calendar's lines once
per file. The result is byte for byte what `build_calendar(...).to_ical()` writes after `restamp` (a test
holds them together); the general path stays for what this does not cover (a re-plan's cancelled events).
"""

from __future__ import annotations

from collections.abc import Sequence

from icalendar import Calendar, Event, vText

from planner.domain.schedule import ScheduledActivity
from planner.text.i18n import Words, words_for
from planner.views.calendar_state import EventState, next_sequence, set_sequence
from planner.views.calendars import Programme, build_event, calendar_head, calendar_language, event_uid
from planner.views.calendars import _description as description_of
from planner.views.vtimezone import vtimezone

END = b"END:VCALENDAR\r\n"
NAME_MARKER = "PLANNER-CALENDAR-NAME"


class CalendarBytes:
    """The calendars of one programme, from components serialised once."""

    def __init__(self, programme: Programme) -> None:
        self.programme = programme
        self.events: dict[tuple[str, str, str], Event] = {}
        self.serialised: dict[tuple[str, str, str, int], bytes] = {}
        self.zones: dict[str, bytes] = {}
        self.attended: dict[str, set[str]] = {}
        for activity in programme.schedule.activities:
            for delegate_id in activity.attendees:
                self.attended.setdefault(delegate_id, set()).add(activity.id)
        self.in_order = sorted(programme.schedule.activities, key=lambda a: (a.start, a.id))
        self.rank = {activity.id: index for index, activity in enumerate(self.in_order)}
        self.head: list[bytes] = []

    def activities(self, delegate_ids: Sequence[str]) -> list[ScheduledActivity]:
        """The activities every one of `delegate_ids` attends (all without any), by start then id."""
        if not delegate_ids:
            return self.in_order
        common = set.intersection(*(self.attended.get(d, set()) for d in delegate_ids))
        return [self.in_order[index] for index in sorted(self.rank[a] for a in common)]

    def _head(self, name: str) -> bytes:
        """The calendar's own lines: serialised once with a marker for its name; the lines that hold it
        (NAME, X-WR-CALNAME) icalendar writes again for each file, with the file's name."""
        if not self.head:
            serialised = calendar_head(self.programme.mission, NAME_MARKER).to_ical()[:-len(END)]
            self.head = [line + b"\r\n" for line in serialised.split(b"\r\n") if line]
        named = Calendar()
        return b"".join(named.content_line(line.split(b":", 1)[0].decode(), vText(name)).to_ical() + b"\r\n"
                        if NAME_MARKER.encode() in line else line for line in self.head)

    def calendar(self, delegate_ids: Sequence[str], name: str, previous: dict[str, EventState]) -> bytes:
        """The file of what `delegate_ids` all attend, each event at the SEQUENCE after `previous`'s."""
        programme = self.programme
        mission = programme.mission
        words = words_for(calendar_language(mission, delegate_ids))
        parts = [self._head(name)]
        activities = self.activities(delegate_ids)
        for tzid in sorted({programme.tzid[activity.id] for activity in activities}):
            parts.append(self._zone(tzid, known=True))
        if not activities:
            parts.append(self._zone(mission.timezone, known=False))
        for activity in activities:
            parts.append(self._event(activity, delegate_ids, previous, words))
        if len(delegate_ids) == 1 and programme.schedule.meetings:
            from planner.views.meetings import meeting_events  # B2B meetings inside the delegate's sessions

            for meeting in meeting_events(mission, programme.schedule, delegate_ids[0]):
                set_sequence(meeting, next_sequence(meeting, previous.get(str(meeting["uid"]))))
                parts.append(meeting.to_ical())
        parts.append(END)
        return b"".join(parts)

    def _zone(self, tzid: str, known: bool) -> bytes:
        key = f"{tzid}:{known}"
        if key not in self.zones:
            component = self.programme.vtimezones.get(tzid) if known else None
            self.zones[key] = (component if component is not None else vtimezone(tzid)).to_ical()
        return self.zones[key]

    def _event(self, activity: ScheduledActivity, delegate_ids: Sequence[str],
               previous: dict[str, EventState], words: Words) -> bytes:
        description = description_of(self.programme, delegate_ids, activity, words)
        shape = (activity.id, words.language, description)
        event = self.events.get(shape)
        if event is None:
            event = build_event(self.programme, activity, delegate_ids, words=words)
            self.events[shape] = event
        sequence = next_sequence(event, previous.get(event_uid(self.programme.mission, activity.id)))
        key = (*shape, sequence)
        if key not in self.serialised:
            set_sequence(event, sequence)
            self.serialised[key] = event.to_ical()
        return self.serialised[key]

