"""Pass 3, lodging (a planner addition, docs/mission-format.md): each entry names a leg's city, a venue of
that city and, optionally, the delegates it houses; a delegate sleeps in one hotel per leg; the travel time
between a hotel and every venue its guests may visit is known.
"""

from __future__ import annotations

from planner.domain import Lodging, Mission
from planner.mission.positions import DocumentPath
from planner.mission.resolution import Resolution
from planner.mission.schema import LodgingEntry


def resolve_lodging(resolution: Resolution, day_start: int) -> tuple[Lodging, ...]:
    """lodging: a leg's city, a venue of that city, `who` defined; one hotel per delegate and leg (an entry
    with `who` takes its delegates out of the leg's entry for everyone)."""
    for_everyone: dict[str, int] = {}
    housed: dict[tuple[str, str], DocumentPath] = {}
    entries: list[tuple[int, LodgingEntry, str, tuple[str, ...] | None]] = []
    cities = {leg.city for leg in resolution.legs}
    for index, entry in resolution.shapes.lodging:
        path = ("lodging", index)
        if entry.city not in cities:
            if entry.city not in resolution.broken_cities:
                resolution.report.add(path + ("city",), f"no leg in `{entry.city}`; `city` names a leg: "
                                                        f"{', '.join(sorted(cities))}")
            continue
        if not resolution.venue_reference(entry.venue, path + ("venue",), "hotel venue"):
            continue
        venue = resolution.venues[entry.venue]
        if venue.city != entry.city:
            resolution.report.add(path + ("venue",), f"the hotel `{entry.venue}` is in {venue.city}, not in "
                                                     f"{entry.city}; name a venue of {entry.city}")
            continue
        if entry.who is None:
            if entry.city in for_everyone:
                first = resolution.source(("lodging", for_everyone[entry.city])).place()
                resolution.report.add(path, f"a second hotel for everyone in {entry.city} (the first is on "
                                            f"{first}); " + resolution.report.wording.either(
                                                "add `who:` to house a delegate or group elsewhere",
                                                "fill in `who` to house a delegate or group elsewhere"))
                continue
            for_everyone[entry.city] = index
            entries.append((index, entry, entry.city, None))
            continue
        delegates = resolution.person(entry.who, path + ("who",))
        clash = sorted(d for d in delegates if (d, entry.city) in housed)
        if clash:
            first = resolution.source(housed[(clash[0], entry.city)]).place()
            resolution.report.add(path + ("who",), f"delegate `{clash[0]}` already has a hotel in "
                                                   f"{entry.city} "
                                                   f"(on {first}); a delegate sleeps in one hotel per leg")
            continue
        housed.update({(d, entry.city): path for d in delegates})
        entries.append((index, entry, entry.city, tuple(sorted(delegates))))
    result = []
    resolution.lodging_indexes = []
    for index, entry, city, guests in entries:
        if guests is None:
            guests = tuple(d for d in sorted(resolution.delegates) if (d, city) not in housed)
        leave = entry.leave if entry.leave is not None else day_start
        result.append(Lodging(city=city, venue=entry.venue, delegates=guests, leave=leave, who=entry.who,
                              source=resolution.source(("lodging", index))))
        resolution.lodging_indexes.append(index)
    return tuple(result)


def check_hotel_travel_known(resolution: Resolution, mission: Mission) -> None:
    """lodging: the travel time between a hotel and each venue its guests may visit is known."""
    reported: set[tuple[str, str]] = set()
    for position, lodging in zip(resolution.lodging_indexes, mission.lodging, strict=True):
        guests = set(lodging.delegates)
        for activity in mission.activities.values():
            visitors = {*activity.attendees, *activity.optional_attendees,
                        *mission.accompaniments.get(activity.id, {})}
            if guests.isdisjoint(visitors):
                continue
            for venue_id in activity.venues:
                if (mission.venues[venue_id].city != lodging.city
                        or mission.travel_minutes(lodging.venue, venue_id) is not None
                        or (lodging.venue, venue_id) in reported):
                    continue
                reported.add((lodging.venue, venue_id))
                resolution.report.add(
                    ("lodging", position, "venue"),
                    f"no travel time between the hotel `{lodging.venue}` and venue `{venue_id}` (both in "
                    f"{lodging.city}), yet its guests may attend `{activity.id}` there: add "
                    + resolution.travel_advice(lodging.venue, venue_id))
