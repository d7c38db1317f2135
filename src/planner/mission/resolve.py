"""Pass 3 of the loader: the checks that span entries (ids, legs, time zones, travel), and the `Mission`.

Cross-entry checks need a valid `mission` header and valid legs; when those are broken, only the errors of
passes 1–2 are reported. Each section is resolved by its own module (`resolve_places`, `resolve_people`,
`resolve_activities`, `resolve_rules`) over the shared `planner.mission.resolution.Resolution`.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

from planner.domain import Leg, Mission, Source, TimeOfDayRange, TravelSettings
from planner.domain.errors import InputError, InputErrors
from planner.mission.resolution import Resolution
from planner.mission.resolve_activities import resolve_activities
from planner.mission.resolve_lodging import check_hotel_travel_known, resolve_lodging
from planner.mission.resolve_meetings import resolve_b2b
from planner.mission.resolve_people import resolve_delegates, resolve_groups
from planner.mission.resolve_places import (
    check_travel_known,
    resolve_travel,
    resolve_venues,
    travel_sources,
    travel_table,
)
from planner.mission.resolve_rules import resolve_rules
from planner.mission.schema import MissionHeader
from planner.mission.shapes import Report, Shapes
from planner.text.format import format_clock, format_duration


def resolve_mission(report: Report, shapes: Shapes, file: str) -> Mission:
    """The mission of a document that passed pass 2; raise `InputErrors` with every error found (those of
    passes 1–2 already in `report` included)."""
    header = shapes.header
    if header is None or not shapes.legs_complete:
        raise InputErrors(report.errors or [InputError(Source(file, 1, 1), "the mission cannot be read")])
    resolution = Resolution(report, shapes, file)
    if not resolve_header(resolution, header):
        raise InputErrors(report.errors)
    resolve_legs(resolution, header)
    if report.errors and not resolution.legs:
        raise InputErrors(report.errors)
    resolve_venues(resolution)
    settings = resolve_travel(resolution, shapes.travel) if shapes.travel is not None else TravelSettings()
    resolve_delegates(resolution)
    resolve_groups(resolution)
    resolve_activities(resolution, header.grain)
    resolve_rules(resolution)
    counterparts, meeting_requests = resolve_b2b(resolution)
    lodging = resolve_lodging(resolution, header.day.start)
    travel = travel_table(resolution, settings)
    mission = Mission(
        name=header.name,
        timezone=header.timezone,
        grain=header.grain,
        day=TimeOfDayRange(header.day.start, header.day.end),
        legs=tuple(resolution.legs),
        venues=resolution.venues,
        delegates=resolution.delegates,
        activities=resolution.activities,
        groups=resolution.groups,
        rules=tuple(resolution.rules),
        travel=travel,
        travel_settings=settings,
        file=file,
        source=report.positions.source(("mission",), key=True),
        travel_sources=travel_sources(resolution, travel),
        counterparts=counterparts,
        meeting_requests=meeting_requests,
        lodging=lodging,
        language=header.language,
    )
    if shapes.travel is not None:
        # with a broken travel section every pair would look unknown
        check_travel_known(resolution, mission)
        check_hotel_travel_known(resolution, mission)
    if report.errors:
        raise InputErrors(report.errors)
    return mission


def resolve_header(resolution: Resolution, header: MissionHeader) -> bool:
    """mission: `day` ends after it starts; the grain is at most a day."""
    if header.grain > 24 * 60:
        resolution.report.add(
            ("mission", "grain"),
            f"a grain of {format_duration(header.grain)} is longer than a day; the "
            "grain is the step of start times, e.g. 5m or 15m",
        )
        return False
    if header.day.end <= header.day.start:
        resolution.report.add(
            ("mission", "day", "end"),
            f"the working day ends ({format_clock(header.day.end)}) before or when it starts "
            f"({format_clock(header.day.start)}); write e.g. "
            + resolution.report.wording.either('{start: "08:00", end: "22:00"}', "08:00–22:00"),
        )
    return True


def resolve_legs(resolution: Resolution, header: MissionHeader) -> None:
    """legs: `to` not before `from`; one leg per city; date ranges do not overlap."""
    cities: dict[str, int] = {}
    accepted: list[tuple[Leg, int]] = []
    for index, entry in resolution.shapes.legs:
        path = ("legs", index)
        if entry.to < entry.from_:
            resolution.broken_cities.add(entry.city)
            resolution.report.add(
                path + ("to",),
                f"{resolution.report.describe(path)}: `to` ({entry.to}) is before `from` "
                f"({entry.from_}); `to` is the last date of the stay, inclusive",
            )
            continue
        if entry.city in cities:
            resolution.report.add(
                path + ("city",),
                f"a second leg in `{entry.city}` (the first is "
                f"{resolution.report.wording.entry(('legs', cities[entry.city]), 'leg')}); venues name a "
                "leg by its city, so "
                f"each leg needs its own, e.g. `{entry.city} (return)`",
            )
            continue
        cities[entry.city] = index
        zone = entry.timezone or header.timezone
        leg = Leg(entry.city, entry.from_, entry.to, zone, resolution.source(path))
        resolution.legs.append(leg)
        accepted.append((leg, index))
    by_start = sorted(accepted, key=lambda pair: (pair[0].first_day, pair[1]))
    for (earlier, _), (later, later_index) in pairwise(by_start):
        if later.first_day <= earlier.last_day:
            resolution.report.add(
                ("legs", later_index, "from"),
                f"leg `{later.city}` ({later.first_day}–{later.last_day}) overlaps leg "
                f"`{earlier.city}` ({earlier.first_day}–{earlier.last_day}); legs share no date: "
                f"start `{later.city}` on {earlier.last_day + timedelta(days=1)} or later",
            )
