"""The hard rules of a valid schedule, checked again in plain Python.

`check_schedule` is the referee of the solver: it reads only the `Mission` (planner.domain) and the
`Schedule` (planner.domain.schedule) and shares no code with the CP-SAT model, so that a bug in the model shows
up here as a violation. Each function below checks one family of rules of the spec ("What a valid
schedule satisfies", ../shared/spec/mission-format.md) and says what is wrong in the mission's words:
ids and titles, times in the local time of the leg, and the file:line:column of the statement broken.

The exact semantics decided where the spec is silent are written down in docs/check.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.markup import escape

from planner.domain import (
    UNKNOWN_SOURCE,
    Accompany,
    Activity,
    Leg,
    Lunch,
    MaxPerDay,
    MinGap,
    Mission,
    Source,
    TimeOfDayRange,
    Venue,
)
from planner.domain.schedule import Schedule, ScheduledActivity

PROGRAMME_STATUSES = ("optimal", "feasible")
"""Statuses of a schedule that holds a programme (schedule-format.md)."""

_MINUTE = timedelta(minutes=1)
_INSTANT = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken hard rule: a stable `rule` code, a message in the mission's words, who and what."""

    rule: str
    message: str
    activities: tuple[str, ...] = ()
    delegates: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


@dataclass(frozen=True, slots=True)
class _Placed:
    """A scheduled activity the mission knows, with its instants in UTC and the zone of its leg."""

    scheduled: ScheduledActivity
    activity: Activity
    leg: Leg
    start: datetime
    end: datetime

    @property
    def id(self) -> str:
        return self.activity.id

    @property
    def zone(self) -> ZoneInfo:
        return self.leg.zone

    @property
    def attendees(self) -> tuple[str, ...]:
        return self.scheduled.attendees

    @property
    def venue(self) -> str:
        return self.scheduled.venue

    @property
    def name(self) -> str:
        return _activity(self.activity)

    @property
    def span(self) -> str:
        return _span(self.start, self.end, self.zone)

    def at(self, instant: datetime) -> str:
        return _at(instant, self.zone)


# --- wording ------------------------------------------------------------------------------------------


def _utc(instant: datetime) -> datetime:
    """Comparisons and differences in UTC: aware datetimes sharing a tzinfo subtract as wall time."""
    return instant.astimezone(UTC)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _at(instant: datetime, zone: ZoneInfo) -> str:
    """'08:30 on 2025-10-06', in local time."""
    local = instant.astimezone(zone)
    return f"{local:%H:%M} on {local:%Y-%m-%d}"


def _span(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    """'09:00–11:00 on 2025-10-06' (an end at midnight reads 24:00), or both dates, in local time."""
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    if local_end.date() == local_start.date():
        return f"{local_start:%H:%M}–{local_end:%H:%M} on {local_start:%Y-%m-%d}"
    at_midnight = local_end.time() == datetime.min.time()
    if local_end.date() == local_start.date() + timedelta(days=1) and at_midnight:
        return f"{local_start:%H:%M}–24:00 on {local_start:%Y-%m-%d}"
    return f"{_at(start, zone)} – {_at(end, zone)}"


def _minutes(delta: timedelta) -> int:
    """Whole minutes of a difference, rounded towards minus infinity (a shortfall is never hidden)."""
    return int(delta // _MINUTE)


def _activity(activity: Activity) -> str:
    return f"'{activity.title}' ({activity.id})"


def _delegate(mission: Mission, delegate_id: str) -> str:
    delegate = mission.delegates.get(delegate_id)
    return f"{delegate.name} ({delegate_id})" if delegate else delegate_id


def _venue(mission: Mission, venue_id: str) -> str:
    venue = mission.venues.get(venue_id)
    return f"{venue.name} ({venue_id})" if venue else venue_id


def _where(source: Source) -> str:
    return "" if source == UNKNOWN_SOURCE else f" ({source})"


def _listing(placed: Iterable[_Placed]) -> str:
    return ", ".join(f"{_activity(p.activity)} {_span(p.start, p.end, p.zone)}" for p in placed)


def _rule_name(rule_id: str, kind: str) -> str:
    return kind if rule_id.startswith(f"{kind}-") else f"{kind} '{rule_id}'"


# --- time arithmetic ------------------------------------------------------------------------------------


def _local_date(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def _dates_touched(placed: _Placed) -> list[date]:
    """Local dates from the start's to the last instant's (an activity ending at midnight stays on one)."""
    first = _local_date(placed.start, placed.zone)
    last = _local_date(max(placed.start, placed.end - _INSTANT), placed.zone)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _daily(leg: Leg, day: date, hours: TimeOfDayRange) -> tuple[datetime, datetime]:
    """The daily range `hours` on local `day` of `leg`, in UTC; an end before the start is on the next day."""
    end = hours.end if hours.end > hours.start else hours.end + 1440
    return _utc(leg.local_instant(day, hours.start)), _utc(leg.local_instant(day, end))


def _inside_daily(placed: _Placed, hours: TimeOfDayRange, days: Iterable[date]) -> bool:
    """Whether the activity lies inside `hours` of one of `days` (local dates of its leg)."""
    for day in days:
        start, end = _daily(placed.leg, day, hours)
        if start <= placed.start and placed.end <= end:
            return True
    return False


def _start_days(placed: _Placed) -> list[date]:
    """The local date of the start and the day before (a range crossing midnight may hold the start)."""
    day = _local_date(placed.start, placed.zone)
    return [day - timedelta(days=1), day]


# --- the whole check ----------------------------------------------------------------------------------


def check_schedule(mission: Mission, schedule: Schedule) -> list[Violation]:
    """Every hard rule of the spec that `schedule` breaks for `mission`; an empty list when it is valid."""
    violations: list[Violation] = []
    violations += check_status(mission, schedule)
    violations += check_listing(mission, schedule)
    placed = _place(mission, schedule)
    for check in (
        check_duration, check_grain, check_offset, check_venue, check_placement, check_leg_dates,
        check_open_hours, check_after, check_attendees,
    ):
        violations += check(mission, placed)
    attendance = _attendance(mission, placed)
    for per_delegate in (check_overlap, check_unavailable, check_travel):
        violations += per_delegate(mission, attendance)
    violations += check_parallel(mission, placed)
    violations += check_capacity(mission, placed)
    violations += check_accompany(mission, placed)
    violations += check_max_per_day(mission, attendance)
    violations += check_min_gap(mission, attendance)
    violations += check_lunch(mission, attendance)
    return violations


def _place(mission: Mission, schedule: Schedule) -> list[_Placed]:
    """The first entry of each activity the mission knows, sorted by start (then end, then id)."""
    placed: dict[str, _Placed] = {}
    for scheduled in schedule.activities:
        activity = mission.activities.get(scheduled.id)
        if activity is None or scheduled.id in placed:
            continue
        leg = mission.leg_of_activity(activity.id)
        # A naive time (built in code, never read from JSON) is taken as local time; check_offset flags it.
        start, end = (t if t.tzinfo is not None else t.replace(tzinfo=leg.zone)
                      for t in (scheduled.start, scheduled.end))
        placed[scheduled.id] = _Placed(scheduled, activity, leg, _utc(start), _utc(end))
    return sorted(placed.values(), key=lambda p: (p.start, p.end, p.id))


def _attendance(mission: Mission, placed: list[_Placed]) -> dict[str, list[_Placed]]:
    """Delegate id → the activities they attend, sorted by start: 'consecutive' means next in this list."""
    attendance: dict[str, list[_Placed]] = {delegate_id: [] for delegate_id in mission.delegates}
    for entry in placed:
        for delegate_id in dict.fromkeys(entry.attendees):
            if delegate_id in attendance:
                attendance[delegate_id].append(entry)
    return attendance


def _consecutive(activities: list[_Placed]) -> Iterator[tuple[_Placed, _Placed]]:
    """Pairs of activities next to each other by start that do not overlap (an overlap is reported apart)."""
    for earlier, later in zip(activities, activities[1:], strict=False):
        if later.start >= earlier.end:
            yield earlier, later


# --- 0. the schedule as a whole --------------------------------------------------------------------------


def check_status(mission: Mission, schedule: Schedule) -> list[Violation]:
    """Only an `optimal` or `feasible` schedule holds a programme (schedule-format.md, status)."""
    violations = []
    if schedule.status not in PROGRAMME_STATUSES:
        count = len(schedule.activities)
        held = (f"yet lists {count} scheduled activit{'y' if count == 1 else 'ies'}" if count
                else "and holds no programme")
        message = (f"the schedule's status is '{schedule.status}' {held}: only an 'optimal' or 'feasible' "
                   "schedule is a valid programme")
        violations.append(Violation("status", message, tuple(sorted({a.id for a in schedule.activities}))))
    if schedule.mission != mission.name:
        message = f"the schedule is for the mission '{schedule.mission}', not '{mission.name}'"
        violations.append(Violation("mission", message + _where(mission.source)))
    return violations


def check_listing(mission: Mission, schedule: Schedule) -> list[Violation]:
    """Rule 1: every required activity scheduled; any other scheduled or listed unscheduled, once."""
    violations = []
    scheduled_ids = [a.id for a in schedule.activities]
    unscheduled_ids = [u.id for u in schedule.unscheduled]
    for activity_id in dict.fromkeys(scheduled_ids + unscheduled_ids):
        if activity_id not in mission.activities:
            where = "scheduled" if activity_id in scheduled_ids else "listed as unscheduled"
            message = f"'{activity_id}' is {where} but the mission has no activity of that id"
            violations.append(Violation("unknown-activity", message, (activity_id,)))
    for activity in mission.activities.values():
        name, ids = _activity(activity), (activity.id,)
        times_scheduled = scheduled_ids.count(activity.id)
        times_unscheduled = unscheduled_ids.count(activity.id)
        if activity.required and times_scheduled == 0:
            listed = " (it is listed as unscheduled)" if times_unscheduled else ""
            message = f"{name} is required but not scheduled{listed}{_where(activity.source)}"
            violations.append(Violation("required", message, ids))
        elif not activity.required and times_scheduled == 0 and times_unscheduled == 0:
            message = f"{name} is neither scheduled nor listed as unscheduled"
            violations.append(Violation("unlisted", message, ids))
        if times_scheduled > 1:
            message = f"{name} is scheduled {times_scheduled} times; the first entry is checked"
            violations.append(Violation("duplicate", message, ids))
        if times_scheduled and times_unscheduled:
            message = f"{name} is both scheduled and listed as unscheduled"
            violations.append(Violation("duplicate", message, ids))
        elif times_unscheduled > 1:
            message = f"{name} is listed as unscheduled {times_unscheduled} times"
            violations.append(Violation("duplicate", message, ids))
    return violations


# --- 2. each activity on its own -------------------------------------------------------------------------


def check_duration(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """Rule 2: a scheduled activity lasts exactly its `duration` (elapsed minutes, from start to end)."""
    violations = []
    for entry in placed:
        lasts = entry.end - entry.start
        if lasts != timedelta(minutes=entry.activity.duration):
            message = (f"{entry.name} lasts {_minutes(lasts)} min ({entry.span}), not its duration of "
                       f"{entry.activity.duration} min{_where(entry.activity.source)}")
            violations.append(Violation("duration", message, (entry.id,)))
    return violations


def check_grain(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """Rule 2 and Scalars: start and end lie a whole multiple of `grain` minutes after local midnight."""
    violations = []
    for entry in placed:
        for word, instant in (("starts", entry.start), ("ends", entry.end)):
            local = instant.astimezone(entry.zone)
            off_the_minute = bool(local.second or local.microsecond)
            if off_the_minute or (local.hour * 60 + local.minute) % mission.grain:
                clock = f"{local:%H:%M:%S}" if off_the_minute else f"{local:%H:%M}"
                message = (f"{entry.name} {word} {clock} on {local:%Y-%m-%d}, off the mission's grain of "
                           f"{mission.grain} min{_where(mission.source)}")
                violations.append(Violation("grain", message, (entry.id,)))
    return violations


def check_offset(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """schedule-format.md: `start` and `end` carry the UTC offset of their leg's zone at that instant."""
    violations = []
    for entry in placed:
        for word, written, instant in (("start", entry.scheduled.start, entry.start),
                                       ("end", entry.scheduled.end, entry.end)):
            local = instant.astimezone(entry.zone)
            if written.tzinfo is None or written.utcoffset() != local.utcoffset():
                message = (f"{entry.name}: the {word} {written.isoformat()} is not written with the UTC "
                           f"offset of {entry.leg.city}; write {local.isoformat()}")
                violations.append(Violation("offset", message, (entry.id,)))
    return violations


def check_venue(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """Rule 2: a scheduled activity uses one of its candidate venues."""
    violations = []
    for entry in placed:
        if entry.venue not in entry.activity.venues:
            known = "" if entry.venue in mission.venues else " (the mission has no venue of that id)"
            message = (f"{entry.name} is at '{entry.venue}'{known}, not at one of its venues: "
                       f"{', '.join(entry.activity.venues)}{_where(entry.activity.source)}")
            violations.append(Violation("venue", message, (entry.id,)))
    return violations


def check_placement(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """Rule 2: the activity lies where its `fixed` / `windows` / `dates` / leg's working day put it."""
    violations = []
    day = mission.day
    for entry in placed:
        activity, span, leg = entry.activity, entry.span, entry.leg
        failures = []
        if activity.fixed is not None and entry.start != _utc(activity.fixed):
            fixed = entry.at(activity.fixed)
            failures.append(f"starts {entry.at(entry.start)}, not at its fixed start {fixed}")
        if activity.windows and not any(
            _utc(w.start) <= entry.start and entry.end <= _utc(w.end) for w in activity.windows
        ):
            windows = ", ".join(_span(w.start, w.end, entry.zone) for w in activity.windows)
            failures.append(f"is scheduled {span}, outside its windows: {windows}")
        if activity.dates:
            listed = ", ".join(d.isoformat() for d in activity.dates)
            if activity.fixed is not None or activity.windows:
                # The working day does not apply to a fixed start or windows; the dates still do.
                outside = ", ".join(str(d) for d in _dates_touched(entry) if d not in activity.dates)
                if outside:
                    failures.append(f"is scheduled {span}, on {outside}, not one of its dates: {listed}")
            elif not _inside_daily(entry, day, activity.dates):
                failures.append(f"is scheduled {span}, not inside the working day ({day}) of one of its "
                                f"dates: {listed}")
        elif activity.fixed is None and not activity.windows and not _inside_daily(entry, day, leg.days()):
            failures.append(f"is scheduled {span}, not inside the working day ({day}) of a date of its leg "
                            f"({leg.city}, {leg.first_day}–{leg.last_day})")
        for failure in failures:
            violations.append(Violation("placement", f"{entry.name} {failure}{_where(activity.source)}",
                                        (activity.id,)))
    return violations


def check_leg_dates(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """Rule 2: every date an activity touches belongs to the leg of its venue's city."""
    violations = []
    for entry in placed:
        leg = entry.leg
        outside = ", ".join(str(d) for d in _dates_touched(entry) if not leg.contains(d))
        if outside:
            message = (f"{entry.name} is scheduled {entry.span}, on {outside}, outside the {leg.city} leg "
                       f"({leg.first_day}–{leg.last_day}){_where(leg.source)}")
            violations.append(Violation("leg", message, (entry.id,)))
    return violations


def check_open_hours(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """Rule 2: an activity lies inside one of its venue's `open` ranges (of one day) where those are given."""
    violations = []
    for entry in placed:
        venue = mission.venues.get(entry.venue)
        if venue is None or not venue.open_hours:
            continue
        if not any(_inside_daily(entry, hours, _start_days(entry)) for hours in venue.open_hours):
            violations.append(Violation("open-hours", _open_hours_message(entry, venue), (entry.id,)))
    return violations


def _open_hours_message(entry: _Placed, venue: Venue) -> str:
    """'starts … before X opens at …' or '… after X closes at …' for one range; otherwise all ranges."""
    local_start = entry.start.astimezone(entry.zone)
    minute = local_start.hour * 60 + local_start.minute
    if len(venue.open_hours) == 1:
        hours = venue.open_hours[0]
        opens, closes = _clock(hours.start), _clock(hours.end % 1440)
        if minute < hours.start:
            what = f"starts {entry.at(entry.start)}, before {venue.name} opens at {opens}"
        elif minute < hours.end:
            what = f"ends {entry.at(entry.end)}, after {venue.name} closes at {closes}"
        else:
            what = f"starts {entry.at(entry.start)}, after {venue.name} closes at {closes}"
    else:
        ranges = ", ".join(str(h) for h in venue.open_hours)
        what = f"is scheduled {entry.span}, outside {venue.name}'s opening hours {ranges}"
    return f"{entry.name} {what}{_where(venue.source)}"


def check_after(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """Rule 3: an activity starts at least `gap` after each scheduled activity of its `after` ends."""
    violations = []
    by_id = {entry.id: entry for entry in placed}
    for entry in placed:
        for after in entry.activity.after:
            before = by_id.get(after.activity)
            if before is None:
                continue
            earliest = before.end + timedelta(minutes=after.gap)
            if entry.start < earliest:
                gap = f" plus {after.gap} min" if after.gap else ""
                message = (f"{entry.name} starts {entry.at(entry.start)}, before {before.name} ends "
                           f"({before.at(before.end)}){gap}: it may start at {entry.at(earliest)} at the "
                           f"earliest{_where(after.source)}")
                violations.append(Violation("after", message, (entry.id, before.id)))
    return violations


def _companions(mission: Mission, entry: _Placed) -> set[str]:
    """Delegates an `accompany` rule brings to this activity, given who actually attends it."""
    present = set(entry.attendees)
    brought: set[str] = set()
    for rule in mission.rules:
        if not isinstance(rule, Accompany):
            continue
        if rule.kinds is not None and entry.activity.kind not in rule.kinds:
            continue
        if present.intersection(rule.principal_delegates):
            brought.update(rule.delegates)
    return brought


def check_attendees(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """Rule 2 (attendees): the required attend; nobody else but optional ones and those `accompany` brings."""
    violations = []
    for entry in placed:
        activity, name = entry.activity, entry.name
        present = list(entry.attendees)

        def fail(delegate_id: str, message: str, activity_id: str = activity.id) -> None:
            violations.append(Violation("attendees", message, (activity_id,), (delegate_id,)))

        for delegate_id in activity.attendees:
            if delegate_id not in present:
                fail(delegate_id, f"{_delegate(mission, delegate_id)} must attend {name} but is not among "
                                  f"its attendees{_where(activity.source)}")
        allowed = set(activity.attendees) | set(activity.optional_attendees) | _companions(mission, entry)
        for delegate_id in sorted(set(present)):
            who = _delegate(mission, delegate_id)
            if delegate_id not in mission.delegates:
                fail(delegate_id, f"{name} lists '{delegate_id}' among its attendees, but the mission has no "
                                  "delegate of that id")
            elif delegate_id not in allowed:
                fail(delegate_id, f"{who} attends {name} but is neither a required nor an optional attendee, "
                                  f"nor brought by an accompany rule{_where(activity.source)}")
            if present.count(delegate_id) > 1:
                fail(delegate_id, f"{who} is listed {present.count(delegate_id)} times among the attendees "
                                  f"of {name}")
    return violations


# --- 4. each delegate --------------------------------------------------------------------------------------


def check_overlap(mission: Mission, attendance: dict[str, list[_Placed]]) -> list[Violation]:
    """Rule 4: a delegate attends at most one activity at a time."""
    violations = []
    for delegate_id, activities in attendance.items():
        for index, earlier in enumerate(activities):
            for later in activities[index + 1:]:
                if later.start >= earlier.end:
                    break
                message = (f"{_delegate(mission, delegate_id)} attends {earlier.name} {earlier.span} and "
                           f"{later.name} {later.span} at the same time")
                violations.append(Violation("overlap", message, (earlier.id, later.id), (delegate_id,)))
    return violations


def check_unavailable(mission: Mission, attendance: dict[str, list[_Placed]]) -> list[Violation]:
    """Rule 4: a delegate attends nothing inside their `unavailable` windows."""
    violations = []
    for delegate_id, activities in attendance.items():
        delegate = mission.delegates[delegate_id]
        for window in delegate.unavailable:
            source = window.source if window.source != UNKNOWN_SOURCE else delegate.source
            for entry in activities:
                if entry.start < _utc(window.end) and _utc(window.start) < entry.end:
                    message = (f"{_delegate(mission, delegate_id)} attends {entry.name} {entry.span}, inside "
                               f"their unavailable window {_span(window.start, window.end, entry.zone)}"
                               f"{_where(source)}")
                    violations.append(Violation("unavailable", message, (entry.id,), (delegate_id,)))
    return violations


def _same_city(mission: Mission, venue_a: str, venue_b: str) -> bool:
    a, b = mission.venues.get(venue_a), mission.venues.get(venue_b)
    return a is not None and b is not None and a.city == b.city


def check_travel(mission: Mission, attendance: dict[str, list[_Placed]]) -> list[Violation]:
    """Rule 4: consecutive activities at different venues of one city lie at least the travel time apart."""
    violations = []
    for delegate_id, activities in attendance.items():
        for earlier, later in _consecutive(activities):
            if earlier.venue == later.venue or not _same_city(mission, earlier.venue, later.venue):
                continue
            needed = mission.travel_minutes(earlier.venue, later.venue)
            between = _minutes(later.start - earlier.end)
            who = _delegate(mission, delegate_id)
            pair = (f"{earlier.name} at {_venue(mission, earlier.venue)} (ends {earlier.at(earlier.end)}) "
                    f"and {later.name} at {_venue(mission, later.venue)} (starts {later.at(later.start)})")
            if needed is None:
                message = f"{who} moves between {pair}, but no travel time between these venues is known"
            elif between < needed:
                message = f"{who} has {between} min between {pair}; the travel time is {needed} min"
            else:
                continue
            violations.append(Violation("travel", message, (earlier.id, later.id), (delegate_id,)))
    return violations


# --- 5. each venue ---------------------------------------------------------------------------------------


def check_parallel(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """Rule 5: a venue hosts at most `parallel` activities at once."""
    violations = []
    by_venue: dict[str, list[_Placed]] = defaultdict(list)
    for entry in placed:
        by_venue[entry.venue].append(entry)
    for venue_id, entries in by_venue.items():
        venue = mission.venues.get(venue_id)
        if venue is None:
            continue
        # Half-open intervals: at one instant an ending activity leaves before a starting one enters.
        events = sorted([(e.start, 1, e.id) for e in entries] + [(e.end, 0, e.id) for e in entries])
        by_id = {e.id: e for e in entries}
        running: dict[str, _Placed] = {}
        reported: set[frozenset[str]] = set()
        for instant, starts, activity_id in events:
            if not starts:
                running.pop(activity_id, None)
                continue
            running[activity_id] = by_id[activity_id]
            if len(running) > venue.parallel and frozenset(running) not in reported:
                reported.add(frozenset(running))
                together = sorted(running.values(), key=lambda p: (p.start, p.id))
                message = (f"{_venue(mission, venue_id)} hosts {len(running)} activities at "
                           f"{together[0].at(instant)}, more than its parallel {venue.parallel}: "
                           f"{_listing(together)}{_where(venue.source)}")
                violations.append(Violation("parallel", message, tuple(p.id for p in together)))
    return violations


def check_capacity(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """Rule 5: an activity's headcount (sum of its attendees' `size`) is at most its venue's `capacity`."""
    violations = []
    for entry in placed:
        venue = mission.venues.get(entry.venue)
        if venue is None or venue.capacity is None:
            continue
        attendees = [d for d in dict.fromkeys(entry.attendees) if d in mission.delegates]
        headcount = sum(mission.delegates[d].size for d in attendees)
        if headcount > venue.capacity:
            message = (f"{entry.name} brings {headcount} people to {_venue(mission, venue.id)}, above its "
                       f"capacity of {venue.capacity}{_where(venue.source)}")
            violations.append(Violation("capacity", message, (entry.id,), tuple(sorted(attendees))))
    return violations


# --- 6. rules --------------------------------------------------------------------------------------------


def check_accompany(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """accompany: every scheduled activity of the listed kinds that B attends is attended by A too."""
    violations = []
    for rule in mission.rules:
        if not isinstance(rule, Accompany):
            continue
        for entry in placed:
            if rule.kinds is not None and entry.activity.kind not in rule.kinds:
                continue
            principals = [d for d in rule.principal_delegates if d in entry.attendees]
            if not principals:
                continue
            for companion in rule.delegates:
                if companion not in entry.attendees:
                    message = (f"{_delegate(mission, companion)} must accompany "
                               f"{', '.join(_delegate(mission, p) for p in principals)} to {entry.name} "
                               f"({entry.activity.kind}) but does not attend it{_where(rule.source)}")
                    violations.append(Violation("accompany", message, (entry.id,), (companion, *principals)))
    return violations


def check_max_per_day(mission: Mission, attendance: dict[str, list[_Placed]]) -> list[Violation]:
    """max_per_day: a delegate attends at most `count` activities (of `kinds`) starting on one local date."""
    violations = []
    for rule in mission.rules:
        if not isinstance(rule, MaxPerDay):
            continue
        kinds = f" of kind {', '.join(rule.kinds)}" if rule.kinds else ""
        for delegate_id in rule.delegates:
            by_date: dict[date, list[_Placed]] = defaultdict(list)
            for entry in attendance.get(delegate_id, []):
                if rule.kinds is None or entry.activity.kind in rule.kinds:
                    by_date[_local_date(entry.start, entry.zone)].append(entry)
            for day, counted in sorted(by_date.items()):
                if len(counted) > rule.count:
                    message = (f"{_delegate(mission, delegate_id)} attends {len(counted)} activities{kinds} "
                               f"on {day}, more than the {rule.count} that "
                               f"{_rule_name(rule.id, 'max_per_day')} allows: {_listing(counted)}"
                               f"{_where(rule.source)}")
                    violations.append(Violation("max_per_day", message, tuple(e.id for e in counted),
                                                (delegate_id,)))
    return violations


def check_min_gap(mission: Mission, attendance: dict[str, list[_Placed]]) -> list[Violation]:
    """min_gap: consecutive activities of a delegate lie the travel time (within a city) plus `gap` apart."""
    violations = []
    for rule in mission.rules:
        if not isinstance(rule, MinGap):
            continue
        for delegate_id in rule.delegates:
            for earlier, later in _consecutive(attendance.get(delegate_id, [])):
                travel = 0
                if _same_city(mission, earlier.venue, later.venue):
                    travel = mission.travel_minutes(earlier.venue, later.venue) or 0
                needed = travel + rule.gap
                between = _minutes(later.start - earlier.end)
                if between >= needed:
                    continue
                parts = f"{travel} min travel + {rule.gap} min gap" if travel else f"a gap of {rule.gap} min"
                message = (f"{_delegate(mission, delegate_id)} has {between} min between {earlier.name} "
                           f"(ends {earlier.at(earlier.end)}) and {later.name} "
                           f"(starts {later.at(later.start)}); "
                           f"{_rule_name(rule.id, 'min_gap')} needs {needed} min ({parts})"
                           f"{_where(rule.source)}")
                violations.append(Violation("min_gap", message, (earlier.id, later.id), (delegate_id,)))
    return violations


def check_lunch(mission: Mission, attendance: dict[str, list[_Placed]]) -> list[Violation]:
    """lunch: on every date a delegate attends anything, a free stretch of `duration` inside `between`."""
    violations = []
    for rule in mission.rules:
        if not isinstance(rule, Lunch):
            continue
        between = f"{_clock(rule.between.start)} and {_clock(rule.between.end % 1440)}"
        for delegate_id in rule.delegates:
            activities = attendance.get(delegate_id, [])
            legs_by_date: dict[date, Leg] = {}
            for entry in activities:
                for day in _dates_touched(entry):
                    legs_by_date.setdefault(day, _leg_of_date(mission, day) or entry.leg)
            for day, leg in sorted(legs_by_date.items()):
                window_start, window_end = _daily(leg, day, rule.between)
                busy = [e for e in activities if e.start < window_end and window_start < e.end]
                longest, free_from = 0, window_start
                for entry in busy:  # sorted by start
                    longest = max(longest, _minutes(entry.start - free_from))
                    free_from = max(free_from, entry.end)
                longest = max(longest, _minutes(window_end - free_from))
                if longest < rule.duration:
                    message = (f"{_delegate(mission, delegate_id)} has no free {rule.duration} min between "
                               f"{between} on {day} (longest free stretch: {longest} min; busy with "
                               f"{_listing(busy)}){_where(rule.source)}")
                    violations.append(Violation("lunch", message, tuple(e.id for e in busy), (delegate_id,)))
    return violations


def _leg_of_date(mission: Mission, day: date) -> Leg | None:
    for leg in mission.legs:
        if leg.contains(day):
            return leg
    return None


# --- report ----------------------------------------------------------------------------------------------


def print_report(mission: Mission, violations: list[Violation], console: Console) -> None:
    """Print each violation on one line, grouped by rule, or one line saying the schedule is valid."""
    name = escape(mission.name)
    if not violations:
        console.print(f"[bold green]valid[/]: the schedule satisfies every hard rule of '{name}'",
                      highlight=False, soft_wrap=True)
        return
    count = len(violations)
    console.print(f"[bold red]invalid[/]: {count} violation{'s' if count != 1 else ''} of the hard rules of "
                  f"'{name}'", highlight=False, soft_wrap=True)
    for rule in dict.fromkeys(v.rule for v in violations):
        for violation in violations:
            if violation.rule == rule:
                console.print(f"  [bold red]{escape(rule)}[/]: {escape(violation.message)}", highlight=False,
                              soft_wrap=True)
