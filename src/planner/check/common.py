"""What every check shares: the `Violation`, scheduled activities placed in time, and their wording."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from planner.domain import (
    UNKNOWN_SOURCE,
    Activity,
    Leg,
    Mission,
    Source,
    TimeOfDayRange,
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
class Placed:
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
        return activity_name(self.activity)

    @property
    def span(self) -> str:
        return span_text(self.start, self.end, self.zone)

    def at(self, instant: datetime) -> str:
        return at_text(instant, self.zone)


def utc(instant: datetime) -> datetime:
    """Comparisons and differences in UTC: aware datetimes sharing a tzinfo subtract as wall time."""
    return instant.astimezone(UTC)


def clock_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def at_text(instant: datetime, zone: ZoneInfo) -> str:
    """'08:30 on 2025-10-06', in local time."""
    local = instant.astimezone(zone)
    return f"{local:%H:%M} on {local:%Y-%m-%d}"


def span_text(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    """'09:00–11:00 on 2025-10-06' (an end at midnight reads 24:00), or both dates, in local time."""
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    if local_end.date() == local_start.date():
        return f"{local_start:%H:%M}–{local_end:%H:%M} on {local_start:%Y-%m-%d}"
    at_midnight = local_end.time() == datetime.min.time()
    if local_end.date() == local_start.date() + timedelta(days=1) and at_midnight:
        return f"{local_start:%H:%M}–24:00 on {local_start:%Y-%m-%d}"
    return f"{at_text(start, zone)} – {at_text(end, zone)}"


def whole_minutes(delta: timedelta) -> int:
    """Whole minutes of a difference, rounded towards minus infinity (a shortfall is never hidden)."""
    return int(delta // _MINUTE)


def activity_name(activity: Activity) -> str:
    return f"'{activity.title}' ({activity.id})"


def delegate_name(mission: Mission, delegate_id: str) -> str:
    delegate = mission.delegates.get(delegate_id)
    return f"{delegate.name} ({delegate_id})" if delegate else delegate_id


def venue_name(mission: Mission, venue_id: str) -> str:
    venue = mission.venues.get(venue_id)
    return f"{venue.name} ({venue_id})" if venue else venue_id


def source_suffix(source: Source) -> str:
    return "" if source == UNKNOWN_SOURCE else f" ({source})"


def listing_text(placed: Iterable[Placed]) -> str:
    return ", ".join(f"{activity_name(p.activity)} {span_text(p.start, p.end, p.zone)}" for p in placed)


def rule_name(rule_id: str, kind: str) -> str:
    return kind if rule_id.startswith(f"{kind}-") else f"{kind} '{rule_id}'"


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def dates_touched(placed: Placed) -> list[date]:
    """Local dates from the start's to the last instant's (an activity ending at midnight stays on one)."""
    first = local_date(placed.start, placed.zone)
    last = local_date(max(placed.start, placed.end - _INSTANT), placed.zone)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def daily(leg: Leg, day: date, hours: TimeOfDayRange) -> tuple[datetime, datetime]:
    """The daily range `hours` on local `day` of `leg`, in UTC; an end before the start is on the next day."""
    end = hours.end if hours.end > hours.start else hours.end + 1440
    return utc(leg.local_instant(day, hours.start)), utc(leg.local_instant(day, end))


def inside_daily(placed: Placed, hours: TimeOfDayRange, days: Iterable[date]) -> bool:
    """Whether the activity lies inside `hours` of one of `days` (local dates of its leg)."""
    for day in days:
        start, end = daily(placed.leg, day, hours)
        if start <= placed.start and placed.end <= end:
            return True
    return False


def start_days(placed: Placed) -> list[date]:
    """The local date of the start and the day before (a range crossing midnight may hold the start)."""
    day = local_date(placed.start, placed.zone)
    return [day - timedelta(days=1), day]


def place(mission: Mission, schedule: Schedule) -> list[Placed]:
    """The first entry of each activity the mission knows, sorted by start (then end, then id)."""
    placed: dict[str, Placed] = {}
    for scheduled in schedule.activities:
        activity = mission.activities.get(scheduled.id)
        if activity is None or scheduled.id in placed:
            continue
        leg = mission.leg_of_activity(activity.id)
        # A naive time (built in code, never read from JSON) is taken as local time; check_offset flags it.
        start, end = (t if t.tzinfo is not None else t.replace(tzinfo=leg.zone)
                      for t in (scheduled.start, scheduled.end))
        placed[scheduled.id] = Placed(scheduled, activity, leg, utc(start), utc(end))
    return sorted(placed.values(), key=lambda p: (p.start, p.end, p.id))


def attendance_of(mission: Mission, placed: list[Placed]) -> dict[str, list[Placed]]:
    """Delegate id → the activities they attend, sorted by start: 'consecutive' means next in this list."""
    attendance: dict[str, list[Placed]] = {delegate_id: [] for delegate_id in mission.delegates}
    for entry in placed:
        for delegate_id in dict.fromkeys(entry.attendees):
            if delegate_id in attendance:
                attendance[delegate_id].append(entry)
    return attendance


def consecutive(activities: list[Placed]) -> Iterator[tuple[Placed, Placed]]:
    """Pairs of activities next to each other by start that do not overlap (an overlap is reported apart)."""
    for earlier, later in pairwise(activities):
        if later.start >= earlier.end:
            yield earlier, later


def same_city(mission: Mission, venue_a: str, venue_b: str) -> bool:
    a, b = mission.venues.get(venue_a), mission.venues.get(venue_b)
    return a is not None and b is not None and a.city == b.city


def leg_of_date(mission: Mission, day: date) -> Leg | None:
    for leg in mission.legs:
        if leg.contains(day):
            return leg
    return None
