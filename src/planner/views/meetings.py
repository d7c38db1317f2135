"""B2B meetings for people (docs/b2b.md): each delegate's meetings inside their sessions (itinerary and
calendar), each counterpart's meeting list (HTML and .ics in DIR/counterparts/), each session's table plan
for the staff on the floor (table × slot, printable, in DIR/sessions/), and each session's load.

Everything here reads `schedule.meetings` as written by the pipeline; times are shown in the local time of
the session's leg. Text goes into HTML through Jinja's autoescape and into .ics through icalendar. A
counterpart's page and calendar speak the counterpart's language; the table plans and the indexes, read by
the staff, the mission's (docs/languages.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from icalendar import Calendar, Event, Timezone, vText

from planner.domain import Mission
from planner.domain.meetings import Meeting, MeetingRequest, UnscheduledMeeting
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.mission.files import inside, slug, write_atomic
from planner.text.collation import mentions
from planner.text.i18n import Words, words_for
from planner.text.meetings import reason_sentence
from planner.text.vocabulary import meeting_category
from planner.views.calendar_state import (
    DTSTAMP_EPOCH,
    FINGERPRINT_PROPERTY,
    content_digest,
    dtstamp,
    previous_states,
    restamp,
)
from planner.views.common import local_end, local_start, map_link, template_environment
from planner.views.event_ids import mission_slug
from planner.views.vtimezone import vtimezone

PRODID = "-//planner//Trade mission planner//EN"


@dataclass(frozen=True, slots=True)
class MeetingLine:
    """One meeting as a participant sees it."""

    request: str
    session: str
    session_title: str
    start: datetime
    """Local to the session's leg."""
    end: datetime
    table: int
    others: tuple[str, ...]
    """Whom they meet: 'Name (organisation)' of each other participant."""
    venue: str
    address: str | None = None
    """The venue's address, when the mission gives it: a counterpart comes from outside the mission."""
    map: str | None = None
    """A link to the venue on a map (`map_link`), when its address or position is known."""
    geo: tuple[float, float] | None = None
    """The venue's latitude and longitude, when the mission gives them."""


def organisation_shown(name: str, organisation: str | None) -> str:
    """The organisation to show beside a person's name: none when the name already says it ("Google — AI
    partnerships" of Google, accents and case aside), which "(Google)" would only repeat."""
    return organisation if organisation and not mentions(name, organisation) else ""


def display_name(mission: Mission, person_id: str) -> str:
    person = mission.delegates.get(person_id) or mission.counterparts.get(person_id)
    if person is None:
        return person_id
    organisation = organisation_shown(person.name, person.organisation)
    return f"{person.name} ({organisation})" if organisation else person.name


def meeting_lines(
    mission: Mission, schedule: Schedule, person_id: str, session_id: str | None = None
) -> list[MeetingLine]:
    """The person's meetings (in one session, or all), in time order."""
    placed = schedule.by_id()
    lines = []
    for meeting in schedule.meetings or ():
        if person_id not in meeting.participants or (
            session_id is not None and meeting.session != session_id
        ):
            continue
        session = placed.get(meeting.session)
        start = local_start(mission, session) if session is not None else meeting.start
        zone = start.tzinfo
        venue = mission.venues.get(session.venue) if session is not None else None
        lines.append(
            MeetingLine(
                meeting.request,
                meeting.session,
                mission.activities[meeting.session].title
                if meeting.session in mission.activities
                else meeting.session,
                meeting.start.astimezone(zone),
                meeting.end.astimezone(zone),
                meeting.table,
                tuple(display_name(mission, other) for other in meeting.participants if other != person_id),
                venue.name if venue is not None else (session.venue if session is not None else ""),
                venue.address if venue is not None else None,
                map_link(venue.name, venue.address, venue.geo) if venue is not None else None,
                venue.geo if venue is not None else None,
            )
        )
    return sorted(lines, key=lambda line: (line.start, line.session, line.table))


def by_session(lines: list[MeetingLine]) -> list[tuple[str, list[MeetingLine]]]:
    """`meeting_lines` grouped under each session's title, the sessions in the order of their first meeting
    (a template's `groupby` sorts by title: Los Angeles's session before San Francisco's, and two sessions
    of one title merged under one heading)."""
    groups: dict[str, list[MeetingLine]] = {}
    for line in lines:
        groups.setdefault(line.session, []).append(line)
    return [(items[0].session_title, items) for items in groups.values()]


# --- calendars ------------------------------------------------------------------------------------------


def meeting_uid(mission: Mission, request_id: str) -> str:
    """Stable per mission and request, recognised as planner's by the calendars' `is_own_uid`; the dots
    keep it apart from every activity's UID (ids have no dot). Made of whom the request names
    (`b2b.bru-life-05.jlabs-sf`), not of its place in the file (`meeting-15`): a request removed or added
    above it must not turn one meeting's event into another's in the calendars people imported."""
    return f"b2b.{_request_keys(mission).get(request_id, request_id)}@{mission_slug(mission)}.planner"


_KEYS: list[tuple[tuple[MeetingRequest, ...], dict[str, str]]] = []
"""The keys of the last requests asked for (calendars ask for one meeting after another of one mission)."""


def _request_keys(mission: Mission) -> dict[str, str]:
    """Request id → the ids its `with` names, sorted and joined by dots; a second request naming the same
    people gets `.2`, in the file's order."""
    requests = mission.meeting_requests
    if _KEYS and _KEYS[0][0] is requests:
        return _KEYS[0][1]
    keys: dict[str, str] = {}
    seen: dict[str, int] = {}
    for request in requests:
        key = ".".join(sorted(set(request.refs)))
        seen[key] = seen.get(key, 0) + 1
        keys[request.id] = key if seen[key] == 1 else f"{key}.{seen[key]}"
    _KEYS[:] = [(requests, keys)]
    return keys


def meeting_event(mission: Mission, line: MeetingLine, language: str | None = None,
                  stamp: datetime = DTSTAMP_EPOCH) -> Event:
    """The VEVENT of one meeting, inside its session's event: whom, at which table, in `language` (the
    reader's; the mission's by default), as the reader's itinerary says it. `stamp`: its DTSTAMP, the
    programme's (calendar_state.dtstamp)."""
    words = words_for(language or mission.language)
    others = ", ".join(line.others)
    table = words.gettext("table %(table)s") % {"table": line.table}
    event = Event()
    event.add("uid", meeting_uid(mission, line.request))
    event.add("dtstamp", stamp)
    event.add("dtstart", line.start)
    event.add("dtend", line.end)
    event.add("summary", words.gettext("B2B: %(others)s (%(table)s)") % {"others": others, "table": table})
    # Where to go, as an activity's event says it (a phone's calendar hands LOCATION to its maps, which a
    # table number would only confuse): the table is in the summary and the description.
    event.add("location", ", ".join(part for part in (line.venue, line.address) if part) or table)
    if line.geo is not None:
        event.add("geo", line.geo)
    event.add("categories", [meeting_category(words)])
    event.add("description", words.gettext("%(session)s: meeting with %(others)s at %(table)s.") % {
        "session": line.session_title, "others": others, "table": table})
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    # As every event planner writes: the next run reads the file's states without parsing it
    # (calendar_state._scan_own_states), which one event without it would cost a whole parse.
    event.add(FINGERPRINT_PROPERTY, content_digest(event))
    return event


def meeting_events(mission: Mission, schedule: Schedule, person_id: str) -> list[Event]:
    language = mission.language_of(person_id)
    stamp = dtstamp(schedule)
    lines = meeting_lines(mission, schedule, person_id)
    return [meeting_event(mission, line, language, stamp) for line in lines]


def counterpart_calendar(mission: Mission, schedule: Schedule, counterpart_id: str,
                         zones: dict[str, Timezone] | None = None,
                         lines: list[MeetingLine] | None = None) -> Calendar:
    """The counterpart's meetings as a calendar. `zones`: the VTIMEZONE of each zone already built, shared
    by the calendars of one output (building one takes longer than serialising it); `lines`: the
    counterpart's `meeting_lines`, when the caller has them already."""
    counterpart = mission.counterparts[counterpart_id]
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", vText(f"{mission.name} — {counterpart.name}"))
    calendar.add("x-wr-calname", vText(f"{mission.name} — {counterpart.name}"))
    if lines is None:
        lines = meeting_lines(mission, schedule, counterpart_id)
    zone_names = sorted(
        {str(line.start.tzinfo) for line in lines if line.start.tzinfo is not None} or {mission.timezone}
    )
    built = zones if zones is not None else {}
    for zone in zone_names:
        if zone not in built:
            built[zone] = vtimezone(zone)
        calendar.add_component(built[zone])
    language = mission.language_of(counterpart_id)
    stamp = dtstamp(schedule)
    for line in lines:
        calendar.add_component(meeting_event(mission, line, language, stamp))
    return calendar


# --- pages ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TablePlan:
    """A session's grid: `cells[table - 1][slot]` lists who meets there (empty: a free table)."""

    session: ScheduledActivity
    title: str
    venue: str
    slots: list[tuple[datetime, datetime]]
    cells: list[list[tuple[str, ...]]]
    meetings: int
    tables: int

    @property
    def load(self) -> float:
        """Share of the session's table slots that hold a meeting."""
        return self.meetings / max(1, self.tables * len(self.slots))


def table_plan(mission: Mission, schedule: Schedule, session_id: str) -> TablePlan | None:
    """The session's table × slot grid (None when the session is not scheduled)."""
    session = schedule.by_id().get(session_id)
    setting = mission.activities[session_id].meetings
    if session is None or setting is None:
        return None
    start, end = local_start(mission, session), local_end(mission, session)
    count = int((end - start).total_seconds() // 60) // setting.slot
    slots = [
        (
            start + timedelta(minutes=setting.slot * index),
            start + timedelta(minutes=setting.slot * (index + 1)),
        )
        for index in range(count)
    ]
    cells: list[list[tuple[str, ...]]] = [[() for _ in slots] for _ in range(setting.tables)]
    held: list[Meeting] = [meeting for meeting in schedule.meetings or () if meeting.session == session_id]
    for meeting in held:
        if 1 <= meeting.table <= setting.tables and 0 <= meeting.slot < count:
            # The delegates first: they keep their table through the session while the counterparts come
            # and go, so a table's row reads down its host; meeting.participants is sorted by id.
            seated = sorted(meeting.participants, key=lambda person: person not in mission.delegates)
            cells[meeting.table - 1][meeting.slot] = tuple(display_name(mission, person) for person in seated)
    venue = mission.venues.get(session.venue)
    return TablePlan(
        session,
        mission.activities[session_id].title,
        venue.name if venue is not None else session.venue,
        slots,
        cells,
        len(held),
        setting.tables,
    )


def session_loads(mission: Mission, schedule: Schedule) -> list[TablePlan]:
    """Every scheduled B2B session's plan, in time order (the overview shows their load)."""
    plans = [
        table_plan(mission, schedule, activity_id)
        for activity_id, activity in mission.activities.items()
        if activity.meetings is not None
    ]
    return sorted(
        (plan for plan in plans if plan is not None), key=lambda plan: (plan.session.start, plan.session.id)
    )


def file_stems(ids: list[str]) -> dict[str, str]:
    """id → file stem: the slug of the id, made unique."""
    names: dict[str, str] = {}
    taken: set[str] = {"index"}
    for identifier in sorted(ids):
        base = stem = slug(identifier)
        number = 2
        while stem in taken:
            stem, number = f"{base}-{number}", number + 1
        taken.add(stem)
        names[identifier] = stem
    return names


def reason_name(mission: Mission, words: Words, identifier: str, with_id: bool = False) -> str:
    """What a reader calls the person or session a reason names by id: its name, or its title quoted;
    `with_id`, the id beside it (`Odoo (odoo)`), for the staff who filter on ids."""
    person = mission.delegates.get(identifier) or mission.counterparts.get(identifier)
    activity = mission.activities.get(identifier) if person is None else None
    if person is not None:
        name = person.name
    elif activity is not None:
        name = words.pgettext("quoted title", "‘%(title)s’") % {"title": activity.title}
    else:
        return identifier
    return f"{name} ({identifier})" if with_id else name


def left_out_line(mission: Mission, entry: UnscheduledMeeting, reader_id: str,
                  words: Words) -> tuple[str, str]:
    """Whom else the request left out names, and why it is not scheduled, in `words`, naming people and
    sessions as the reader knows them; a reason planner does not know (a schedule.json of another tool) as
    the file words it."""
    others = words.join(display_name(mission, person) for person in entry.participants if person != reader_id)
    reason = (reason_sentence(entry.reason, partial(reason_name, mission, words), words, reader=reader_id)
              or entry.reason_text)
    return others, reason


def write_meeting_views(mission: Mission, schedule: Schedule, out_dir: Path,
                        previous_dir: Path | None = None) -> list[Path]:
    """DIR/counterparts/ (a page and a calendar per counterpart, an index) and DIR/sessions/ (a table plan
    per session, an index); nothing when the schedule has no meetings. A counterpart's calendar gives each
    meeting the SEQUENCE that follows its previous version in `previous_dir/counterparts/` (default: DIR's
    own), as the delegates' calendars do (docs/calendars.md)."""
    if schedule.meetings is None:
        return []
    staff_environment = template_environment(mission.language)
    staff_words = words_for(mission.language)
    written: list[Path] = []
    counterparts = Path(out_dir) / "counterparts"
    counterparts.mkdir(parents=True, exist_ok=True)
    replaced = Path(previous_dir) / "counterparts" if previous_dir is not None else counterparts
    stems = file_stems(list(mission.counterparts))
    zones: dict[str, Timezone] = {}
    rows = []
    # The requests of each counterpart that no slot took, with their reasons: a page that said only "No
    # meeting scheduled" left the organiser to find out why in schedule.json.
    left_out: dict[str, list[UnscheduledMeeting]] = {}
    for entry in schedule.unscheduled_meetings:
        for person in entry.participants:
            if person in mission.counterparts:
                left_out.setdefault(person, []).append(entry)
    for counterpart in mission.counterparts.values():
        language = mission.language_of(counterpart.id)
        lines = meeting_lines(mission, schedule, counterpart.id)
        page = inside(counterparts, stems[counterpart.id], ".html")
        ics = inside(counterparts, stems[counterpart.id], ".ics")
        write_atomic(
            page,
            template_environment(language).get_template("meetings.html").render(
                mission=mission,
                heading=counterpart.name,
                details=organisation_shown(counterpart.name, counterpart.organisation),
                sessions=by_session(lines),
                left_out=[left_out_line(mission, entry, counterpart.id, words_for(language))
                          for entry in left_out.get(counterpart.id, [])],
                calendar=ics.name,
                index_link="index.html",
            ),
        )
        calendar = counterpart_calendar(mission, schedule, counterpart.id, zones, lines)
        restamp(calendar, previous_states(inside(replaced, stems[counterpart.id], ".ics")))
        write_atomic(ics, calendar.to_ical())
        written += [page, ics]
        rows.append(
            {
                "name": counterpart.name,
                "organisation": counterpart.organisation or "",
                "href": page.name,
                "count": len(lines),
            }
        )
    index = counterparts / "index.html"
    write_atomic(
        index,
        staff_environment.get_template("meetings_index.html").render(
            mission=mission,
            title=staff_words.gettext("Counterparts — %(mission)s") % {"mission": mission.name},
            rows=rows,
        ),
    )
    written.append(index)

    sessions = Path(out_dir) / "sessions"
    sessions.mkdir(parents=True, exist_ok=True)
    plans = session_loads(mission, schedule)
    session_stems = file_stems([plan.session.id for plan in plans])
    session_rows = []
    for plan in plans:
        page = inside(sessions, session_stems[plan.session.id], ".html")
        write_atomic(
            page,
            staff_environment.get_template("table_plan.html").render(
                mission=mission, plan=plan, index_link="index.html"
            ),
        )
        written.append(page)
        session_rows.append(
            {
                "name": plan.title,
                # the count follows in brackets, as for the counterparts' index
                "organisation": staff_words.gettext("%(load)s of %(tables)s tables × %(slots)s slots") % {
                    "load": f"{plan.load:.0%}", "tables": plan.tables, "slots": len(plan.slots)},
                "href": page.name,
                "count": plan.meetings,
            }
        )
    index = sessions / "index.html"
    write_atomic(
        index,
        staff_environment.get_template("meetings_index.html").render(
            mission=mission,
            title=staff_words.gettext("B2B sessions — %(mission)s") % {"mission": mission.name},
            rows=session_rows,
        ),
    )
    written.append(index)
    return written
