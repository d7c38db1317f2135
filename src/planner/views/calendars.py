"""Calendars (.ics) of a programme: one per delegate, one per group, and one for the whole mission.

Every file is built with `icalendar` (text is escaped by the library, never by hand) in the form that
Google Calendar, Outlook and Apple Calendar import without a warning:

- `METHOD:PUBLISH` and no `ATTENDEE`/`ORGANIZER`, so that an import never turns into an invitation that
  mails anyone (RFC 5546);
- every `DTSTART`/`DTEND` carries the `TZID` of its leg, and each `TZID` has one `VTIMEZONE` built from the
  zone's current rules: one `STANDARD` and one `DAYLIGHT` with yearly `RRULE`s (Outlook does not read
  `RDATE` lists), or `STANDARD` alone for a zone without daylight-saving time;
- `UID` = `<activity id>@<mission slug>.planner`: the same in every file and every run, so that a refresh or a
  re-import replaces an event instead of duplicating it;
- `SEQUENCE` rises by one each time an event's content changes with respect to the previous version of the
  same calendar (the file being replaced, or the server's copy when publishing), and `DTSTAMP` is derived
  from it (`DTSTAMP_EPOCH` + SEQUENCE seconds): no clock is read, so the same inputs give the same bytes.

docs/calendars.md is the user's side of this.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import json
import os
import re
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vDuration, vRecur, vText

from planner.domain import Mission
from planner.mission.files import inside, slug, write_atomic
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.mission.schedule_file import check_fits

PRODID = "-//planner//Trade mission planner//EN"
PRINCIPAL_ROLES = ("royal", "minister", "official")
"""Roles whose holders are named in 'who attends'; every other delegate is counted as a delegation."""
DTSTAMP_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
"""DTSTAMP of an event at SEQUENCE 0; each later SEQUENCE adds one second (see the module docstring)."""
REFRESH_INTERVAL = timedelta(hours=1)
"""How often a subscribing client should fetch a published file again (REFRESH-INTERVAL, X-PUBLISHED-TTL)."""
FOLDER = "calendars"
"""The folder `planner solve` writes the calendars into, inside its output folder."""


# --- identities ----------------------------------------------------------------------------------------


def mission_slug(mission: Mission) -> str:
    return _slug_of_name(mission.name)


@functools.lru_cache(maxsize=32)
def _slug_of_name(name: str) -> str:
    return slug(name)


def event_uid(mission: Mission, activity_id: str) -> str:
    """The event's UID: from the mission and the activity only, never from the title or the time."""
    return f"{activity_id}@{mission_slug(mission)}.planner"


def is_own_uid(mission: Mission, uid: str) -> bool:
    """Whether an event UID was made by `event_uid` for this mission (publish removes only those)."""
    return uid.endswith(f"@{mission_slug(mission)}.planner")


# --- VTIMEZONE in the form Outlook reads --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Transition:
    """A yearly change of offset: in `month`, the `week`-th (5: last) `weekday` (0: Sunday), at `minute`
    after local midnight."""

    month: int
    week: int
    weekday: int
    minute: int


@dataclass(frozen=True, slots=True)
class _ZoneRule:
    """The zone's current rule, as in the POSIX TZ string that ends a TZif file."""

    standard_name: str
    standard_offset: timedelta
    daylight_name: str | None = None
    daylight_offset: timedelta | None = None
    daylight_start: _Transition | None = None
    standard_start: _Transition | None = None


_POSIX_NAME = r"(?:<[^>]+>|[A-Za-z]{3,})"
_POSIX_OFFSET = r"[+-]?\d{1,3}(?::\d{2}){0,2}"
_POSIX_RULE = re.compile(
    rf"^(?P<std>{_POSIX_NAME})(?P<stdoff>{_POSIX_OFFSET})"
    rf"(?:(?P<dst>{_POSIX_NAME})(?P<dstoff>{_POSIX_OFFSET})?"
    rf",(?P<start>[^,]+),(?P<end>[^,]+))?$"
)
_POSIX_DATE = re.compile(
    r"^M(?P<month>\d{1,2})\.(?P<week>[1-5])\.(?P<weekday>[0-6])(?:/(?P<time>[+-]?\d{1,3}(?::\d{2}){0,2}))?$"
)
_WEEKDAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")


def _posix_minutes(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    parts = [int(part) for part in text.lstrip("+-").split(":")]
    hours, minutes = parts[0], parts[1] if len(parts) > 1 else 0
    return sign * (hours * 60 + minutes)


def _posix_transition(text: str) -> _Transition | None:
    match = _POSIX_DATE.match(text)
    if match is None:
        return None  # Julian-day forms (Jn, n): no zone in use today needs them
    minute = _posix_minutes(match["time"]) if match["time"] else 120
    if not 0 <= minute < 24 * 60:
        return None  # a change on the day before or after the named weekday: a BYDAY rule cannot say it
    return _Transition(int(match["month"]), int(match["week"]), int(match["weekday"]), minute)


def _posix_rule(tzid: str) -> _ZoneRule | None:
    """The zone's current rule from the footer of its TZif file (RFC 8536), or None when unreadable."""
    data = _tzif_bytes(tzid)
    if data is None or not data.startswith(b"TZif") or data[4:5] < b"2":
        return None
    footer = data.rstrip(b"\n").rsplit(b"\n", 1)[-1].decode("ascii", "replace")
    match = _POSIX_RULE.match(footer)
    if match is None:
        return None
    standard_offset = timedelta(minutes=-_posix_minutes(match["stdoff"]))  # POSIX counts west positive
    name = lambda text: text.strip("<>")  # noqa: E731
    if match["dst"] is None:
        return _ZoneRule(name(match["std"]), standard_offset)
    daylight_offset = (timedelta(minutes=-_posix_minutes(match["dstoff"])) if match["dstoff"]
                       else standard_offset + timedelta(hours=1))
    daylight_start, standard_start = _posix_transition(match["start"]), _posix_transition(match["end"])
    if daylight_start is None or standard_start is None:
        return None
    return _ZoneRule(name(match["std"]), standard_offset, name(match["dst"]), daylight_offset,
                     daylight_start, standard_start)


def _tzif_bytes(tzid: str) -> bytes | None:
    """The TZif data of a zone, looked up where `zoneinfo` looks: TZPATH first, then the tzdata package."""
    if not tzid or ".." in tzid or tzid.startswith("/"):
        return None
    for base in zoneinfo.TZPATH:
        candidate = os.path.join(base, tzid)
        if os.path.isfile(candidate):
            with open(candidate, "rb") as stream:
                return stream.read()
    try:
        resource = importlib.resources.files("tzdata.zoneinfo").joinpath(*tzid.split("/"))
        return resource.read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError, OSError):
        return None


def _first_onset(transition: _Transition, year: int) -> datetime:
    """The local wall time of the transition in `year` (the VTIMEZONE sub-component's DTSTART)."""
    if transition.week == 5:
        next_month = date(year + (transition.month == 12), transition.month % 12 + 1, 1)
        day = next_month - timedelta(days=1)
        while (day.weekday() + 1) % 7 != transition.weekday:
            day -= timedelta(days=1)
    else:
        day = date(year, transition.month, 1)
        while (day.weekday() + 1) % 7 != transition.weekday:
            day += timedelta(days=1)
        day += timedelta(weeks=transition.week - 1)
    return datetime(day.year, day.month, day.day) + timedelta(minutes=transition.minute)


def _yearly(transition: _Transition) -> vRecur:
    ordinal = -1 if transition.week == 5 else transition.week
    weekday = f"{ordinal}{_WEEKDAYS[transition.weekday]}"
    return vRecur({"FREQ": "YEARLY", "BYMONTH": transition.month, "BYDAY": weekday})


def _rule_vtimezone(tzid: str, rule: _ZoneRule) -> Timezone:
    timezone = Timezone()
    timezone.add("tzid", tzid)
    standard = TimezoneStandard()
    standard.add("tzname", rule.standard_name)
    if rule.daylight_start is None or rule.standard_start is None or rule.daylight_offset is None:
        standard.add("dtstart", datetime(1970, 1, 1))
        standard.add("tzoffsetfrom", rule.standard_offset)
        standard.add("tzoffsetto", rule.standard_offset)
        timezone.add_component(standard)
        return timezone
    standard.add("dtstart", _first_onset(rule.standard_start, 1970))
    standard.add("rrule", _yearly(rule.standard_start))
    standard.add("tzoffsetfrom", rule.daylight_offset)
    standard.add("tzoffsetto", rule.standard_offset)
    daylight = TimezoneDaylight()
    daylight.add("tzname", rule.daylight_name)
    daylight.add("dtstart", _first_onset(rule.daylight_start, 1970))
    daylight.add("rrule", _yearly(rule.daylight_start))
    daylight.add("tzoffsetfrom", rule.standard_offset)
    daylight.add("tzoffsetto", rule.daylight_offset)
    timezone.add_component(standard)
    timezone.add_component(daylight)
    return timezone


def _agrees(timezone: Timezone, tzid: str, instants: Iterable[datetime]) -> bool:
    """Whether the VTIMEZONE gives every instant the offset that the IANA database gives it."""
    zone = zoneinfo.ZoneInfo(tzid)
    described = timezone.to_tz(lookup_tzid=False)  # built from the component, not looked up by TZID
    for instant in instants:
        wall = instant.astimezone(zone).replace(tzinfo=None)
        if wall.replace(tzinfo=described).utcoffset() != wall.replace(tzinfo=zone).utcoffset():
            return False
    return True


def vtimezone(tzid: str, instants: Iterable[datetime] = ()) -> Timezone:
    """One VTIMEZONE for `tzid`: the zone's current rule as yearly RRULEs (STANDARD alone without DST).

    The rule is checked against the IANA database at every instant the calendar uses; where it does not
    hold (a zone whose rules changed in the mission's time, or a rule a BYDAY cannot express), the
    VTIMEZONE falls back to icalendar's exact list of transitions, which is right but less portable.
    """
    instants = list(instants)
    rule = _posix_rule(tzid)
    if rule is not None:
        timezone = _rule_vtimezone(tzid, rule)
        if _agrees(timezone, tzid, instants):
            return timezone
    return Timezone.from_tzid(tzid)


# --- what an event says ----------------------------------------------------------------------------


class Programme:
    """A schedule read against its mission once: local times, each delegate's activities, VTIMEZONEs.

    Built once per run and shared by every calendar, so that hundreds of delegate files stay fast.
    """

    def __init__(self, mission: Mission, schedule: Schedule) -> None:
        self.mission = mission
        self.schedule = schedule
        self.by_id = schedule.by_id()
        self._attending: dict[str, str] = {}
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

    def who_attends(self, activity: ScheduledActivity) -> str:
        """`who_attends`, computed once per activity: every file says the same of it."""
        if activity.id not in self._attending:
            self._attending[activity.id] = who_attends(self.mission, activity)
        return self._attending[activity.id]

    def local(self, activity: ScheduledActivity, instant: datetime) -> datetime:
        """An instant in the zone of the activity's leg (schedule.json holds only a UTC offset)."""
        return instant.astimezone(self.start[activity.id].tzinfo)


def _clock(instant: datetime) -> str:
    return instant.strftime("%H:%M")


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def who_attends(mission: Mission, activity: ScheduledActivity) -> str:
    """Principals (royal, minister, official) by name, every other delegate as a count of delegations."""
    principals, others = [], []
    for delegate_id in activity.attendees:
        delegate = mission.delegates.get(delegate_id)
        if delegate is not None:
            (principals if (delegate.role or "").lower() in PRINCIPAL_ROLES else others).append(delegate)
    parts = [", ".join(d.name for d in principals)] if principals else []
    if others:
        people = sum(d.size for d in others)
        delegations = _count(len(others), "delegation", "delegations")
        parts.append(f"{delegations} ({_count(people, 'person', 'people')})")
    return "Attending: " + ("; ".join(parts) if parts else "nobody listed")


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
                  activity: ScheduledActivity) -> str | None:
    """From which venue, how long, when to leave: told when every delegate comes from the same activity."""
    if not delegate_ids:
        return None
    previous = {
        (found.id if found else None)
        for found in (previous_activity(programme, d, activity) for d in delegate_ids)
    }
    if len(previous) != 1:
        return None
    previous_id = previous.pop()
    if previous_id is None:
        return "Getting there: first activity of the day."
    mission = programme.mission
    before = programme.by_id[previous_id]
    ends = _clock(programme.end[before.id])
    if before.venue == activity.venue:
        return f"Getting there: same venue as the previous activity, {before.title} (ends {ends})."
    origin = mission.venues[before.venue].name if before.venue in mission.venues else before.venue
    minutes = mission.travel_minutes(before.venue, activity.venue)
    if minutes is None:
        return f"Getting there: from {origin}, after {before.title} (ends {ends}); travel time unknown."
    leave = _clock(programme.local(activity, activity.start - timedelta(minutes=minutes)))
    return (f"Getting there: from {origin}, after {before.title} (ends {ends}): "
            f"{minutes} min, leave by {leave}.")


def _description(programme: Programme, delegate_ids: Sequence[str], activity: ScheduledActivity) -> str:
    domain_activity = programme.mission.activities.get(activity.id)
    paragraphs = []
    if domain_activity is not None and domain_activity.description:
        paragraphs.append(domain_activity.description.strip())
    paragraphs.append(programme.who_attends(activity))
    route = getting_there(programme, delegate_ids, activity)
    if route:
        paragraphs.append(route)
    return "\n\n".join(paragraphs)


def _location(mission: Mission, venue_id: str) -> str:
    venue = mission.venues[venue_id]
    return f"{venue.name}, {venue.address}" if venue.address else venue.name


def build_event(programme: Programme, activity: ScheduledActivity, delegate_ids: Sequence[str] = (),
                sequence: int = 0) -> Event:
    """The VEVENT of one scheduled activity, as seen by `delegate_ids` (their journey to it, if shared)."""
    mission = programme.mission
    event = Event()
    event.add("uid", event_uid(mission, activity.id))
    event.add("dtstamp", dtstamp(sequence))
    event.add("sequence", sequence)
    event.add("dtstart", programme.start[activity.id])
    event.add("dtend", programme.end[activity.id])
    event.add("summary", activity.title)
    event.add("location", _location(mission, activity.venue))
    venue = mission.venues[activity.venue]
    if venue.geo is not None:
        event.add("geo", venue.geo)
    event.add("categories", [activity.kind])
    event.add("description", _description(programme, delegate_ids, activity))
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add(FINGERPRINT_PROPERTY, content_digest(event))
    return event


def dtstamp(sequence: int) -> datetime:
    """DTSTAMP of an event at `sequence`: rises with it, reads no clock (see the module docstring)."""
    return DTSTAMP_EPOCH + timedelta(seconds=sequence)


# --- SEQUENCE from the previous version -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventState:
    """What a previous version of a calendar says of one event."""

    sequence: int
    digest: str
    """`content_digest` of the event."""


FINGERPRINT_PROPERTY = "X-PLANNER-FINGERPRINT"
"""Each written event carries its `content_digest`, so that the next run reads the previous file fast."""


def fingerprint(event: Any) -> tuple[Any, ...]:
    """What a delegate sees of an event, independent of how a server or a library re-serialised it."""

    def instant(name: str) -> tuple[str, str]:
        if name not in event:
            return ("", "")
        value = event.decoded(name)
        tzid = str(event[name].params.get("TZID", ""))
        if isinstance(value, datetime) and value.tzinfo is not None:
            return (value.astimezone(UTC).isoformat(), tzid)
        return (str(value), tzid)

    def text(name: str) -> str:
        return str(event.get(name, ""))

    categories: list[str] = []
    raw = event.get("categories")
    for entry in raw if isinstance(raw, list) else [raw] if raw is not None else []:
        categories.extend(str(category) for category in getattr(entry, "cats", [entry]))
    geo = event.get("geo")
    return (instant("dtstart"), instant("dtend"), text("summary"), text("location"), text("description"),
            (round(float(geo.latitude), 6), round(float(geo.longitude), 6)) if geo is not None else None,
            tuple(categories), text("status").upper(), text("transp").upper())


def content_digest(event: Any) -> str:
    """A short, stable digest of `fingerprint(event)`."""
    encoded = json.dumps(fingerprint(event), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:32]


def event_states(components: Iterable[Any]) -> dict[str, EventState]:
    """UID → state, for the VEVENTs among `components` (a parsed file's or a server's events).

    The digest is recomputed from the content, never taken from FINGERPRINT_PROPERTY: an event edited
    elsewhere (on the server, by hand) counts as what it now says.
    """
    states: dict[str, EventState] = {}
    for component in components:
        if getattr(component, "name", None) != "VEVENT" or "uid" not in component:
            continue
        try:
            sequence = int(component.get("sequence", 0))
        except (TypeError, ValueError):
            sequence = 0
        uid = str(component["uid"])
        state = EventState(sequence, content_digest(component))
        if uid not in states or states[uid].sequence < sequence:
            states[uid] = state
    return states


def next_sequence(event: Event, previous: EventState | None) -> int:
    """Unchanged: the previous SEQUENCE; changed: one more; never seen: 0 (RFC 5545 §3.8.7.4)."""
    if previous is None:
        return 0
    digest = str(event[FINGERPRINT_PROPERTY]) if FINGERPRINT_PROPERTY in event else content_digest(event)
    return previous.sequence if previous.digest == digest else previous.sequence + 1


def set_sequence(event: Event, sequence: int) -> None:
    for name, value in (("sequence", sequence), ("dtstamp", dtstamp(sequence))):
        event.pop(name, None)
        event.add(name, value)


def restamp(calendar: Calendar, previous: dict[str, EventState]) -> Calendar:
    """Give each event the SEQUENCE (and DTSTAMP) that follows its previous version's."""
    for event in calendar.walk("VEVENT"):
        set_sequence(event, next_sequence(event, previous.get(str(event["uid"]))))
    return calendar


# --- calendars -------------------------------------------------------------------------------------


def attended_by_all(schedule: Schedule, delegate_ids: Sequence[str]) -> list[ScheduledActivity]:
    """Scheduled activities that every one of `delegate_ids` attends (every activity when none given)."""
    chosen = [a for a in schedule.activities if all(d in a.attendees for d in delegate_ids)]
    return sorted(chosen, key=lambda a: (a.start, a.id))


def build_calendar(mission: Mission, schedule: Schedule, delegate_ids: Sequence[str], name: str,
                   *, method: str | None = "PUBLISH", programme: Programme | None = None) -> Calendar:
    """The calendar of what `delegate_ids` all attend (a delegate, a group; () for the whole mission).

    `programme` (built once from mission and schedule) saves recomputing it for every calendar.
    """
    programme = programme or Programme(mission, schedule)
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
    activities = attended_by_all(schedule, delegate_ids)
    for tzid in sorted({programme.tzid[activity.id] for activity in activities}):
        calendar.add_component(programme.vtimezones[tzid])
    if not activities:
        # RFC 5545 wants at least one component: an empty programme still carries the mission's zone.
        calendar.add_component(vtimezone(mission.timezone))
    for activity in activities:
        calendar.add_component(build_event(programme, activity, delegate_ids))
    return calendar


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


def _previous_states(path: Path) -> dict[str, EventState]:
    """The events of the file about to be replaced, so that changed events get a higher SEQUENCE."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    states = _scan_own_states(data)
    if states is not None:
        return states
    try:
        return event_states(Calendar.from_ical(data).walk("VEVENT"))
    except ValueError:
        return {}


def _scan_own_states(data: bytes) -> dict[str, EventState] | None:
    """UID, SEQUENCE and FINGERPRINT_PROPERTY of each VEVENT of a file planner wrote, read line by line.

    Parsing hundreds of files with icalendar costs seconds; these three values are plain ASCII without
    escapes or parameters. None when any event lacks one of them (a file planner did not write, or
    edited since): the caller then parses the file properly.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    states: dict[str, EventState] = {}
    current: dict[str, str] | None = None
    for line in text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n"):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            if current is None or not {"UID", "SEQUENCE", FINGERPRINT_PROPERTY} <= current.keys():
                return None
            if not current["SEQUENCE"].isdigit():
                return None
            states[current["UID"]] = EventState(int(current["SEQUENCE"]), current[FINGERPRINT_PROPERTY])
            current = None
        elif current is not None:
            name, colon, value = line.partition(":")
            if colon and name in ("UID", "SEQUENCE", FINGERPRINT_PROPERTY):
                current[name] = value
    return states


def write_calendar_folder(mission: Mission, schedule: Schedule, folder: Path) -> list[Path]:
    """Write every calendar of the programme into `folder` (mission.ics, delegates/, groups/)."""
    check_fits(mission, schedule)
    folder = Path(folder)
    programme = Programme(mission, schedule)
    written: list[Path] = []
    for plan in calendar_plans(mission):
        subfolder, _, file_name = plan.relative_path.rpartition("/")
        path = inside(folder / subfolder if subfolder else folder, file_name.removesuffix(".ics"), ".ics")
        calendar = build_calendar(mission, schedule, plan.delegate_ids, plan.name, programme=programme)
        restamp(calendar, _previous_states(path))
        write_atomic(path, calendar.to_ical())
        written.append(path)
    return written


def write_calendars(mission: Mission, schedule: Schedule, out_dir: Path) -> list[Path]:
    """The writer `planner solve` runs: the calendars into `out_dir/calendars/`."""
    return write_calendar_folder(mission, schedule, Path(out_dir) / FOLDER)
