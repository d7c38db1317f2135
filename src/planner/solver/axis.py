"""The time axis of a mission's model: whole units from an epoch, the leg dates on it, and range helpers.

Time is counted in whole *units* from an epoch (local midnight of the first leg's first day): a unit is
the largest number of minutes that divides the grain, every activity's duration and the distance between
any two local midnights of the mission, so that every start and end of a valid schedule is a whole number
of units and every bound is exact (see docs/solving.md).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ortools.sat.python.cp_model import Domain

from planner.domain import Leg, Lunch, Mission, TimeOfDayRange

Ranges = list[tuple[int, int]]  # half-open [lo, hi) in minutes from the epoch


@dataclass(frozen=True)
class Day:
    """One leg date on the unit axis: [start, end) from local midnight to the next."""

    index: int
    leg: Leg
    date: date
    start_minute: int
    end_minute: int


class TimeAxis:
    """Minutes and units from the epoch, and the leg dates on that axis."""

    def __init__(self, mission: Mission):
        first = mission.legs[0]
        self.epoch = first.local_instant(first.first_day, 0).astimezone(UTC)
        self.days: list[Day] = []
        for leg in mission.legs:
            for local_date in leg.days():
                self.days.append(Day(len(self.days), leg, local_date,
                                     self.minute(leg.local_instant(local_date, 0)),
                                     self.minute(leg.local_instant(local_date + timedelta(days=1), 0))))
        unit = mission.grain
        for day in self.days:
            unit = math.gcd(unit, day.start_minute, day.end_minute)
        for activity in mission.activities.values():
            unit = math.gcd(unit, activity.duration)
        for rule in mission.rules:
            if isinstance(rule, Lunch):
                # A free stretch may end at a bound of `between`: off the unit, rounding would lose lunches.
                unit = math.gcd(unit, rule.between.start, rule.between.end, rule.duration)
        self.unit = max(unit, 1)
        self.grain = mission.grain
        self.grain_step = mission.grain // self.unit if mission.grain % self.unit == 0 else 1
        self._grain_cache: dict[tuple[int, int], list[int]] = {}
        self.days_of_leg: dict[str, list[Day]] = defaultdict(list)
        for day in self.days:
            self.days_of_leg[day.leg.city].append(day)

    def minute(self, instant: datetime) -> int:
        return int((instant - self.epoch).total_seconds() // 60)

    def instant(self, units: int, leg: Leg) -> datetime:
        return (self.epoch + timedelta(minutes=units * self.unit)).astimezone(leg.zone)

    def units_up(self, minutes: int) -> int:
        return -((-minutes) // self.unit)

    def units_down(self, minutes: int) -> int:
        return minutes // self.unit

    def daily(self, leg: Leg, hours: TimeOfDayRange, days: Iterable[date]) -> Ranges:
        """`hours` on each of `days` as ranges; an end at or before the start lies on the next day."""
        result = []
        for day in days:
            end = hours.end if hours.end > hours.start else hours.end + 1440
            result.append((self.minute(leg.local_instant(day, hours.start)),
                           self.minute(leg.local_instant(day, end))))
        return result

    def leg_span(self, leg: Leg) -> tuple[int, int]:
        days = self.days_of_leg[leg.city]
        return days[0].start_minute, days[-1].end_minute

    def start_domain(self, ranges: Ranges, duration: int, leg: Leg) -> list[int] | list[tuple[int, int]]:
        """Unit starts on the grain of an activity of `duration` minutes lying inside one of `ranges`."""
        intervals = []
        for lo, hi in ranges:
            first, last = self.units_up(lo), self.units_down(hi - duration)
            if first <= last:
                intervals.append((first, last))
        if self.grain_step == 1:
            return merge(intervals)
        values: set[int] = set()
        for first, last in intervals:
            for day in self.days_of_leg[leg.city]:
                if day.end_minute <= first * self.unit or last * self.unit < day.start_minute:
                    continue
                values.update(v for v in self._grain_starts(day, duration) if first <= v <= last)
        return sorted(values)

    def _grain_starts(self, day: Day, duration: int) -> list[int]:
        """Unit starts on `day` whose start and end lie on the grain of local wall time (spec: the grain is
        counted in wall time, which differs from elapsed time on a daylight-saving day)."""
        key = (day.index, duration)
        if key not in self._grain_cache:
            zone, grain = day.leg.zone, self.grain
            starts = []
            midnight = datetime(day.date.year, day.date.month, day.date.day)
            for wall in range(0, 1440, grain):
                naive = midnight + timedelta(minutes=wall)
                for fold in (0, 1):
                    start = naive.replace(tzinfo=zone, fold=fold)
                    if start.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
                        continue  # a wall time skipped by the change of clocks
                    end = (start.astimezone(UTC) + timedelta(minutes=duration)).astimezone(zone)
                    minute = self.minute(start)
                    if (end.hour * 60 + end.minute) % grain == 0 and minute % self.unit == 0:
                        starts.append(minute // self.unit)
            self._grain_cache[key] = sorted(set(starts))
        return self._grain_cache[key]


def merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(intervals):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def intersect(a: Ranges, b: Ranges) -> Ranges:
    """Pairwise intersections: lying inside one range of each list means lying inside one of these."""
    return [(max(x[0], y[0]), min(x[1], y[1])) for x in a for y in b if max(x[0], y[0]) < min(x[1], y[1])]


def domain_of(values: list[int] | list[tuple[int, int]]) -> Domain:
    if values and isinstance(values[0], tuple):
        return Domain.FromIntervals([list(v) for v in values])
    return Domain.FromValues(list(values))

