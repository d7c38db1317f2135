"""Local wall time across changes of clocks: one place for the arithmetic every layer shares.

Which library does what (docs/architecture.md says the same):

- `zoneinfo` + `datetime` hold every instant: aware datetimes whose tzinfo is a `ZoneInfo` of the IANA
  database. The model, the checker and schedule.json never see another type.
- `pendulum` does the calendar arithmetic on local wall time, which `datetime` gets wrong across a change of
  clocks (`+ timedelta(days=1)` on an aware datetime adds 24 hours of wall time but means a different
  number of elapsed hours): the same wall time some days later. Durations are worded by Babel
  (planner.text.format.format_duration), in one way for every output. The bounds of a local day (23, 24
  or 25 hours long) are read as the model reads midnight (`local_instant`): pendulum's `start_of("day")`
  answers the day before when the clocks skip midnight (São Paulo until 2019).
- `icalendar` turns zones into VTIMEZONE components (planner.views.vtimezone), nothing else.

Every function returns stdlib datetimes in a `ZoneInfo`, so pendulum's own types never leave this module.
`Window`, the half-open interval of instants, lives here too: the mission's data and the matchmaking's
data both hold windows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pendulum

from planner.domain.source import UNKNOWN_SOURCE, Source

MINUTES_PER_DAY = 1440


def local_instant(day: date, minute_of_day: int, zone: ZoneInfo) -> datetime:
    """The instant at `minute_of_day` minutes of wall clock after local midnight of `day` (1440: the next
    midnight), in `zone`: 09:00 stays 09:00 on the day clocks change.

    A wall time the clocks skip reads in the offset before the change (02:30 on a spring-forward night is
    03:30 summer time); one they repeat is its first occurrence (Python's `fold=0`, the model's reading)."""
    naive = datetime(day.year, day.month, day.day) + timedelta(minutes=minute_of_day)
    return naive.replace(tzinfo=zone)


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The first instant of the local date `day` and the first of the next: 23, 24 or 25 hours apart.

    Read as the model reads midnight (`local_instant`), not through pendulum's `start_of("day")`, which on a
    date whose midnight the clocks skip (São Paulo until 2019, Santiago, Havana) answers an instant of the
    day before."""
    # Through UTC, so that a skipped midnight shows as the wall time that exists (01:00, not 00:00).
    start = local_instant(day, 0, zone).astimezone(UTC).astimezone(zone)
    end = local_instant(day + timedelta(days=1), 0, zone).astimezone(UTC).astimezone(zone)
    return start, end


def day_length_minutes(day: date, zone: ZoneInfo) -> int:
    """How many minutes the local date `day` lasts (1380 or 1500 on a change of clocks)."""
    start, end = day_bounds(day, zone)
    return minutes_between(start, end)


def same_wall_time(instant: datetime, days: int) -> datetime:
    """The same local wall time `days` dates later (or earlier), in the instant's zone."""
    zone = instant.tzinfo
    if not isinstance(zone, ZoneInfo):
        return instant + timedelta(days=days)  # a fixed offset has no change of clocks
    moved = pendulum.instance(instant.astimezone(UTC)).in_timezone(zone.key).add(days=days)
    return _stdlib(moved, zone)


def wall_minute(instant: datetime) -> int:
    """Minutes of wall clock after local midnight of the instant's own date, in its own zone."""
    return instant.hour * 60 + instant.minute


def minutes_between(start: datetime, end: datetime) -> int:
    """Elapsed whole minutes from `start` to `end` (aware instants; a change of clocks counts as it lasts)."""
    # In UTC: aware datetimes sharing one tzinfo subtract as naive wall times in Python.
    return int((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() // 60)


def _stdlib(moment: pendulum.DateTime, zone: ZoneInfo) -> datetime:
    """A pendulum instant as a plain datetime in `zone` (the type every other module uses)."""
    utc = moment.in_timezone("UTC")
    return datetime(utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, utc.microsecond,
                    tzinfo=UTC).astimezone(zone)


@dataclass(frozen=True, slots=True)
class Window:
    """A half-open interval [start, end) of aware instants."""

    start: datetime
    end: datetime
    source: Source = UNKNOWN_SOURCE

    def contains(self, start: datetime, end: datetime) -> bool:
        return self.start <= start and end <= self.end

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return start < self.end and self.start < end

    def without(self, start: datetime, end: datetime) -> list[Window]:
        """This window less [start, end): itself, one piece or two, or nothing."""
        if not self.overlaps(start, end):
            return [self]
        pieces = []
        if self.start < start:
            pieces.append(Window(self.start, start, self.source))
        if end < self.end:
            pieces.append(Window(end, self.end, self.source))
        return pieces
