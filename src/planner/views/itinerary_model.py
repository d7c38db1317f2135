"""The model of an itinerary: each delegate's own programme, day by day, as stops, moves, free time and lunch
breaks, with times local to each activity's leg. planner.views.itinerary renders it (text, HTML, PDF).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from planner.domain import Delegate, Lunch, MinGap, Mission, Source
from planner.domain.errors import InputError, InputErrors
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.domain.travel import TRANSFER
from planner.text.collation import alphabetical
from planner.views.common import (
    PRINCIPAL_ROLES,
    local_date,
    local_end,
    local_start,
    minutes_between,
    principal_role,
    programme_of,
)
from planner.views.meetings import MeetingLine, file_stems, meeting_lines

MAX_NAMED_PRINCIPALS = 6
"""Principals named in a stop; a reception with twenty officials names the first few and counts the rest."""
DEPARTURE_STEP = 5
"""Departure times are rounded down to this many minutes: people read 09:15, not 09:17."""



@dataclass(frozen=True, slots=True)
class Stop:
    """One activity the delegate attends."""

    activity_id: str
    title: str
    kind: str
    start: datetime
    """Local to the activity's leg, as every time in an itinerary."""
    end: datetime
    venue_id: str
    venue_name: str
    address: str | None
    principals: tuple[tuple[str, str], ...]
    """Other attendees with a principal role, as (name, role), highest roles first, at most
    `MAX_NAMED_PRINCIPALS`."""
    more_principals: tuple[str, ...]
    """The roles of the principals beyond those named."""
    other_delegations: int
    other_people: int
    description: str | None = None
    meetings: tuple[MeetingLine, ...] = ()
    """The delegate's B2B meetings inside this stop (a B2B session): time, table, whom."""


@dataclass(frozen=True, slots=True)
class Move:
    """Going from one venue to the next: leave at `leave` to arrive in time."""

    from_venue: str
    to_venue: str
    minutes: int | None
    """None when the travel time is unknown (e.g. another city)."""
    leave: datetime
    arrive: datetime
    hotel: str = ""
    """`leave`: the day's first trip, out of the hotel (`lodging`); `return`: the last, back to it."""


@dataclass(frozen=True, slots=True)
class Free:
    start: datetime
    end: datetime

    @property
    def minutes(self) -> int:
        return minutes_between(self.start, self.end)


@dataclass(frozen=True, slots=True)
class LunchBreak:
    start: datetime
    end: datetime
    rule_id: str
    on_the_way: bool = False
    """True when the break is a stop on the way: the drive to the next venue lies partly before it and
    partly after (lunch is off the road: docs/mission-format.md)."""


Entry = Stop | Move | Free | LunchBreak


@dataclass(slots=True)
class Day:
    day: date
    city: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def stops(self) -> list[Stop]:
        return [entry for entry in self.entries if isinstance(entry, Stop)]


@dataclass(slots=True)
class Itinerary:
    delegate: Delegate
    days: list[Day]

    @property
    def stops(self) -> list[Stop]:
        return [stop for day in self.days for stop in day.stops]


def build_itinerary(mission: Mission, schedule: Schedule, delegate_id: str,
                    programme: list[ScheduledActivity] | None = None,
                    companies: dict[str, Company] | None = None) -> Itinerary:
    """The delegate's programme: per local date, the activities in order with what lies between them.
    `programme`: the delegate's activities in time order, when already known (`common.programmes`);
    `companies`: each activity's `Company` by id, filled as needed, which the itineraries of one schedule
    may share."""
    companies = {} if companies is None else companies
    delegate = mission.delegates[delegate_id]
    programme = programme_of(schedule, delegate_id) if programme is None else programme
    by_day: dict[date, list[ScheduledActivity]] = {}
    for activity in programme:
        by_day.setdefault(local_date(mission, activity), []).append(activity)
    lunch_rules = [rule for rule in mission.rules
                   if isinstance(rule, Lunch) and delegate_id in rule.delegates]
    gap = max((rule.gap for rule in mission.rules
               if isinstance(rule, MinGap) and delegate_id in rule.delegates), default=0)
    meetings = _meetings_by_session(mission, schedule, delegate_id)
    days = []
    for day, activities in sorted(by_day.items()):
        for activity in activities:
            if activity.id not in companies:
                companies[activity.id] = company_of(mission, activity)
        stops = [_stop(mission, activity, delegate_id, companies[activity.id]) for activity in activities]
        stops = [replace(stop, meetings=meetings[stop.activity_id]) if stop.activity_id in meetings else stop
                 for stop in stops]
        city = _city_of(mission, activities[0], day)
        lunches = _lunch_breaks(mission, day, city, stops, lunch_rules, gap)
        entries = _day_entries(mission, stops, lunches)
        lodging = mission.hotel(delegate_id, city)
        if lodging is not None:
            entries = sorted(entries + _hotel_trips(mission, lodging.venue, stops, lunches), key=_entry_order)
        days.append(Day(day, city, entries))
    return Itinerary(delegate, days)


def _meetings_by_session(mission: Mission, schedule: Schedule,
                         delegate_id: str) -> dict[str, tuple[MeetingLine, ...]]:
    """The delegate's B2B meetings by session, each in time order: the schedule's meetings read once per
    delegate, not once per stop (2,814 stops × 351 meetings on the flagship)."""
    if not schedule.meetings:
        return {}
    by_session: dict[str, list[MeetingLine]] = {}
    for line in meeting_lines(mission, schedule, delegate_id):
        by_session.setdefault(line.session, []).append(line)
    return {session: tuple(lines) for session, lines in by_session.items()}


def _hotel_trips(mission: Mission, hotel_id: str, stops: list[Stop],
                 lunches: Sequence[LunchBreak] = ()) -> list[Entry]:
    """The day's first trip, out of the hotel in time for the first stop, and its last, back to it: after
    a lunch break that follows the last stop (lunch is off the road), not during it."""
    hotel = mission.venues[hotel_id].name
    trips: list[Entry] = []
    first, last = stops[0], stops[-1]
    if first.venue_id != hotel_id:
        minutes, leave = leave_the_hotel(mission, hotel_id, first.venue_id, first.start)
        trips.append(Move(hotel, first.venue_name, minutes, leave, first.start, hotel="leave"))
    if last.venue_id != hotel_id and last.kind != TRANSFER:  # a transfer to the next leg takes them on
        minutes = mission.travel_minutes(last.venue_id, hotel_id)
        leave = max([last.end, *(lunch.end for lunch in lunches if lunch.start >= last.end)])
        back = leave + timedelta(minutes=minutes or 0)
        trips.append(Move(last.venue_name, hotel, minutes, leave, back, hotel="return"))
    return trips


def _city_of(mission: Mission, activity: ScheduledActivity, day: date) -> str:
    venue = mission.venues.get(activity.venue)
    if venue is not None:
        return venue.city
    for leg in mission.legs:
        if leg.contains(day):
            return leg.city
    return ""


@dataclass(frozen=True, slots=True)
class Company:
    """Who attends an activity, counted once for every attendee's itinerary (each leaves themself out):
    a reception with two hundred attendees is not counted again for each of them."""

    principals: tuple[Delegate, ...]
    """The principals present, the highest roles first."""
    delegations: int
    people: int


def company_of(mission: Mission, activity: ScheduledActivity) -> Company:
    principals: list[Delegate] = []
    delegations = people = 0
    for other_id in activity.attendees:
        other = mission.delegates.get(other_id)
        if _is_principal(other):
            assert other is not None  # a principal is a delegate of the mission
            principals.append(other)
        else:
            delegations += 1
            people += other.size if other is not None else 1
    # The highest roles first; a reception with twenty officials names the first few and counts the rest.
    principals.sort(key=lambda p: (_rank(p), alphabetical(p.name), p.id))
    return Company(tuple(principals), delegations, people)


def _rank(principal: Delegate) -> int:
    return PRINCIPAL_ROLES.index(principal_role(principal.role) or "")


def _is_principal(delegate: Delegate | None) -> bool:
    return delegate is not None and principal_role(delegate.role) is not None


def _stop(mission: Mission, activity: ScheduledActivity, delegate_id: str, company: Company) -> Stop:
    planned = mission.activities.get(activity.id)
    venue = mission.venues.get(activity.venue)
    reader = mission.delegates.get(delegate_id)
    principals = [p for p in company.principals if p.id != delegate_id]
    delegations, people = company.delegations, company.people
    if not _is_principal(reader):  # the reader is counted among the others as often as they are listed
        listed = activity.attendees.count(delegate_id)
        delegations -= listed
        people -= listed * (reader.size if reader is not None else 1)
    named, unnamed = principals[:MAX_NAMED_PRINCIPALS], principals[MAX_NAMED_PRINCIPALS:]
    return Stop(
        activity_id=activity.id,
        title=planned.title if planned is not None else activity.title,
        kind=planned.kind if planned is not None else activity.kind,
        start=local_start(mission, activity),
        end=local_end(mission, activity),
        venue_id=activity.venue,
        venue_name=venue.name if venue is not None else activity.venue,
        address=venue.address if venue is not None else None,
        # Roles as the vocabulary knows them, to be worded in the reader's language however they were typed.
        principals=tuple((p.name, principal_role(p.role) or "") for p in named),
        more_principals=tuple(sorted(principal_role(p.role) or "" for p in unnamed)),
        other_delegations=delegations,
        other_people=people,
        description=planned.description if planned is not None else None,
    )


def _lunch_breaks(mission: Mission, day: date, city: str, stops: list[Stop], rules: list[Lunch],
                  gap: int) -> list[LunchBreak]:
    """Where each lunch rule's stretch falls: the first stretch of `duration` inside `between` free of stops
    and off the road (the travel and `min_gap` between the stops around it lie outside it), taken before the
    drive when it fits, else after it, else as a stop on the way; none on a day with a working lunch (a
    `meal` stop with `duration` inside `between`), which is the lunch (docs/mission-format.md)."""
    if not rules:
        return []
    try:
        leg = mission.leg_of_city(city)
    except KeyError:
        return []
    breaks = []
    for rule in rules:
        window_start = leg.local_instant(day, rule.between.start)
        window_end = leg.local_instant(day, rule.between.end)
        if any(stop.kind == "meal"
               and rule.duration <= minutes_between(max(stop.start, window_start), min(stop.end, window_end))
               for stop in stops):
            continue
        lunch = timedelta(minutes=rule.duration)
        for before, after in zip([None, *stops], [*stops, None], strict=True):
            free_from = before.end if before is not None else window_start
            free_to = after.start if after is not None else window_end
            earliest, latest = max(free_from, window_start), min(free_to, window_end)
            road = timedelta(0)
            if before is not None and after is not None:
                road = timedelta(minutes=(mission.travel_minutes(before.venue_id, after.venue_id) or 0) + gap)
            if latest - earliest < lunch or free_to - free_from - lunch < road:
                continue
            if earliest + lunch + road <= free_to:
                breaks.append(LunchBreak(earliest, earliest + lunch, rule.id))  # lunch, then the drive
            elif max(earliest, free_from + road) + lunch <= latest:
                start = max(earliest, free_from + road)  # the drive, then lunch near the next venue
                breaks.append(LunchBreak(start, start + lunch, rule.id))
            else:
                breaks.append(LunchBreak(earliest, earliest + lunch, rule.id, on_the_way=True))
            break
    return breaks


def _day_entries(mission: Mission, stops: list[Stop], lunches: list[LunchBreak]) -> list[Entry]:
    """Stops in order; between two stops the move and the free time; lunch breaks where they fall."""
    entries: list[Entry] = []
    for index, stop in enumerate(stops):
        if index > 0:
            entries.extend(_between(mission, stops[index - 1], stop, lunches))
        entries.append(stop)
    # Lunch breaks before the first or after the last stop of the day.
    placed = {(entry.rule_id, entry.start) for entry in entries if isinstance(entry, LunchBreak)}
    for lunch in lunches:
        if (lunch.rule_id, lunch.start) not in placed:
            entries.append(lunch)
    return sorted(entries, key=_entry_order)


def _entry_order(entry: Entry) -> tuple[datetime, int]:
    rank = {LunchBreak: 0, Free: 1, Move: 2, Stop: 3}[type(entry)]
    start = entry.leave if isinstance(entry, Move) else entry.start
    return start, rank


def leave_the_hotel(mission: Mission, hotel_id: str, venue_id: str,
                    start: datetime) -> tuple[int | None, datetime]:
    """The day's first trip, hotel → `venue_id` for `start` (local time): its minutes (None: unknown) and
    when to leave, as the itinerary and the calendar both say it."""
    minutes = mission.travel_minutes(hotel_id, venue_id)
    return minutes, departure(start - timedelta(minutes=minutes or 0))


def departure(latest: datetime, earliest: datetime | None = None) -> datetime:
    """The time to leave as people read it: `latest` rounded down to `DEPARTURE_STEP` minutes (earlier,
    never later, so the delegate still arrives in time), but not before the previous activity ends."""
    rounded = latest - timedelta(minutes=latest.minute % DEPARTURE_STEP, seconds=latest.second,
                                 microseconds=latest.microsecond)
    return rounded if earliest is None else max(rounded, min(latest, earliest))


def _between(mission: Mission, before: Stop, after: Stop, lunches: list[LunchBreak]) -> list[Entry]:
    """The move to the next venue at the latest moment that arrives in time and leaves a lunch break before
    it, or right after the lunch break it then precedes; the rest of the gap is free time."""
    entries: list[Entry] = []
    inside = [lunch for lunch in sorted(lunches, key=lambda lunch: lunch.start)
              if before.end <= lunch.start and lunch.end <= after.start]
    busy: list[tuple[datetime, datetime]] = [(lunch.start, lunch.end) for lunch in inside]
    entries.extend(inside)
    if before.venue_id != after.venue_id:
        known = mission.travel_minutes(before.venue_id, after.venue_id)
        trip = timedelta(minutes=known or 0)
        leave = departure(after.start - trip, before.end)
        for lunch in inside:
            if lunch.on_the_way:
                leave = before.end
                busy.append((before.end, after.start))
            elif lunch.end > leave:
                # the drive first, then lunch near the next venue
                leave = departure(lunch.start - trip, before.end)
        entries.append(Move(before.venue_name, after.venue_name, known, leave, leave + trip))
        busy.append((leave, leave + trip))
    cursor = before.end
    for start, end in sorted(busy):
        if start > cursor:
            entries.append(Free(cursor, start))
        cursor = max(cursor, end)
    if after.start > cursor:
        entries.append(Free(cursor, after.start))
    return [entry for entry in entries if not isinstance(entry, Free) or entry.minutes > 0]


# --- choosing whose itineraries -------------------------------------------------------------------------


def delegates_for(mission: Mission, delegate_id: str | None, group_id: str | None) -> list[str]:
    """The delegate ids asked for: one delegate, every member of a group, or (neither) every delegate."""
    if delegate_id is not None and group_id is not None:
        raise InputErrors([InputError(command_line(), "give either --delegate or --group, not both")])
    if delegate_id is not None:
        if delegate_id not in mission.delegates:
            raise InputErrors([InputError(command_line(), _unknown(mission, "delegate", delegate_id))])
        return [delegate_id]
    if group_id is not None:
        if group_id not in mission.groups:
            raise InputErrors([InputError(command_line(), _unknown(mission, "group", group_id))])
        return list(mission.groups[group_id].delegates)
    return list(mission.delegates)


def command_line() -> Source:
    return Source.command_line()


def _unknown(mission: Mission, what: str, given: str) -> str:
    """Why `given` is no `what`: an id of the other option, or a B2B counterpart (who has a page and a
    calendar rather than an itinerary), is said to be one; else the closest id, when one is close."""
    asked = f"--{what} '{given}' is no {what} of the mission"
    if what == "delegate" and given in mission.groups:
        return f"{asked}: it is a group; write --group '{given}' for its members' itineraries"
    if what == "group" and given in mission.delegates:
        return f"{asked}: it is a delegate; write --delegate '{given}'"
    if given in mission.counterparts:
        stem = file_stems(list(mission.counterparts))[given]
        return (f"{asked}: it is a B2B counterpart, who gets no itinerary; `planner solve` writes their "
                f"meetings to counterparts/{stem}.html and .ics")
    known = sorted(mission.delegates if what == "delegate" else mission.groups)
    closest = difflib.get_close_matches(given, known, n=1, cutoff=0.6)
    if closest:
        return f"{asked}; did you mean '{closest[0]}'?"
    if not known:
        return f"{asked}; the mission has none"
    more = f" and {len(known) - 8} more" if len(known) > 8 else ""
    return f"{asked}; the mission's {what}s are {', '.join(known[:8])}{more}"
