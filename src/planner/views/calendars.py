"""Calendars (.ics) of a programme: one per delegate, one per group, and one for the whole mission.

Every file is built with `icalendar` (text is escaped by the library, never by hand) in the form that
Google Calendar, Outlook and Apple Calendar import without a warning:

- `METHOD:PUBLISH` and no `ATTENDEE`/`ORGANIZER`, so that an import never turns into an invitation that
  mails anyone (RFC 5546);
- every `DTSTART`/`DTEND` carries the `TZID` of its leg (UTC where a change of clocks repeats or skips the
  wall time: `ics_instant`), and each `TZID` has one `VTIMEZONE` in the form
  Outlook reads (planner.views.vtimezone);
- `UID` = `<activity id>@<mission slug>.planner`: the same in every file and every run, so that a refresh or a
  re-import replaces an event instead of duplicating it;
- `SEQUENCE` rises by one each time an event's content changes with respect to the previous version of the
  same calendar, and `DTSTAMP` is when the programme was first written (schedule.json's
  `programme_written`): no clock is read, so the same inputs give the same bytes
  (planner.views.calendar_state).

docs/calendars.md is the user's side of this.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vDuration, vText

from planner.domain import Delegate, Mission
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.mission.files import slug
from planner.text.collation import alphabetical
from planner.text.format import format_clock, format_duration
from planner.text.i18n import Words, words_for
from planner.text.vocabulary import kind_label
from planner.views.calendar_changes import cancelled_activities
from planner.views.calendar_state import (
    DTSTAMP_EPOCH,
    FINGERPRINT_PROPERTY,
    content_digest,
    dtstamp,
)
from planner.views.common import PRINCIPAL_ROLES, principal_role, title_of
from planner.views.event_ids import event_uid, mission_slug
from planner.views.itinerary_model import departure, leave_the_hotel
from planner.views.vtimezone import vtimezone

PRODID = "-//planner//Trade mission planner//EN"
REFRESH_INTERVAL = timedelta(hours=1)
"""How often a subscribing client should fetch a published file again (REFRESH-INTERVAL, X-PUBLISHED-TTL)."""
ENGLISH = Words("en")
FOLDER = "calendars"
"""The folder `planner solve` writes the calendars into, inside its output folder."""


# --- what an event says ----------------------------------------------------------------------------


class Programme:
    """A schedule read against its mission once: local times, each delegate's activities, VTIMEZONEs.

    Built once per run and shared by every calendar, so that hundreds of delegate files stay fast.
    """

    def __init__(self, mission: Mission, schedule: Schedule) -> None:
        self.mission = mission
        self.schedule = schedule
        self.by_id = schedule.by_id()
        self.stamp = dtstamp(schedule)
        """Every event's DTSTAMP (calendar_state.dtstamp)."""
        self._attending: dict[tuple[str, str], str] = {}
        self.tzid = {a.id: mission.leg_of_venue(a.venue).timezone for a in schedule.activities}
        zones = {tzid: zoneinfo.ZoneInfo(tzid) for tzid in set(self.tzid.values())}
        self.start = {a.id: a.start.astimezone(zones[self.tzid[a.id]]) for a in schedule.activities}
        self.end = {a.id: a.end.astimezone(zones[self.tzid[a.id]]) for a in schedule.activities}
        self.of_delegate: dict[str, list[ScheduledActivity]] = {}
        for activity in sorted(schedule.activities, key=lambda a: (a.end, a.id)):
            for delegate_id in activity.attendees:
                self.of_delegate.setdefault(delegate_id, []).append(activity)
        instants: dict[str, list[datetime]] = {}
        for activity in schedule.activities:
            instants.setdefault(self.tzid[activity.id], []).extend((activity.start, activity.end))
        # One VTIMEZONE per zone, checked against every instant of the programme: the same in every file.
        self.vtimezones = {tzid: vtimezone(tzid, sorted(values)) for tzid, values in sorted(instants.items())}

    def who_attends(self, activity: ScheduledActivity, words: Words) -> str:
        """`who_attends`, computed once per activity and language: every file says the same of it."""
        key = (activity.id, words.language)
        if key not in self._attending:
            self._attending[key] = who_attends(self.mission, activity, words)
        return self._attending[key]

    def local(self, activity: ScheduledActivity, instant: datetime) -> datetime:
        """An instant in the zone of the activity's leg (schedule.json holds only a UTC offset)."""
        return instant.astimezone(self.start[activity.id].tzinfo)


def who_attends(mission: Mission, activity: ScheduledActivity, words: Words = ENGLISH) -> str:
    """Principals (royal, minister, official) by name, every other delegate as a count of delegations."""
    principals: list[Delegate] = []
    others: list[Delegate] = []
    for delegate_id in activity.attendees:
        delegate = mission.delegates.get(delegate_id)
        if delegate is not None:
            (principals if principal_role(delegate.role) is not None else others).append(delegate)
    # By rank (royal, minister, official), then by name: the itinerary's order, which protocol reads (the
    # attendees come sorted by id: an ambassador before the Princess).
    principals.sort(key=lambda d: (PRINCIPAL_ROLES.index(principal_role(d.role) or ""), alphabetical(d.name),
                                   d.id))
    parts = [", ".join(d.name for d in principals)] if principals else []
    if others:
        people = sum(d.size for d in others)
        delegations = words.ngettext("%(count)d delegation", "%(count)d delegations", len(others))
        persons = words.ngettext("%(count)d person", "%(count)d people", people)
        parts.append(f"{delegations % {'count': len(others)}} ({persons % {'count': people}})")
    if not parts:
        return words.gettext("Attending: nobody listed")
    return words.gettext("Attending: %(who)s") % {"who": "; ".join(parts)}


def previous_activity(programme: Programme, delegate_id: str,
                      activity: ScheduledActivity) -> ScheduledActivity | None:
    """The delegate's last activity ending before this one starts on the same local date, if any."""
    day = programme.start[activity.id].date()
    found = None
    for other in programme.of_delegate.get(delegate_id, []):  # sorted by end
        if other.end > activity.start:
            break
        if other.id != activity.id and programme.start[other.id].date() == day:
            found = other
    return found


def getting_there(programme: Programme, delegate_ids: Sequence[str],
                  activity: ScheduledActivity, words: Words = ENGLISH) -> str | None:
    """From which venue, how long, when to leave: told when every delegate comes from the same activity.
    The time to leave is rounded down to 5 minutes, as in the itineraries."""
    if not delegate_ids:
        return None
    previous = {
        (found.id if found else None)
        for found in (previous_activity(programme, d, activity) for d in delegate_ids)
    }
    if len(previous) != 1:
        return None
    previous_id = previous.pop()
    mission = programme.mission
    if previous_id is None:
        return _from_the_hotel(programme, delegate_ids, activity, words) or words.gettext(
            "Getting there: first activity of the day.")
    before = programme.by_id[previous_id]
    said = {"previous": title_of(mission, before),
            "ends": format_clock(programme.end[before.id], words.language)}
    if before.venue == activity.venue:
        return words.gettext("Getting there: same venue as the previous activity, %(previous)s "
                             "(ends %(ends)s).") % said
    said["origin"] = mission.venues[before.venue].name if before.venue in mission.venues else before.venue
    minutes = mission.travel_minutes(before.venue, activity.venue)
    if minutes is None:
        return words.gettext("Getting there: from %(origin)s, after %(previous)s (ends %(ends)s); "
                             "travel time unknown.") % said
    latest = programme.local(activity, activity.start - timedelta(minutes=minutes))
    said["travel"] = format_duration(minutes, "clock", words.language)
    said["leave"] = format_clock(departure(latest, programme.end[before.id]), words.language)
    return words.gettext("Getting there: from %(origin)s, after %(previous)s (ends %(ends)s): "
                         "%(travel)s, leave by %(leave)s.") % said


def _from_the_hotel(programme: Programme, delegate_ids: Sequence[str], activity: ScheduledActivity,
                    words: Words) -> str | None:
    """The day's first trip, out of the hotel every reader sleeps at on the leg (`lodging`), as the
    itineraries say it ("leave the hotel at …"); None without one hotel for all of them, or at the hotel."""
    mission = programme.mission
    venue = mission.venues.get(activity.venue)
    if venue is None:
        return None
    hotels = {lodging.venue if lodging is not None else None
              for lodging in (mission.hotel(delegate_id, venue.city) for delegate_id in delegate_ids)}
    hotel = hotels.pop() if len(hotels) == 1 else None
    if hotel is None or hotel == activity.venue:
        return None
    start = programme.local(activity, activity.start)
    minutes, leave = leave_the_hotel(mission, hotel, activity.venue, start)
    if minutes is None:
        return None
    return words.gettext("Getting there: first activity of the day; leave %(hotel)s at %(leave)s "
                         "(%(travel)s).") % {"hotel": mission.venues[hotel].name,
                                             "leave": format_clock(leave, words.language),
                                             "travel": format_duration(minutes, "clock", words.language)}


def _description(programme: Programme, delegate_ids: Sequence[str], activity: ScheduledActivity,
                 words: Words) -> str:
    domain_activity = programme.mission.activities.get(activity.id)
    paragraphs = []
    if domain_activity is not None and domain_activity.description:
        paragraphs.append(domain_activity.description.strip())
    paragraphs.append(programme.who_attends(activity, words))
    route = getting_there(programme, delegate_ids, activity, words)
    if route:
        paragraphs.append(route)
    return "\n\n".join(paragraphs)


def _location(mission: Mission, venue_id: str) -> str:
    venue = mission.venues[venue_id]
    return f"{venue.name}, {venue.address}" if venue.address else venue.name


def ics_instant(local: datetime) -> datetime:
    """The DTSTART/DTEND value for an instant in its leg's zone: local time with TZID where the wall time
    names one instant, UTC (`...Z`) where it is repeated or skipped by a change of clocks.

    RFC 5545 §3.3.5 reads a repeated local time as its first occurrence and a skipped one with the offset
    before the gap, so `TZID=...:...T013000` cannot name the second 01:30 of a fall-back night; clients
    also disagree on those hours. UTC names the instant exactly in every client.
    """
    if local.replace(fold=0).utcoffset() == local.replace(fold=1).utcoffset():
        return local
    return local.astimezone(UTC)


def build_event(programme: Programme, activity: ScheduledActivity, delegate_ids: Sequence[str] = (),
                sequence: int = 0, words: Words = ENGLISH) -> Event:
    """The VEVENT of one scheduled activity, as seen by `delegate_ids` (their journey to it, if shared);
    the text planner writes in `words` (the title and description stay as the organiser wrote them)."""
    mission = programme.mission
    event = Event()
    event.add("uid", event_uid(mission, activity.id))
    event.add("dtstamp", programme.stamp)
    event.add("sequence", sequence)
    event.add("dtstart", ics_instant(programme.start[activity.id]))
    event.add("dtend", ics_instant(programme.end[activity.id]))
    event.add("summary", activity.title)
    event.add("location", _location(mission, activity.venue))
    venue = mission.venues[activity.venue]
    if venue.geo is not None:
        event.add("geo", venue.geo)
    event.add("categories", [kind_label(words, activity.kind)])
    event.add("description", _description(programme, delegate_ids, activity, words))
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add(FINGERPRINT_PROPERTY, content_digest(event))
    return event


# --- calendars -------------------------------------------------------------------------------------


def calendar_language(mission: Mission, delegate_ids: Sequence[str]) -> str:
    """A delegate's calendar speaks their language; a group's or the mission's, the mission's."""
    return mission.language_of(delegate_ids[0]) if len(delegate_ids) == 1 else mission.language


def attended_by_all(schedule: Schedule, delegate_ids: Sequence[str]) -> list[ScheduledActivity]:
    """Scheduled activities that every one of `delegate_ids` attends (every activity when none given)."""
    chosen = [a for a in schedule.activities if all(d in a.attendees for d in delegate_ids)]
    return sorted(chosen, key=lambda a: (a.start, a.id))


def calendar_head(mission: Mission, name: str, method: str | None = "PUBLISH") -> Calendar:
    """A calendar's own properties, before its components."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    # NAME (RFC 7986) and X-WR-CALNAME are unknown to icalendar's type table: vText makes it escape them.
    calendar.add("name", vText(name))
    calendar.add("x-wr-calname", vText(name))
    calendar.add("x-wr-timezone", mission.timezone)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    return calendar


def build_calendar(mission: Mission, schedule: Schedule, delegate_ids: Sequence[str], name: str,
                   *, method: str | None = "PUBLISH", programme: Programme | None = None,
                   language: str | None = None) -> Calendar:
    """The calendar of what `delegate_ids` all attend (a delegate, a group; () for the whole mission).

    `programme` (built once from mission and schedule) saves recomputing it for every calendar. The text
    planner writes speaks `language`: by default the delegate's own, or the mission's for a group.
    """
    programme = programme or Programme(mission, schedule)
    words = words_for(language or calendar_language(mission, delegate_ids))
    calendar = calendar_head(mission, name, method)
    activities = attended_by_all(schedule, delegate_ids)
    cancelled = cancelled_activities(mission, schedule, delegate_ids)
    cancelled_zones = {a.id: mission.leg_of_venue(a.venue).timezone if a.venue in mission.venues
                       else mission.timezone for a in cancelled}
    tzids = {programme.tzid[activity.id] for activity in activities}
    for tzid in sorted(tzids | set(cancelled_zones.values())):
        known = programme.vtimezones.get(tzid)
        calendar.add_component(known if known is not None else vtimezone(tzid))
    if not activities and not cancelled:
        # RFC 5545 wants at least one component: an empty programme still carries the mission's zone.
        calendar.add_component(vtimezone(mission.timezone))
    for activity in activities:
        calendar.add_component(build_event(programme, activity, delegate_ids, words=words))
    if len(delegate_ids) == 1 and schedule.meetings:
        from planner.views.meetings import meeting_events  # B2B meetings inside the delegate's sessions

        for meeting in meeting_events(mission, schedule, delegate_ids[0]):
            calendar.add_component(meeting)
    for activity in cancelled:
        zone = zoneinfo.ZoneInfo(cancelled_zones[activity.id])
        calendar.add_component(build_cancelled_event(mission, activity, zone, words, programme.stamp))
    return calendar


def build_cancelled_event(mission: Mission, activity: ScheduledActivity, zone: zoneinfo.ZoneInfo,
                          words: Words = ENGLISH, stamp: datetime = DTSTAMP_EPOCH) -> Event:
    """The VEVENT of an activity the calendar held before a re-plan and no longer holds: STATUS:CANCELLED,
    so that a subscribed calendar drops it (replan.md). `stamp`: its DTSTAMP, the re-plan's."""
    event = Event()
    event.add("uid", event_uid(mission, activity.id))
    event.add("dtstamp", stamp)
    event.add("sequence", 0)
    event.add("dtstart", activity.start.astimezone(zone))
    event.add("dtend", activity.end.astimezone(zone))
    event.add("summary", activity.title)
    known = activity.venue in mission.venues
    event.add("location", _location(mission, activity.venue) if known else activity.venue)
    event.add("categories", [kind_label(words, activity.kind)])
    event.add("description", words.gettext("Cancelled: no longer in this programme."))
    event.add("status", "CANCELLED")
    event.add("transp", "TRANSPARENT")
    event.add(FINGERPRINT_PROPERTY, content_digest(event))
    return event


@dataclass(frozen=True, slots=True)
class CalendarPlan:
    """One calendar to write or publish: whose, under which name, at which place."""

    kind: str
    """`delegate`, `group` or `mission`."""
    id: str
    """The delegate or group id; the mission's slug for the mission calendar."""
    name: str
    """Its display name (X-WR-CALNAME)."""
    delegate_ids: tuple[str, ...]
    """Whose activities it holds: those that all of them attend (none: every activity)."""
    relative_path: str
    """Its place inside the calendars folder, e.g. `delegates/astrid.ics`."""


def _unique_stems(ids: Iterable[str]) -> dict[str, str]:
    """Slug of each id, made unique with -2, -3… in id order where two ids share a slug."""
    stems: dict[str, str] = {}
    taken: set[str] = set()
    for identifier in sorted(ids):
        base = stem = slug(identifier)
        number = 1
        while stem in taken:
            number += 1
            stem = f"{base}-{number}"
        taken.add(stem)
        stems[identifier] = stem
    return stems


def calendar_plans(mission: Mission) -> list[CalendarPlan]:
    """The mission calendar, then one per delegate, then one per group, in the mission file's order."""
    plans = [CalendarPlan("mission", mission_slug(mission), mission.name, (), "mission.ics")]
    delegate_stems = _unique_stems(mission.delegates)
    for delegate in mission.delegates.values():
        plans.append(CalendarPlan("delegate", delegate.id, f"{mission.name} — {delegate.name}",
                                  (delegate.id,),
                                  f"delegates/{delegate_stems[delegate.id]}.ics"))
    group_stems = _unique_stems(mission.groups)
    for group in mission.groups.values():
        plans.append(CalendarPlan("group", group.id, f"{mission.name} — {group.name or group.id}",
                                  tuple(group.delegates), f"groups/{group_stems[group.id]}.ics"))
    return plans
