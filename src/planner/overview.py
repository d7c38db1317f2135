"""The whole programme at a glance: the per-day table of `planner solve`, the timeline picture and page.

Everything here reads a `Mission` and a `Schedule` and never solves anything. Times are shown in the local
time of each activity's leg.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from rich.table import Table

from planner.domain import Mission
from planner.schedule import Schedule, ScheduledActivity


# --- shared look-ups ----------------------------------------------------------------------------------


def local_start(mission: Mission, activity: ScheduledActivity) -> datetime:
    """The activity's start in the local time of its venue's leg."""
    return activity.start.astimezone(_zone_of_venue(mission, activity.venue))


def local_end(mission: Mission, activity: ScheduledActivity) -> datetime:
    return activity.end.astimezone(_zone_of_venue(mission, activity.venue))


def _zone_of_venue(mission: Mission, venue_id: str):  # noqa: ANN202 - a tzinfo
    venue = mission.venues.get(venue_id)
    if venue is None:
        return None  # a venue unknown to the mission keeps the offset written in schedule.json
    try:
        return mission.leg_of_city(venue.city).zone
    except KeyError:
        return None


def local_date(mission: Mission, activity: ScheduledActivity) -> date:
    return local_start(mission, activity).date()


def programme_of(schedule: Schedule, delegate_id: str) -> list[ScheduledActivity]:
    """The activities a delegate attends, in time order (ties by id, for determinism)."""
    return sorted((a for a in schedule.activities if delegate_id in a.attendees), key=lambda a: (a.start, a.id))


def headcount(mission: Mission, attendees: tuple[str, ...] | list[str]) -> int:
    """People present: a delegation of `size` people counts `size`."""
    return sum(mission.delegates[d].size if d in mission.delegates else 1 for d in attendees)


def minutes_between(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds() // 60)


# --- the per-day table ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DaySummary:
    day: date
    city: str
    activities: int
    busiest_delegate: str | None
    busiest_count: int
    busiest_minutes: int
    travel_minutes: int
    peak_headcount: dict[str, int]
    """venue id → the most people present at once at that venue that day."""


def day_summaries(mission: Mission, schedule: Schedule) -> list[DaySummary]:
    """One summary per day of the mission (every leg day and every day with an activity), in date order."""
    by_day: dict[date, list[ScheduledActivity]] = defaultdict(list)
    for activity in schedule.activities:
        by_day[local_date(mission, activity)].append(activity)
    days = sorted(set(by_day) | {day for leg in mission.legs for day in leg.days()})
    travel = _travel_minutes_by_day(mission, schedule)
    summaries = []
    for day in days:
        activities = sorted(by_day.get(day, []), key=lambda a: (a.start, a.id))
        busiest, count, minutes = _busiest_delegate(activities)
        summaries.append(DaySummary(
            day=day,
            city=_city_of_day(mission, day, activities),
            activities=len(activities),
            busiest_delegate=busiest,
            busiest_count=count,
            busiest_minutes=minutes,
            travel_minutes=travel.get(day, 0),
            peak_headcount=_peak_headcount_by_venue(mission, activities),
        ))
    return summaries


def _city_of_day(mission: Mission, day: date, activities: list[ScheduledActivity]) -> str:
    for leg in mission.legs:
        if leg.contains(day):
            return leg.city
    cities = sorted({mission.venues[a.venue].city for a in activities if a.venue in mission.venues})
    return ", ".join(cities) if cities else "—"


def _busiest_delegate(activities: list[ScheduledActivity]) -> tuple[str | None, int, int]:
    """The delegate with the most activities that day, then the most hours, then the first id."""
    counts: dict[str, int] = defaultdict(int)
    minutes: dict[str, int] = defaultdict(int)
    for activity in activities:
        for delegate in activity.attendees:
            counts[delegate] += 1
            minutes[delegate] += minutes_between(activity.start, activity.end)
    if not counts:
        return None, 0, 0
    best = min(counts, key=lambda d: (-counts[d], -minutes[d], d))
    return best, counts[best], minutes[best]


def _travel_minutes_by_day(mission: Mission, schedule: Schedule) -> dict[date, int]:
    """Sum over delegates of the travel minutes between consecutive activities at different venues of one
    city, counted on the day of the activity travelled to."""
    totals: dict[date, int] = defaultdict(int)
    for delegate_id in sorted({d for a in schedule.activities for d in a.attendees}):
        programme = programme_of(schedule, delegate_id)
        for before, after in zip(programme, programme[1:]):
            minutes = mission.travel_minutes(before.venue, after.venue)
            if minutes:
                totals[local_date(mission, after)] += minutes
    return dict(totals)


def _peak_headcount_by_venue(mission: Mission, activities: list[ScheduledActivity]) -> dict[str, int]:
    """For each venue, the largest number of people present at the same time (activities may run in
    parallel at a venue with `parallel` > 1)."""
    peaks: dict[str, int] = {}
    for venue in sorted({a.venue for a in activities}):
        events: list[tuple[datetime, int]] = []
        for activity in activities:
            if activity.venue == venue:
                people = headcount(mission, activity.attendees)
                events.append((activity.start, people))
                events.append((activity.end, -people))
        # Ends sort before starts at the same instant: back-to-back activities do not overlap.
        events.sort(key=lambda event: (event[0], event[1]))
        present = peak = 0
        for _, change in events:
            present += change
            peak = max(peak, present)
        peaks[venue] = peak
    return peaks


def _hours(minutes: int) -> str:
    return f"{minutes // 60}h{minutes % 60:02d}" if minutes % 60 else f"{minutes // 60}h"


def day_table(mission: Mission, schedule: Schedule) -> Table:
    """The per-day table of the `planner solve` summary: date, city, activities, busiest delegate, total
    travel minutes and the peak headcount of each venue."""
    table = Table(title="Day by day", title_justify="left", show_lines=False, pad_edge=False)
    table.add_column("date", no_wrap=True)
    table.add_column("city")
    table.add_column("activities", justify="right")
    table.add_column("busiest delegate")
    table.add_column("travel", justify="right", no_wrap=True)
    table.add_column("peak headcount per venue")
    for summary in day_summaries(mission, schedule):
        if summary.busiest_delegate is None:
            busiest = "—"
        else:
            delegate = mission.delegates.get(summary.busiest_delegate)
            name = delegate.name if delegate else summary.busiest_delegate
            busiest = f"{name} ({summary.busiest_count}, {_hours(summary.busiest_minutes)})"
        peaks = ", ".join(f"{venue} {people}" for venue, people in
                          sorted(summary.peak_headcount.items(), key=lambda item: (-item[1], item[0])))
        table.add_row(
            f"{summary.day:%a %d %b}",
            summary.city,
            str(summary.activities),
            busiest,
            f"{summary.travel_minutes} min",
            peaks or "—",
        )
    return table
