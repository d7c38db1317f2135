"""The timeline of the overview: one row per track, per sector group and per venue used, the days side by
side, and each activity a bar in its own lane where activities of a row overlap (the row grows). The page
(planner.views.overview) and the pictures (planner.views.overview_png) draw the same timeline.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from planner.domain import Group, Mission
from planner.domain.schedule import Schedule, ScheduledActivity
from planner.domain.time import wall_minute
from planner.views.common import local_date, local_start, minutes_between


@dataclass(frozen=True, slots=True)
class TimelineRow:
    key: str
    label: str
    kind: str
    """'track', 'sector' or 'venue'."""
    city: str | None = None


@dataclass(frozen=True, slots=True)
class Bar:
    """One activity drawn in one row on one day, in lane `lane` of `lanes`."""

    activity: ScheduledActivity
    row: str
    day: date
    start_minute: int
    """Local minutes after midnight of `day`."""
    end_minute: int
    lane: int
    lanes: int


@dataclass(slots=True)
class Timeline:
    rows: list[TimelineRow]
    days: list[date]
    bars: list[Bar]
    first_minute: int
    last_minute: int
    kinds: list[str]
    left_out: list[tuple[str, str, str]]
    """(activity id, title, reason) of every activity the schedule leaves out."""


def build_timeline(mission: Mission, schedule: Schedule) -> Timeline:
    """Rows (one per track, one per top sector group, one per venue used), days side by side, bars in lanes
    where they overlap."""
    tracks = [group for group in mission.groups.values() if group.kind == "track"]
    used_venues = {activity.venue for activity in schedule.activities}
    city_order = {leg.city: index for index, leg in enumerate(mission.legs)}
    venue_ids = [v for v in mission.venues if v in used_venues] + sorted(used_venues - set(mission.venues))
    venue_ids.sort(key=lambda v: city_order.get(mission.venues[v].city, len(city_order))
                   if v in mission.venues else len(city_order))
    sectors = top_sector_groups(mission)
    rows = [TimelineRow(f"track:{group.id}", group.name or group.id, "track") for group in tracks]
    rows += [TimelineRow(f"sector:{group.id}", group.name or group.id, "sector") for group in sectors]
    rows += [
        TimelineRow(f"venue:{v}", mission.venues[v].name if v in mission.venues else v, "venue",
                    mission.venues[v].city if v in mission.venues else None)
        for v in venue_ids
    ]
    sector_members = {group.id: _nested_groups(mission, group) for group in sectors}
    days = sorted({local_date(mission, a) for a in schedule.activities}
                  | {day for leg in mission.legs for day in leg.days()})
    placements: dict[tuple[str, date], list[tuple[ScheduledActivity, int, int]]] = defaultdict(list)
    for activity in sorted(schedule.activities, key=lambda a: (a.start, a.id)):
        start = local_start(mission, activity)
        day = start.date()
        start_minute = wall_minute(start)
        end_minute = start_minute + minutes_between(activity.start, activity.end)
        placements[(f"venue:{activity.venue}", day)].append((activity, start_minute, end_minute))
        for group in tracks:
            if any(delegate in group.delegates for delegate in activity.attendees):
                placements[(f"track:{group.id}", day)].append((activity, start_minute, end_minute))
        for group in sectors:
            if _names_sector(mission, activity, sector_members[group.id]):
                placements[(f"sector:{group.id}", day)].append((activity, start_minute, end_minute))
    bars = []
    for (row, day), items in sorted(placements.items(), key=lambda item: (item[0][0], item[0][1])):
        lanes = interval_lanes([(start_minute, end_minute) for _, start_minute, end_minute in items])
        count = max(lanes) + 1
        for (activity, start_minute, end_minute), lane in zip(items, lanes):
            bars.append(Bar(activity, row, day, start_minute, end_minute, lane, count))
    first = min([mission.day.start] + [bar.start_minute for bar in bars])
    last = max([mission.day.end] + [bar.end_minute for bar in bars])
    scheduled = {activity.id for activity in schedule.activities}
    reasons = {item.id: item.reason for item in schedule.unscheduled}
    left_out_ids = [a for a in mission.activities if a not in scheduled]
    left_out_ids += [u.id for u in schedule.unscheduled if u.id not in mission.activities]
    left_out = [
        (a, mission.activities[a].title if a in mission.activities else a, reasons.get(a, "not scheduled"))
        for a in left_out_ids
    ]
    return Timeline(rows, days, bars, (first // 60) * 60, -(-last // 60) * 60,
                    sorted({a.kind for a in schedule.activities}), left_out)


def interval_lanes(intervals: list[tuple[int, int]]) -> list[int]:
    """Greedy interval partitioning (intervals sorted by start): the lowest lane free at each start."""
    lane_ends: list[int] = []
    lanes = []
    for start, end in intervals:
        for lane, lane_end in enumerate(lane_ends):
            if lane_end <= start:
                lane_ends[lane] = end
                lanes.append(lane)
                break
        else:
            lane_ends.append(end)
            lanes.append(len(lane_ends) - 1)
    return lanes


def kind_colours(kinds: list[str]) -> dict[str, str]:
    """A fixed colour per kind (hex), the same in the PNG and the HTML page."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    # Calling a listed colormap with an int gives its colour of that index, as an RGBA tuple.
    palette = [colormap(index) for colormap in (colormaps["tab10"], colormaps["Pastel1"])
               for index in range(colormap.N)]
    return {kind: to_hex(palette[index % len(palette)]) for index, kind in enumerate(sorted(kinds))}



def top_sector_groups(mission: Mission) -> list[Group]:
    """Sector groups (`kind: sector`) that no other sector group contains: the overview's sector rows."""
    sectors = [group for group in mission.groups.values() if group.kind == "sector"]
    nested = {member for group in sectors for member in group.members}
    return [group for group in sectors if group.id not in nested]


def _nested_groups(mission: Mission, group: Group) -> frozenset[str]:
    """The group's id and the ids of every group it contains, at any depth."""
    found, waiting = {group.id}, list(group.members)
    while waiting:
        member = waiting.pop()
        if member in mission.groups and member not in found:
            found.add(member)
            waiting.extend(mission.groups[member].members)
    return frozenset(found)


def _names_sector(mission: Mission, activity: ScheduledActivity, groups: frozenset[str]) -> bool:
    """An activity is in a sector's row when its attendees, as written, name the sector or a group in it."""
    planned = mission.activities.get(activity.id)
    if planned is None:
        return False
    return not groups.isdisjoint(planned.attendee_refs + planned.optional_attendee_refs)


def city_label(mission: Mission, day: date) -> str:
    for leg in mission.legs:
        if leg.contains(day):
            return leg.city
    return ""
