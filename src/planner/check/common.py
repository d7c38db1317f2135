"""What every check shares: the `Violation`, scheduled activities placed in time, and their wording."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from planner.domain import (
    Activity,
    Leg,
    Mission,
    Source,
    TimeOfDayRange,
)
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.text.messages import Listed, LocalSpan, Named, violation_message

PROGRAMME_STATUSES = ("optimal", "feasible")
"""Statuses of a schedule that holds a programme (schedule-format.md)."""

_MINUTE = timedelta(minutes=1)
_INSTANT = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken hard rule: a stable `code`, its parameters, the `Source`s of the statements involved, and
    the activities and delegates concerned; `message` renders it in the mission's words (planner.text)."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    refs: tuple[Source, ...] = ()
    activities: tuple[str, ...] = ()
    delegates: tuple[str, ...] = ()

    @property
    def rule(self) -> str:
        """The code, under the name the report groups by."""
        return self.code

    @property
    def message(self) -> str:
        return violation_message(self.code, self.params, self.refs)

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


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
    def ref(self) -> Named:
        return activity_ref(self.activity)

    @property
    def span(self) -> LocalSpan:
        return self.local(self.start), self.local(self.end)

    @property
    def listed(self) -> Listed:
        return Listed(self.ref, self.span)

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.zone)


def utc(instant: datetime) -> datetime:
    """Comparisons and differences in UTC: aware datetimes sharing a tzinfo subtract as wall time."""
    return instant.astimezone(UTC)


def whole_minutes(delta: timedelta) -> int:
    """Whole minutes of a difference, rounded towards minus infinity (a shortfall is never hidden)."""
    return int(delta // _MINUTE)


def activity_ref(activity: Activity) -> Named:
    return Named("activity", activity.id, activity.title)


def delegate_ref(mission: Mission, delegate_id: str) -> Named:
    delegate = mission.delegates.get(delegate_id)
    return Named("delegate", delegate_id, delegate.name if delegate else None)


def venue_ref(mission: Mission, venue_id: str) -> Named:
    venue = mission.venues.get(venue_id)
    return Named("venue", venue_id, venue.name if venue else None)


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
