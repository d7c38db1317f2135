"""The hard rules of a valid schedule, checked again in plain Python.

`check_schedule` is the referee of the solver: it reads only the `Mission` (planner.domain) and the
`Schedule` (planner.schedule) and shares no code with the CP-SAT model, so that a bug in the model shows
up here as a violation. Each function below checks one family of rules of the spec ("What a valid
schedule satisfies", ../shared/spec/mission-format.md) and says what is wrong in the mission's words:
ids and titles, times in the local time of the leg, and the file:line:column of the statement broken.

The exact semantics decided where the spec is silent are written down in docs/check.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.markup import escape

from planner.domain import (
    UNKNOWN_SOURCE,
    Accompany,
    Activity,
    Delegate,
    Leg,
    Lunch,
    MaxPerDay,
    MinGap,
    Mission,
    Source,
    TimeOfDayRange,
    Venue,
)
from planner.schedule import ScheduledActivity, Schedule

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


# --- wording ------------------------------------------------------------------------------------------


def _utc(instant: datetime) -> datetime:
    """Comparisons and differences in UTC: aware datetimes sharing a tzinfo subtract as wall time."""
    return instant.astimezone(timezone.utc)


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
    if local_end.date() == local_start.date() + timedelta(days=1) and local_end.time() == datetime.min.time():
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
    for earlier, later in zip(activities, activities[1:]):
        if later.start >= earlier.end:
            yield earlier, later


# --- 0. the schedule as a whole --------------------------------------------------------------------------


def check_status(mission: Mission, schedule: Schedule) -> list[Violation]:
    """Only an `optimal` or `feasible` schedule holds a programme (schedule-format.md, status)."""
    violations = []
    if schedule.status not in PROGRAMME_STATUSES:
        held = (f"yet lists {len(schedule.activities)} scheduled activit{'y' if len(schedule.activities) == 1 else 'ies'}"
                if schedule.activities else "and holds no programme")
        violations.append(Violation(
            "status", f"the schedule's status is '{schedule.status}' {held}: only an 'optimal' or 'feasible' "
                      "schedule is a valid programme",
            tuple(sorted({a.id for a in schedule.activities}))))
    if schedule.mission != mission.name:
        violations.append(Violation(
            "mission", f"the schedule is for the mission '{schedule.mission}', not '{mission.name}'"
                       f"{_where(mission.source)}"))
    return violations


def check_listing(mission: Mission, schedule: Schedule) -> list[Violation]:
    """Rule 1: every required activity scheduled; any other scheduled or listed unscheduled, once."""
    violations = []
    scheduled_ids = [a.id for a in schedule.activities]
    unscheduled_ids = [u.id for u in schedule.unscheduled]
    for activity_id in dict.fromkeys(scheduled_ids + unscheduled_ids):
        if activity_id not in mission.activities:
            where = "scheduled" if activity_id in scheduled_ids else "listed as unscheduled"
            violations.append(Violation(
                "unknown-activity", f"'{activity_id}' is {where} but the mission has no activity of that id",
                (activity_id,)))
    for activity in mission.activities.values():
        times_scheduled = scheduled_ids.count(activity.id)
        times_unscheduled = unscheduled_ids.count(activity.id)
        if activity.required and times_scheduled == 0:
            listed = " (it is listed as unscheduled)" if times_unscheduled else ""
            violations.append(Violation(
                "required", f"{_activity(activity)} is required but not scheduled{listed}{_where(activity.source)}",
                (activity.id,)))
        elif not activity.required and times_scheduled == 0 and times_unscheduled == 0:
            violations.append(Violation(
                "unlisted", f"{_activity(activity)} is neither scheduled nor listed as unscheduled",
                (activity.id,)))
        if times_scheduled > 1:
            violations.append(Violation(
                "duplicate", f"{_activity(activity)} is scheduled {times_scheduled} times; the first entry is "
                             "checked", (activity.id,)))
        if times_scheduled and times_unscheduled:
            violations.append(Violation(
                "duplicate", f"{_activity(activity)} is both scheduled and listed as unscheduled", (activity.id,)))
        elif times_unscheduled > 1:
            violations.append(Violation(
                "duplicate", f"{_activity(activity)} is listed as unscheduled {times_unscheduled} times",
                (activity.id,)))
    return violations


# --- 2. each activity on its own -------------------------------------------------------------------------


def check_duration(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """Rule 2: a scheduled activity lasts exactly its `duration` (elapsed minutes, from start to end)."""
    violations = []
    for entry in placed:
        lasts = entry.end - entry.start
        if lasts != timedelta(minutes=entry.activity.duration):
            violations.append(Violation(
                "duration", f"{_activity(entry.activity)} lasts {_minutes(lasts)} min "
                            f"({_span(entry.start, entry.end, entry.zone)}), not its duration of "
                            f"{entry.activity.duration} min{_where(entry.activity.source)}",
                (entry.id,)))
    return violations


def check_grain(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """Rule 2 and Scalars: start and end lie a whole multiple of `grain` minutes after local midnight."""
    violations = []
    for entry in placed:
        for word, instant in (("starts", entry.start), ("ends", entry.end)):
            local = instant.astimezone(entry.zone)
            if local.second or local.microsecond or (local.hour * 60 + local.minute) % mission.grain:
                clock = f"{local:%H:%M:%S}" if local.second or local.microsecond else f"{local:%H:%M}"
                violations.append(Violation(
                    "grain", f"{_activity(entry.activity)} {word} {clock} on {local:%Y-%m-%d}, "
                             f"off the mission's grain of {mission.grain} min{_where(mission.source)}",
                    (entry.id,)))
    return violations


def check_offset(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """schedule-format.md: `start`/`end` carry the UTC offset of the place (the leg's zone at that instant)."""
    violations = []
    for entry in placed:
        for word, written, instant in (("start", entry.scheduled.start, entry.start),
                                       ("end", entry.scheduled.end, entry.end)):
            local = instant.astimezone(entry.zone)
            if written.tzinfo is None or written.utcoffset() != local.utcoffset():
                violations.append(Violation(
                    "offset", f"{_activity(entry.activity)}: the {word} {written.isoformat()} is not written with "
                              f"the UTC offset of {entry.leg.city}; write {local.isoformat()}",
                    (entry.id,)))
    return violations


def check_venue(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """Rule 2: a scheduled activity uses one of its candidate venues."""
    violations = []
    for entry in placed:
        if entry.venue not in entry.activity.venues:
            candidates = ", ".join(entry.activity.venues)
            known = "" if entry.venue in mission.venues else " (the mission has no venue of that id)"
            violations.append(Violation(
                "venue", f"{_activity(entry.activity)} is at '{entry.venue}'{known}, not at one of its venues: "
                         f"{candidates}{_where(entry.activity.source)}",
                (entry.id,)))
    return violations


def check_placement(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """Rule 2: the activity lies where its `fixed` / `windows` / `dates` / leg's working day put it."""
    violations = []
    day = mission.day
    for entry in placed:
        activity = entry.activity
        name, span = _activity(activity), _span(entry.start, entry.end, entry.zone)

        def fail(message: str, source: Source = activity.source) -> None:
            violations.append(Violation("placement", f"{name} {message}{_where(source)}", (activity.id,)))

        if activity.fixed is not None and entry.start != _utc(activity.fixed):
            fail(f"starts {_at(entry.start, entry.zone)}, not at its fixed start {_at(activity.fixed, entry.zone)}")
        if activity.windows and not any(
            _utc(w.start) <= entry.start and entry.end <= _utc(w.end) for w in activity.windows
        ):
            windows = ", ".join(_span(_utc(w.start), _utc(w.end), entry.zone) for w in activity.windows)
            fail(f"is scheduled {span}, outside its windows: {windows}")
        if activity.dates:
            listed = ", ".join(d.isoformat() for d in activity.dates)
            if activity.fixed is not None or activity.windows:
                # The working day does not apply to a fixed start or windows; the dates still do.
                outside = [d for d in _dates_touched(entry) if d not in activity.dates]
                if outside:
                    fail(f"is scheduled {span}, on {', '.join(map(str, outside))}, not one of its dates: {listed}")
            elif not _inside_daily(entry, day, activity.dates):
                fail(f"is scheduled {span}, not inside the working day ({day}) of one of its dates: {listed}")
        elif activity.fixed is None and not activity.windows:
            if not _inside_daily(entry, day, entry.leg.days()):
                fail(f"is scheduled {span}, not inside the working day ({day}) of a date of its leg "
                     f"({entry.leg.city}, {entry.leg.first_day}–{entry.leg.last_day})")
    return violations


def check_leg_dates(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """Rule 2: every date an activity touches belongs to the leg of its venue's city."""
    violations = []
    for entry in placed:
        outside = [d for d in _dates_touched(entry) if not entry.leg.contains(d)]
        if outside:
            leg = entry.leg
            violations.append(Violation(
                "leg", f"{_activity(entry.activity)} is scheduled {_span(entry.start, entry.end, entry.zone)}, "
                       f"on {', '.join(map(str, outside))}, outside the {leg.city} leg "
                       f"({leg.first_day}–{leg.last_day}){_where(leg.source)}",
                (entry.id,)))
    return violations


def check_open_hours(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """Rule 2: an activity lies inside one of its venue's `open` ranges (of one day) where those are given."""
    violations = []
    for entry in placed:
        venue = mission.venues.get(entry.venue)
        if venue is None or not venue.open_hours:
            continue
        if not any(_inside_daily(entry, hours, _start_days(entry)) for hours in venue.open_hours):
            violations.append(Violation(
                "open-hours", _open_hours_message(entry, venue), (entry.id,)))
    return violations


def _open_hours_message(entry: _Placed, venue: Venue) -> str:
    hours = ", ".join(str(h) for h in venue.open_hours)
    local_start = entry.start.astimezone(entry.zone)
    minute = local_start.hour * 60 + local_start.minute
    name = _activity(entry.activity)
    first = min(venue.open_hours, key=lambda h: h.start)
    if len(venue.open_hours) == 1 and minute < first.start:
        what = f"starts {_at(entry.start, entry.zone)}, before {venue.name} opens at {_clock(first.start)}"
    elif len(venue.open_hours) == 1:
        what = (f"ends {_at(entry.end, entry.zone)}, after {venue.name} closes at {_clock(first.end % 1440)}"
                if minute < first.end else
                f"starts {_at(entry.start, entry.zone)}, after {venue.name} closes at {_clock(first.end % 1440)}")
    else:
        what = f"is scheduled {_span(entry.start, entry.end, entry.zone)}, outside {venue.name}'s opening hours {hours}"
    return f"{name} {what}{_where(venue.source)}"


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
                violations.append(Violation(
                    "after", f"{_activity(entry.activity)} starts {_at(entry.start, entry.zone)}, before "
                             f"{_activity(before.activity)} ends ({_at(before.end, before.zone)}){gap}: it may start "
                             f"at {_at(earliest, entry.zone)} at the earliest{_where(after.source)}",
                    (entry.id, before.id)))
    return violations


def _companions(mission: Mission, entry: _Placed) -> dict[str, list[Accompany]]:
    """Delegates an `accompany` rule brings to this activity, given who attends: id → the rules."""
    present = set(entry.attendees)
    brought: dict[str, list[Accompany]] = defaultdict(list)
    for rule in mission.rules:
        if not isinstance(rule, Accompany):
            continue
        if rule.kinds is not None and entry.activity.kind not in rule.kinds:
            continue
        if present.intersection(rule.principal_delegates):
            for companion in rule.delegates:
                brought[companion].append(rule)
    return brought


def check_attendees(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """Rule 2 (attendees): every required attendee attends; nobody attends who is neither required,
    optional, nor brought by an `accompany` rule; every attendee is a delegate of the mission."""
    violations = []
    for entry in placed:
        activity = entry.activity
        name = _activity(activity)
        present = list(entry.attendees)
        for delegate_id in activity.attendees:
            if delegate_id not in present:
                violations.append(Violation(
                    "attendees", f"{_delegate(mission, delegate_id)} must attend {name} but is not among its "
                                 f"attendees{_where(activity.source)}", (activity.id,), (delegate_id,)))
        allowed = set(activity.attendees) | set(activity.optional_attendees) | set(_companions(mission, entry))
        for delegate_id in sorted(set(present)):
            if delegate_id not in mission.delegates:
                violations.append(Violation(
                    "attendees", f"{name} lists '{delegate_id}' among its attendees, but the mission has no "
                                 "delegate of that id", (activity.id,), (delegate_id,)))
            elif delegate_id not in allowed:
                violations.append(Violation(
                    "attendees", f"{_delegate(mission, delegate_id)} attends {name} but is neither a required nor "
                                 f"an optional attendee, nor brought by an accompany rule{_where(activity.source)}",
                    (activity.id,), (delegate_id,)))
            if present.count(delegate_id) > 1:
                violations.append(Violation(
                    "attendees", f"{_delegate(mission, delegate_id)} is listed {present.count(delegate_id)} times "
                                 f"among the attendees of {name}", (activity.id,), (delegate_id,)))
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
                violations.append(Violation(
                    "overlap", f"{_delegate(mission, delegate_id)} attends {_activity(earlier.activity)} "
                               f"{_span(earlier.start, earlier.end, earlier.zone)} and {_activity(later.activity)} "
                               f"{_span(later.start, later.end, later.zone)} at the same time",
                    (earlier.id, later.id), (delegate_id,)))
    return violations


def check_unavailable(mission: Mission, attendance: dict[str, list[_Placed]]) -> list[Violation]:
    """Rule 4: a delegate attends nothing inside their `unavailable` windows."""
    violations = []
    for delegate_id, activities in attendance.items():
        delegate: Delegate = mission.delegates[delegate_id]
        for window in delegate.unavailable:
            for entry in activities:
                if entry.start < _utc(window.end) and _utc(window.start) < entry.end:
                    violations.append(Violation(
                        "unavailable", f"{_delegate(mission, delegate_id)} attends {_activity(entry.activity)} "
                                       f"{_span(entry.start, entry.end, entry.zone)}, inside their unavailable "
                                       f"window {_span(_utc(window.start), _utc(window.end), entry.zone)}"
                                       f"{_where(window.source if window.source != UNKNOWN_SOURCE else delegate.source)}",
                        (entry.id,), (delegate_id,)))
    return violations


def _same_city(mission: Mission, venue_a: str, venue_b: str) -> bool:
    a, b = mission.venues.get(venue_a), mission.venues.get(venue_b)
    return a is not None and b is not None and a.city == b.city


def check_travel(mission: Mission, attendance: dict[str, list[_Placed]]) -> list[Violation]:
    """Rule 4: between consecutive activities at different venues of one city lies at least the travel time."""
    violations = []
    for delegate_id, activities in attendance.items():
        for earlier, later in _consecutive(activities):
            if earlier.venue == later.venue or not _same_city(mission, earlier.venue, later.venue):
                continue
            needed = mission.travel_minutes(earlier.venue, later.venue)
            between = _minutes(later.start - earlier.end)
            pair = (f"{_activity(earlier.activity)} at {_venue(mission, earlier.venue)} "
                    f"(ends {_at(earlier.end, earlier.zone)}) and {_activity(later.activity)} at "
                    f"{_venue(mission, later.venue)} (starts {_at(later.start, later.zone)})")
            if needed is None:
                violations.append(Violation(
                    "travel", f"{_delegate(mission, delegate_id)} moves between {pair}, but no travel time between "
                              "these venues is known", (earlier.id, later.id), (delegate_id,)))
            elif between < needed:
                violations.append(Violation(
                    "travel", f"{_delegate(mission, delegate_id)} has {between} min between {pair}; the travel "
                              f"time is {needed} min", (earlier.id, later.id), (delegate_id,)))
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
                zone = together[0].zone
                violations.append(Violation(
                    "parallel", f"{_venue(mission, venue_id)} hosts {len(running)} activities at "
                                f"{_at(instant, zone)}, more than its parallel {venue.parallel}: "
                                f"{_listing(together)}{_where(venue.source)}",
                    tuple(p.id for p in together)))
    return violations


def check_capacity(mission: Mission, placed: list[_Placed]) -> list[Violation]:
    """Rule 5: the headcount of an activity (sum of its attendees' `size`) is at most its venue's `capacity`."""
    violations = []
    for entry in placed:
        venue = mission.venues.get(entry.venue)
        if venue is None or venue.capacity is None:
            continue
        headcount = sum(mission.delegates[d].size for d in dict.fromkeys(entry.attendees) if d in mission.delegates)
        if headcount > venue.capacity:
            violations.append(Violation(
                "capacity", f"{_activity(entry.activity)} brings {headcount} people to {_venue(mission, venue.id)}, "
                            f"above its capacity of {venue.capacity}{_where(venue.source)}",
                (entry.id,), tuple(sorted(set(entry.attendees)))))
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
                    violations.append(Violation(
                        "accompany", f"{_delegate(mission, companion)} must accompany "
                                     f"{', '.join(_delegate(mission, p) for p in principals)} to "
                                     f"{_activity(entry.activity)} ({entry.activity.kind}) but does not attend it"
                                     f"{_where(rule.source)}",
                        (entry.id,), (companion, *principals)))
    return violations


def check_max_per_day(mission: Mission, attendance: dict[str, list[_Placed]]) -> list[Violation]:
    """max_per_day: each delegate attends at most `count` activities (of `kinds`) starting on one local date."""
    violations = []
    for rule in mission.rules:
        if not isinstance(rule, MaxPerDay):
            continue
        for delegate_id in rule.delegates:
            by_date: dict[date, list[_Placed]] = defaultdict(list)
            for entry in attendance.get(delegate_id, []):
                if rule.kinds is None or entry.activity.kind in rule.kinds:
                    by_date[_local_date(entry.start, entry.zone)].append(entry)
            for day in sorted(by_date):
                if len(by_date[day]) > rule.count:
                    kinds = f" of kind {', '.join(rule.kinds)}" if rule.kinds else ""
                    violations.append(Violation(
                        "max_per_day", f"{_delegate(mission, delegate_id)} attends {len(by_date[day])} activities"
                                       f"{kinds} on {day}, more than the {rule.count} that "
                                       f"{_rule_name(rule.id, 'max_per_day')} allows: {_listing(by_date[day])}"
                                       f"{_where(rule.source)}",
                        tuple(e.id for e in by_date[day]), (delegate_id,)))
    return violations


def check_min_gap(mission: Mission, attendance: dict[str, list[_Placed]]) -> list[Violation]:
    """min_gap: between consecutive activities of a delegate lies the travel time (within a city) plus `gap`."""
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
                if between < needed:
                    parts = f"{travel} min travel + {rule.gap} min gap" if travel else f"a gap of {rule.gap} min"
                    violations.append(Violation(
                        "min_gap", f"{_delegate(mission, delegate_id)} has {between} min between "
                                   f"{_activity(earlier.activity)} (ends {_at(earlier.end, earlier.zone)}) and "
                                   f"{_activity(later.activity)} (starts {_at(later.start, later.zone)}); "
                                   f"{_rule_name(rule.id, 'min_gap')} needs {needed} min ({parts})"
                                   f"{_where(rule.source)}",
                        (earlier.id, later.id), (delegate_id,)))
    return violations


def check_lunch(mission: Mission, attendance: dict[str, list[_Placed]]) -> list[Violation]:
    """lunch: on every date a delegate attends anything, a free stretch of `duration` inside `between`."""
    violations = []
    for rule in mission.rules:
        if not isinstance(rule, Lunch):
            continue
        for delegate_id in rule.delegates:
            activities = attendance.get(delegate_id, [])
            legs_by_date: dict[date, Leg] = {}
            for entry in activities:
                for day in _dates_touched(entry):
                    legs_by_date.setdefault(day, _leg_of_date(mission, day) or entry.leg)
            for day in sorted(legs_by_date):
                leg = legs_by_date[day]
                window_start, window_end = _daily(leg, day, rule.between)
                longest, cursor, busy = 0, window_start, []
                for entry in activities:
                    if entry.end <= window_start or entry.start >= window_end:
                        continue
                    busy.append(entry)
                    longest = max(longest, _minutes(entry.start - cursor))
                    cursor = max(cursor, entry.end)
                longest = max(longest, _minutes(window_end - cursor))
                if longest < rule.duration:
                    violations.append(Violation(
                        "lunch", f"{_delegate(mission, delegate_id)} has no free {rule.duration} min between "
                                 f"{_clock(rule.between.start)} and {_clock(rule.between.end % 1440)} on {day} "
                                 f"(longest free stretch: {longest} min; busy with {_listing(busy)})"
                                 f"{_where(rule.source)}",
                        tuple(e.id for e in busy), (delegate_id,)))
    return violations


def _leg_of_date(mission: Mission, day: date) -> Leg | None:
    for leg in mission.legs:
        if leg.contains(day):
            return leg
    return None


# --- report ----------------------------------------------------------------------------------------------


def print_report(mission: Mission, violations: list[Violation], console: Console) -> None:
    """Print each violation on one line, grouped by rule, or one line saying the schedule is valid."""
    if not violations:
        console.print(f"[bold green]valid[/]: the schedule satisfies every hard rule of "
                      f"'{escape(mission.name)}'", highlight=False, soft_wrap=True)
        return
    count = len(violations)
    console.print(f"[bold red]invalid[/]: {count} violation{'s' if count != 1 else ''} of the hard rules of "
                  f"'{escape(mission.name)}'", highlight=False, soft_wrap=True)
    order = list(dict.fromkeys(v.rule for v in violations))
    for rule in order:
        for violation in violations:
            if violation.rule == rule:
                console.print(f"  [bold red]{escape(rule)}[/]: {escape(violation.message)}", highlight=False,
                              soft_wrap=True)
