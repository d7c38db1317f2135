"""Pass 3, venues and travel: venues in legs' cities, travel times between venues of one city, the table of
every pair (explicit, else from `geo`, else the default) and the pairs a delegate may need but has no time
for.
"""

from __future__ import annotations

from planner.domain import Mission, Source, TimeOfDayRange, TravelSettings, Venue
from planner.domain.travel import computed_travel_minutes
from planner.mission.hints import closest, listing
from planner.mission.resolution import Resolution
from planner.mission.schema import TravelSection


def resolve_venues(resolution: Resolution) -> None:
    """venues: unique ids; each city is a leg's city."""
    first: dict[str, int] = {}
    cities = [leg.city for leg in resolution.legs]
    for index, entry in resolution.shapes.venues:
        path = ("venues", index)
        if entry.id in first:
            resolution.duplicate(path, "venue", entry.id, ("venues", first[entry.id]))
            continue
        first[entry.id] = index
        if entry.city in resolution.broken_cities:
            continue
        if entry.city not in cities:
            suggestion = closest(entry.city, cities)
            hint = f"did you mean `{suggestion}`? " if suggestion else ""
            resolution.report.add(
                path + ("city",),
                f"venue `{entry.id}`: city `{entry.city}` is no leg's city; "
                f"{hint}the legs' cities are {listing(cities)}",
            )
            continue
        resolution.venues[entry.id] = Venue(
            id=entry.id,
            name=entry.name,
            city=entry.city,
            address=entry.address,
            geo=entry.geo,
            open_hours=tuple(TimeOfDayRange(start, end) for start, end in entry.open),
            parallel=entry.parallel,
            capacity=entry.capacity,
            source=resolution.source(path),
        )


def resolve_travel(resolution: Resolution, travel: TravelSection) -> TravelSettings:
    """travel.times: known venues of one city, not the same venue, one entry per pair."""
    settings = TravelSettings(
        speed_kmh=travel.speed_kmh, detour=travel.detour, buffer=travel.buffer, default=travel.default
    )
    first: dict[tuple[str, str], int] = {}
    for index, (venue_a, venue_b, minutes) in enumerate(travel.times):
        path = ("travel", "times", index)
        known = [resolution.venue_reference(venue, path + (position,), "venue")
                 for position, venue in enumerate((venue_a, venue_b))]
        if not all(known) or venue_a not in resolution.venues or venue_b not in resolution.venues:
            continue
        if venue_a == venue_b:
            resolution.report.add(
                path,
                f"a travel time from venue `{venue_a}` to itself; the same venue needs no "
                "travel time: remove this entry",
            )
            continue
        city_a, city_b = resolution.venues[venue_a].city, resolution.venues[venue_b].city
        if city_a != city_b:
            resolution.report.add(
                path,
                f"venues `{venue_a}` ({city_a}) and `{venue_b}` ({city_b}) lie in different "
                "cities; moving between cities is the transfer between legs (model it as an "
                "activity): remove this entry",
            )
            continue
        pair = (min(venue_a, venue_b), max(venue_a, venue_b))
        if pair in first:
            place = resolution.source(("travel", "times", first[pair])).place()
            resolution.report.add(
                path,
                f"a second travel time between `{pair[0]}` and `{pair[1]}` (the first is on "
                f"{place}); entries are symmetric: keep one",
            )
            continue
        first[pair] = index
        resolution.explicit_travel[(venue_a, venue_b)] = minutes
        resolution.explicit_travel[(venue_b, venue_a)] = minutes
        resolution.explicit_travel_sources[(venue_a, venue_b)] = resolution.source(path)
        resolution.explicit_travel_sources[(venue_b, venue_a)] = resolution.source(path)
    return settings


def travel_table(resolution: Resolution, settings: TravelSettings) -> dict[tuple[str, str], int]:
    """Every ordered pair of different venues of one city: explicit, else from geo, else the default."""
    table: dict[tuple[str, str], int] = {}
    for venue_a in resolution.venues.values():
        for venue_b in resolution.venues.values():
            if venue_a.id == venue_b.id or venue_a.city != venue_b.city:
                continue
            pair = (venue_a.id, venue_b.id)
            if pair in resolution.explicit_travel:
                table[pair] = resolution.explicit_travel[pair]
            elif venue_a.geo is not None and venue_b.geo is not None:
                table[pair] = computed_travel_minutes(venue_a.geo, venue_b.geo, settings)
            elif settings.default is not None:
                table[pair] = settings.default
    return table


def travel_sources(
    resolution: Resolution, table: dict[tuple[str, str], int]
) -> dict[tuple[str, str], Source]:
    """Where each pair's time is written: its travel.times entry, else `travel.default` (not geo)."""
    default = resolution.report.positions.source(("travel", "default"), key=True)
    sources: dict[tuple[str, str], Source] = {}
    for venue_a, venue_b in table:
        if (venue_a, venue_b) in resolution.explicit_travel_sources:
            sources[(venue_a, venue_b)] = resolution.explicit_travel_sources[(venue_a, venue_b)]
        elif resolution.venues[venue_a].geo is None or resolution.venues[venue_b].geo is None:
            sources[(venue_a, venue_b)] = default
    return sources


def check_travel_known(resolution: Resolution, mission: Mission) -> None:
    """travel: a pair of venues some delegate may move between needs a travel time."""
    missing = {
        (a.id, b.id)
        for a in mission.venues.values()
        for b in mission.venues.values()
        if a.id < b.id and a.city == b.city and (a.id, b.id) not in mission.travel
    }
    if not missing:
        return
    reported: set[tuple[str, str]] = set()
    for delegate_id in sorted(mission.delegates):
        # venue -> the activities of this delegate that may take place there
        where: dict[str, list[str]] = {}
        for activity in mission.activities_of(delegate_id):
            for venue_id in activity.venues:
                where.setdefault(venue_id, []).append(activity.id)
        for pair in sorted(missing - reported):
            first, second = where.get(pair[0]), where.get(pair[1])
            if not first or not second:
                continue
            couples = [(x, y) for x in first for y in second if x != y]
            if not couples:
                continue
            reported.add(pair)
            activity_a, activity_b = couples[0]
            venue_a, venue_b = mission.venues[pair[0]], mission.venues[pair[1]]
            if _position_of_venue(resolution, venue_a.id) > _position_of_venue(resolution, venue_b.id):
                venue_a, venue_b = venue_b, venue_a
                activity_a, activity_b = activity_b, activity_a
            lacking = [v.id for v in (venue_a, venue_b) if v.geo is None]
            # point at the venue to complete: one without geo, else the later one in the file
            target = next((v for v in (venue_b, venue_a) if v.geo is None), venue_b)
            index = _position_of_venue(resolution, target.id)
            resolution.report.add(
                ("venues", index),
                f"no travel time between venues `{venue_a.id}` and `{venue_b.id}` (both in "
                f"{venue_a.city}, {listing(lacking)} without `geo`), yet delegate `{delegate_id}` "
                f"may attend `{activity_a}` at one and `{activity_b}` at the other: add "
                + resolution.travel_advice(venue_a.id, venue_b.id),
            )


def _position_of_venue(resolution: Resolution, venue_id: str) -> int:
    """The index of the venue's entry in `venues`."""
    return next(index for index, entry in resolution.shapes.venues if entry.id == venue_id)
